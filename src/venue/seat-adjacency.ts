import type { SeatDefinition } from '../domain/model.js';

/**
 * Whether the seat at `position` sits right after the one before it: its number follows on, and
 * so does its place (an aisle between them is a gap in x).
 */
export function follows(numbers: readonly (number | null)[], xs: readonly (number | undefined)[], position: number): boolean {
  const here = numbers[position];
  const before = numbers[position - 1];
  if (here === null || here === undefined || before === null || before === undefined || here !== before + 1) return false;
  const x = xs[position];
  const xBefore = xs[position - 1];
  return x === undefined || xBefore === undefined || x === xBefore + 1;
}

/** Whether the seats sit next to each other: one row of one section, numbers following on. */
export function areNextToEachOther(seats: readonly SeatDefinition[]): boolean {
  const [first] = seats;
  if (!first) return true;
  if (seats.some((seat) => seat.section !== first.section || seat.row !== first.row || seat.number === null)) return false;
  const sorted = [...seats].sort((a, b) => (a.number as number) - (b.number as number));
  const numbers = sorted.map((seat) => seat.number);
  const xs = sorted.map((seat) => seat.x);
  return sorted.every((_, index) => index === 0 || follows(numbers, xs, index));
}
