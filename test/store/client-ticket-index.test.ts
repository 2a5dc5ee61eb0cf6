import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/store/client-key.js';
import { ClientTicketIndex } from '../../src/store/embedded/client-ticket-index.js';

describe('the client ticket index of a waiting room', () => {
  it('answers the latest serial of every client through growth, as a Map would', () => {
    const index = new ClientTicketIndex();
    const reference = new Map<string, number>();
    for (let serial = 1; serial <= 50_000; serial++) {
      // Every fifth ticket is a client joining again (its ticket lapsed).
      const key = clientKey(`buyer-${serial % 5 === 0 ? serial / 5 : serial}`);
      index.set(key, serial);
      reference.set(key, serial);
    }
    expect(index.size).toBe(reference.size);
    for (const [key, serial] of reference) expect(index.get(key)).toBe(serial);
    expect(index.get(clientKey('never-joined'))).toBeUndefined();
  });

  it('tells apart keys that share all but their end, and strings that are not client keys', () => {
    const index = new ClientTicketIndex();
    // 22 characters whose first 128 bits differ only just before the end.
    const similar = Array.from({ length: 2_000 }, (_, n) => `k${n.toString(36).padStart(20, '0')}A`);
    for (const [n, key] of similar.entries()) index.set(key, n + 1);
    for (const [n, key] of similar.entries()) expect(index.get(key)).toBe(n + 1);
    index.set('c0', 90_001);
    index.set('c1', 90_002);
    expect([index.get('c0'), index.get('c1'), index.get('c2')]).toEqual([90_001, 90_002, undefined]);
  });
});
