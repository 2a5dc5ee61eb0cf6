import type { Category, EventDefinition, Seat, SeatDefinition, SeatStatus } from '../domain/model.js';

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
  return { ...definition, eventId, category, status, lockExpiresAt };
}
