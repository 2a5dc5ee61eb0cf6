import type { Seat } from '../../domain/model.js';
import { builder } from '../builder.js';
import { CategoryRef } from './category.js';
import { orEventNotFound } from '../not-found.js';

export const SeatStatusEnum = builder.enumType('SeatStatus', {
  values: {
    AVAILABLE: { description: 'Free to lock.' },
    LOCKED: { description: 'Held by a buyer until lockExpiresAt.' },
    BOOKED: { description: 'Sold.' },
    BLOCKED: { description: 'Kept off sale by the box office (house seats, broken seats, camera positions).' },
  } as const,
});

export const SeatRef = builder.objectRef<Seat>('Seat').implement({
  description: 'A seat of an event and its state at the moment it was read.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique within its event, e.g. "A-7".' }),
    eventId: t.exposeID('eventId'),
    label: t.exposeString('label', { description: 'What to print on the seat map, e.g. "A7".' }),
    section: t.exposeString('section', { nullable: true }),
    row: t.exposeString('row', { nullable: true }),
    number: t.exposeInt('number', { nullable: true }),
    status: t.expose('status', { type: SeatStatusEnum }),
    lockExpiresAt: t.expose('lockExpiresAt', { type: 'DateTime', nullable: true }),
    category: t.expose('category', { type: CategoryRef, nullable: true, description: 'Its price band; null when the event has none for it.' }),
    accessible: t.boolean({ description: 'A wheelchair space.', resolve: (seat) => seat.accessible === true }),
    companion: t.boolean({ description: 'A seat for the companion of someone in a wheelchair space.', resolve: (seat) => seat.companion === true }),
    restrictedView: t.boolean({ resolve: (seat) => seat.restrictedView === true }),
    x: t.float({
      description: 'Where to draw it, in seat widths from the venue’s left edge (rows are centred; an aisle is a gap of 1).',
      resolve: (seat) => seat.x ?? 0,
    }),
    y: t.float({
      description: 'Where to draw it, in seat widths from the stage down (rows 1 apart, sections 1.5 apart).',
      resolve: (seat) => seat.y ?? 0,
    }),
  }),
});

builder.queryField('seats', (t) =>
  t.field({
    type: [SeatRef],
    description: 'Seats of an event, optionally only those of one status. Unknown event: error EVENT_NOT_FOUND.',
    args: {
      eventId: t.arg.id({ required: true }),
      status: t.arg({ type: SeatStatusEnum }),
    },
    resolve: (_root, { eventId, status }, { store }) => orEventNotFound(store.listSeats(eventId, status)),
  }),
);
