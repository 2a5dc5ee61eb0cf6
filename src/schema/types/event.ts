import type { EventSummary, SeatCounts } from '../../domain/model.js';
import { builder } from '../builder.js';
import { orEventNotFound } from '../not-found.js';
import { SeatRef, SeatStatusEnum } from './seat.js';

const SeatCountsRef = builder.objectRef<SeatCounts>('SeatCounts').implement({
  description: 'How many seats of the event have each status.',
  fields: (t) => ({
    available: t.exposeInt('available'),
    locked: t.exposeInt('locked'),
    booked: t.exposeInt('booked'),
    total: t.exposeInt('total'),
  }),
});

export const EventRef = builder.objectRef<EventSummary>('Event').implement({
  description: 'Something to sell seats for: a show, a concert, a match.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    version: t.exposeInt('version', {
      description:
        'Rises by 1 with every seat change. Seats read with it are at least this new, so a client ' +
        'can drop seatChanged events up to this version and spot a gap by a jump.',
    }),
    counts: t.expose('counts', { type: SeatCountsRef }),
    seats: t.field({
      type: [SeatRef],
      args: { status: t.arg({ type: SeatStatusEnum }) },
      resolve: (event, { status }, { store }) => orEventNotFound(store.listSeats(event.id, status)),
    }),
  }),
});

builder.queryFields((t) => ({
  events: t.field({
    type: [EventRef],
    resolve: (_root, _args, { store }) => store.listEvents(),
  }),
  event: t.field({
    type: EventRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { store }) => store.getEvent(id),
  }),
}));
