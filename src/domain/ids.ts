import { randomBytes, randomUUID } from 'node:crypto';

/** A hold token: 192 random bits, URL-safe base64 (32 characters). */
export function newHoldToken(): string {
  return randomBytes(24).toString('base64url');
}

export function newBookingId(): string {
  return randomUUID();
}
