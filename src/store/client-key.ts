import { createHash } from 'node:crypto';

/** Digests of recent client ids: one buyer makes many lock attempts at on-sale time. */
const recent = new Map<string, string>();
const MAX_RECENT = 10_000;

/**
 * How stores keep a client id (an IP address, or a header's value): a fixed-length digest, so
 * no address is written to a data file or to Redis, and no `|` reaches a Redis seat state.
 */
export function clientKey(clientId: string): string {
  let key = recent.get(clientId);
  if (key === undefined) {
    key = createHash('sha256').update(clientId).digest('base64url').slice(0, 22);
    // Forgetting all at once keeps it simple and bounded; the next attempts hash again.
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(clientId, key);
  }
  return key;
}
