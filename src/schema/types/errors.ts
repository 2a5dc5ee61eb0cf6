import {
  AdmissionRequiredError,
  AreaNotFoundError,
  NotEnoughPlacesError,
  InvalidWaitingRoomError,
  BookingNotFoundError,
  InvalidWebhookUrlError,
  WebhookNotFoundError,
  ClientSeatLimitError,
  EmptyHoldError,
  EventExistsError,
  EventNotFoundError,
  EventNotRemovableError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  InvalidLayoutError,
  InvalidOrderIdError,
  InvalidSeatSelectionError,
  NotEnoughSeatsError,
  RateLimitedError,
  SalesClosedError,
  SeatNotFoundError,
  SeatNotInHoldError,
  SeatUnavailableError,
} from '../../domain/errors.js';
import { errorOrderInWords, errorsOf, type SeatOperation } from '../../store/error-order.js';
import { builder } from '../builder.js';
import { HoldStatusEnum } from './hold-status.js';
import { SeatRef } from './seat.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every expected failure of a mutation implements Error.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(EventNotFoundError, {
  name: 'EventNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId') }),
});

builder.objectType(InvalidSeatSelectionError, {
  name: 'InvalidSeatSelectionError',
  description: 'seatIds is empty or names a seat more than once, or a count or quantity is out of range.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ seatIds: t.exposeIDList('seatIds', { description: 'The repeated ids.' }) }),
});

builder.objectType(SeatNotFoundError, {
  name: 'SeatNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    seatIds: t.exposeIDList('seatIds', { description: 'The ids the event does not have.' }),
  }),
});

builder.objectType(SeatUnavailableError, {
  name: 'SeatUnavailableError',
  description: 'Seats are locked by another hold or booked; nothing was locked.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    seats: t.field({ type: [SeatRef], resolve: (error) => error.seats, description: 'The conflicting seats, as they are now.' }),
  }),
});

builder.objectType(HoldNotFoundError, {
  name: 'HoldNotFoundError',
  description: 'No hold has this token (never issued, or forgotten long after it ended).',
  interfaces: [ErrorInterface],
});

builder.objectType(HoldExpiredError, {
  name: 'HoldExpiredError',
  description: 'The hold expired and its seats were given back.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expiredAt: t.expose('expiredAt', { type: 'DateTime' }) }),
});

builder.objectType(HoldClosedError, {
  name: 'HoldClosedError',
  description: 'The hold was already confirmed or released.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    holdStatus: t.expose('status', { type: HoldStatusEnum, description: 'CONFIRMED or RELEASED.' }),
    status: t.expose('status', {
      type: HoldStatusEnum,
      // In a confirm result it clashes with Booking.status: a client selecting both is refused.
      deprecationReason: 'Use holdStatus: status has another type than Booking.status in the same confirm result.',
    }),
  }),
});

builder.objectType(HoldEventMismatchError, {
  name: 'HoldEventMismatchError',
  description: 'The hold token belongs to another event.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId'), holdEventId: t.exposeID('holdEventId') }),
});

builder.objectType(HoldLimitError, {
  name: 'HoldLimitError',
  description: 'The hold would have more than MAX_SEATS_PER_HOLD seats.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ maxSeats: t.exposeInt('maxSeats'), requestedSeats: t.exposeInt('requestedSeats') }),
});

builder.objectType(ClientSeatLimitError, {
  name: 'ClientSeatLimitError',
  description: 'This buyer would hold more than MAX_SEATS_PER_CLIENT seats of the event at once.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ maxSeats: t.exposeInt('maxSeats'), requestedSeats: t.exposeInt('requestedSeats') }),
});

builder.objectType(SeatNotInHoldError, {
  name: 'SeatNotInHoldError',
  description: 'The seat is not locked by this hold.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ seatId: t.exposeID('seatId') }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: 'This client made too many lock attempts; nothing was locked.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

builder.objectType(InvalidOrderIdError, {
  name: 'InvalidOrderIdError',
  description: 'orderId is blank or longer than maxLength; nothing was booked.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ maxLength: t.exposeInt('maxLength') }),
});

builder.objectType(EmptyHoldError, {
  name: 'EmptyHoldError',
  description: 'The hold has no locked seats left to confirm.',
  interfaces: [ErrorInterface],
});

builder.objectType(EventExistsError, {
  name: 'EventExistsError',
  description: 'An event with this id exists already; nothing was created.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId') }),
});

builder.objectType(InvalidLayoutError, {
  name: 'InvalidLayoutError',
  description: 'The layout breaks a rule of EVENTS_FILE; the message names the entry, e.g. "input.sections[0].rows[2].seats …".',
  interfaces: [ErrorInterface],
});

builder.objectType(InvalidWebhookUrlError, {
  name: 'InvalidWebhookUrlError',
  description: 'The endpoint URL cannot be used: https:// only, and no loopback, private or link-local address unless WEBHOOKS_ALLOW_PRIVATE.',
  interfaces: [ErrorInterface],
});

builder.objectType(WebhookNotFoundError, {
  name: 'WebhookNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ endpointId: t.exposeID('endpointId'), messageId: t.exposeID('messageId', { nullable: true }) }),
});

builder.objectType(BookingNotFoundError, {
  name: 'BookingNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ bookingId: t.exposeID('bookingId') }),
});

builder.objectType(NotEnoughSeatsError, {
  name: 'NotEnoughSeatsError',
  description: 'Fewer seats than asked for are available (in the section asked for); nothing was locked.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ requested: t.exposeInt('requested'), available: t.exposeInt('available') }),
});

builder.objectType(AreaNotFoundError, {
  name: 'AreaNotFoundError',
  description: 'The event has no general admission area of this id.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId'), areaId: t.exposeID('areaId') }),
});

builder.objectType(NotEnoughPlacesError, {
  name: 'NotEnoughPlacesError',
  description: 'Fewer places of the area are available than asked for; nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ areaId: t.exposeID('areaId'), requested: t.exposeInt('requested'), available: t.exposeInt('available') }),
});

builder.objectType(SalesClosedError, {
  name: 'SalesClosedError',
  description: 'The box office closed sales for the event: no seat can be locked. Holds made before can still be confirmed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId') }),
});

builder.objectType(AdmissionRequiredError, {
  name: 'AdmissionRequiredError',
  description:
    'The event’s waiting room is on: lock with the admissionToken of an ADMITTED ticket of this event (joinQueue, then queueTicket). Nothing was locked.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ eventId: t.exposeID('eventId') }),
});

builder.objectType(InvalidWaitingRoomError, {
  name: 'InvalidWaitingRoomError',
  description: 'The waiting room settings cannot be taken (the message names the field); nothing was changed.',
  interfaces: [ErrorInterface],
});

const EventRemovalBlockerEnum = builder.enumType('EventRemovalBlocker', {
  values: {
    HAS_BOOKINGS: { description: 'It has bookings (cancelled ones too), which are kept for good: close its sales instead.' },
    HAS_LOCKED_SEATS: { description: 'Buyers hold seats of it: close its sales and let their holds end first.' },
    IN_EVENTS_FILE: { description: 'It is one of the events the server starts with (EVENTS_FILE): take it out of the file first.' },
  } as const,
});

builder.objectType(EventNotRemovableError, {
  name: 'EventNotRemovableError',
  description: 'The event was not removed; reason says why.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    reason: t.expose('reason', { type: EventRemovalBlockerEnum }),
  }),
});

/** A seat operation's error order, for its description (the one order of src/store/error-order.ts). */
export function errorOrderNote(operation: SeatOperation): string {
  return ` When several errors apply, the first of these checks answers: ${errorOrderInWords(operation).replace(/`/g, '')}.`;
}

// The result unions of the seat operations: their errors in the order they are checked.
export const lockSeatErrors = errorsOf('lockSeat');
export const lockSeatsErrors = errorsOf('lockSeats');
export const lockBestAvailableErrors = errorsOf('lockBestAvailable');
export const confirmSeatErrors = errorsOf('confirmSeat');
export const confirmHoldErrors = errorsOf('confirmHold');
export const releaseSeatErrors = errorsOf('releaseSeat');
export const releaseHoldErrors = errorsOf('releaseHold');
export const extendHoldErrors = errorsOf('extendHold');
export const blockSeatsErrors = errorsOf('blockSeats');
export const unblockSeatsErrors = errorsOf('unblockSeats');
export const lockAreaPlacesErrors = errorsOf('lockAreaPlaces');
export const setAreaBlockedErrors = errorsOf('setAreaBlocked');

export const createEventErrors = [InvalidLayoutError, EventExistsError] as const;

export const updateEventErrors = [EventNotFoundError, InvalidLayoutError] as const;

export const removeEventErrors = [EventNotFoundError, EventNotRemovableError] as const;

export const cancelBookingErrors = [BookingNotFoundError] as const;

export const configureWaitingRoomErrors = [EventNotFoundError, InvalidWaitingRoomError] as const;

export const joinQueueErrors = [EventNotFoundError] as const;

export const createWebhookErrors = [InvalidWebhookUrlError] as const;

export const webhookNotFoundErrors = [WebhookNotFoundError] as const;
