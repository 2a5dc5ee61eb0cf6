import type { SeatDefinition } from '../domain/model.js';
import { copyOptionalSeatKeys, type Writable } from './seat-keys.js';

/** A row as parsed, before it is placed: its seats in order, and the aisles within it. */
export interface RowPlan {
  readonly seats: readonly SeatDefinition[];
  /** Positions (0-based, in `seats`) after which an aisle runs. */
  readonly aisleAfter: ReadonlySet<number>;
  /** Seat widths to move the row right (negative: left) from the centre line. */
  readonly offset: number;
}

/** Rows 1 apart; a gap of this many rows between sections. */
const SECTION_GAP = 1.5;

/**
 * Places every seat for drawing, in seat widths: rows centred on one centre line (aisles are
 * gaps of one seat width, offsets move a row), rows 1 apart from the stage down, sections one and
 * a half rows apart. Answers the seats in layout order with `x` and `y` set.
 */
export function placeSeats(sections: readonly (readonly RowPlan[])[]): SeatDefinition[] {
  const widthOf = (row: RowPlan) => row.seats.length + row.aisleAfter.size;
  const venueWidth = Math.max(0, ...sections.flatMap((rows) => rows.map(widthOf)));
  const placed: SeatDefinition[] = [];
  let y = 0;
  sections.forEach((rows, sectionIndex) => {
    if (sectionIndex > 0) y += SECTION_GAP;
    rows.forEach((row, rowIndex) => {
      if (rowIndex > 0) y += 1;
      let x = (venueWidth - widthOf(row)) / 2 + row.offset;
      row.seats.forEach((seat, position) => {
        placed.push(withPlace(seat, x, y));
        x += row.aisleAfter.has(position) ? 2 : 1;
      });
    });
    if (rows.length > 0) y += 1;
  });
  return placed;
}

/**
 * The seat at (x, y), built key by key: a big house has 100,000 of these for good, and objects
 * made by spreading others with optional keys cost several times the memory (426 bytes a seat
 * against about 100, measured on a 100,000-seat layout).
 */
function withPlace(seat: SeatDefinition, x: number, y: number): SeatDefinition {
  const placed: Writable<SeatDefinition> = { id: seat.id, label: seat.label, section: seat.section, row: seat.row, number: seat.number, x, y };
  copyOptionalSeatKeys(placed, seat);
  return placed;
}

/**
 * Places seats stored without a position (data files from before positions were kept): rows are
 * runs of seats of one section and row name, sections in order of first appearance, a gap in
 * the numbering an aisle.
 */
export function placeStoredSeats(seats: readonly SeatDefinition[]): SeatDefinition[] {
  const sections = new Map<string, Map<string, SeatDefinition[]>>();
  for (const seat of seats) {
    const rows = sections.get(seat.section ?? '') ?? new Map<string, SeatDefinition[]>();
    sections.set(seat.section ?? '', rows);
    const row = rows.get(seat.row ?? seat.id) ?? [];
    rows.set(seat.row ?? seat.id, row);
    row.push(seat);
  }
  const placed = new Map(
    placeSeats(
      [...sections.values()].map((rows) =>
        [...rows.values()].map((row): RowPlan => {
          const aisleAfter = new Set<number>();
          row.forEach((seat, position) => {
            const next = row[position + 1];
            if (next && seat.number !== null && next.number !== null && next.number !== seat.number + 1) aisleAfter.add(position);
          });
          return { seats: row, aisleAfter, offset: 0 };
        }),
      ),
    ).map((seat) => [seat.id, seat]),
  );
  return seats.map((seat) => placed.get(seat.id) ?? seat);
}
