import { follows } from '../venue/seat-adjacency.js';
import type { EventDefinition } from '../domain/model.js';

/**
 * An event's rows for best available, best first: by rank (rows without one after every
 * ranked row), then in layout order. Seats are numbered by their index in the layout, so a
 * store can answer "is it available?" from an array.
 */
export interface SeatingPlan {
  readonly rows: readonly PlanRow[];
  /** Seat ids by layout index. */
  readonly seatIds: readonly string[];
  /** Category keys by layout index. */
  readonly categoryKeys: readonly (string | undefined)[];
  /** 1 for a wheelchair space, by layout index. */
  readonly accessible: Uint8Array;
}

/** What a buyer asks of the seats beyond their number: their section, categories, wheelchair spaces. */
export interface SeatWishes {
  readonly section?: string | null | undefined;
  readonly categories?: readonly string[] | null | undefined;
  /** How many of the seats must be wheelchair spaces. */
  readonly accessible?: number | null | undefined;
}

export interface PlanRow {
  readonly section: string | null;
  /** Layout indexes of the row's seats, in layout order. */
  readonly seats: readonly number[];
  /**
   * Whether each seat sits right after the one before it (same block: its number and its place
   * follow on; an aisle, or a gap in the numbering, starts a new block).
   */
  readonly joined: readonly boolean[];
}

/** The seats chosen, and whether they sit next to each other in one row. */
export interface BestSeats {
  readonly seatIds: readonly string[];
  readonly together: boolean;
}

/** Builds the plan of an event once; rows are a section's seats with the same row name. */
export function seatingPlan(definition: EventDefinition): SeatingPlan {
  const rows = new Map<
    string,
    { section: string | null; rank: number; order: number; seats: number[]; numbers: (number | null)[]; xs: (number | undefined)[] }
  >();
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
    categoryKeys: definition.seats.map((seat) => seat.categoryKey),
    accessible: Uint8Array.from(definition.seats, (seat) => (seat.accessible ? 1 : 0)),
    rows: ordered.map(({ section, seats, numbers, xs }) => ({ section, seats, joined: seats.map((_, position) => follows(numbers, xs, position)) })),
  };
}

interface Window {
  readonly row: PlanRow;
  readonly start: number;
}

/**
 * The `count` best available seats that meet the `wishes`, or null when fewer are available.
 * Best means, in this order:
 *
 * 1. next to each other in one row (a block of the row: no aisle between them);
 * 2. leaving no single available seat stranded between taken seats or a block's end (an
 *    orphan), unless every choice together would;
 * 3. in the best row (rank, then layout order);
 * 4. closest to the row's centre (then the leftmost).
 *
 * When no row has `count` seats together: the best row that has `count` available seats, the
 * closest together there; else seats row by row, best rows first, closest to each centre. With
 * `accessible: n`, n of the seats are wheelchair spaces (chosen first when apart).
 */
export function chooseBestSeats(plan: SeatingPlan, available: (index: number) => boolean, count: number, wishes: SeatWishes | string | null): BestSeats | null {
  const { section = null, categories = null, accessible = 0 } = typeof wishes === 'string' ? { section: wishes } : (wishes ?? {});
  const wanted = categories == null ? null : new Set(categories);
  const eligible = (index: number) => available(index) && (wanted === null || wanted.has(plan.categoryKeys[index] as string));
  const needAccessible = accessible ?? 0;
  const rows = section === null ? plan.rows : plan.rows.filter((row) => row.section === section);
  let fallback: Window | null = null;
  for (const row of rows) {
    const best = bestWindow(plan, row, available, eligible, count, needAccessible);
    if (best.clean) return choice(plan, best.clean, count, true);
    fallback ??= best.orphaning;
  }
  if (fallback) return choice(plan, fallback, count, true);
  return apart(plan, rows, eligible, count, needAccessible);
}

/** How many available seats meet the wishes' section and categories (what NotEnoughSeatsError reports). */
export function countAvailable(plan: SeatingPlan, available: (index: number) => boolean, wishes: SeatWishes): number {
  const wanted = wishes.categories == null ? null : new Set(wishes.categories);
  let count = 0;
  for (const row of plan.rows) {
    if (wishes.section != null && row.section !== wishes.section) continue;
    for (const index of row.seats) {
      if (available(index) && (wanted === null || wanted.has(plan.categoryKeys[index] ?? ''))) count++;
    }
  }
  return count;
}

/** The row's best window with no orphan and its best window at all (both closest to the centre). */
function bestWindow(
  plan: SeatingPlan,
  row: PlanRow,
  available: (index: number) => boolean,
  eligible: (index: number) => boolean,
  count: number,
  needAccessible: number,
): { clean: Window | null; orphaning: Window | null } {
  const { seats, joined } = row;
  const centre = (seats.length - count) / 2;
  let clean: number | null = null;
  let orphaning: number | null = null;
  const closer = (candidate: number, current: number | null) => current === null || Math.abs(candidate - centre) < Math.abs(current - centre);
  const free = (position: number) => position >= 0 && position < seats.length && available(seats[position] as number);
  // A free seat beside the window, alone once the window is taken: at a block's end or beside a taken seat.
  const strands = (start: number) => {
    const left = start - 1;
    const right = start + count;
    const leftAlone = free(left) && joined[start] === true && !(joined[left] === true && free(left - 1));
    const rightAlone = free(right) && joined[right] === true && !(joined[right + 1] === true && free(right + 1));
    return leftAlone || rightAlone;
  };
  let runStart = 0;
  let accessibleInWindow = 0;
  for (let position = 0; position < seats.length; position++) {
    const index = seats[position] as number;
    if (!eligible(index) || (position > runStart && joined[position] !== true)) {
      runStart = eligible(index) ? position : position + 1;
      accessibleInWindow = eligible(index) ? (plan.accessible[index] ?? 0) : 0;
    } else {
      accessibleInWindow += plan.accessible[index] ?? 0;
    }
    // The window ending here: [start, position].
    const start = position - count + 1;
    if (start < runStart) continue;
    if (start > runStart) accessibleInWindow -= plan.accessible[seats[start - 1] as number] ?? 0;
    if (accessibleInWindow < needAccessible) continue;
    if (!strands(start)) {
      if (closer(start, clean)) clean = start;
    } else if (closer(start, orphaning)) {
      orphaning = start;
    }
  }
  return { clean: clean === null ? null : { row, start: clean }, orphaning: orphaning === null ? null : { row, start: orphaning } };
}

function choice(plan: SeatingPlan, { row, start }: Window, count: number, together: boolean): BestSeats {
  return { seatIds: row.seats.slice(start, start + count).map((index) => plan.seatIds[index] as string), together };
}

function apart(plan: SeatingPlan, rows: readonly PlanRow[], eligible: (index: number) => boolean, count: number, needAccessible: number): BestSeats | null {
  const isAccessible = (index: number) => plan.accessible[index] === 1;
  if (needAccessible === 0) {
    for (const row of rows) {
      const free = row.seats.map((index, position) => ({ index, position })).filter(({ index }) => eligible(index));
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
  }
  // Row by row, centre first: the wheelchair spaces asked for, then the rest.
  const ranked = rows.flatMap((row) => {
    const centre = (row.seats.length - 1) / 2;
    return row.seats
      .map((index, position) => ({ index, distance: Math.abs(position - centre) }))
      .filter(({ index }) => eligible(index))
      .sort((a, b) => a.distance - b.distance)
      .map(({ index }) => index);
  });
  const spaces = ranked.filter(isAccessible).slice(0, needAccessible);
  if (spaces.length < needAccessible) return null;
  const rest = ranked.filter((index) => !spaces.includes(index)).slice(0, count - needAccessible);
  if (spaces.length + rest.length < count) return null;
  return { seatIds: [...spaces, ...rest].map((index) => plan.seatIds[index] as string), together: false };
}
