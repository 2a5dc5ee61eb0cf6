import type { EventDefinition, SeatDefinition } from '../domain/model.js';

/**
 * An event's rows for best available, best first: by rank (rows without one after every
 * ranked row), then in layout order. Seats are numbered by their index in the layout, so a
 * store can answer "is it available?" from an array.
 */
export interface SeatingPlan {
  readonly rows: readonly PlanRow[];
  /** Seat ids by layout index. */
  readonly seatIds: readonly string[];
}

export interface PlanRow {
  readonly section: string | null;
  /** Layout indexes of the row's seats, in layout order. */
  readonly seats: readonly number[];
  /**
   * Where each seat's block ends: seats are next to each other while their numbers follow on
   * (a gap in the numbering is an aisle). `blockEnd[i]` is the row position after seat i's block.
   */
  readonly blockEnd: readonly number[];
}

/** The seats chosen, and whether they sit next to each other in one row. */
export interface BestSeats {
  readonly seatIds: readonly string[];
  readonly together: boolean;
}

/** Builds the plan of an event once; rows are a section's seats with the same row name. */
export function seatingPlan(definition: EventDefinition): SeatingPlan {
  const rows = new Map<string, { section: string | null; rank: number; order: number; seats: number[]; numbers: (number | null)[]; xs: (number | undefined)[] }>();
  definition.seats.forEach((seat, index) => {
    const key = `${seat.section ?? ''}\n${seat.row ?? seat.id}`;
    let row = rows.get(key);
    if (!row) {
      row = { section: seat.section, rank: seat.rank ?? Number.POSITIVE_INFINITY, order: rows.size, seats: [], numbers: [], xs: [] };
      rows.set(key, row);
    }
    row.seats.push(index);
    row.numbers.push(seat.number);
    row.xs.push(seat.x);
  });
  const ordered = [...rows.values()].sort((a, b) => a.rank - b.rank || a.order - b.order);
  return {
    seatIds: definition.seats.map((seat) => seat.id),
    rows: ordered.map(({ section, seats, numbers, xs }) => {
      const blockEnd = new Array<number>(seats.length);
      let end = seats.length;
      for (let position = seats.length - 1; position >= 0; position--) {
        if (!follows(numbers, xs, position + 1)) end = position + 1;
        blockEnd[position] = end;
      }
      return { section, seats, blockEnd };
    }),
  };
}

/**
 * Whether the seat at `position` sits right after the one before it: its number follows on, and
 * so does its place (an aisle between them is a gap in x).
 */
function follows(numbers: readonly (number | null)[], xs: readonly (number | undefined)[], position: number): boolean {
  const here = numbers[position];
  const before = numbers[position - 1];
  if (here === null || here === undefined || before === null || before === undefined || here !== before + 1) return false;
  const x = xs[position];
  const xBefore = xs[position - 1];
  return x === undefined || xBefore === undefined || x === xBefore + 1;
}

interface Window {
  readonly row: PlanRow;
  readonly start: number;
}

/**
 * The `count` best available seats (of `section`, if given), or null when fewer are available.
 * Best means, in this order:
 *
 * 1. next to each other in one row (a block of the row: no aisle between them);
 * 2. leaving no single available seat stranded between taken seats or a block's end (an
 *    orphan), unless every choice together would;
 * 3. in the best row (rank, then layout order);
 * 4. closest to the row's centre (then the leftmost).
 *
 * When no row has `count` seats together: the best row that has `count` available seats, the
 * closest together there; else seats row by row, best rows first, closest to each centre.
 */
export function chooseBestSeats(plan: SeatingPlan, available: (index: number) => boolean, count: number, section: string | null): BestSeats | null {
  const rows = section === null ? plan.rows : plan.rows.filter((row) => row.section === section);
  let fallback: Window | null = null;
  for (const row of rows) {
    const best = bestWindow(row, available, count);
    if (best.clean) return choice(plan, best.clean, count, true);
    fallback ??= best.orphaning;
  }
  if (fallback) return choice(plan, fallback, count, true);
  return apart(plan, rows, available, count);
}

/** The row's best window with no orphan and its best window at all (both closest to the centre). */
function bestWindow(row: PlanRow, available: (index: number) => boolean, count: number): { clean: Window | null; orphaning: Window | null } {
  const { seats, blockEnd } = row;
  const centre = (seats.length - count) / 2;
  let clean: number | null = null;
  let orphaning: number | null = null;
  const closer = (candidate: number, current: number | null) => current === null || Math.abs(candidate - centre) < Math.abs(current - centre);
  let position = 0;
  while (position < seats.length) {
    if (!available(seats[position] as number)) {
      position++;
      continue;
    }
    // A run of available seats within one block: [runStart, runEnd).
    const runStart = position;
    const end = blockEnd[position] as number;
    while (position < end && available(seats[position] as number)) position++;
    const runEnd = position;
    for (let start = runStart; start + count <= runEnd; start++) {
      const left = start - runStart;
      const right = runEnd - start - count;
      if (left !== 1 && right !== 1) {
        if (closer(start, clean)) clean = start;
      } else if (closer(start, orphaning)) {
        orphaning = start;
      }
    }
  }
  return { clean: clean === null ? null : { row, start: clean }, orphaning: orphaning === null ? null : { row, start: orphaning } };
}

function choice(plan: SeatingPlan, { row, start }: Window, count: number, together: boolean): BestSeats {
  return { seatIds: row.seats.slice(start, start + count).map((index) => plan.seatIds[index] as string), together };
}

function apart(plan: SeatingPlan, rows: readonly PlanRow[], available: (index: number) => boolean, count: number): BestSeats | null {
  for (const row of rows) {
    const free = row.seats.map((index, position) => ({ index, position })).filter(({ index }) => available(index));
    if (free.length < count) continue;
    // The tightest group of `count` of them, then the one closest to the centre.
    const centre = (row.seats.length - 1) / 2;
    let best = 0;
    let bestSpan = Number.POSITIVE_INFINITY;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let first = 0; first + count <= free.length; first++) {
      const from = (free[first] as { position: number }).position;
      const to = (free[first + count - 1] as { position: number }).position;
      const distance = Math.abs((from + to) / 2 - centre);
      if (to - from < bestSpan || (to - from === bestSpan && distance < bestDistance)) {
        best = first;
        bestSpan = to - from;
        bestDistance = distance;
      }
    }
    return { seatIds: free.slice(best, best + count).map(({ index }) => plan.seatIds[index] as string), together: false };
  }
  const chosen: string[] = [];
  for (const row of rows) {
    const centre = (row.seats.length - 1) / 2;
    const free = row.seats
      .map((index, position) => ({ index, distance: Math.abs(position - centre) }))
      .filter(({ index }) => available(index))
      .sort((a, b) => a.distance - b.distance);
    for (const { index } of free) {
      chosen.push(plan.seatIds[index] as string);
      if (chosen.length === count) return { seatIds: chosen, together: false };
    }
  }
  return null;
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
