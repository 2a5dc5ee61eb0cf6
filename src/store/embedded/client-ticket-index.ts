import { createHash } from 'node:crypto';

/** What client-key.ts makes: 22 characters of URL-safe base64 (132 bits of a SHA-256). */
const CLIENT_KEY = /^[A-Za-z0-9_-]{22}$/;
/** 128 bits of a client key, as four 32-bit words. */
const WORDS = 4;
const EMPTY = 0;

/**
 * Client key -> serial of its latest ticket, for one room, in typed arrays: a million waiting
 * tickets are a few flat buffers instead of a million strings and map entries, so they cost
 * about 40 bytes each and nothing for the garbage collector to walk (a Map of them made every
 * full collection mark a million objects, and joins wait through those pauses).
 *
 * Keys are the store's client keys (client-key.ts: 22 characters of URL-safe base64 of a
 * SHA-256); their first 128 bits identify them. Open addressing with linear probing, kept at
 * most half full.
 */
export class ClientTicketIndex {
  private keys: Uint32Array;
  private serials: Uint32Array;
  private capacity: number;
  private used = 0;
  private readonly scratch = new Uint32Array(WORDS);

  constructor(expected = 16) {
    this.capacity = 16;
    while (this.capacity < expected * 2) this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.serials = new Uint32Array(this.capacity);
  }

  get size(): number {
    return this.used;
  }

  get(clientKey: string): number | undefined {
    const words = this.wordsOf(clientKey);
    const slot = this.find(words);
    const serial = this.serials[slot] as number;
    return serial === EMPTY ? undefined : serial;
  }

  /** `serial` is above 0 (serials start at 1). */
  set(clientKey: string, serial: number): void {
    if ((this.used + 1) * 2 > this.capacity) this.grow();
    const words = this.wordsOf(clientKey);
    const slot = this.find(words);
    if (this.serials[slot] === EMPTY) {
      this.used += 1;
      this.keys.set(words, slot * WORDS);
    }
    this.serials[slot] = serial;
  }

  /** The slot holding these words, or the empty one where they would go. */
  private find(words: Uint32Array): number {
    const mask = this.capacity - 1;
    let slot = mix(words) & mask;
    for (;;) {
      if (this.serials[slot] === EMPTY) return slot;
      const at = slot * WORDS;
      if (this.keys[at] === words[0] && this.keys[at + 1] === words[1] && this.keys[at + 2] === words[2] && this.keys[at + 3] === words[3]) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private wordsOf(clientKey: string): Uint32Array {
    // Anything but a client key (a caller's own string) is digested first, so it is 128 bits too.
    const bytes = CLIENT_KEY.test(clientKey) ? Buffer.from(clientKey, 'base64url') : createHash('sha256').update(clientKey).digest();
    for (let word = 0; word < WORDS; word++) this.scratch[word] = bytes.readUInt32LE(word * 4);
    return this.scratch;
  }

  private grow(): void {
    const { keys, serials, capacity } = this;
    this.capacity = capacity * 2;
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.serials = new Uint32Array(this.capacity);
    this.used = 0;
    const words = new Uint32Array(WORDS);
    for (let slot = 0; slot < capacity; slot++) {
      const serial = serials[slot] as number;
      if (serial === EMPTY) continue;
      words.set(keys.subarray(slot * WORDS, slot * WORDS + WORDS));
      const target = this.find(words);
      this.keys.set(words, target * WORDS);
      this.serials[target] = serial;
      this.used += 1;
    }
  }
}

/** All 128 bits into one well-spread hash: keys that differ only at their end must not share a probe run. */
function mix(words: Uint32Array): number {
  let hash = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, 0x9e3779b1), 0x85ebca6b);
  hash = Math.imul(hash ^ (words[2] as number) ^ (hash >>> 13), 0xc2b2ae35);
  hash = Math.imul(hash ^ (words[3] as number) ^ (hash >>> 16), 0x27d4eb2d);
  return (hash ^ (hash >>> 15)) >>> 0;
}
