import { GraphQLError, valueFromASTUntyped } from 'graphql';
import { InvalidLayoutError } from '../../domain/errors.js';
import type { EventSummary, SeatCounts } from '../../domain/model.js';
import { LayoutError, parseEventLayout, parseEventName } from '../../venue/layout.js';
import { builder } from '../builder.js';
import { orEventNotFound } from '../not-found.js';
import { createEventErrors, removeEventErrors, updateEventErrors } from './errors.js';
import { CategoryRef } from './category.js';
import { AreaRef } from './area.js';
import { SeatRef, SeatStatusEnum } from './seat.js';

const SeatCountsRef = builder.objectRef<SeatCounts>('SeatCounts').implement({
  description: 'How many seats of the event have each status.',
  fields: (t) => ({
    available: t.exposeInt('available'),
    locked: t.exposeInt('locked'),
    booked: t.exposeInt('booked'),
    blocked: t.exposeInt('blocked'),
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
        'Rises by 1 with every seat change and every area change. Seats and areas read with it are at least this new, so a ' +
        'client can drop seatChanged and areaChanged events up to this version and spot a gap by a jump.',
    }),
    counts: t.expose('counts', { type: SeatCountsRef, description: 'Its seats by status (areas carry their own counts).' }),
    areas: t.expose('areas', { type: [AreaRef], description: 'Its general admission areas with their counts, in layout order.' }),
    categories: t.expose('categories', { type: [CategoryRef], description: 'Its price bands, as the layout lists them.' }),
    stage: t.exposeString('stage', { nullable: true, description: 'What the seats face, to draw above the first row (y < 0).' }),
    salesOpen: t.exposeBoolean('salesOpen', {
      description: 'False once the box office closed sales: lockSeats answers SalesClosedError; holds made before can still be confirmed.',
    }),
    seats: t.field({
      type: [SeatRef],
      args: { status: t.arg({ type: SeatStatusEnum }) },
      resolve: (event, { status }, { store }) => orEventNotFound(store.listSeats(event.id, status)),
    }),
  }),
});

/**
 * createEvent's input is one entry of EVENTS_FILE, as JSON: a scalar rather than input types, so
 * that what works in the file works here (a row's seatCategories is a { key: numbers } map, which
 * GraphQL input types cannot express) and a mistake answers the file's InvalidLayoutError naming
 * the entry instead of a coercion error before the resolver runs.
 */
const CreateEventInput = builder.scalarType('CreateEventInput', {
  description:
    'One event exactly as an entry of EVENTS_FILE: { id, name, stage?, categories?, sections: [{ name, seatIdPrefix?, category?, rank?, rows: [{ row, seats, ' +
    'firstNumber?, category?, seatCategories?: { "<key>": [numbers] }, accessible?, companion?, restrictedView?, aisleAfter?, offset?, rank? }] }] }. ' +
    'Checked by the same rules: a mistake answers InvalidLayoutError naming the entry (docs/api.md "Events file").',
  serialize: () => {
    throw new GraphQLError('CreateEventInput is an input only.');
  },
  parseValue: (value) => value,
  parseLiteral: (node, variables) => valueFromASTUntyped(node, variables ?? undefined),
});

builder.mutationField('createEvent', (t) =>
  t.field({
    type: EventRef,
    description: 'Admin. Makes an event with every seat AVAILABLE, served at once (by every instance, on Redis).',
    authScopes: { admin: true },
    errors: { types: [...createEventErrors], union: { name: 'CreateEventResult' } },
    args: { input: t.arg({ type: CreateEventInput, required: true }) },
    resolve: async (_root, { input }, { store, audit, layoutLimits }) => {
      let definition: ReturnType<typeof parseEventLayout>;
      try {
        definition = parseEventLayout(input, 'input', layoutLimits);
      } catch (error) {
        if (error instanceof LayoutError) throw new InvalidLayoutError(error.message);
        throw error;
      }
      const event = await store.createEvent(definition);
      audit('createEvent', { eventId: event.id, eventName: event.name, seats: event.counts.total });
      return event;
    },
  }),
);

const EventRemovalRef = builder.objectRef<EventSummary>('EventRemoval').implement({
  description: 'An event that was removed, as it was: its seats, layout and subscriptions are gone.',
  fields: (t) => ({
    eventId: t.exposeID('id'),
    name: t.exposeString('name'),
  }),
});

builder.mutationFields((t) => ({
  updateEvent: t.field({
    type: EventRef,
    description:
      'Admin. Renames the event (the new name outlives restarts and wins over EVENTS_FILE) and/or opens or closes its sales. ' +
      'A field left out stays as it is.',
    authScopes: { admin: true },
    errors: { types: [...updateEventErrors], union: { name: 'UpdateEventResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      name: t.arg.string({ description: 'Not blank, at most 200 characters.' }),
      salesOpen: t.arg.boolean({ description: 'false: lockSeats answers SalesClosedError; holds made before can still be confirmed.' }),
    },
    resolve: async (_root, { eventId, name, salesOpen }, { store, audit }) => {
      let newName: string | null = null;
      try {
        if (name != null) newName = parseEventName(name, 'name');
      } catch (error) {
        if (error instanceof LayoutError) throw new InvalidLayoutError(error.message);
        throw error;
      }
      const before = await store.getEvent(eventId);
      const event = await store.updateEvent(eventId, { name: newName, salesOpen });
      audit('updateEvent', {
        eventId,
        ...(before && before.name !== event.name ? { eventName: [before.name, event.name] } : {}),
        ...(before && before.salesOpen !== event.salesOpen ? { salesOpen: [before.salesOpen, event.salesOpen] } : {}),
      });
      return event;
    },
  }),
  removeEvent: t.field({
    type: EventRemovalRef,
    description:
      'Admin. Removes an event made by mistake: only one that never had a booking and has no locked seat, and is not in EVENTS_FILE. ' +
      'Its subscriptions end; its id may be used again.',
    authScopes: { admin: true },
    errors: { types: [...removeEventErrors], union: { name: 'RemoveEventResult' } },
    args: { eventId: t.arg.id({ required: true }) },
    resolve: async (_root, { eventId }, { store, audit }) => {
      const removed = await store.removeEvent(eventId);
      audit('removeEvent', { eventId, eventName: removed.name, seats: removed.counts.total });
      return removed;
    },
  }),
}));

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
