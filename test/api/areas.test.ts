import { describe, expect, it, vi } from 'vitest';
import {
  AreaChangedDocument,
  BookingByIdDocument,
  CancelBookingDocument,
  ConfirmHoldDocument,
  CreateEventDocument,
  EventAreasDocument,
  EventSalesDocument,
  HoldByTokenDocument,
  LockAreaPlacesDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  SeatChangedAfterDocument,
  SetAreaBlockedDocument,
} from '../../operations/generated/graphql.js';
import type { Config } from '../../src/config.js';
import { inProcessApp, listeningApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { festivalDocument, festivalEvents } from '../support/events.js';
import type { GraphQLHttpClient } from '../support/graphql-client.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';
import { Recorder } from '../support/subscriptions.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function areasOf(client: GraphQLHttpClient) {
  const { event } = await client.data(EventAreasDocument, { id: 'festival' });
  if (!event) throw new Error('no festival');
  return { version: event.version, areas: Object.fromEntries(event.areas.map((area) => [area.id, area])) };
}

const counts = (area: { available: number; locked: number; booked: number; blocked: number } | undefined) =>
  area && { available: area.available, locked: area.locked, booked: area.booked, blocked: area.blocked };

describe.each(storeKinds)('general admission areas over GraphQL ($name store)', ({ config }) => {
  const setup = (overrides: Partial<Config> = {}, clock?: ManualClock) =>
    inProcessApp({ adminToken: ADMIN_TOKEN, ...config(), ...overrides }, { events: festivalEvents(), ...(clock ? { clock } : {}) }).client;

  it('lists the areas of the layout in order, with their place in the house and their counts', async () => {
    const { areas } = await areasOf(setup());
    expect(Object.keys(areas)).toEqual(['floor', 'lawn']);
    expect(areas.floor).toMatchObject({
      name: 'Standing floor',
      capacity: 100,
      available: 100,
      locked: 0,
      booked: 0,
      blocked: 0,
      category: { key: 'standing' },
    });
    expect(areas.lawn).toMatchObject({ capacity: 10, available: 10, category: null });
    // The floor is drawn first, the balcony row below it, the lawn below that, as wide as the row.
    expect(areas.floor).toMatchObject({ x: 0, y: 0, width: 4, height: 3 });
    expect(areas.lawn?.y).toBeGreaterThan((areas.floor?.y ?? 0) + (areas.floor?.height ?? 0) + 1);
  });

  it('locks places into a hold, adding on every call; one change and one version per call', async () => {
    const client = setup();
    const before = await areasOf(client);
    const first = expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 3 })).lockAreaPlaces, 'Hold');
    expect(first.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([['floor', 3]]);
    expect(first.seats).toEqual([]);
    expect(first.total).toEqual({ amount: '90.00', currencyCode: 'EUR' });
    const again = await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 2, holdToken: first.token });
    const hold = expectType(again.lockAreaPlaces, 'Hold');
    expect(hold.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([['floor', 5]]);
    const after = await areasOf(client);
    expect(after.version).toBe(before.version + 2);
    expect(counts(after.areas.floor)).toEqual({ available: 95, locked: 5, booked: 0, blocked: 0 });
  });

  it('answers typed errors in the one order, and changes nothing', async () => {
    const client = setup({ maxSeatsPerHold: 6 });
    const lock = async (variables: { areaId: string; quantity: number; holdToken?: string; eventId?: string }) =>
      (await client.data(LockAreaPlacesDocument, { eventId: 'festival', ...variables })).lockAreaPlaces;
    expect(await lock({ eventId: 'nope', areaId: 'floor', quantity: 1 })).toMatchObject({ __typename: 'EventNotFoundError' });
    expect(await lock({ areaId: 'nope', quantity: 0 })).toMatchObject({ __typename: 'InvalidSeatSelectionError' });
    expect(await lock({ areaId: 'nope', quantity: 7 })).toMatchObject({ __typename: 'HoldLimitError', maxSeats: 6, requestedSeats: 7 });
    expect(await lock({ areaId: 'nope', quantity: 1 })).toMatchObject({ __typename: 'AreaNotFoundError', areaId: 'nope' });
    expect(await lock({ areaId: 'lawn', quantity: 1, holdToken: 'festival.nope' })).toMatchObject({ __typename: 'HoldNotFoundError' });
    const seats = expectType((await client.data(LockSeatsDocument, { eventId: 'festival', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    // Places count with the hold's seats towards MAX_SEATS_PER_HOLD.
    expect(await lock({ areaId: 'lawn', quantity: 5, holdToken: seats.token })).toMatchObject({ __typename: 'HoldLimitError', requestedSeats: 7 });
    const six = expectType(await lock({ areaId: 'lawn', quantity: 6 }), 'Hold');
    expect(await lock({ areaId: 'lawn', quantity: 5 })).toMatchObject({ __typename: 'NotEnoughPlacesError', areaId: 'lawn', requested: 5, available: 4 });
    expect(counts((await areasOf(client)).areas.lawn)).toEqual({ available: 4, locked: 6, booked: 0, blocked: 0 });
    expect(six.areaPlaces[0]?.area.available).toBe(4);
  });

  it('counts places against the per-client cap like seats', async () => {
    const client = setup({ maxSeatsPerClient: 5 });
    expectType((await client.data(LockSeatsDocument, { eventId: 'festival', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    const refused = (await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 4 })).lockAreaPlaces;
    expect(refused).toMatchObject({ __typename: 'ClientSeatLimitError', maxSeats: 5, requestedSeats: 6 });
    expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 3 })).lockAreaPlaces, 'Hold');
  });

  it('confirms a hold of seats and places into one booking, cancels it, and gives everything back', async () => {
    const client = setup();
    const seats = expectType((await client.data(LockSeatsDocument, { eventId: 'festival', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    const mixed = expectType(
      (await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 2, holdToken: seats.token })).lockAreaPlaces,
      'Hold',
    );
    expectType(
      (await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 3, holdToken: seats.token })).lockAreaPlaces,
      'Hold',
    );
    expect(mixed.total).toBeNull();
    const booking = expectType((await client.data(ConfirmHoldDocument, { holdToken: seats.token, orderId: 'order-7' })).confirmHold, 'Booking');
    expect(booking.seats.map((seat) => seat.id)).toEqual(['A-1', 'A-2']);
    expect(booking.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([
      ['floor', 3],
      ['lawn', 2],
    ]);
    const held = await client.data(HoldByTokenDocument, { token: seats.token });
    expect(held.hold?.status).toBe('CONFIRMED');
    expect(held.hold?.areaPlaces.map((places) => places.quantity)).toEqual([3, 2]);
    expect(counts((await areasOf(client)).areas.floor)).toEqual({ available: 97, locked: 0, booked: 3, blocked: 0 });
    const retried = expectType((await client.data(ConfirmHoldDocument, { holdToken: seats.token })).confirmHold, 'Booking');
    expect(retried.id).toBe(booking.id);

    const cancelled = expectType((await client.withHeaders(admin).data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    expect(cancelled.status).toBe('CANCELLED');
    const { areas } = await areasOf(client);
    expect(counts(areas.floor)).toEqual({ available: 100, locked: 0, booked: 0, blocked: 0 });
    expect(counts(areas.lawn)).toEqual({ available: 10, locked: 0, booked: 0, blocked: 0 });
    const read = await client.data(BookingByIdDocument, { id: booking.id });
    expect(read.booking?.areaPlaces.map((places) => places.quantity)).toEqual([3, 2]);
  });

  it('confirms a hold of places alone; releasing a hold gives its places back', async () => {
    const client = setup();
    const places = expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 4 })).lockAreaPlaces, 'Hold');
    const booking = expectType((await client.data(ConfirmHoldDocument, { holdToken: places.token })).confirmHold, 'Booking');
    expect(booking.seats).toEqual([]);
    expect(booking.areaPlaces).toEqual([expect.objectContaining({ quantity: 4 })]);

    const other = expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 6 })).lockAreaPlaces, 'Hold');
    const released = expectType((await client.data(ReleaseHoldDocument, { holdToken: other.token })).releaseHold, 'SeatRelease');
    expect(released.areaPlaces.map((entry) => [entry.area.id, entry.quantity, entry.area.locked])).toEqual([['floor', 6, 0]]);
    expect(counts((await areasOf(client)).areas.floor)).toEqual({ available: 96, locked: 0, booked: 4, blocked: 0 });
    const again = expectType((await client.data(ReleaseHoldDocument, { holdToken: other.token })).releaseHold, 'SeatRelease');
    expect(again.areaPlaces).toEqual([]);
  });

  it('gives the places of an expired hold back, at its expiresAt', async () => {
    const clock = new ManualClock(Date.now());
    const client = setup({}, clock);
    const hold = expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 7 })).lockAreaPlaces, 'Hold');
    clock.advance(59_999);
    expect(counts((await areasOf(client)).areas.lawn)).toMatchObject({ locked: 7 });
    clock.advance(1);
    expect(counts((await areasOf(client)).areas.lawn)).toEqual({ available: 10, locked: 0, booked: 0, blocked: 0 });
    const expired = await client.data(HoldByTokenDocument, { token: hold.token });
    expect(expired.hold).toMatchObject({ status: 'EXPIRED', areaPlaces: [] });
    expect((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold).toMatchObject({ __typename: 'HoldExpiredError' });
  });

  it('lets the box office hold places back and put them on sale again (admin only)', async () => {
    const client = setup();
    expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 4 })).lockAreaPlaces, 'Hold');
    const anonymous = await client.execute(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 2 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const blocked = expectType(
      (await client.withHeaders(admin).data(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 5 })).setAreaBlocked,
      'Area',
    );
    expect(counts(blocked)).toEqual({ available: 1, locked: 4, booked: 0, blocked: 5 });
    const { version } = await areasOf(client);
    expectType((await client.withHeaders(admin).data(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 5 })).setAreaBlocked, 'Area');
    expect((await areasOf(client)).version).toBe(version);
    const tooMany = (await client.withHeaders(admin).data(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 7 })).setAreaBlocked;
    expect(tooMany).toMatchObject({ __typename: 'NotEnoughPlacesError', requested: 2, available: 1 });
    const outside = (await client.withHeaders(admin).data(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 11 })).setAreaBlocked;
    expect(outside).toMatchObject({ __typename: 'InvalidSeatSelectionError' });
    expect((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 2 })).lockAreaPlaces).toMatchObject({
      __typename: 'NotEnoughPlacesError',
      available: 1,
    });
    const unblocked = expectType(
      (await client.withHeaders(admin).data(SetAreaBlockedDocument, { eventId: 'festival', areaId: 'lawn', blocked: 0 })).setAreaBlocked,
      'Area',
    );
    expect(counts(unblocked)).toEqual({ available: 6, locked: 4, booked: 0, blocked: 0 });
  });

  it('counts places in the sales report by their area’s category, with their revenue', async () => {
    const client = setup();
    const hold = expectType((await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 3 })).lockAreaPlaces, 'Hold');
    await client.data(LockSeatsDocument, { eventId: 'festival', seatIds: ['A-1'], holdToken: hold.token });
    await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 2 });
    expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    const { event } = await client.withHeaders(admin).data(EventSalesDocument, { id: 'festival', minutes: 1 });
    const byKey = Object.fromEntries((event?.sales.categories ?? []).map((entry) => [entry.category?.key ?? 'none', entry]));
    expect(byKey.standing).toMatchObject({ available: 97, locked: 0, booked: 3, blocked: 0, revenue: { amount: '90.00' } });
    expect(byKey.seated).toMatchObject({ available: 3, booked: 1, revenue: { amount: '55.00' } });
    expect(byKey.none).toMatchObject({ available: 8, locked: 2, booked: 0, revenue: null });
    expect(event?.sales.revenue).toEqual({ amount: '145.00', currencyCode: 'EUR' });
    expect(event?.sales.bookingsPerMinute.at(-1)).toMatchObject({ bookings: 1, seats: 4 });
  });

  it('takes areas in createEvent and refuses bad ones naming the entry', async () => {
    const client = setup();
    const made = await client.withHeaders(admin).data(CreateEventDocument, { input: { ...festivalDocument, id: 'open-air' } });
    expectType(made.createEvent, 'Event');
    const bad = async (section: Record<string, unknown>) =>
      (await client.withHeaders(admin).data(CreateEventDocument, { input: { id: 'bad', name: 'Bad', sections: [section] } })).createEvent;
    expect(await bad({ id: 'pit', name: 'Pit', generalAdmission: { capacity: 0 } })).toMatchObject({
      __typename: 'InvalidLayoutError',
      message: expect.stringContaining('input.sections[0].generalAdmission.capacity must be a whole number from 1'),
    });
    expect(await bad({ id: 'Pit!', name: 'Pit', generalAdmission: { capacity: 5 } })).toMatchObject({
      message: expect.stringContaining('input.sections[0].id'),
    });
    expect(await bad({ id: 'pit', name: 'Pit', generalAdmission: { capacity: 5 }, rows: [] })).toMatchObject({
      message: expect.stringContaining('unknown key "rows"'),
    });
    expect(await bad({ id: 'pit', name: 'Pit', generalAdmission: { capacity: 5 }, category: 'vip' })).toMatchObject({ __typename: 'InvalidLayoutError' });
  });

  it('never sells more places than the area has: 300 concurrent locks of one place on 100', async () => {
    const client = setup({ maxSeatsPerClient: 0 });
    const answers = await Promise.all(
      Array.from(
        { length: 300 },
        async () => (await client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 1 })).lockAreaPlaces,
      ),
    );
    const kinds = answers.map((answer) => answer.__typename);
    expect(kinds.filter((kind) => kind === 'Hold')).toHaveLength(100);
    expect(kinds.filter((kind) => kind === 'NotEnoughPlacesError')).toHaveLength(200);
    expect(counts((await areasOf(client)).areas.floor)).toEqual({ available: 0, locked: 100, booked: 0, blocked: 0 });
  });

  it('gives seat and area changes one version counter: merged, a resumed client sees every version once', async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN, ...config() }, { events: festivalEvents() });
    const { version: left } = await areasOf(server.client);
    const hold = expectType((await server.client.data(LockSeatsDocument, { eventId: 'festival', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 5, holdToken: hold.token });
    await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 1, holdToken: hold.token });
    await server.client.data(ConfirmHoldDocument, { holdToken: hold.token });
    // 2 seat locks, 2 area locks; confirming books 2 seats and 2 areas: 8 versions.
    const ws = server.wsClient();
    const seatChanges = new Recorder(ws, SeatChangedAfterDocument, { eventId: 'festival', afterVersion: left });
    const areaChanges = new Recorder(ws, AreaChangedDocument, { eventId: 'festival', afterVersion: left });
    await vi.waitFor(() => expect(seatChanges.results.length + areaChanges.results.length).toBe(8), { timeout: 10_000, interval: 20 });
    const areaVersions = areaChanges.data.map(({ areaChanged }) => areaChanged.version);
    const seatVersions = seatChanges.data.map(({ seatChanged }) => seatChanged.version);
    expect([...areaVersions, ...seatVersions].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, index) => left + 1 + index));
    expect(areaChanges.data.map(({ areaChanged }) => [areaChanged.reason, areaChanged.area.id, areaChanged.quantity])).toEqual([
      ['LOCKED', 'floor', 5],
      ['LOCKED', 'lawn', 1],
      ['BOOKED', 'floor', 5],
      ['BOOKED', 'lawn', 1],
    ]);
    expect(areaChanges.data[2]?.areaChanged.area).toMatchObject({ available: 95, locked: 0, booked: 5 });

    // Live: one more change of each kind arrives on its own subscription.
    const next = expectType((await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 2 })).lockAreaPlaces, 'Hold');
    await server.client.data(ReleaseHoldDocument, { holdToken: next.token });
    await vi.waitFor(() => expect(areaChanges.results).toHaveLength(6), { timeout: 10_000, interval: 20 });
    expect(areaChanges.data.slice(4).map(({ areaChanged }) => [areaChanged.reason, areaChanged.version])).toEqual([
      ['LOCKED', left + 9],
      ['RELEASED', left + 10],
    ]);
    expect(seatChanges.results).toHaveLength(4);
    await seatChanges.stop();
    await areaChanges.stop();
  });
});
