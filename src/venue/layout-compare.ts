import type { AreaDefinition, EventDefinition, SeatDefinition } from '../domain/model.js';

/**
 * The first way two layouts of one event differ in their seats (ids, order, labels, sections,
 * rows, numbers) or its areas (ids, capacities), in words; null when they are the same. The name
 * is not part of the layout, nor are an area's name, category and place.
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
  const storedAreas = stored.areas ?? [];
  const givenAreas = given.areas ?? [];
  if (storedAreas.length !== givenAreas.length) return `it has ${storedAreas.length} areas, the new layout ${givenAreas.length}`;
  for (const [index, area] of storedAreas.entries()) {
    const other = givenAreas[index] as AreaDefinition;
    for (const key of ['id', 'capacity'] as const) {
      if (area[key] !== other[key]) return `area ${index + 1} has ${key} ${JSON.stringify(area[key])}, the new layout ${JSON.stringify(other[key])}`;
    }
  }
  return null;
}
