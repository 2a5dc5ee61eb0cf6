import { getNamedType, isObjectType, print } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  BlockSeatsDocument,
  BookingByIdDocument,
  BookingsDocument,
  CancelBookingDocument,
  ConfirmHoldDocument,
  CreateEventDocument,
  EventSeatsDocument,
  EventsDocument,
  ExtendHoldDocument,
  HoldByTokenDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  RemoveEventDocument,
  SeatChangedDocument,
  UnblockSeatsDocument,
  UpdateEventDocument,
} from '../../operations/generated/graphql.js';
import type { Config } from '../../src/config.js';
import { schema } from '../../src/schema/index.js';
import { inProcessApp, listeningApp, wsClientFor } from '../support/apps.js';
import { spawnServer } from '../support/processes.js';
import { fastOnly } from '../support/speed.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot, seatStatuses } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const gig = {
  id: 'late-show',
  name: 'The Late Show',
  sections: [
    {
      name: 'Floor',
      rows: [
        { row: 'A', seats: 4 },
        { row: 'B', seats: 4, firstNumber: 10 },
      ],
    },
  ],
};

/** Every field the schema marks admin-only, found from the schema itself. */
function adminFields(): string[] {
  const fields: string[] = [];
  // Every object type, not only the roots: an admin field may hang off a buyer's type (Event.sales).
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const scopes = (field.extensions as { pothosOptions?: { authScopes?: { admin?: boolean } } }).pothosOptions?.authScopes;
      if (scopes?.admin) fields.push(`${type.name}.${field.name}`);
    }
  }
  return fields.sort();
}

describe('admin fields', () => {
  it('are exactly the admin API, each marked where it is defined', () => {
    expect(adminFields()).toEqual([
      'Event.sales',
      'Mutation.blockSeats',
      'Mutation.cancelBooking',
      'Mutation.configureWaitingRoom',
      'Mutation.createEvent',
      'Mutation.createWebhook',
      'Mutation.deleteWebhook',
      'Mutation.redeliverWebhookMessage',
      'Mutation.removeEvent',
      'Mutation.setAreaBlocked',
      'Mutation.unblockSeats',
      'Mutation.updateEvent',
      'Query.adminAccess',
      'Query.bookings',
      'Query.webhookDeliveries',
      'Query.webhooks',
    ]);
    // Results reachable by buyers never need the token.
    expect(isObjectType(getNamedType(schema.getQueryType()?.getFields().event?.type))).toBe(true);
  });
});

describe.each(storeKinds)('the admin API ($name store)', ({ config }) => {
  const app = (adminToken: string | null = ADMIN_TOKEN, more: Partial<Config> = {}) => inProcessApp({ ...config(), adminToken, ...more });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-admin-token-but-just-as-long-x' }],
    ['the token without Bearer', { authorization: ADMIN_TOKEN }],
  ])('answers UNAUTHENTICATED to every admin operation with %s, changing nothing', async (_name, headers) => {
    const { client } = app();
    const anonymous = client.withHeaders(headers);
    const before = await eventSnapshot(client, 'play');
    const calls = [
      anonymous.execute(CreateEventDocument, { input: gig }),
      anonymous.execute(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] }),
      anonymous.execute(UnblockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] }),
      anonymous.execute(CancelBookingDocument, { bookingId: 'play.x' }),
      anonymous.execute(BookingsDocument, { eventId: 'play' }),
      anonymous.execute(UpdateEventDocument, { eventId: 'play', name: 'Renamed', salesOpen: false }),
      anonymous.execute(RemoveEventDocument, { eventId: 'concert' }),
    ];
    for (const result of await Promise.all(calls)) {
      expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    }
    expect(await eventSnapshot(client, 'play')).toEqual(before);
    expect((await client.execute(EventSeatsDocument, { id: gig.id })).data?.event).toBeNull();
  });

  it('refuses every admin operation when no ADMIN_TOKEN is configured', async () => {
    const { client } = app(null);
    const result = await client.withHeaders(admin).execute(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates an event buyers can lock at once, and refuses a second one with its id', async () => {
    const { client } = app();
    const created = expectType((await client.withHeaders(admin).data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    expect(created).toMatchObject({ id: 'late-show', name: 'The Late Show', version: 0, counts: { available: 8, total: 8, blocked: 0 } });
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'late-show', seatIds: ['B-10', 'B-13'] })).lockSeats, 'Hold');
    expect(hold.seats.map((seat) => seat.label)).toEqual(['B10', 'B13']);

    const again = (await client.withHeaders(admin).data(CreateEventDocument, { input: { ...gig, name: 'Other' } })).createEvent;
    expect(expectType(again, 'EventExistsError').eventId).toBe('late-show');
    const taken = (await client.withHeaders(admin).data(CreateEventDocument, { input: { ...gig, id: 'play' } })).createEvent;
    expect(taken.__typename).toBe('EventExistsError');
  });

  it('refuses a bad layout with InvalidLayoutError naming the entry, creating nothing', async () => {
    const { client } = app();
    const input = {
      ...gig,
      sections: [
        {
          name: 'Floor',
          rows: [
            { row: 'A', seats: 4 },
            { row: 'A!', seats: 2 },
          ],
        },
      ],
    };
    const result = (await client.withHeaders(admin).data(CreateEventDocument, { input })).createEvent;
    expect(expectType(result, 'InvalidLayoutError').message).toBe('input.sections[0].rows[1].row "A!" must be 1 to 8 letters or digits');
    expect((await client.execute(EventSeatsDocument, { id: gig.id })).data?.event).toBeNull();
  });

  it('refuses a layout past MAX_EVENT_SEATS with InvalidLayoutError naming the limit, creating nothing', async () => {
    const { client } = app(ADMIN_TOKEN, { maxEventSeats: 50_000 });
    const rows = Array.from({ length: 400 }, (_, index) => ({ row: `R${index}`, seats: 10_000 }));
    const input = { ...gig, sections: [{ name: 'Floor', rows }] };
    const result = (await client.withHeaders(admin).data(CreateEventDocument, { input })).createEvent;
    expect(expectType(result, 'InvalidLayoutError').message).toBe(
      'input.sections[0].rows[5].seats takes the event past 50,000 seats, the most one event may have (MAX_EVENT_SEATS)',
    );
    expect((await client.execute(EventSeatsDocument, { id: gig.id })).data?.event).toBeNull();
    const fits = { ...gig, sections: [{ name: 'Floor', rows: rows.slice(0, 5) }] };
    expect(expectType((await client.withHeaders(admin).data(CreateEventDocument, { input: fits })).createEvent, 'Event').counts.total).toBe(50_000);
  });

  it('blocks available seats all or nothing, keeps them from buyers, and unblocks them', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-3'] })).lockSeats, 'Hold');

    const refused = (await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-3'] })).blockSeats;
    expect(expectType(refused, 'SeatUnavailableError').seats.map((seat) => [seat.id, seat.status])).toEqual([['A-3', 'LOCKED']]);
    expect((await seatStatuses(client, 'play'))['A-1']).toBe('AVAILABLE');

    const blocked = expectType((await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).blockSeats, 'SeatBlock');
    expect(blocked.seats.map((seat) => seat.status)).toEqual(['BLOCKED', 'BLOCKED']);
    const event = await eventSnapshot(client, 'play');
    expect(event.counts).toMatchObject({ available: 12, locked: 1, blocked: 2, total: 15 });
    const lock = (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats;
    expect(expectType(lock, 'SeatUnavailableError').seats[0]).toMatchObject({ id: 'A-1', status: 'BLOCKED' });
    const intoHold = (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'], holdToken: hold.token })).lockSeats;
    expect(intoHold.__typename).toBe('SeatUnavailableError');
    // A retry changes nothing more.
    await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] });
    expect((await eventSnapshot(client, 'play')).version).toBe(event.version);

    const unblocked = expectType((await operator.data(UnblockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-3'] })).unblockSeats, 'SeatBlock');
    expect(unblocked.seats.map((seat) => seat.status)).toEqual(['AVAILABLE', 'AVAILABLE', 'LOCKED']);
    expect((await eventSnapshot(client, 'play')).counts).toMatchObject({ available: 14, locked: 1, blocked: 0 });
    expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats, 'Hold');
  });

  it('answers typed errors for an unknown event, unknown or repeated seats', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    expect((await operator.data(BlockSeatsDocument, { eventId: 'nope', seatIds: ['A-1'] })).blockSeats.__typename).toBe('EventNotFoundError');
    expect((await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['Z-1'] })).blockSeats.__typename).toBe('SeatNotFoundError');
    expect((await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-1'] })).blockSeats.__typename).toBe('InvalidSeatSelectionError');
    expect((await operator.data(UnblockSeatsDocument, { eventId: 'play', seatIds: [] })).unblockSeats.__typename).toBe('InvalidSeatSelectionError');
    expect((await operator.data(CancelBookingDocument, { bookingId: 'play.nothing-here' })).cancelBooking.__typename).toBe('BookingNotFoundError');
    expect((await operator.data(CancelBookingDocument, { bookingId: 'garbage' })).cancelBooking.__typename).toBe('BookingNotFoundError');
    const missing = await operator.execute(BookingsDocument, { eventId: 'nope' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('EVENT_NOT_FOUND');
  });

  it('cancels a booking: its seats are on sale again, and a retry answers the same booking', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2'] })).lockSeats, 'Hold');
    const booking = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-7' })).confirmHold, 'Booking');
    const before = await eventSnapshot(client, 'play');

    const cancelled = expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    expect(cancelled).toMatchObject({ id: booking.id, status: 'CANCELLED', orderId: 'order-7' });
    // A booking's seats are as the booking holds them: BOOKED while it stands, given back once cancelled.
    expect(booking.seats.map((seat) => [seat.id, seat.status])).toEqual([
      ['B-1', 'BOOKED'],
      ['B-2', 'BOOKED'],
    ]);
    expect(cancelled.seats.map((seat) => [seat.id, seat.status, seat.lockExpiresAt])).toEqual([
      ['B-1', 'AVAILABLE', null],
      ['B-2', 'AVAILABLE', null],
    ]);
    const after = await eventSnapshot(client, 'play');
    expect(after.version).toBe(before.version + 2);
    expect(after.counts).toMatchObject({ booked: 0, available: 15 });
    const retried = expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    expect(retried).toEqual(cancelled);
    expect((await eventSnapshot(client, 'play')).version).toBe(after.version);
    expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1'] })).lockSeats, 'Hold');
    // Sold on to someone else, the seat is still "given back" in the cancelled booking: a record, not a live view.
    const reread = await client.data(BookingByIdDocument, { id: booking.id });
    expect(reread.booking?.seats.map((seat) => [seat.id, seat.status])).toEqual([
      ['B-1', 'AVAILABLE'],
      ['B-2', 'AVAILABLE'],
    ]);
  });

  it('finds the bookings of an event and of one order, oldest first', async () => {
    const { client } = app();
    const book = async (seatId: string, orderId: string | null) => {
      const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: [seatId] })).lockSeats, 'Hold');
      return expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId })).confirmHold, 'Booking').id;
    };
    const first = await book('C-1', 'order-1');
    const second = await book('C-2', 'order-2');
    const third = await book('C-3', 'order-1');
    const fourth = await book('C-4', null);
    const operator = client.withHeaders(admin);
    expect((await operator.data(BookingsDocument, { eventId: 'play' })).bookings.map((booking) => booking.id)).toEqual([first, second, third, fourth]);
    expect((await operator.data(BookingsDocument, { eventId: 'play', orderId: 'order-1' })).bookings.map((booking) => booking.id)).toEqual([first, third]);
    expect((await operator.data(BookingsDocument, { eventId: 'play', orderId: 'no-such-order' })).bookings).toEqual([]);
    expect((await operator.data(BookingsDocument, { eventId: 'concert' })).bookings).toEqual([]);
  });
});

describe.each(storeKinds)("an event's life ($name store)", ({ config }) => {
  const app = () => inProcessApp({ ...config(), adminToken: ADMIN_TOKEN });

  it('renames an event for every reader, and refuses a blank or overlong name changing nothing', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    const renamed = expectType((await operator.data(UpdateEventDocument, { eventId: 'play', name: 'A Play (matinee)' })).updateEvent, 'Event');
    expect(renamed).toMatchObject({ id: 'play', name: 'A Play (matinee)', salesOpen: true, version: 0 });
    expect((await client.data(EventsDocument, {})).events.find((event) => event.id === 'play')?.name).toBe('A Play (matinee)');

    for (const [name, message] of [
      ['  ', 'name must be a non-empty string'],
      ['x'.repeat(201), 'name must be at most 200 characters (got 201)'],
    ] as const) {
      const refused = (await operator.data(UpdateEventDocument, { eventId: 'play', name })).updateEvent;
      expect(expectType(refused, 'InvalidLayoutError').message).toBe(message);
    }
    expect((await eventSnapshot(client, 'play')).name).toBe('A Play (matinee)');
    expect((await operator.data(UpdateEventDocument, { eventId: 'nope', name: 'X' })).updateEvent.__typename).toBe('EventNotFoundError');
  });

  it('closes sales: no lock is taken, a hold made before still books, and reopening sells again', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    const early = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats, 'Hold');

    const closed = expectType((await operator.data(UpdateEventDocument, { eventId: 'play', salesOpen: false })).updateEvent, 'Event');
    expect(closed).toMatchObject({ name: 'A Play', salesOpen: false });
    const before = await eventSnapshot(client, 'play');
    const refused = (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'] })).lockSeats;
    expect(expectType(refused, 'SalesClosedError')).toMatchObject({ eventId: 'play', message: 'Sales for event "play" are closed.' });
    // Adding seats to a hold made before is a lock too.
    const adding = (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'], holdToken: early.token })).lockSeats;
    expect(adding.__typename).toBe('SalesClosedError');
    expect(await eventSnapshot(client, 'play')).toEqual(before);
    // Checked after the seats named, like every store checks, so stores answer alike.
    expect((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['Z-9'] })).lockSeats.__typename).toBe('SeatNotFoundError');

    expectType((await client.data(ExtendHoldDocument, { holdToken: early.token })).extendHold, 'Hold');
    expectType((await client.data(ConfirmHoldDocument, { holdToken: early.token, orderId: 'late-order' })).confirmHold, 'Booking');

    const reopened = expectType((await operator.data(UpdateEventDocument, { eventId: 'play', salesOpen: true })).updateEvent, 'Event');
    expect(reopened.salesOpen).toBe(true);
    expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'] })).lockSeats, 'Hold');
  });

  it('removes an event made by mistake: it is gone, its holds with it, and its id can be used again', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    expectType((await operator.data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: gig.id, seatIds: ['A-1'] })).lockSeats, 'Hold');
    expectType((await client.data(ReleaseHoldDocument, { holdToken: hold.token })).releaseHold, 'SeatRelease');
    expectType((await operator.data(BlockSeatsDocument, { eventId: gig.id, seatIds: ['A-2'] })).blockSeats, 'SeatBlock');

    const removed = expectType((await operator.data(RemoveEventDocument, { eventId: gig.id })).removeEvent, 'EventRemoval');
    expect(removed).toEqual({ __typename: 'EventRemoval', eventId: gig.id, name: gig.name });
    expect((await client.data(EventSeatsDocument, { id: gig.id })).event).toBeNull();
    expect((await client.data(EventsDocument, {})).events.map((event) => event.id)).toEqual(['play', 'concert']);
    expect((await client.data(HoldByTokenDocument, { token: hold.token })).hold).toBeNull();
    expect((await client.data(LockSeatsDocument, { eventId: gig.id, seatIds: ['A-1'] })).lockSeats.__typename).toBe('EventNotFoundError');
    expect((await operator.data(RemoveEventDocument, { eventId: gig.id })).removeEvent.__typename).toBe('EventNotFoundError');

    const smaller = { ...gig, name: 'The Late Show, again', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 2 }] }] };
    const again = expectType((await operator.data(CreateEventDocument, { input: smaller })).createEvent, 'Event');
    expect(again).toMatchObject({ name: 'The Late Show, again', version: 0, counts: { available: 2, blocked: 0, total: 2 } });
    expectType((await client.data(LockSeatsDocument, { eventId: gig.id, seatIds: ['A-2'] })).lockSeats, 'Hold');
  });

  it('refuses to remove an event with bookings, with locked seats, or from EVENTS_FILE, changing nothing', async () => {
    const { client } = app();
    const operator = client.withHeaders(admin);
    const reasonFor = async (eventId: string) =>
      expectType((await operator.data(RemoveEventDocument, { eventId })).removeEvent, 'EventNotRemovableError').reason;
    expect(await reasonFor('play')).toBe('IN_EVENTS_FILE');

    expectType((await operator.data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: gig.id, seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    expect(await reasonFor(gig.id)).toBe('HAS_LOCKED_SEATS');
    const booking = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    expect(await reasonFor(gig.id)).toBe('HAS_BOOKINGS');
    expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    // A cancelled booking is still a record of the event.
    expect(await reasonFor(gig.id)).toBe('HAS_BOOKINGS');
    expect((await eventSnapshot(client, gig.id)).counts).toMatchObject({ available: 8, booked: 0 });
  });

  it('ends the subscriptions of a removed event', async () => {
    const server = await listeningApp({ ...config(), adminToken: ADMIN_TOKEN });
    const operator = server.client.withHeaders(admin);
    expectType((await operator.data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    const changes = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: gig.id });
    await subscribed(server, 1);
    expectType((await operator.data(BlockSeatsDocument, { eventId: gig.id, seatIds: ['A-1'] })).blockSeats, 'SeatBlock');
    expectType((await operator.data(UnblockSeatsDocument, { eventId: gig.id, seatIds: ['A-1'] })).unblockSeats, 'SeatBlock');
    expectType((await operator.data(RemoveEventDocument, { eventId: gig.id })).removeEvent, 'EventRemoval');
    await changes.done;
    expect(changes.data.map(({ seatChanged }) => seatChanged.reason)).toEqual(['BLOCKED', 'UNBLOCKED']);
  });
});

describe('the admin token over graphql-ws', () => {
  it('is read from the connection_init payload', async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN });
    const run = (connectionParams: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        const client = wsClientFor(server.url.href, connectionParams);
        client.subscribe(
          { query: print(BlockSeatsDocument), variables: { eventId: 'play', seatIds: ['C-5'] } },
          { next: resolve, error: resolve, complete: () => undefined },
        );
      });
    expect(JSON.stringify(await run({}))).toContain('UNAUTHENTICATED');
    expect(await run({ authorization: `Bearer ${ADMIN_TOKEN}` })).toMatchObject({ data: { blockSeats: { __typename: 'SeatBlock' } } });
  });
});

describe('the audit log', () => {
  it.skipIf(fastOnly)('has a line for every admin action with what it did and its request id, and never the token', async () => {
    // JSON log lines, as in production.
    const server = await spawnServer({ ADMIN_TOKEN, LOCKS_PER_MINUTE: '0', NODE_ENV: 'production' });
    const operator = server.client.withHeaders(admin);
    expectType((await operator.data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    expectType((await operator.data(BlockSeatsDocument, { eventId: 'late-show', seatIds: ['A-1', 'A-2'] })).blockSeats, 'SeatBlock');
    expectType((await operator.data(UnblockSeatsDocument, { eventId: 'late-show', seatIds: ['A-2'] })).unblockSeats, 'SeatBlock');
    const hold = expectType((await server.client.data(LockSeatsDocument, { eventId: 'late-show', seatIds: ['B-10'] })).lockSeats, 'Hold');
    const booking = expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'o-1' })).confirmHold, 'Booking');
    expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    expectType((await operator.data(UpdateEventDocument, { eventId: 'late-show', name: 'Late Show', salesOpen: false })).updateEvent, 'Event');
    expectType((await operator.data(CreateEventDocument, { input: { ...gig, id: 'oops' } })).createEvent, 'Event');
    expectType((await operator.data(RemoveEventDocument, { eventId: 'oops' })).removeEvent, 'EventRemoval');
    // A refused call changes nothing and is not an admin action.
    await server.client.execute(BlockSeatsDocument, { eventId: 'late-show', seatIds: ['A-3'] });

    // The server writes its log asynchronously: an answer can arrive before its line does.
    await vi.waitFor(() => expect(server.output().stdout).toContain('refused: an admin field without the admin token'), { timeout: 15_000 });
    const entries = server
      .output()
      .stdout.split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const actions = entries.filter((entry) => entry.action !== undefined);
    const what = ({
      level: _level,
      time: _time,
      pid: _pid,
      hostname: _hostname,
      service: _service,
      reqId: _reqId,
      client: _client,
      msg: _msg,
      ...rest
    }: Record<string, unknown>) => rest;
    expect(actions.map(what)).toEqual([
      { action: 'createEvent', eventId: 'late-show', eventName: 'The Late Show', seats: 8 },
      { action: 'blockSeats', eventId: 'late-show', seatIds: ['A-1', 'A-2'] },
      { action: 'unblockSeats', eventId: 'late-show', seatIds: ['A-2'] },
      { action: 'cancelBooking', bookingId: booking.id, eventId: 'late-show', orderId: 'o-1', seatIds: ['B-10'] },
      { action: 'updateEvent', eventId: 'late-show', eventName: ['The Late Show', 'Late Show'], salesOpen: [true, false] },
      { action: 'createEvent', eventId: 'oops', eventName: 'The Late Show', seats: 8 },
      { action: 'removeEvent', eventId: 'oops', eventName: 'The Late Show', seats: 8 },
    ]);
    for (const entry of actions) {
      // pino's readable output would print a `name` as the logger's: "INFO (The Late Show): …".
      expect(entry).not.toHaveProperty('name');
      expect(entry).toMatchObject({ level: 30, service: 'seatlock', msg: `admin: ${String(entry.action)}`, client: '127.0.0.1' });
      expect(entry.reqId).toMatch(/^[0-9a-f]{10}-[0-9a-z]+$/);
    }
    // Each request its own id.
    expect(new Set(actions.map((entry) => entry.reqId)).size).toBe(actions.length);
    // The refused call is logged as refused, not as an action.
    expect(entries.filter((entry) => entry.msg === 'refused: an admin field without the admin token')).toEqual([
      expect.objectContaining({ level: 40, field: 'Mutation.blockSeats', client: '127.0.0.1' }),
    ]);
    expect(server.output().stdout + server.output().stderr).not.toContain(ADMIN_TOKEN);
  });
});
