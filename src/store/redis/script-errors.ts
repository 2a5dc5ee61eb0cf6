import {
  AdmissionRequiredError,
  BookingNotFoundError,
  ChangesUnavailableError,
  ClientSeatLimitError,
  EmptyHoldError,
  EventNotFoundError,
  InvalidWaitingRoomError,
  EventNotRemovableError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  NotEnoughPlacesError,
  type NotEnoughSeatsError,
  SalesClosedError,
  SeatNotInHoldError,
  SeatUnavailableError,
} from '../../domain/errors.js';
import type { EventRemovalBlocker, Seat } from '../../domain/model.js';
import { roomOpenedProblem } from '../queue-schedule.js';

/** A seat as a script shows it: id, status, lock expiry (Redis ms) or false. */
export type SeatState = [seatId: string, status: Seat['status'], expiresAt: number | false];

/** What the caller of a script knows that the script's refusal does not say. */
export interface RefusalContext {
  /** The event whose keys the script ran on. */
  readonly eventId: string;
  /** Seats as the script shows them, made into the API's seats. */
  seats(states: readonly SeatState[]): Seat[];
  /** What a resume asked for (read-changes). */
  readonly afterVersion?: number;
  /** Best available's own refusal, with its count of seats to be had (lock, from best available). */
  readonly notEnoughSeats?: () => NotEnoughSeatsError;
}

/** A read of an event removed a moment ago (elsewhere) finds nothing. */
export function nullIfRemoved(error: unknown): null {
  if (error instanceof EventNotFoundError) return null;
  throw error;
}

/** The event is not in Redis: new here, removed, or its data is gone (the instance attaches again to tell). */
export class NotInitializedRefusal extends Error {
  override readonly name = 'NotInitializedRefusal';
}

/** The event was made by another store: Redis holds another store's data. */
export class StoreChangedRefusal extends Error {
  override readonly name = 'StoreChangedRefusal';
}

type Details = Readonly<Record<string, unknown>>;

function needs<T>(value: T | undefined, code: string): T {
  if (value === undefined) throw new Error(`a script refused with ${code}, which its caller did not expect`);
  return value;
}

/**
 * Every refusal a script can answer, by its code, and the error it is to the rest of seatlock.
 * The one table both sides read: the scripts get it as `ERR` (see script-loader.ts), where a
 * code not in it fails the script at once, and replies are decoded through it.
 */
export const SCRIPT_ERRORS = {
  NotInitialized: () => new NotInitializedRefusal('the event is not in this Redis'),
  StoreChanged: () => new StoreChangedRefusal('the event was made by another store'),
  SalesClosed: (_details: Details, context: RefusalContext) => new SalesClosedError(context.eventId),
  AdmissionRequired: (_details: Details, context: RefusalContext) => new AdmissionRequiredError(context.eventId),
  WaitingRoomOpened: (details: Details) => new InvalidWaitingRoomError(roomOpenedProblem(Number(details.opensAt))),
  HoldNotFound: () => new HoldNotFoundError(),
  HoldEventMismatch: (details: Details) => new HoldEventMismatchError(String(details.eventId), String(details.holdEventId)),
  HoldExpired: (details: Details) => new HoldExpiredError(new Date(Number(details.expiredAt))),
  HoldClosed: (details: Details) => new HoldClosedError(details.status as 'CONFIRMED' | 'RELEASED'),
  HoldLimit: (details: Details) => new HoldLimitError(Number(details.maxSeats), Number(details.requestedSeats)),
  ClientSeatLimit: (details: Details) => new ClientSeatLimitError(Number(details.maxSeats), Number(details.requestedSeats)),
  NotEnoughSeats: (_details: Details, context: RefusalContext) => needs(context.notEnoughSeats, 'NotEnoughSeats')(),
  NotEnoughPlaces: (details: Details) =>
    new NotEnoughPlacesError(String(details.areaId), Number(details.requested), Number(details.available), details.holdingBack === true),
  SeatUnavailable: (details: Details, context: RefusalContext) =>
    new SeatUnavailableError(context.seats(Array.isArray(details.seats) ? (details.seats as SeatState[]) : [])),
  SeatNotInHold: (details: Details) => new SeatNotInHoldError(String(details.seatId)),
  EmptyHold: () => new EmptyHoldError(),
  BookingNotFound: (details: Details) => new BookingNotFoundError(String(details.bookingId)),
  EventNotRemovable: (details: Details, context: RefusalContext) => new EventNotRemovableError(context.eventId, details.reason as EventRemovalBlocker),
  ChangesUnavailable: (details: Details, context: RefusalContext) =>
    new ChangesUnavailableError(context.eventId, needs(context.afterVersion, 'ChangesUnavailable'), Number(details.version), Number(details.oldest)),
} satisfies Record<string, (details: Details, context: RefusalContext) => Error>;

export type ScriptErrorCode = keyof typeof SCRIPT_ERRORS;

/** The error a refusal stands for. */
export function refusalError(code: string, details: Details, context: RefusalContext): Error {
  const decode = (SCRIPT_ERRORS as Record<string, ((details: Details, context: RefusalContext) => Error) | undefined>)[code];
  if (!decode) return new Error(`a seatlock script answered an unknown refusal: ${code}`);
  return decode(details, context);
}

/** The `ERR` table every script starts with: each code by name, and a failure for any other name. */
export function luaErrorTable(): string {
  const entries = Object.keys(SCRIPT_ERRORS)
    .map((code) => `${code} = '${code}'`)
    .join(', ');
  return `local ERR = setmetatable({ ${entries} }, { __index = function(_, name) error('seatlock: no refusal code ' .. tostring(name)) end })\n`;
}
