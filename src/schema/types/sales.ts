import { GraphQLError } from 'graphql';
import type { EventSummary } from '../../domain/model.js';
import { type CategorySales, type SalesMinute, salesByCategory, salesPerMinute, totalRevenue } from '../../store/sales-report.js';
import { builder } from '../builder.js';
import { orEventNotFound } from '../not-found.js';
import { CategoryRef, MoneyRef } from './category.js';
import { EventRef } from './event.js';

/** At most a day of minutes in one answer. */
const MAX_MINUTES = 1_440;

const CategorySalesRef = builder.objectRef<CategorySales>('CategorySales').implement({
  description: 'The seats and places (of general admission areas) of one price category by status, and what those booked bring in.',
  fields: (t) => ({
    category: t.expose('category', { type: CategoryRef, nullable: true, description: 'null: the seats that have no category.' }),
    available: t.exposeInt('available'),
    locked: t.exposeInt('locked'),
    booked: t.exposeInt('booked'),
    blocked: t.exposeInt('blocked'),
    revenue: t.expose('revenue', { type: MoneyRef, nullable: true, description: 'Booked seats and places × the category’s price; null when it has no price.' }),
  }),
});

const SalesMinuteRef = builder.objectRef<SalesMinute>('SalesMinute').implement({
  description: 'The bookings made in one minute.',
  fields: (t) => ({
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    bookings: t.exposeInt('bookings'),
    seats: t.exposeInt('seats', { description: 'The seats and places of those bookings.' }),
  }),
});

/**
 * The event, and its seats by category read once however many of categories and revenue a query
 * asks for (each reads every seat of the event); not read at all for bookingsPerMinute alone.
 */
interface SalesSource {
  readonly event: EventSummary;
  readonly categories: () => Promise<CategorySales[]>;
}

const EventSalesRef = builder.objectRef<SalesSource>('EventSales').implement({
  description: 'An event’s sales at a glance, as its seats and bookings are now.',
  fields: (t) => ({
    categories: t.field({
      type: [CategorySalesRef],
      description: 'Per price category, in the layout’s order, then the seats without a category (if any).',
      resolve: (sales) => sales.categories(),
    }),
    revenue: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Booked seats × their prices, over every priced category; null when no category has a price.',
      resolve: async (sales) => totalRevenue(await sales.categories()),
    }),
    bookingsPerMinute: t.field({
      type: [SalesMinuteRef],
      description:
        'Bookings per minute over the last `minutes` minutes (1 to 1,440), oldest first, the current minute last, empty minutes included. ' +
        'A booking counts in the minute it was made, cancelled later or not.',
      args: { minutes: t.arg.int({ defaultValue: 60, required: true }) },
      resolve: async ({ event }, { minutes }, { store, clock }) => {
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
          throw new GraphQLError(`minutes must be from 1 to ${MAX_MINUTES} (got ${minutes}).`, { extensions: { code: 'BAD_USER_INPUT' } });
        }
        return salesPerMinute(await orEventNotFound(store.listBookings(event.id)), clock.now(), minutes);
      },
    }),
  }),
});

builder.objectField(EventRef, 'sales', (t) =>
  t.field({
    type: EventSalesRef,
    description: 'Admin. Sold, held, free and not-for-sale seats by price category, revenue, and bookings per minute.',
    authScopes: { admin: true },
    resolve: (event, _args, { store }) => {
      let categories: Promise<CategorySales[]> | null = null;
      return {
        event,
        categories: () => (categories ??= orEventNotFound(store.listSeats(event.id)).then((seats) => salesByCategory(event.categories, seats, event.areas))),
      };
    },
  }),
);
