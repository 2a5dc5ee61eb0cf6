import type { EventDefinition, SeatDefinition } from '../domain/model.js';

/**
 * The first way two layouts of one event differ in their seats (ids, order, labels, sections,
 * rows, numbers), in words; null when the seats are the same. The name is not part of the layout.
 */
export function layoutDifference(stored: EventDefinition, given: EventDefinition): string | null {
  if (stored.seats.length !== given.seats.length) {
    return `it has ${stored.seats.length} seats, the new layout ${given.seats.length}`;
  }
  for (const [index, seat] of stored.seats.entries()) {
    const other = given.seats[index] as SeatDefinition;
    for (const key of ['id', 'label', 'section', 'row', 'number'] as const) {
      if (seat[key] !== other[key]) {
        return `seat ${index + 1} has ${key} ${JSON.stringify(seat[key])}, the new layout ${JSON.stringify(other[key])}`;
      }
    }
  }
  return null;
}
