import type { SeatBlock } from '../../domain/model.js';
import { builder } from '../builder.js';
import { blockSeatsErrors, errorOrderNote, unblockSeatsErrors } from './errors.js';
import { SeatRef } from './seat.js';

export const SeatBlockRef = builder.objectRef<SeatBlock>('SeatBlock').implement({
  description: 'The seats an admin blocked or unblocked, each as it is after the call.',
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    seats: t.expose('seats', { type: [SeatRef] }),
  }),
});

builder.mutationFields((t) => ({
  blockSeats: t.field({
    type: SeatBlockRef,
    description:
      'Admin. Takes AVAILABLE seats off sale (BLOCKED): house seats, broken seats, camera positions. All or nothing: ' +
      'a LOCKED or BOOKED seat answers SeatUnavailableError. Seats already BLOCKED stay so.' +
      errorOrderNote('blockSeats'),
    authScopes: { admin: true },
    errors: { types: [...blockSeatsErrors], union: { name: 'BlockSeatsResult' } },
    args: { eventId: t.arg.id({ required: true }), seatIds: t.arg.idList({ required: true }) },
    resolve: async (_root, args, { store, audit }) => {
      const block = await store.blockSeats(args);
      audit('blockSeats', { eventId: args.eventId, seatIds: args.seatIds });
      return block;
    },
  }),
  unblockSeats: t.field({
    type: SeatBlockRef,
    description: `Admin. Puts BLOCKED seats back on sale; seats that are not BLOCKED are left as they are.${errorOrderNote('unblockSeats')}`,
    authScopes: { admin: true },
    errors: { types: [...unblockSeatsErrors], union: { name: 'UnblockSeatsResult' } },
    args: { eventId: t.arg.id({ required: true }), seatIds: t.arg.idList({ required: true }) },
    resolve: async (_root, args, { store, audit }) => {
      const block = await store.unblockSeats(args);
      audit('unblockSeats', { eventId: args.eventId, seatIds: args.seatIds });
      return block;
    },
  }),
}));
