import {
  AdmissionRequiredError,
  AreaNotFoundError,
  ClientSeatLimitError,
  EmptyHoldError,
  EventNotFoundError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  InvalidOrderIdError,
  InvalidSeatSelectionError,
  NotEnoughPlacesError,
  NotEnoughSeatsError,
  RateLimitedError,
  SalesClosedError,
  SeatNotFoundError,
  SeatNotInHoldError,
  SeatUnavailableError,
  type SeatlockError,
} from '../domain/errors.js';

/** The operations on seats whose errors follow the order below. */
export type SeatOperation =
  | 'lockSeat'
  | 'lockSeats'
  | 'lockBestAvailable'
  | 'lockAreaPlaces'
  | 'confirmSeat'
  | 'confirmHold'
  | 'releaseSeat'
  | 'releaseHold'
  | 'extendHold'
  | 'blockSeats'
  | 'unblockSeats'
  | 'setAreaBlocked';

/** An error's class, whatever its constructor takes. */
type ErrorClass = new (...args: never[]) => SeatlockError;

/** One check, the errors it answers, and the operations that make it. */
export interface Check {
  /** In the words of docs/api.md. */
  readonly what: string;
  readonly errors: readonly { readonly error: ErrorClass; readonly in: readonly SeatOperation[] }[];
}

const LOCKS: readonly SeatOperation[] = ['lockSeat', 'lockSeats', 'lockBestAvailable', 'lockAreaPlaces'];
const PLACES: readonly SeatOperation[] = ['lockAreaPlaces', 'setAreaBlocked'];
const WITH_SEAT: readonly SeatOperation[] = ['confirmSeat', 'releaseSeat'];
const BY_TOKEN: readonly SeatOperation[] = [...LOCKS, ...WITH_SEAT, 'confirmHold', 'releaseHold', 'extendHold'];
const ADMIN: readonly SeatOperation[] = ['blockSeats', 'unblockSeats'];

/**
 * The checks of every seat operation, in the one order every store follows: when several
 * errors apply, the first wins. Written once: the schema's result unions and descriptions, the
 * README (`npm run docs`) and the stores' JSDoc come from it, and the model test holds both
 * stores to it. A check an operation does not make is passed over.
 */
export const ERROR_ORDER: readonly Check[] = [
  { what: 'the lock rate limit', errors: [{ error: RateLimitedError, in: LOCKS }] },
  { what: '`orderId`', errors: [{ error: InvalidOrderIdError, in: ['confirmSeat', 'confirmHold'] }] },
  { what: 'event', errors: [{ error: EventNotFoundError, in: [...LOCKS, ...WITH_SEAT, ...ADMIN, 'setAreaBlocked'] }] },
  {
    what: 'seat selection (empty, more seats than `MAX_SEATS_PER_HOLD` in one request, duplicates; for best available its count, section, categories and wheelchair spaces; for places the quantity)',
    errors: [
      { error: InvalidSeatSelectionError, in: ['lockSeats', 'lockBestAvailable', ...ADMIN, ...PLACES] },
      { error: HoldLimitError, in: ['lockSeats', 'lockBestAvailable', 'lockAreaPlaces'] },
    ],
  },
  {
    what: 'unknown seats or area',
    errors: [
      { error: SeatNotFoundError, in: ['lockSeat', 'lockSeats', ...WITH_SEAT, ...ADMIN] },
      { error: AreaNotFoundError, in: PLACES },
    ],
  },
  { what: 'sales closed (locks)', errors: [{ error: SalesClosedError, in: LOCKS }] },
  { what: "admission (while the event's waiting room is on)", errors: [{ error: AdmissionRequiredError, in: LOCKS }] },
  {
    what: 'hold token (unknown, of another event, expired, closed)',
    errors: [
      { error: HoldNotFoundError, in: BY_TOKEN },
      { error: HoldEventMismatchError, in: [...LOCKS, ...WITH_SEAT] },
      { error: HoldExpiredError, in: BY_TOKEN },
      { error: HoldClosedError, in: BY_TOKEN },
    ],
  },
  { what: "seat limit counting the hold's seats", errors: [{ error: HoldLimitError, in: LOCKS }] },
  { what: "the buyer's seat limit", errors: [{ error: ClientSeatLimitError, in: LOCKS }] },
  {
    what: 'availability (too few seats for best available, too few places left, seats taken, a seat not in the hold, nothing left to confirm)',
    errors: [
      { error: NotEnoughSeatsError, in: ['lockBestAvailable'] },
      { error: NotEnoughPlacesError, in: PLACES },
      { error: SeatUnavailableError, in: ['lockSeat', 'lockSeats', 'blockSeats'] },
      { error: SeatNotInHoldError, in: WITH_SEAT },
      { error: EmptyHoldError, in: ['confirmHold'] },
    ],
  },
];

/** The errors of one operation, in the order they are checked (each once): its result union's members. */
export function errorsOf(operation: SeatOperation): ErrorClass[] {
  const errors: ErrorClass[] = [];
  for (const check of ERROR_ORDER) {
    for (const { error, in: operations } of check.errors) if (operations.includes(operation) && !errors.includes(error)) errors.push(error);
  }
  return errors;
}

/** The order in words, as docs/api.md and the schema's descriptions give it. */
export function errorOrderInWords(operation?: SeatOperation): string {
  return ERROR_ORDER.filter((check) => operation === undefined || check.errors.some(({ in: operations }) => operations.includes(operation)))
    .map((check) => check.what)
    .join('; ');
}
