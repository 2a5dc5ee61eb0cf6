import type { EventRemovalBlocker, HoldStatus, Seat } from './model.js';

/**
 * Base of every expected failure of a store operation. Each subclass is a typed error in the
 * GraphQL schema; anything else thrown is an unexpected failure and gets masked.
 */
export abstract class SeatlockError extends Error {
  constructor(message: string) {
    // An expected outcome, answered as data: capturing a stack trace would only cost time
    // (at on-sale time most lock attempts end here).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
  }
}

export class EventNotFoundError extends SeatlockError {
  constructor(readonly eventId: string) {
    super(`Event "${eventId}" does not exist.`);
  }
}

export class SeatNotFoundError extends SeatlockError {
  constructor(
    readonly eventId: string,
    readonly seatIds: readonly string[],
  ) {
    super(`Event "${eventId}" has no seat ${seatIds.map((id) => `"${id}"`).join(', ')}.`);
  }
}

export class InvalidSeatSelectionError extends SeatlockError {
  constructor(
    message: string,
    readonly seatIds: readonly string[] = [],
  ) {
    super(message);
  }

  static empty(): InvalidSeatSelectionError {
    return new InvalidSeatSelectionError('seatIds is empty: name at least one seat.');
  }

  static count(): InvalidSeatSelectionError {
    return new InvalidSeatSelectionError('count must be at least 1.');
  }

  static quantity(): InvalidSeatSelectionError {
    return new InvalidSeatSelectionError('quantity must be at least 1.');
  }

  static noSection(eventId: string, section: string): InvalidSeatSelectionError {
    return new InvalidSeatSelectionError(`Event "${eventId}" has no section "${section}".`);
  }

  static duplicates(seatIds: readonly string[]): InvalidSeatSelectionError {
    return new InvalidSeatSelectionError(`seatIds names ${seatIds.map((id) => `"${id}"`).join(', ')} more than once.`, seatIds);
  }
}

export class SeatUnavailableError extends SeatlockError {
  constructor(readonly seats: readonly Seat[]) {
    super(`Not available: ${seats.map((seat) => `${seat.id} (${seat.status.toLowerCase()})`).join(', ')}.`);
  }
}

export class HoldNotFoundError extends SeatlockError {
  constructor() {
    super('No hold has this token.');
  }
}

export class HoldExpiredError extends SeatlockError {
  constructor(readonly expiredAt: Date) {
    super(`The hold expired at ${expiredAt.toISOString()}; its seats were given back.`);
  }
}

export class HoldClosedError extends SeatlockError {
  constructor(readonly status: Exclude<HoldStatus, 'ACTIVE' | 'EXPIRED'>) {
    super(`The hold was already ${status.toLowerCase()}; start a new hold.`);
  }
}

export class HoldEventMismatchError extends SeatlockError {
  constructor(
    readonly eventId: string,
    readonly holdEventId: string,
  ) {
    super(`The hold belongs to event "${holdEventId}", not "${eventId}".`);
  }
}

export class HoldLimitError extends SeatlockError {
  constructor(
    readonly maxSeats: number,
    readonly requestedSeats: number,
  ) {
    super(`A hold can have at most ${maxSeats} seats; this would make ${requestedSeats}.`);
  }
}

export class ClientSeatLimitError extends SeatlockError {
  constructor(
    readonly maxSeats: number,
    readonly requestedSeats: number,
  ) {
    super(`One buyer may hold at most ${maxSeats} seats of an event at once; this would make ${requestedSeats}.`);
  }
}

export class SeatNotInHoldError extends SeatlockError {
  constructor(readonly seatId: string) {
    super(`Seat "${seatId}" is not locked by this hold.`);
  }
}

export class InvalidOrderIdError extends SeatlockError {
  constructor(readonly maxLength: number) {
    super(`orderId must be 1 to ${maxLength} printable characters, not blank (no control, line-break or direction-changing characters).`);
  }
}

export class EmptyHoldError extends SeatlockError {
  constructor() {
    super('The hold has no locked seats to confirm.');
  }
}

export class EventExistsError extends SeatlockError {
  constructor(readonly eventId: string) {
    super(`An event with id "${eventId}" exists already.`);
  }
}

/** A layout given to `createEvent` that breaks a rule of `EVENTS_FILE`; the message names the entry. */
export class InvalidLayoutError extends SeatlockError {}

/** A webhook endpoint URL that cannot be used (scheme, address, length); the message says what to change. */
export class InvalidWebhookUrlError extends SeatlockError {}

/** No webhook endpoint with this id (or no delivery of this message to it). */
export class WebhookNotFoundError extends SeatlockError {
  constructor(
    readonly endpointId: string,
    readonly messageId: string | null = null,
  ) {
    super(messageId === null ? `No webhook endpoint "${endpointId}".` : `No delivery of message "${messageId}" to webhook endpoint "${endpointId}".`);
  }
}

/** Fewer seats than asked for are available (in the section asked for); nothing was locked. */
export class NotEnoughSeatsError extends SeatlockError {
  constructor(
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Only ${available} seat${available === 1 ? '' : 's'} available; ${requested} asked for.`);
  }
}

/** The event has no general admission area of this id. */
export class AreaNotFoundError extends SeatlockError {
  constructor(
    readonly eventId: string,
    readonly areaId: string,
  ) {
    super(`Event "${eventId}" has no area "${areaId}".`);
  }
}

/** Fewer places of the area are available than asked for (to lock, or to hold back); nothing was changed. */
export class NotEnoughPlacesError extends SeatlockError {
  constructor(
    readonly areaId: string,
    readonly requested: number,
    readonly available: number,
    /** Asked by the box office, to hold places back. */
    holdingBack = false,
  ) {
    super(
      holdingBack
        ? `Only ${available} more place${available === 1 ? '' : 's'} of area "${areaId}" can be held back (the rest are locked or booked); ${requested} more asked for.`
        : `Only ${available} place${available === 1 ? '' : 's'} left in area "${areaId}"; ${requested} asked for.`,
    );
  }
}

export class SalesClosedError extends SeatlockError {
  constructor(readonly eventId: string) {
    super(`Sales for event "${eventId}" are closed.`);
  }
}

/** The event's waiting room is on: a lock needs the admission token of an ADMITTED ticket of it. */
export class AdmissionRequiredError extends SeatlockError {
  constructor(readonly eventId: string) {
    super(`Event "${eventId}" has a waiting room: join its queue (joinQueue) and lock with the admission token of an admitted ticket.`);
  }
}

/** Waiting room settings that cannot be taken; nothing was changed. */
export class InvalidWaitingRoomError extends SeatlockError {}

const REMOVAL_BLOCKERS: Record<EventRemovalBlocker, string> = {
  HAS_BOOKINGS: 'it has bookings, which are kept for good (close its sales instead)',
  HAS_LOCKED_SEATS: 'buyers hold seats of it (close its sales and let their holds end first)',
  IN_EVENTS_FILE: 'it is defined in EVENTS_FILE, which would make it again at the next start (take it out of the file first)',
};

export class EventNotRemovableError extends SeatlockError {
  constructor(
    readonly eventId: string,
    readonly reason: EventRemovalBlocker,
  ) {
    super(`Event "${eventId}" cannot be removed: ${REMOVAL_BLOCKERS[reason]}.`);
  }
}

export class BookingNotFoundError extends SeatlockError {
  constructor(readonly bookingId: string) {
    super(`No booking "${bookingId}".`);
  }
}

/**
 * The store cannot be reached (Redis down, or not answering). Not part of any result union: it
 * reaches clients as a GraphQL error with code STORE_UNAVAILABLE. Nothing was changed: the call
 * was never sent, or it only read. Safe to retry.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(cause?: unknown) {
    super('The seat store is unavailable. Try again shortly.', { cause });
  }
}

/**
 * A resume from a version the store cannot serve: its change log no longer reaches back that
 * far, or the version is ahead of the event's. Reaches clients as a GraphQL error with code
 * CHANGES_UNAVAILABLE: read the map again, then subscribe after its version.
 */
export class ChangesUnavailableError extends Error {
  override readonly name = 'ChangesUnavailableError';

  constructor(
    readonly eventId: string,
    readonly afterVersion: number,
    /** The event's version now. */
    readonly version: number,
    /** The lowest version a resume may start after. */
    readonly oldestVersion: number,
  ) {
    super(
      afterVersion > version
        ? `Event "${eventId}" is at version ${version}; version ${afterVersion} has not happened. Read the seats again.`
        : `The changes of event "${eventId}" after version ${afterVersion} are no longer kept (they are from version ${oldestVersion} on). Read the seats again.`,
    );
  }
}

export class RateLimitedError extends SeatlockError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many lock attempts; try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * A change was sent to the store, which did not answer in time (a hung Redis) or lost the
 * connection before it answered: it may or may not have taken effect. Reaches clients as a
 * GraphQL error with code STORE_OUTCOME_UNKNOWN and, where the store chose it beforehand, the id
 * of the hold or booking the change would have made, so a client can look instead of retrying
 * blindly (a blind retry could lock seats twice).
 */
export class StoreOutcomeUnknownError extends Error {
  override readonly name = 'StoreOutcomeUnknownError';

  constructor(
    readonly made: { readonly holdToken?: string; readonly bookingId?: string },
    cause?: unknown,
  ) {
    super('The seat store did not answer in time: the change may or may not have been made. Look it up before trying again.', { cause });
  }
}
