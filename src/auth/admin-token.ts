import { createHash, timingSafeEqual } from 'node:crypto';

/** Shortest `ADMIN_TOKEN` accepted: long enough that guessing it is hopeless. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * Tells whether an `Authorization` value (`Bearer <token>`) carries the admin token, in
 * constant time: both sides are hashed first, so neither the token's length nor how much of a
 * guess matches shows in the time taken. With no token configured, nothing is admin.
 */
export function adminTokenCheck(adminToken: string | null): (authorization: unknown) => boolean {
  if (adminToken === null) return () => false;
  const expected = digest(adminToken);
  return (authorization) => {
    if (typeof authorization !== 'string') return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
