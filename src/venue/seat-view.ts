import type { Category, EventDefinition, Seat, SeatDefinition, SeatStatus } from '../domain/model.js';
import { copyOptionalSeatKeys, type Writable } from './seat-keys.js';

/** An event's price categories by key, for resolving its seats' `categoryKey`. */
export function categoriesOf(event: EventDefinition): ReadonlyMap<string, Category> {
  return new Map((event.categories ?? []).map((category) => [category.key, category]));
}

/** A seat of the layout with its state at one moment, its category resolved. */
export function seatView(
  definition: SeatDefinition,
  eventId: string,
  categories: ReadonlyMap<string, Category>,
  status: SeatStatus,
  lockExpiresAt: Date | null,
): Seat {
  const category = definition.categoryKey === undefined ? null : (categories.get(definition.categoryKey) ?? null);
  // Built key by key, not spread from the definition: a spread of objects with optional keys
  // makes slow, large objects, and a big map makes 100,000 of these.
  const seat: Writable<Seat> = {
    id: definition.id,
    label: definition.label,
    section: definition.section,
    row: definition.row,
    number: definition.number,
    x: definition.x,
    y: definition.y,
    eventId,
    category,
    status,
    lockExpiresAt,
  };
  copyOptionalSeatKeys(seat, definition);
  return seat;
}
