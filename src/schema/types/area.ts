import type { Area, AreaPlaces } from '../../domain/model.js';
import { builder } from '../builder.js';
import { CategoryRef } from './category.js';
import { errorOrderNote, setAreaBlockedErrors } from './errors.js';

export const AreaRef = builder.objectRef<Area>('Area').implement({
  description: 'A general admission area (a standing floor, a lawn, a pit): places sold by quantity, not by seat.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    capacity: t.exposeInt('capacity'),
    available: t.exposeInt('available', { description: 'Places that can be locked now: the capacity less locked, booked and blocked.' }),
    locked: t.exposeInt('locked'),
    booked: t.exposeInt('booked'),
    blocked: t.exposeInt('blocked', { description: 'Places the box office holds back (setAreaBlocked).' }),
    category: t.expose('category', { type: CategoryRef, nullable: true }),
    x: t.exposeFloat('x', { nullable: true, description: 'Where to draw it, in seat widths like Seat.x: its left edge.' }),
    y: t.exposeFloat('y', { nullable: true, description: 'Its top edge, in rows from the stage like Seat.y.' }),
    width: t.exposeFloat('width', { nullable: true, description: 'In seat widths.' }),
    height: t.exposeFloat('height', { nullable: true, description: 'In rows.' }),
  }),
});

export const AreaPlacesRef = builder.objectRef<AreaPlaces>('AreaPlaces').implement({
  description: 'Places of one area in a hold or a booking.',
  fields: (t) => ({
    area: t.expose('area', { type: AreaRef, description: 'The area, with its counts now.' }),
    quantity: t.exposeInt('quantity'),
  }),
});

builder.mutationField('setAreaBlocked', (t) =>
  t.field({
    type: AreaRef,
    description:
      'Admin. Holds back this many places of the area (off sale: for the crew, guests, a safety margin), whatever were held back ' +
      'before, so a retry changes nothing; 0 puts them all back on sale. Places locked or booked cannot be held back.' +
      errorOrderNote('setAreaBlocked'),
    authScopes: { admin: true },
    errors: { types: [...setAreaBlockedErrors], union: { name: 'SetAreaBlockedResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      areaId: t.arg.id({ required: true }),
      blocked: t.arg.int({ required: true, description: '0 to the area’s capacity.' }),
    },
    resolve: async (_root, args, { store, audit }) => {
      const area = await store.setAreaBlocked(args);
      audit('setAreaBlocked', { eventId: args.eventId, areaId: args.areaId, blocked: args.blocked });
      return area;
    },
  }),
);
