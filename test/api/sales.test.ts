import { describe, expect, it } from 'vitest';
import {
  AdminAccessDocument,
  BlockSeatsDocument,
  CancelBookingDocument,
  ConfirmHoldDocument,
  EventSalesDocument,
  LockSeatsDocument,
  OrderBookingsDocument,
} from '../../operations/generated/graphql.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { inProcessApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';

const ADMIN_TOKEN = 'sales-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Premium €60 row A, standard €35.50 row B, and row C with no category at all. */
const events = parseEventLayouts({
  events: ['hall', 'annex'].map((id) => ({
    id,
    name: id,
    categories: [
      { key: 'premium', label: 'Premium', color: '#6a1b9a', price: { amount: '60', currencyCode: 'EUR' } },
      { key: 'standard', label: 'Standard', color: '#00838f', price: { amount: '35.50', currencyCode: 'EUR' } },
    ],
    sections: [
      {
        name: 'Stalls',
        rows: [
          { row: 'A', seats: 4, category: 'premium' },
          { row: 'B', seats: 4, category: 'standard' },
          { row: 'C', seats: 2 },
        ],
      },
    ],
  })),
});

describe.each(storeKinds)('sales at a glance ($name store)', ({ config }) => {
  const setup = (clock = new ManualClock(Date.parse('2026-12-04T19:00:30.000Z'))) => {
    const { client } = inProcessApp({ ...config(), adminToken: ADMIN_TOKEN }, { events, clock });
    return { buyer: client, operator: client.withHeaders(admin), clock };
  };
  const book = async (buyer: ReturnType<typeof setup>['buyer'], eventId: string, seatIds: string[], orderId?: string) => {
    const hold = expectType((await buyer.data(LockSeatsDocument, { eventId, seatIds })).lockSeats, 'Hold');
    return expectType((await buyer.data(ConfirmHoldDocument, { holdToken: hold.token, orderId })).confirmHold, 'Booking');
  };

  it('counts seats by category and status, with revenue from booked seats × their prices', async () => {
    const { buyer, operator } = setup();
    await book(buyer, 'hall', ['A-1', 'A-2', 'B-1', 'C-1']);
    expectType((await buyer.data(LockSeatsDocument, { eventId: 'hall', seatIds: ['A-3', 'B-2'] })).lockSeats, 'Hold');
    expectType((await operator.data(BlockSeatsDocument, { eventId: 'hall', seatIds: ['B-4', 'C-2'] })).blockSeats, 'SeatBlock');
    const cancelled = await book(buyer, 'hall', ['B-3']);
    expectType((await operator.data(CancelBookingDocument, { bookingId: cancelled.id })).cancelBooking, 'Booking');

    const sales = (await operator.data(EventSalesDocument, { id: 'hall' })).event?.sales;
    expect(sales?.categories).toEqual([
      { category: { key: 'premium' }, available: 1, locked: 1, booked: 2, blocked: 0, revenue: { amount: '120.00', currencyCode: 'EUR' } },
      { category: { key: 'standard' }, available: 1, locked: 1, booked: 1, blocked: 1, revenue: { amount: '35.50', currencyCode: 'EUR' } },
      { category: null, available: 0, locked: 0, booked: 1, blocked: 1, revenue: null },
    ]);
    expect(sales?.revenue).toEqual({ amount: '155.50', currencyCode: 'EUR' });
  });

  it('counts bookings per minute up to the clock’s now, empty minutes included', async () => {
    const { buyer, operator, clock } = setup();
    await book(buyer, 'hall', ['A-1']);
    await book(buyer, 'hall', ['A-2', 'A-3']);
    clock.advance(60_000);
    await book(buyer, 'hall', ['B-1']);
    clock.advance(120_000);
    const minutes = (await operator.data(EventSalesDocument, { id: 'hall', minutes: 4 })).event?.sales.bookingsPerMinute;
    expect(minutes).toEqual([
      { startsAt: '2026-12-04T19:00:00.000Z', bookings: 2, seats: 3 },
      { startsAt: '2026-12-04T19:01:00.000Z', bookings: 1, seats: 1 },
      { startsAt: '2026-12-04T19:02:00.000Z', bookings: 0, seats: 0 },
      { startsAt: '2026-12-04T19:03:00.000Z', bookings: 0, seats: 0 },
    ]);
    const refused = await operator.execute(EventSalesDocument, { id: 'hall', minutes: 0 });
    expect(refused.errors).toEqual([expect.objectContaining({ message: 'minutes must be from 1 to 1440 (got 0).', extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('keeps sales, the token check and order lookups to the admin token', async () => {
    const { buyer, operator } = setup();
    expect((await operator.data(AdminAccessDocument, {})).adminAccess).toBe(true);
    for (const client of [buyer, buyer.withHeaders({ authorization: 'Bearer not-the-token-0123456789abcdefghijkl' })]) {
      for (const result of [
        await client.execute(AdminAccessDocument, {}),
        await client.execute(EventSalesDocument, { id: 'hall' }),
        await client.execute(OrderBookingsDocument, { orderId: 'o-1' }),
      ]) {
        expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('finds an order’s bookings across events, event by event', async () => {
    const { buyer, operator } = setup();
    const inHall = await book(buyer, 'hall', ['A-1'], 'order-42');
    await book(buyer, 'hall', ['A-2'], 'order-7');
    const inAnnex = await book(buyer, 'annex', ['B-2', 'B-3'], 'order-42');
    const found = (await operator.data(OrderBookingsDocument, { orderId: 'order-42' })).bookings;
    expect(found.map((booking) => booking.id)).toEqual([inHall.id, inAnnex.id]);
    expect((await operator.data(OrderBookingsDocument, { orderId: 'order-none' })).bookings).toEqual([]);
  });
});
