import type { Booking } from '../../domain/model.js';
import { builder } from '../builder.js';
import { confirmHoldErrors, confirmSeatErrors } from './errors.js';
import { SeatRef } from './seat.js';

export const BookingRef = builder.objectRef<Booking>('Booking').implement({
  description: 'Booked seats: the confirmed result of a hold.',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeID('eventId'),
    seats: t.expose('seats', { type: [SeatRef] }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  confirmSeat: t.field({
    type: BookingRef,
    description: 'Books one seat of the hold. A retry returns the Booking that already holds the seat.',
    errors: { types: [...confirmSeatErrors], union: { name: 'ConfirmSeatResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      seatId: t.arg.id({ required: true }),
      holdToken: t.arg.string({ required: true }),
    },
    resolve: (_root, args, { store }) => store.confirmSeat(args),
  }),
  confirmHold: t.field({
    type: BookingRef,
    description: 'Books every seat still locked in the hold as one Booking. A retry returns the same Booking.',
    errors: { types: [...confirmHoldErrors], union: { name: 'ConfirmHoldResult' } },
    args: { holdToken: t.arg.string({ required: true }) },
    resolve: (_root, { holdToken }, { store }) => store.confirmHold(holdToken),
  }),
}));
