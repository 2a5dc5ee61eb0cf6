import type { AreaDefinition, SeatDefinition } from '../domain/model.js';
import { copyOptionalSeatKeys, type Writable } from './seat-keys.js';

/** A row as parsed, before it is placed: its seats in order, and the aisles within it. */
export interface RowPlan {
  readonly seats: readonly SeatDefinition[];
  /** Positions (0-based, in `seats`) after which an aisle runs. */
  readonly aisleAfter: ReadonlySet<number>;
  /** Seat widths to move the row right (negative: left) from the centre line. */
  readonly offset: number;
}

/** A section as parsed: rows of seats, or a general admission area. */
export type SectionPlan = { readonly rows: readonly RowPlan[] } | { readonly area: AreaDefinition };

/** Rows 1 apart; a gap of this many rows between sections. */
const SECTION_GAP = 1.5;
/** An area is drawn as a block this many rows deep, as wide as the widest row (or this, with no rows). */
const AREA_DEPTH = 3;
const AREA_WIDTH_WITHOUT_ROWS = 12;

/**
 * Places every seat and area for drawing, in seat widths: rows centred on one centre line
 * (aisles are gaps of one seat width, offsets move a row), rows 1 apart from the stage down,
 * sections one and a half rows apart; an area is a block in its place among the sections, as
 * wide as the widest row and a few rows deep. Answers seats and areas in layout order.
 */
export function placeLayout(sections: readonly SectionPlan[]): { seats: SeatDefinition[]; areas: AreaDefinition[] } {
  const widthOf = (row: RowPlan) => row.seats.length + row.aisleAfter.size;
  const venueWidth = Math.max(0, ...sections.flatMap((section) => ('rows' in section ? section.rows.map(widthOf) : [])));
  const seats: SeatDefinition[] = [];
  const areas: AreaDefinition[] = [];
  let y = 0;
  sections.forEach((section, sectionIndex) => {
    if (sectionIndex > 0) y += SECTION_GAP;
    if ('area' in section) {
      areas.push({ ...section.area, x: 0, y, width: venueWidth > 0 ? venueWidth : AREA_WIDTH_WITHOUT_ROWS, height: AREA_DEPTH });
      y += AREA_DEPTH;
      return;
    }
    section.rows.forEach((row, rowIndex) => {
      if (rowIndex > 0) y += 1;
      let x = (venueWidth - widthOf(row)) / 2 + row.offset;
      row.seats.forEach((seat, position) => {
        seats.push(withPlace(seat, x, y));
        x += row.aisleAfter.has(position) ? 2 : 1;
      });
    });
    if (section.rows.length > 0) y += 1;
  });
  return { seats, areas };
}

/** Places seats alone (see {@link placeLayout}). */
export function placeSeats(sections: readonly (readonly RowPlan[])[]): SeatDefinition[] {
  return placeLayout(sections.map((rows) => ({ rows }))).seats;
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
