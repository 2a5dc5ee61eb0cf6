import { createCipheriv } from 'node:crypto';

/** Random bytes drawn from the cipher at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The numbers of the `count` early arrivals: a uniformly random permutation of 1..count, drawn
 * by Fisher–Yates from a keystream (AES-256-CTR) of the room's secret seed. The seed is stored,
 * the permutation is not: every store and instance derives the same one, at the cost of one
 * shuffle (a million arrivals: tens of milliseconds) per process. Element `serial − 1` is that
 * serial's number.
 */
export function earlyArrivalNumbers(seedHex: string, count: number): Int32Array {
  const numbers = new Int32Array(count);
  for (let index = 0; index < count; index += 1) numbers[index] = index + 1;
  const cipher = createCipheriv('aes-256-ctr', Buffer.from(seedHex, 'hex'), Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK_BYTES);
  let stream = cipher.update(zeros);
  let offset = 0;
  const next32 = (): number => {
    if (offset + 4 > stream.length) {
      stream = cipher.update(zeros);
      offset = 0;
    }
    const value = stream.readUInt32LE(offset);
    offset += 4;
    return value;
  };
  for (let top = count - 1; top > 0; top -= 1) {
    const bound = top + 1;
    // Rejection keeps every index equally likely (a plain modulo would favour the low ones).
    const limit = 2 ** 32 - (2 ** 32 % bound);
    let draw = next32();
    while (draw >= limit) draw = next32();
    const pick = draw % bound;
    const held = numbers[top] as number;
    numbers[top] = numbers[pick] as number;
    numbers[pick] = held;
  }
  return numbers;
}
