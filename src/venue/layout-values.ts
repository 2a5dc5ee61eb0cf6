/** A seat layout that breaks the `EVENTS_FILE` format; the message names the bad entry. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

export type Json = Record<string, unknown>;

/** An object with only the keys allowed (an unknown key is usually a typo). */
export function object(value: unknown, path: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LayoutError(`${path} must be an object`);
  }
  const unknownKey = Object.keys(value).find((key) => !keys.includes(key));
  if (unknownKey !== undefined) {
    throw new LayoutError(`${path} has an unknown key "${unknownKey}" (allowed: ${keys.join(', ')})`);
  }
  return value as Json;
}

export function array(value: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) throw new LayoutError(`${path} must be an array`);
  if (value.length > maxLength) throw new LayoutError(`${path} has ${value.length} entries; at most ${maxLength}`);
  return value;
}

export function nonEmptyArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new LayoutError(`${path} must be a non-empty array`);
  return value;
}

export function string(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) {
    throw new LayoutError(`${path} must be a non-empty string`);
  }
  return value;
}

export function wholeNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LayoutError(`${path} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function finiteNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new LayoutError(`${path} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Seat numbers of one row: each a number the row has, none twice. */
export function seatNumbers(value: unknown, path: string, row: string, first: number, last: number): Set<number> {
  const numbers = new Set<number>();
  array(value, path, last - first + 1).forEach((entry, index) => {
    if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < first || entry > last) {
      throw new LayoutError(`${path}[${index}] ${JSON.stringify(entry)} is not a seat of row ${row} (${first} to ${last})`);
    }
    if (numbers.has(entry)) throw new LayoutError(`${path}[${index}] names seat ${entry} twice`);
    numbers.add(entry);
  });
  return numbers;
}
