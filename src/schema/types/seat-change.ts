import { filter, pipe } from 'graphql-yoga';
import type { SeatChange } from '../../domain/model.js';
import { builder } from '../builder.js';
import { eventNotFound } from '../not-found.js';
import { SeatRef, SeatStatusEnum } from './seat.js';

const SeatChangeReasonEnum = builder.enumType('SeatChangeReason', {
  values: {
    LOCKED: { description: 'A hold locked the seat.' },
    RELEASED: { description: 'Its hold gave the seat back.' },
    EXPIRED: { description: 'Its hold expired.' },
    BOOKED: { description: 'Its hold was confirmed.' },
    BLOCKED: { description: 'The box office took the seat off sale.' },
    UNBLOCKED: { description: 'The box office put the seat back on sale.' },
    CANCELLED: { description: 'Its booking was cancelled; the seat is on sale again.' },
  } as const,
});

const SeatChangeRef = builder.objectRef<SeatChange>('SeatChange').implement({
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    seat: t.expose('seat', { type: SeatRef, description: 'The seat right after the change.' }),
    previousStatus: t.expose('previousStatus', { type: SeatStatusEnum }),
    reason: t.expose('reason', { type: SeatChangeReasonEnum }),
    version: t.exposeInt('version', { description: 'The event version this change produced.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('seatChanged', (t) =>
  t.field({
    type: SeatChangeRef,
    description:
      'Every change of the event’s seats (or of seatIds only), in version order. ' +
      'Unknown event: error EVENT_NOT_FOUND.',
    args: {
      eventId: t.arg.id({ required: true }),
      seatIds: t.arg.idList(),
    },
    subscribe: async (_root, { eventId, seatIds }, { store, pubsub }) => {
      if (!(await store.getEvent(eventId))) throw eventNotFound(eventId);
      const changes = pubsub.subscribe('seatChanged', eventId);
      if (seatIds == null) return changes;
      const wanted = new Set(seatIds);
      return pipe(changes, filter((change) => wanted.has(change.seat.id)));
    },
    resolve: (change) => change,
  }),
);
