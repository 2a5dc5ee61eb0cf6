import { centsOf, moneyOf } from '../domain/money.js';
import type { Area, Booking, Category, Money, Seat, SeatStatus } from '../domain/model.js';

/** An event's seats (and places of areas) of one price category by status, and what those booked bring in. */
export interface CategorySales {
  /** null: the seats that have no category. */
  readonly category: Category | null;
  readonly available: number;
  readonly locked: number;
  readonly booked: number;
  readonly blocked: number;
  /** Booked seats × the category's price; null when it has no price. */
  readonly revenue: Money | null;
}

/** The bookings made in one minute. */
export interface SalesMinute {
  readonly startsAt: Date;
  readonly bookings: number;
  /** Seats and places booked. */
  readonly seats: number;
}

export const MINUTE_MS = 60_000;

/**
 * The seats and places of an event by category and status, in the layout's category order, then
 * those without a category (if any): a place counts as a seat of its area's category. Read from
 * the seats and areas as the store answers them, so it is the same on every store.
 */
export function salesByCategory(categories: readonly Category[], seats: readonly Seat[], areas: readonly Area[] = []): CategorySales[] {
  const counts = new Map<string | null, Record<SeatStatus, number>>();
  const countsOf = (key: string | null) => {
    let entry = counts.get(key);
    if (entry === undefined) {
      entry = { AVAILABLE: 0, LOCKED: 0, BOOKED: 0, BLOCKED: 0 };
      counts.set(key, entry);
    }
    return entry;
  };
  for (const category of categories) countsOf(category.key);
  for (const seat of seats) countsOf(seat.category?.key ?? null)[seat.status] += 1;
  for (const area of areas) {
    const count = countsOf(area.category?.key ?? null);
    count.AVAILABLE += area.available;
    count.LOCKED += area.locked;
    count.BOOKED += area.booked;
    count.BLOCKED += area.blocked;
  }
  const byKey = new Map(categories.map((category) => [category.key, category]));
  return [...counts].map(([key, count]) => {
    const category = key === null ? null : (byKey.get(key) ?? null);
    const price = category?.price ?? null;
    return {
      category,
      available: count.AVAILABLE,
      locked: count.LOCKED,
      booked: count.BOOKED,
      blocked: count.BLOCKED,
      revenue: price === null ? null : moneyOf(centsOf(price) * count.BOOKED, price.currencyCode),
    };
  });
}

/** The revenue of every priced category together; null when no category has a price. */
export function totalRevenue(sales: readonly CategorySales[]): Money | null {
  const priced = sales.flatMap((entry) => (entry.revenue === null ? [] : [entry.revenue]));
  const [first] = priced;
  if (first === undefined) return null;
  return moneyOf(
    priced.reduce((sum, revenue) => sum + centsOf(revenue), 0),
    first.currencyCode,
  );
}

/**
 * Bookings per minute over the last `minutes` minutes up to `now`, oldest first, empty minutes
 * included (a chart needs them). A booking counts in the minute it was made, cancelled later or
 * not: this is when sales happened.
 */
export function salesPerMinute(bookings: readonly Booking[], now: number, minutes: number): SalesMinute[] {
  const last = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const first = last - (minutes - 1) * MINUTE_MS;
  const buckets = Array.from({ length: minutes }, () => ({ bookings: 0, seats: 0 }));
  for (const booking of bookings) {
    const at = booking.confirmedAt.getTime();
    if (at < first || at >= last + MINUTE_MS) continue;
    const bucket = buckets[Math.floor((at - first) / MINUTE_MS)];
    if (bucket === undefined) continue;
    bucket.bookings += 1;
    bucket.seats += booking.seats.length;
    for (const { quantity } of booking.areaPlaces) bucket.seats += quantity;
  }
  return buckets.map((bucket, index) => ({ startsAt: new Date(first + index * MINUTE_MS), ...bucket }));
}
