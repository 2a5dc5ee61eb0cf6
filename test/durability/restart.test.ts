import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import {
  BlockSeatsDocument,
  BookingByIdDocument,
  BookingsDocument,
  CancelBookingDocument,
  ConfirmHoldDocument,
  CreateEventDocument,
  CreateWebhookDocument,
  EventSeatsDocument,
  EventsDocument,
  LockBestAvailableDocument,
  LockSeatDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  RemoveEventDocument,
  SeatChangedAfterDocument,
  UpdateEventDocument,
  WebhookDeliveriesDocument,
} from '../../operations/generated/graphql.js';
import type { SeatChange } from '../../src/domain/model.js';
import { createEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { openSqliteFile } from '../../src/store/embedded/sqlite-file.js';
import { createSeatlockPubSub } from '../../src/store/pubsub.js';
import { fileEvents } from '../../src/store/start-events.js';
import { ManualClock } from '../support/clock.js';
import { testEvents, testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { runToExit, spawnServer, tempDataFile, tempJsonFile } from '../support/processes.js';
import { wsClientFor } from '../support/apps.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { eventSnapshot, seatStatuses } from '../support/snapshot.js';
import { Recorder } from '../support/subscriptions.js';

const UPGRADE_ADMIN_TOKEN = 'upgrade-admin-token-0123456789abcdefghij';

const policy = { lockTtlMs: 1_000, holdMaxMs: 5_000, maxSeatsPerHold: 10, maxSeatsPerClient: 0 };

describe('restarting the durable server', () => {
  it('expires at start a hold whose expiresAt passed while the server was down', async () => {
    const env = { DATA_FILE: tempDataFile(), EVENTS_FILE: tempJsonFile(testEventsDocument), LOCK_TTL_SECONDS: '1' };
    const first = await spawnServer(env);
    const hold = expectType((await first.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    const before = (await first.client.data(EventSeatsDocument, { id: 'play' })).event?.version ?? -1;
    await first.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(hold.expiresAt) - Date.now() + 100)));

    const second = await spawnServer(env);
    const { event } = await second.client.data(EventSeatsDocument, { id: 'play' });
    expect(event?.version).toBe(before + 2);
    expect(event?.seats.filter((seat) => seat.id === 'A-1' || seat.id === 'A-2').map((seat) => seat.status)).toEqual(['AVAILABLE', 'AVAILABLE']);
    const confirm = await second.client.data(ConfirmHoldDocument, { holdToken: hold.token });
    expect(expectType(confirm.confirmHold, 'HoldExpiredError').expiredAt).toBe(hold.expiresAt);
  });

  it('publishes the EXPIRED changes of holds that ran out while it was closed, with the next versions', async () => {
    const path = tempDataFile();
    const clock = new ManualClock();
    const events = testEvents();
    const first = createEmbeddedStore({
      start: fileEvents(events),
      pubsub: createSeatlockPubSub(),
      policy,
      changeLogSize: 100,
      clock,
      persistence: openSqliteFile({ path, sync: 'normal' }),
    });
    await first.lockSeats({ eventId: 'play', seatIds: ['B-1', 'B-2'] });
    await first.close();

    clock.advance(1_500);
    const pubsub = createSeatlockPubSub();
    const changes = pubsub.subscribe('seatChanged', 'play');
    const second = createEmbeddedStore({
      start: fileEvents(events),
      pubsub,
      policy,
      changeLogSize: 100,
      clock,
      persistence: openSqliteFile({ path, sync: 'normal' }),
    });
    const received: SeatChange[] = [];
    for (let index = 0; index < 2; index++) received.push((await changes.next()).value as SeatChange);
    expect(received.map((change) => [change.seat.id, change.reason, change.previousStatus, change.seat.status, change.version])).toEqual([
      ['B-1', 'EXPIRED', 'LOCKED', 'AVAILABLE', 3],
      ['B-2', 'EXPIRED', 'LOCKED', 'AVAILABLE', 4],
    ]);
    expect((await second.getEvent('play'))?.version).toBe(4);
    await changes.return?.();
    await second.close();
  });

  it('keeps what the admin API did across a SIGKILL: created events, blocked seats, cancellations, bookings by order', async () => {
    const token = 'durable-admin-token-0123456789abcdefgh';
    const env = { DATA_FILE: tempDataFile(), EVENTS_FILE: tempJsonFile(testEventsDocument), ADMIN_TOKEN: token };
    const admin = { authorization: `Bearer ${token}` };
    const first = await spawnServer(env);
    const operator = first.client.withHeaders(admin);
    const input = { id: 'matinee', name: 'Matinee', sections: [{ name: 'Circle', seatIdPrefix: 'C', rows: [{ row: 'A', seats: 4 }] }] };
    expectType((await operator.data(CreateEventDocument, { input })).createEvent, 'Event');
    expectType((await operator.data(BlockSeatsDocument, { eventId: 'matinee', seatIds: ['CA-1'] })).blockSeats, 'SeatBlock');
    const hold = expectType((await first.client.data(LockSeatsDocument, { eventId: 'matinee', seatIds: ['CA-2', 'CA-3'] })).lockSeats, 'Hold');
    const booking = expectType((await first.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-42' })).confirmHold, 'Booking');
    const other = expectType((await first.client.data(LockSeatsDocument, { eventId: 'matinee', seatIds: ['CA-4'] })).lockSeats, 'Hold');
    const kept = expectType((await first.client.data(ConfirmHoldDocument, { holdToken: other.token, orderId: 'order-42' })).confirmHold, 'Booking');
    expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');
    const before = (await first.client.data(EventSeatsDocument, { id: 'matinee' })).event;
    await first.kill('SIGKILL');

    const second = await spawnServer(env);
    expect((await second.client.data(EventSeatsDocument, { id: 'matinee' })).event).toEqual(before);
    expect(before?.counts).toMatchObject({ available: 2, blocked: 1, booked: 1, total: 4 });
    const ofOrder = (await second.client.withHeaders(admin).data(BookingsDocument, { eventId: 'matinee', orderId: 'order-42' })).bookings;
    expect(ofOrder.map((found) => [found.id, found.status])).toEqual([
      [booking.id, 'CANCELLED'],
      [kept.id, 'CONFIRMED'],
    ]);
  });

  it("keeps an event's life across a SIGKILL: its new name (over EVENTS_FILE's), closed sales, and a removal", async () => {
    const token = 'durable-admin-token-0123456789abcdefgh';
    const env = { DATA_FILE: tempDataFile(), EVENTS_FILE: tempJsonFile(testEventsDocument), ADMIN_TOKEN: token };
    const first = await spawnServer(env);
    const operator = (server: typeof first) => server.client.withHeaders({ authorization: `Bearer ${token}` });
    expectType((await operator(first).data(UpdateEventDocument, { eventId: 'play', name: 'A Play (extended run)', salesOpen: false })).updateEvent, 'Event');
    const input = { id: 'mistake', name: 'Mistake', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 2 }] }] };
    expectType((await operator(first).data(CreateEventDocument, { input })).createEvent, 'Event');
    expectType((await operator(first).data(RemoveEventDocument, { eventId: 'mistake' })).removeEvent, 'EventRemoval');
    await first.kill('SIGKILL');

    const second = await spawnServer(env);
    const { events } = await second.client.data(EventsDocument, {});
    expect(events.map((event) => [event.id, event.name, event.salesOpen])).toEqual([
      ['play', 'A Play (extended run)', false],
      ['concert', 'A Concert', true],
    ]);
    expect((await second.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats.__typename).toBe('SalesClosedError');
  });

  it('lets a subscriber resume across a SIGKILL: the changes it missed before and after the crash, none twice', async () => {
    const env = { DATA_FILE: tempDataFile(), EVENTS_FILE: tempJsonFile(testEventsDocument) };
    const first = await spawnServer(env);
    const left = (await eventSnapshot(first.client, 'play')).version;
    const lockAndRelease = async (client: typeof first.client, seatId: string) => {
      const hold = expectType((await client.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat, 'Hold');
      await client.data(ReleaseHoldDocument, { holdToken: hold.token });
    };
    for (const seatId of ['A-1', 'A-2', 'A-3']) await lockAndRelease(first.client, seatId);
    await first.kill('SIGKILL');

    const second = await spawnServer(env);
    await lockAndRelease(second.client, 'B-1');
    const resumed = new Recorder(wsClientFor(second.url), SeatChangedAfterDocument, { eventId: 'play', afterVersion: left });
    await vi.waitFor(() => expect(resumed.results).toHaveLength(8), { timeout: 15_000, interval: 20 });
    expect(resumed.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([
      [left + 1, 'A-1', 'LOCKED'],
      [left + 2, 'A-1', 'RELEASED'],
      [left + 3, 'A-2', 'LOCKED'],
      [left + 4, 'A-2', 'RELEASED'],
      [left + 5, 'A-3', 'LOCKED'],
      [left + 6, 'A-3', 'RELEASED'],
      [left + 7, 'B-1', 'LOCKED'],
      [left + 8, 'B-1', 'RELEASED'],
    ]);
    await resumed.stop();
  });

  it('keeps the ranks of rows for best available: of an event made at runtime across a SIGKILL, and takes new ones from EVENTS_FILE', async () => {
    const token = 'durable-admin-token-0123456789abcdefgh';
    const layout = (front: number, back: number) => ({
      events: [
        {
          id: 'ranked',
          name: 'Ranked',
          sections: [
            {
              name: 'Hall',
              rows: [
                { row: 'A', seats: 4, rank: front },
                { row: 'B', seats: 4, rank: back },
              ],
            },
          ],
        },
      ],
    });
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(layout(2, 1)), ADMIN_TOKEN: token });
    const input = {
      id: 'made',
      name: 'Made',
      sections: [
        {
          name: 'Hall',
          rows: [
            { row: 'A', seats: 4 },
            { row: 'B', seats: 4, rank: 1 },
          ],
        },
      ],
    };
    expectType((await first.client.withHeaders({ authorization: `Bearer ${token}` }).data(CreateEventDocument, { input })).createEvent, 'Event');
    await first.kill('SIGKILL');

    const second = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(layout(1, 2)) });
    const rowOf = async (eventId: string) =>
      expectType((await second.client.data(LockBestAvailableDocument, { eventId, count: 2 })).lockBestAvailable, 'Hold').seats.map((seat) => seat.row);
    expect(await rowOf('made')).toEqual(['B', 'B']);
    expect(await rowOf('ranked')).toEqual(['A', 'A']);
  });

  it('upgrades a data file of format 1 in place, keeping every seat', async () => {
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument) });
    const hold = expectType((await first.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-2' })).lockSeat, 'Hold');
    const booking = expectType((await first.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    await first.kill('SIGTERM');
    // What seatlock before the event-life admin operations wrote.
    const file = new Database(dataFile);
    file.exec(
      'DROP TABLE areas; ALTER TABLE holds DROP COLUMN area_places; ALTER TABLE bookings DROP COLUMN area_places; DROP TABLE waiting_rooms; DROP TABLE queue_tickets; DROP TABLE store_keys; DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints; ALTER TABLE events DROP COLUMN layout; ALTER TABLE seats DROP COLUMN rank; DROP TABLE changes; ALTER TABLE events DROP COLUMN sales_open; ALTER TABLE events DROP COLUMN name_from_admin; PRAGMA user_version = 1;',
    );
    file.close();

    const second = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument) });
    expect(second.output().stdout).toMatch(/DATA_FILE .* upgraded from data format 1 to 9/);
    expect((await second.client.data(BookingByIdDocument, { id: booking.id })).booking).toMatchObject({ status: 'CONFIRMED' });
    expect(await seatStatuses(second.client, 'play')).toMatchObject({ 'B-2': 'BOOKED', 'B-1': 'AVAILABLE' });
    expect((await second.client.data(EventsDocument, {})).events.every((event) => event.salesOpen)).toBe(true);
    await second.kill('SIGTERM');
    const upgraded = new Database(dataFile, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(9);
    expect(upgraded.prepare('SELECT count(*) FROM webhook_endpoints').pluck().get()).toBe(0);
    upgraded.close();
  });

  it('upgrades a data file of format 6, delivering the webhook messages it held', async () => {
    const placeholder = await WebhookReceiver.start();
    const port = placeholder.port;
    await placeholder.close();
    const dataFile = tempDataFile();
    const env = { DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument), ADMIN_TOKEN: UPGRADE_ADMIN_TOKEN, WEBHOOKS_ALLOW_PRIVATE: 'true' };
    const first = await spawnServer(env);
    const operator = first.client.withHeaders({ authorization: `Bearer ${UPGRADE_ADMIN_TOKEN}` });
    const endpoint = expectType(
      (await operator.data(CreateWebhookDocument, { input: { url: `http://127.0.0.1:${port}/hooks`, types: ['hold.created'] } })).createWebhook,
      'WebhookEndpoint',
    );
    const hold = expectType((await first.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-3' })).lockSeat, 'Hold');
    await first.kill('SIGTERM');
    // The outbox as data format 6 kept it: bodies in a table of their own.
    const file = new Database(dataFile);
    file.exec(`DROP TABLE areas; ALTER TABLE holds DROP COLUMN area_places; ALTER TABLE bookings DROP COLUMN area_places; ALTER TABLE changes DROP COLUMN area;
      DROP TABLE waiting_rooms; DROP TABLE queue_tickets; DROP TABLE store_keys;
      CREATE TABLE webhook_messages (id TEXT PRIMARY KEY, type TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO webhook_messages SELECT message_id, type, event_id, body, created_at FROM webhook_deliveries;
      CREATE TABLE deliveries_6 (endpoint_id TEXT NOT NULL, message_id TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, last_status_code INTEGER,
        last_error TEXT, next_attempt_at INTEGER, created_at INTEGER NOT NULL, PRIMARY KEY (endpoint_id, message_id)) WITHOUT ROWID;
      INSERT INTO deliveries_6 SELECT endpoint_id, message_id, status, attempts, last_status_code, last_error, next_attempt_at, created_at FROM webhook_deliveries;
      DROP TABLE webhook_deliveries; ALTER TABLE deliveries_6 RENAME TO webhook_deliveries; PRAGMA user_version = 6;`);
    expect(file.prepare('SELECT count(*) FROM webhook_messages').pluck().get()).toBeGreaterThan(0);
    file.close();

    const receiver = await WebhookReceiver.start(port);
    const second = await spawnServer(env);
    expect(second.output().stdout).toMatch(/DATA_FILE .* upgraded from data format 6 to 9/);
    await vi.waitFor(() => expect(receiver.types()).toContain('hold.created'), { timeout: 30_000 });
    const body = receiver.received
      .map((request) => JSON.parse(request.body) as { type: string; data: { hold?: { id: string } } })
      .find((message) => message.type === 'hold.created');
    expect(body?.data.hold?.id).toBe(hold.id);
    const [delivery] = (
      await second.client.withHeaders({ authorization: `Bearer ${UPGRADE_ADMIN_TOKEN}` }).data(WebhookDeliveriesDocument, { endpointId: endpoint.id })
    ).webhookDeliveries;
    await vi.waitFor(async () => {
      const [now] = (
        await second.client.withHeaders({ authorization: `Bearer ${UPGRADE_ADMIN_TOKEN}` }).data(WebhookDeliveriesDocument, { endpointId: endpoint.id })
      ).webhookDeliveries;
      expect(now).toMatchObject({ messageId: delivery?.messageId, status: 'DELIVERED' });
    });
    await second.kill('SIGTERM');
    const upgraded = new Database(dataFile, { readonly: true });
    expect(upgraded.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'webhook_messages'").pluck().get()).toBe(0);
    upgraded.close();
  });

  it('keeps state by default in data/seatlock.db under the working directory', async () => {
    const cwd = dirname(tempDataFile());
    const server = await spawnServer({ DATA_FILE: '' }, cwd);
    const hold = expectType((await server.client.data(LockSeatDocument, { eventId: 'demo', seatId: 'A-1' })).lockSeat, 'Hold');
    const booking = expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'po-1' })).confirmHold, 'Booking');
    await server.kill('SIGKILL');
    expect(existsSync(join(cwd, 'data', 'seatlock.db'))).toBe(true);

    const again = await spawnServer({ DATA_FILE: '' }, cwd);
    const { booking: kept } = await again.client.data(BookingByIdDocument, { id: booking.id });
    expect(kept).toMatchObject({ status: 'CONFIRMED', orderId: 'po-1', seats: [expect.objectContaining({ id: 'A-1', status: 'BOOKED' })] });
  });
});

describe('EVENTS_FILE with an existing data file', () => {
  it('creates new events, keeps the state of stored ones and takes a new name', async () => {
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument) });
    const hold = expectType((await first.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-3' })).lockSeat, 'Hold');
    expectType((await first.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    await first.kill('SIGTERM');

    const grown = {
      events: [
        { ...testEventsDocument.events[0], name: 'A Play (matinee)' },
        testEventsDocument.events[1],
        { id: 'extra', name: 'Extra show', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 4 }] }] },
      ],
    };
    const second = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(grown) });
    const { events } = await second.client.data(EventsDocument, {});
    expect(events.map((event) => [event.id, event.name, event.version, event.counts.booked])).toEqual([
      ['play', 'A Play (matinee)', 2, 1],
      ['concert', 'A Concert', 0, 0],
      ['extra', 'Extra show', 0, 0],
    ]);
    expect((await seatStatuses(second.client, 'play'))['C-3']).toBe('BOOKED');
  });

  it('refuses to start when a stored event has another seat layout in the file, naming it, and changes nothing', async () => {
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument) });
    expectType((await first.client.data(LockSeatDocument, { eventId: 'concert', seatId: 'A-1' })).lockSeat, 'Hold');
    await first.kill('SIGTERM');
    const before = readFileSync(dataFile);

    const changed = {
      events: [testEventsDocument.events[0], { id: 'concert', name: 'A Concert', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 4 }] }] }],
    };
    const run = await runToExit({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(changed) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/seatlock: cannot start: event "concert" is stored with another seat layout \(it has 3 seats, the new layout 4\)/);
    expect(readFileSync(dataFile).equals(before)).toBe(true);

    const again = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: tempJsonFile(testEventsDocument) });
    expect((await seatStatuses(again.client, 'concert'))['A-1']).toBe('LOCKED');
  });
});

describe('a data file that cannot be used', () => {
  it('stops the start on a file that is not a database, and leaves it as it was', async () => {
    const dataFile = tempDataFile();
    const garbage = Buffer.from('this is not a database, it is a box office ledger\n'.repeat(200));
    writeFileSync(dataFile, garbage);
    const run = await runToExit({ DATA_FILE: dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/seatlock: cannot start: DATA_FILE .*: not a readable seatlock database \(file is not a database\); it was not changed/);
    expect(readFileSync(dataFile).equals(garbage)).toBe(true);
  });

  it("stops the start on another application's SQLite database, and leaves it as it was", async () => {
    const dataFile = tempDataFile();
    const other = new Database(dataFile);
    other.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT); INSERT INTO invoices (total) VALUES ('12.00');");
    other.close();
    const before = readFileSync(dataFile);
    const run = await runToExit({ DATA_FILE: dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATA_FILE .*: a database of another application, not seatlock's; it was not changed/);
    expect(readFileSync(dataFile).equals(before)).toBe(true);
  });

  it('stops the start on a path that cannot be opened', async () => {
    const directory = dirname(tempDataFile());
    mkdirSync(join(directory, 'seatlock.db'));
    const run = await runToExit({ DATA_FILE: join(directory, 'seatlock.db') });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/seatlock: cannot start: DATA_FILE .*seatlock\.db/);
  });

  it('stops the start when DATA_FILE and REDIS_URL are both set, naming both', async () => {
    const run = await runToExit({ DATA_FILE: tempDataFile(), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATA_FILE and REDIS_URL are both set/);
  });
});
