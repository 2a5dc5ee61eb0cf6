import { AreaNotFoundError, HoldLimitError, InvalidOrderIdError, InvalidSeatSelectionError, SeatNotFoundError } from '../domain/errors.js';
import type { AreaDefinition, EventDefinition } from '../domain/model.js';
import type { LockBestAvailableInput } from './store.js';

/** Longest `orderId` a booking keeps. */
export const MAX_ORDER_ID_LENGTH = 200;

/**
 * Checks the seat list of a lock request, in the documented order: empty, more seats than one
 * hold may have, duplicates, then unknown seats (all of them named).
 */
export function checkSeatSelection(eventId: string, seatIds: readonly string[], maxSeatsPerHold: number, hasSeat: (seatId: string) => boolean): void {
  if (seatIds.length === 0) throw InvalidSeatSelectionError.empty();
  // Checked before the ids are looked at, so an oversized list costs nothing to refuse.
  if (seatIds.length > maxSeatsPerHold) throw new HoldLimitError(maxSeatsPerHold, seatIds.length);
  const duplicates = findDuplicates(seatIds);
  if (duplicates.length > 0) throw InvalidSeatSelectionError.duplicates(duplicates);
  const unknown = seatIds.filter((seatId) => !hasSeat(seatId));
  if (unknown.length > 0) throw new SeatNotFoundError(eventId, unknown);
}

/**
 * Checks a best-available request, in the documented order: the count (at least 1, at most
 * what one hold may have), then the section (when one is named).
 */
export function checkBestAvailable(
  event: EventDefinition,
  { count, section, categories, accessible }: Pick<LockBestAvailableInput, 'count' | 'section' | 'categories' | 'accessible'>,
  maxSeatsPerHold: number,
): void {
  if (count < 1) throw InvalidSeatSelectionError.count();
  if (count > maxSeatsPerHold) throw new HoldLimitError(maxSeatsPerHold, count);
  if (section != null && !event.seats.some((seat) => seat.section === section)) throw InvalidSeatSelectionError.noSection(event.id, section);
  const known = event.categories ?? [];
  // More than the event has can only repeat or be unknown: refused before the list is looked through.
  if (categories != null && categories.length > known.length) {
    throw new InvalidSeatSelectionError(`categories names ${categories.length} categories; event "${event.id}" has ${known.length}.`);
  }
  const unknown = (categories ?? []).filter((key) => !known.some((category) => category.key === key));
  if (unknown.length > 0) throw new InvalidSeatSelectionError(`Event "${event.id}" has no category ${unknown.map((key) => `"${key}"`).join(', ')}.`);
  if (accessible != null && (accessible < 0 || accessible > count)) {
    throw new InvalidSeatSelectionError(`accessible must be from 0 to count (${count}).`);
  }
}

/**
 * Checks a request for places of an area, in the documented order: the quantity (at least 1, at
 * most what one hold may have), then the area. Answers the area.
 */
export function checkAreaPlaces(event: EventDefinition, areaId: string, quantity: number, maxSeatsPerHold: number): AreaDefinition {
  if (!Number.isInteger(quantity) || quantity < 1) throw InvalidSeatSelectionError.quantity();
  if (quantity > maxSeatsPerHold) throw new HoldLimitError(maxSeatsPerHold, quantity);
  return requireArea(event, areaId);
}

/** Checks how many places of an area the box office holds back: 0 to its capacity. Answers the area. */
export function checkAreaBlock(event: EventDefinition, areaId: string, blocked: number): AreaDefinition {
  if (!Number.isInteger(blocked) || blocked < 0) throw new InvalidSeatSelectionError('blocked must be 0 or more.');
  const area = requireArea(event, areaId);
  if (blocked > area.capacity) throw new InvalidSeatSelectionError(`blocked must be at most the area's capacity (${area.capacity}).`);
  return area;
}

/** The area of the event. @throws AreaNotFoundError */
export function requireArea(event: EventDefinition, areaId: string): AreaDefinition {
  const area = event.areas?.find((candidate) => candidate.id === areaId);
  if (!area) throw new AreaNotFoundError(event.id, areaId);
  return area;
}

/**
 * Checks the seat list of an admin operation: not empty, no duplicates, every seat known. (No
 * hold limit: the box office blocks whole rows.)
 */
export function checkAdminSeatSelection(eventId: string, seatIds: readonly string[], hasSeat: (seatId: string) => boolean): void {
  checkSeatSelection(eventId, seatIds, Number.MAX_SAFE_INTEGER, hasSeat);
}

/**
 * What an order reference may not contain: control characters (NUL, line breaks), invisible
 * format characters (among them the bidirectional overrides that make "gpj.exe" read "exe.jpg"),
 * lone surrogates and line or paragraph separators. The id is shown on the operator page and
 * written into exports and logs, where any of these would mislead a reader or break a line.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** An `orderId` is optional; when given it is 1 to 200 printable characters and not only blanks. */
export function checkOrderId(orderId: string | null | undefined): string | null {
  if (orderId == null) return null;
  if (orderId.trim() === '' || orderId.length > MAX_ORDER_ID_LENGTH || UNPRINTABLE.test(orderId)) throw new InvalidOrderIdError(MAX_ORDER_ID_LENGTH);
  return orderId;
}

function findDuplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    else seen.add(id);
  }
  return [...duplicates];
}
