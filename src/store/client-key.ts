import { createHash } from 'node:crypto';

/**
 * How stores keep a client id (an IP address, or a header's value): a fixed-length digest, so
 * no address is written to a data file or to Redis, and no `|` reaches a Redis seat state.
 */
export function clientKey(clientId: string): string {
  return createHash('sha256').update(clientId).digest('base64url').slice(0, 22);
}
