import { GraphQLError } from 'graphql';
import { EventNotFoundError } from '../../domain/errors.js';
import type { Booking } from '../../domain/model.js';
import { builder } from '../builder.js';
import { orEventNotFound } from '../not-found.js';
import { cancelBookingErrors, confirmHoldErrors, confirmSeatErrors, errorOrderNote } from './errors.js';
import { SeatRef } from './seat.js';
import { AreaPlacesRef } from './area.js';

export const BookingStatusEnum = builder.enumType('BookingStatus', {
  values: {
    CONFIRMED: { description: 'The seats are sold to this booking.' },
    CANCELLED: { description: 'Cancelled by the box office; its seats were given back.' },
  } as const,
});

export const BookingRef = builder.objectRef<Booking>('Booking').implement({
  description: 'Booked seats and places: the confirmed result of a hold. Kept for good.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "Unguessable: the buyer's receipt, enough to read the booking back with booking(id)." }),
    eventId: t.exposeID('eventId'),
    status: t.expose('status', { type: BookingStatusEnum }),
    orderId: t.exposeString('orderId', {
      nullable: true,
      description: "The host application's order or payment reference, as the first confirm gave it.",
    }),
    seats: t.expose('seats', {
      type: [SeatRef],
      description:
        'Its seats as this booking holds them: BOOKED while it is CONFIRMED, AVAILABLE (given back) once CANCELLED, whatever became ' +
        'of them since. A record, not a live view: the seats as they are now are read from seats or event.',
    }),
    areaPlaces: t.expose('areaPlaces', {
      type: [AreaPlacesRef],
      description: 'Its places of general admission areas, by area in layout order (given back once CANCELLED; each area with its counts now).',
    }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime' }),
  }),
});

const orderIdDescription = 'Your order or payment reference (1 to 200 characters), kept on the Booking.';

builder.queryField('booking', (t) =>
  t.field({
    type: BookingRef,
    nullable: true,
    description: 'A booking by its id (the id is the receipt; no token needed); null if no booking has it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { store }) => store.getBooking(id),
  }),
);

builder.queryField('bookings', (t) =>
  t.field({
    type: [BookingRef],
    description:
      "Admin. The bookings of an event, oldest first; with orderId, only that order's (for the host " +
      "application's back end and the box office). Without eventId, orderId is required: that order's " +
      'bookings in every event, event by event. Unknown event: error EVENT_NOT_FOUND.',
    authScopes: { admin: true },
    args: { eventId: t.arg.id(), orderId: t.arg.string() },
    resolve: async (_root, { eventId, orderId }, { store }) => {
      if (eventId != null) return orEventNotFound(store.listBookings(eventId, orderId));
      if (orderId == null) {
        throw new GraphQLError('bookings needs an eventId, an orderId or both.', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const found: Booking[] = [];
      for (const event of await store.listEvents()) {
        // An event removed since the listing has no bookings to find.
        found.push(
          ...(await store.listBookings(event.id, orderId).catch((error: unknown) => (error instanceof EventNotFoundError ? [] : Promise.reject(error)))),
        );
      }
      return found;
    },
  }),
);

builder.mutationFields((t) => ({
  cancelBooking: t.field({
    type: BookingRef,
    description: 'Admin. The booking becomes CANCELLED and its seats and places available again. A retry answers the same Booking.',
    authScopes: { admin: true },
    errors: { types: [...cancelBookingErrors], union: { name: 'CancelBookingResult' } },
    args: { bookingId: t.arg.id({ required: true }) },
    resolve: async (_root, { bookingId }, { store, audit }) => {
      const booking = await store.cancelBooking(bookingId);
      audit('cancelBooking', { bookingId, eventId: booking.eventId, orderId: booking.orderId, seatIds: booking.seats.map((seat) => seat.id) });
      return booking;
    },
  }),
  confirmSeat: t.field({
    type: BookingRef,
    description: `Books one seat of the hold. A retry returns the Booking that already holds the seat.${errorOrderNote('confirmSeat')}`,
    errors: { types: [...confirmSeatErrors], union: { name: 'ConfirmSeatResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      seatId: t.arg.id({ required: true }),
      holdToken: t.arg.string({ required: true }),
      orderId: t.arg.string({ description: orderIdDescription }),
    },
    resolve: (_root, args, { store }) => store.confirmSeat(args),
  }),
  confirmHold: t.field({
    type: BookingRef,
    description: `Books every seat and place still locked in the hold as one Booking. A retry returns the same Booking.${errorOrderNote('confirmHold')}`,
    errors: { types: [...confirmHoldErrors], union: { name: 'ConfirmHoldResult' } },
    args: {
      holdToken: t.arg.string({ required: true }),
      orderId: t.arg.string({ description: orderIdDescription }),
    },
    resolve: (_root, args, { store }) => store.confirmHold(args),
  }),
}));
