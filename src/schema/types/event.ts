import { InvalidLayoutError } from '../../domain/errors.js';
import type { EventSummary, SeatCounts } from '../../domain/model.js';
import { LayoutError, parseEventLayout, parseEventName } from '../../venue/layout.js';
import { builder } from '../builder.js';
import { orEventNotFound } from '../not-found.js';
import { createEventErrors, removeEventErrors, updateEventErrors } from './errors.js';
import { CategoryRef } from './category.js';
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
        'Rises by 1 with every seat change. Seats read with it are at least this new, so a client ' +
        'can drop seatChanged events up to this version and spot a gap by a jump.',
    }),
    counts: t.expose('counts', { type: SeatCountsRef }),
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

const MoneyInput = builder.inputType('MoneyInput', {
  fields: (t) => ({
    amount: t.string({ required: true, description: 'A decimal with at most 2 places, e.g. "45.00".' }),
    currencyCode: t.string({ required: true, description: 'ISO 4217, e.g. "EUR"; one currency per event.' }),
  }),
});

const CategoryInput = builder.inputType('CategoryInput', {
  fields: (t) => ({
    key: t.id({ required: true, description: '1 to 32 letters, digits, hyphens or underscores; unique in the event.' }),
    label: t.string({ required: true }),
    color: t.string({ required: true, description: 'Like "#c62828".' }),
    price: t.field({ type: MoneyInput }),
  }),
});

const SeatCategoryInput = builder.inputType('SeatCategoryInput', {
  description: 'Seats of a row in another category than the row’s: EVENTS_FILE’s seatCategories { "<key>": [numbers] }.',
  fields: (t) => ({
    category: t.id({ required: true }),
    seats: t.intList({ required: true }),
  }),
});

const RowInput = builder.inputType('RowInput', {
  description: 'A row of seats numbered from firstNumber: { row: "A", seats: 3 } makes A-1, A-2, A-3.',
  fields: (t) => ({
    row: t.string({ required: true, description: '1 to 8 letters or digits.' }),
    seats: t.int({ required: true, description: '1 to 10,000.' }),
    firstNumber: t.int({ description: 'The number of the first seat; 1 if left out.' }),
    category: t.id({ description: 'Its price category; its section’s if left out.' }),
    seatCategories: t.field({ type: [SeatCategoryInput] }),
    accessible: t.intList({ description: 'Numbers of its wheelchair spaces.' }),
    companion: t.intList({ description: 'Numbers of its companion seats.' }),
    restrictedView: t.intList({ description: 'Numbers of its seats with a restricted view.' }),
    aisleAfter: t.intList({ description: 'Numbers of the seats an aisle runs after.' }),
    offset: t.float({ description: 'Seat widths to move the row right (negative: left) from the centre line.' }),
    rank: t.int({ description: 'Best available takes rows of a lower rank first (1 to 1,000); its section’s if left out.' }),
  }),
});

const SectionInput = builder.inputType('SectionInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    seatIdPrefix: t.string({ description: 'Put before every seat id of the section, so two sections may both have a row A.' }),
    category: t.id({ description: 'The price category of its rows that have none.' }),
    rank: t.int({ description: 'The rank of its rows that have none (1 to 1,000). Rows without any rank come after ranked ones, in layout order.' }),
    rows: t.field({ type: [RowInput], required: true }),
  }),
});

const CreateEventInput = builder.inputType('CreateEventInput', {
  description: 'An event in the shape of one entry of EVENTS_FILE, checked by the same rules.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'A slug: lowercase letters, digits and single hyphens, at most 64.' }),
    name: t.string({ required: true }),
    stage: t.string({ description: 'What the seats face, drawn above the first row, e.g. "Stage".' }),
    categories: t.field({ type: [CategoryInput] }),
    sections: t.field({ type: [SectionInput], required: true }),
  }),
});

/** The input in EVENTS_FILE's shape: a row's seatCategories list becomes its { key: numbers } map. */
function asLayoutEntry(input: {
  sections: readonly { rows: readonly { seatCategories?: readonly { category: string; seats: readonly number[] }[] | null }[] }[];
}): unknown {
  return {
    ...input,
    sections: input.sections.map((section) => ({
      ...section,
      rows: section.rows.map(({ seatCategories, ...row }) =>
        seatCategories == null ? row : { ...row, seatCategories: Object.fromEntries(seatCategories.map(({ category, seats }) => [category, seats])) },
      ),
    })),
  };
}

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
        definition = parseEventLayout(asLayoutEntry(input), 'input', layoutLimits);
      } catch (error) {
        if (error instanceof LayoutError) throw new InvalidLayoutError(error.message);
        throw error;
      }
      const event = await store.createEvent(definition);
      audit('createEvent', { eventId: event.id, name: event.name, seats: event.counts.total });
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
        ...(before && before.name !== event.name ? { name: [before.name, event.name] } : {}),
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
      audit('removeEvent', { eventId, name: removed.name, seats: removed.counts.total });
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
