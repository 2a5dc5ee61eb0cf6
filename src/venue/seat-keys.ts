import type { SeatDefinition } from '../domain/model.js';

/** An object of type T still being built, key by key. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Copies the optional layout keys a seat has (rank, category, accessibility, view) onto `seat`,
 * one by one and only those set: the objects stay small and of few shapes, which a spread of
 * objects with optional keys does not give (a big house has 100,000 seats for good).
 */
export function copyOptionalSeatKeys(seat: Writable<SeatDefinition>, from: SeatDefinition): void {
  if (from.rank !== undefined) seat.rank = from.rank;
  if (from.categoryKey !== undefined) seat.categoryKey = from.categoryKey;
  if (from.accessible) seat.accessible = true;
  if (from.companion) seat.companion = true;
  if (from.restrictedView) seat.restrictedView = true;
}
