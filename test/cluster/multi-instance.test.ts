import { describe, expect, inject, it, vi } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmHoldDocument,
  CreateEventDocument,
  EventsDocument,
  ConfirmSeatDocument,
  HoldByTokenDocument,
  LockBestAvailableDocument,
  LockSeatDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  ReleaseSeatDocument,
  RemoveEventDocument,
  SeatChangedAfterDocument,
  SeatChangedDocument,
  UpdateEventDocument,
} from '../../operations/generated/graphql.js';
import { inProcessApp, wsClientFor } from '../support/apps.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { spawnServer, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { eventSnapshot } from '../support/snapshot.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';
import { redisAvailable } from '../support/prerequisites.js';

/** The environment of instances of one deployment on the run's Redis: one key prefix, the test events. */
function deploymentEnv(env: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: uniqueKeyPrefix(),
    EVENTS_FILE: tempJsonFile(testEventsDocument),
    LOCKS_PER_MINUTE: '0',
    MAX_SEATS_PER_CLIENT: '0',
    ...env,
  };
}

/** `count` server processes of one deployment on the run's Redis. */
async function cluster(count: number, env: Record<string, string> = {}): Promise<ServerProcess[]> {
  const shared = deploymentEnv(env);
  return Promise.all(Array.from({ length: count }, () => spawnServer(shared)));
}

function subscribe(server: ServerProcess, eventId: string) {
  const client = wsClientFor(server.url);
  return { client, changes: new Recorder(client, SeatChangedDocument, { eventId }) };
}

describe.skipIf(!redisAvailable)('several instances on one Redis', () => {
  it('serves only once its change feed reads: ready as soon as it says it started, and no change lost right after', async () => {
    const shared = deploymentEnv();
    const b = await spawnServer(shared);
    for (const seatId of ['C-1', 'C-2', 'C-3', 'C-4']) {
      const a = await spawnServer(shared);
      expect((await fetch(new URL('/ready', a.url))).status).toBe(200);
      const { client, changes } = subscribe(a, 'play');
      // Subscribed on a new instance: the next change made anywhere must reach it.
      await subscribed(a, 1);
      expectType((await b.client.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat, 'Hold');
      await vi.waitFor(() => expect(changes.data.map(({ seatChanged }) => seatChanged.seat.id)).toEqual([seatId]), { timeout: 15_000, interval: 20 });
      await changes.stop();
      await client.dispose();
      await a.kill();
    }
  });

  it('delivers changes made on A to a subscriber on B, in version order', async () => {
    const [a, b] = (await cluster(2)) as [ServerProcess, ServerProcess];
    const { client, changes } = subscribe(b, 'play');
    await subscribed(b, 1);

    const hold = expectType((await a.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-3'] })).lockSeats, 'Hold');
    await a.client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: hold.token });
    await b.client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: hold.token });
    await a.client.data(ReleaseHoldDocument, { holdToken: hold.token });

    await vi.waitFor(() => expect(changes.results).toHaveLength(6), { timeout: 15_000, interval: 20 });
    expect(changes.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([
      [1, 'A-1', 'LOCKED'],
      [2, 'A-2', 'LOCKED'],
      [3, 'A-3', 'LOCKED'],
      [4, 'A-1', 'BOOKED'],
      [5, 'A-2', 'RELEASED'],
      [6, 'A-3', 'RELEASED'],
    ]);
    await changes.stop();
    await client.dispose();
  });

  it('200 clients spread over 3 instances race for one seat: one winner', async () => {
    const servers = await cluster(3);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) => servers[index % servers.length]!.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-3' })),
    );
    const winners = results.filter((result) => result.lockSeat.__typename === 'Hold');
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.lockSeat.__typename === 'SeatUnavailableError')).toHaveLength(199);
    for (const server of servers) expect((await eventSnapshot(server.client, 'play')).counts.locked).toBe(1);
  });

  it('1,000 random operations across instances: no seat booked twice, and the state is what the successes say', async () => {
    const servers = await cluster(3, { MAX_SEATS_PER_HOLD: '3' });
    const { client, changes } = subscribe(servers[0]!, 'play');
    await subscribed(servers[0]!, 1);
    const seatIds = (await eventSnapshot(servers[0]!.client, 'play')).seats.map((seat) => seat.id);

    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = () => seatIds[random(seatIds.length)] as string;
    // Each worker owns its holds, so what a success changed follows from the worker's own steps.
    const lockedBy = new Map<string, Set<string>>();
    const bookedSeats: string[] = [];
    let expectedChanges = 0;

    const worker = async (id: number, operations: number) => {
      const tokens: string[] = [];
      for (let step = 0; step < operations; step++) {
        const server = servers[random(servers.length)]!;
        const token = tokens.length > 0 && random(3) > 0 ? tokens[random(tokens.length)] : undefined;
        const choice = random(10);
        if (choice < 5 || !token) {
          const wanted = [...new Set([pick(), pick()])];
          const result = (await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: wanted, holdToken: token })).lockSeats;
          if (result.__typename === 'Hold') {
            const held = lockedBy.get(result.token) ?? new Set();
            const added = wanted.filter((seat) => !held.has(seat) && !bookedSeats.includes(seat));
            expectedChanges += wanted.filter((seat) => !held.has(seat)).length;
            for (const seat of added) held.add(seat);
            lockedBy.set(result.token, held);
            if (!token) tokens.push(result.token);
          }
        } else if (choice < 7) {
          const result = (await server.client.data(ConfirmHoldDocument, { holdToken: token })).confirmHold;
          if (result.__typename === 'Booking' && lockedBy.get(token)?.size) {
            expectedChanges += result.seats.length;
            bookedSeats.push(...result.seats.map((seat) => seat.id));
            lockedBy.set(token, new Set());
          }
        } else if (choice < 9) {
          const seat = [...(lockedBy.get(token) ?? [])][0];
          if (seat) {
            const result = (await server.client.data(ReleaseSeatDocument, { eventId: 'play', seatId: seat, holdToken: token })).releaseSeat;
            if (result.__typename === 'SeatRelease' && result.seats.length > 0) {
              expectedChanges += 1;
              lockedBy.get(token)?.delete(seat);
            }
          }
        } else {
          const result = (await server.client.data(ReleaseHoldDocument, { holdToken: token })).releaseHold;
          if (result.__typename === 'SeatRelease') {
            expectedChanges += result.seats.length;
            lockedBy.set(token, new Set());
          }
        }
      }
      return id;
    };
    await Promise.all(Array.from({ length: 20 }, (_, id) => worker(id, 50)));

    expect(new Set(bookedSeats).size).toBe(bookedSeats.length);
    const snapshot = await eventSnapshot(servers[1]!.client, 'play');
    const expectedLocked = new Set([...lockedBy.values()].flatMap((seats) => [...seats]));
    for (const seat of snapshot.seats) {
      const expected = bookedSeats.includes(seat.id) ? 'BOOKED' : expectedLocked.has(seat.id) ? 'LOCKED' : 'AVAILABLE';
      expect(seat.status, seat.id).toBe(expected);
    }
    expect(snapshot.version).toBe(expectedChanges);
    for (const [token, seats] of lockedBy) {
      const { hold } = await servers[2]!.client.data(HoldByTokenDocument, { token });
      const locked = hold?.seats
        .filter((seat) => seat.status === 'LOCKED')
        .map((seat) => seat.id)
        .sort();
      expect(locked ?? [], token).toEqual([...seats].sort());
    }

    await vi.waitFor(() => expect(changes.results).toHaveLength(expectedChanges), { timeout: 15_000, interval: 50 });
    expect(changes.data.map((data) => data.seatChanged.version)).toEqual(Array.from({ length: expectedChanges }, (_, i) => i + 1));
    const booked = changes.data.filter((data) => data.seatChanged.reason === 'BOOKED').map((data) => data.seatChanged.seat.id);
    expect(booked.sort()).toEqual([...bookedSeats].sort());
    await changes.stop();
    await client.dispose();
  }, 60_000);

  it('expires the holds of an instance killed with SIGKILL on time, publishing EXPIRED once', async () => {
    const [a, b, c] = (await cluster(3, { LOCK_TTL_SECONDS: '1', HOLD_MAX_SECONDS: '5' })) as [ServerProcess, ServerProcess, ServerProcess];
    const onB = subscribe(b, 'play');
    const onC = subscribe(c, 'play');
    await subscribed(b, 1);
    await subscribed(c, 1);

    const hold = expectType((await a.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2'] })).lockSeats, 'Hold');
    await a.kill('SIGKILL');

    for (const { changes } of [onB, onC]) {
      await vi.waitFor(() => expect(changes.results).toHaveLength(4), { timeout: 15_000, interval: 20 });
    }
    // Swept by the survivors' timers at its deadline, not left for HOLD_MAX_SECONDS or a restart
    // (a bound against the wrong mechanism, loose enough for a busy machine).
    expect(Date.now() - Date.parse(hold.expiresAt)).toBeLessThan(4_000);
    // Both survivors sweep; a change after the expiry, seen by both, shows what was published
    // before it: each seat expired once.
    expectType((await c.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' })).lockSeat, 'Hold');
    for (const { changes, client } of [onB, onC]) {
      await vi.waitFor(() => expect(changes.results.length).toBeGreaterThanOrEqual(5), { timeout: 15_000, interval: 20 });
      expect(changes.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([
        [1, 'B-1', 'LOCKED'],
        [2, 'B-2', 'LOCKED'],
        [3, 'B-1', 'EXPIRED'],
        [4, 'B-2', 'EXPIRED'],
        [5, 'C-1', 'LOCKED'],
      ]);
      await changes.stop();
      await client.dispose();
    }
    const snapshot = await eventSnapshot(b.client, 'play');
    expect(snapshot.version).toBe(5);
    expect(snapshot.counts.locked).toBe(1);
  });

  it('serves an event created on A from B at once: locks, live changes, one expiry; a cancel on B is seen live on A', async () => {
    const token = 'cluster-admin-token-0123456789abcdefgh';
    const [a, b] = (await cluster(2, { ADMIN_TOKEN: token, LOCK_TTL_SECONDS: '1', HOLD_MAX_SECONDS: '5' })) as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${token}` };
    const input = { id: 'extra-show', name: 'Extra show', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 3 }] }] };
    expectType((await a.client.withHeaders(admin).data(CreateEventDocument, { input })).createEvent, 'Event');

    // B never heard of it, and locks in it at once; its subscribers see every change.
    const onB = subscribe(b, 'extra-show');
    const onA = subscribe(a, 'extra-show');
    await subscribed(b, 1);
    await subscribed(a, 1);
    const expiring = expectType((await b.client.data(LockSeatsDocument, { eventId: 'extra-show', seatIds: ['A-1'] })).lockSeats, 'Hold');
    const kept = expectType((await b.client.data(LockSeatsDocument, { eventId: 'extra-show', seatIds: ['A-2'] })).lockSeats, 'Hold');
    const booking = expectType((await a.client.data(ConfirmHoldDocument, { holdToken: kept.token, orderId: 'order-9' })).confirmHold, 'Booking');
    expect((await b.client.withHeaders(admin).data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking).toMatchObject({ status: 'CANCELLED' });

    const expected = [
      [1, 'A-1', 'LOCKED'],
      [2, 'A-2', 'LOCKED'],
      [3, 'A-2', 'BOOKED'],
      [4, 'A-2', 'CANCELLED'],
      [5, 'A-1', 'EXPIRED'],
    ];
    for (const { changes } of [onA, onB]) {
      await vi.waitFor(() => expect(changes.results).toHaveLength(5), { timeout: 15_000, interval: 20 });
    }
    expect(Date.now() - Date.parse(expiring.expiresAt)).toBeLessThan(4_000);
    // Both instances sweep the new event; a change after the expiry, seen by both, shows it
    // happened once.
    expectType((await a.client.data(LockSeatsDocument, { eventId: 'extra-show', seatIds: ['A-3'] })).lockSeats, 'Hold');
    expected.push([6, 'A-3', 'LOCKED']);
    for (const { changes, client } of [onA, onB]) {
      await vi.waitFor(() => expect(changes.results.length).toBeGreaterThanOrEqual(6), { timeout: 15_000, interval: 20 });
      expect(changes.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual(expected);
      await changes.stop();
      await client.dispose();
    }
    const events = await b.client.data(EventsDocument, {});
    expect(events.events.map((event) => event.id)).toEqual(expect.arrayContaining(['play', 'concert', 'extra-show']));
    expect((await eventSnapshot(b.client, 'extra-show')).version).toBe(6);
  });

  it("an event's life on A is every instance's: a rename, closed sales, and a removal that ends B's subscribers", async () => {
    const token = 'cluster-admin-token-0123456789abcdefgh';
    const [a, b] = (await cluster(2, { ADMIN_TOKEN: token })) as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${token}` };
    const input = { id: 'pop-up', name: 'Pop-up', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 3 }] }] };
    expectType((await a.client.withHeaders(admin).data(CreateEventDocument, { input })).createEvent, 'Event');
    expect((await eventSnapshot(b.client, 'pop-up')).name).toBe('Pop-up');

    expectType(
      (await a.client.withHeaders(admin).data(UpdateEventDocument, { eventId: 'pop-up', name: 'Pop-up (moved)', salesOpen: false })).updateEvent,
      'Event',
    );
    expect(await eventSnapshot(b.client, 'pop-up')).toMatchObject({ name: 'Pop-up (moved)', salesOpen: false });
    expect((await b.client.data(LockSeatsDocument, { eventId: 'pop-up', seatIds: ['A-1'] })).lockSeats.__typename).toBe('SalesClosedError');
    expectType((await b.client.withHeaders(admin).data(UpdateEventDocument, { eventId: 'pop-up', salesOpen: true })).updateEvent, 'Event');
    const hold = expectType((await a.client.data(LockSeatsDocument, { eventId: 'pop-up', seatIds: ['A-1'] })).lockSeats, 'Hold');
    expectType((await b.client.data(ReleaseHoldDocument, { holdToken: hold.token })).releaseHold, 'SeatRelease');

    const onB = subscribe(b, 'pop-up');
    await subscribed(b, 1);
    expectType((await a.client.withHeaders(admin).data(RemoveEventDocument, { eventId: 'pop-up' })).removeEvent, 'EventRemoval');
    await onB.changes.done;
    expect(onB.changes.results).toEqual([]);
    expect((await b.client.data(LockSeatsDocument, { eventId: 'pop-up', seatIds: ['A-1'] })).lockSeats.__typename).toBe('EventNotFoundError');
    expect((await b.client.data(EventsDocument, {})).events.map((event) => event.id)).not.toContain('pop-up');

    // Made again on B with another layout: A serves the new one, not the one it knew.
    const bigger = { ...input, name: 'Pop-up again', sections: [{ name: 'Floor', rows: [{ row: 'B', seats: 2 }] }] };
    expectType((await b.client.withHeaders(admin).data(CreateEventDocument, { input: bigger })).createEvent, 'Event');
    const onA = subscribe(a, 'pop-up');
    await subscribed(a, 1);
    expectType((await a.client.data(LockSeatsDocument, { eventId: 'pop-up', seatIds: ['B-2'] })).lockSeats, 'Hold');
    expect((await a.client.data(LockSeatsDocument, { eventId: 'pop-up', seatIds: ['A-1'] })).lockSeats.__typename).toBe('SeatNotFoundError');
    await vi.waitFor(() => expect(onA.changes.results).toHaveLength(1), { timeout: 15_000, interval: 20 });
    expect(onA.changes.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([[1, 'B-2', 'LOCKED']]);
    await onA.changes.stop();
    for (const { client } of [onA, onB]) await client.dispose();
  });

  it('removeEvent on A racing 50 locks on B: either the removal wins and no lock does, or a lock wins and the removal is refused', async () => {
    const token = 'cluster-admin-token-0123456789abcdefgh';
    const [a, b] = (await cluster(2, { ADMIN_TOKEN: token })) as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${token}` };
    for (let round = 0; round < 3; round++) {
      const eventId = `race-${round}`;
      const input = { id: eventId, name: 'Race', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 50 }] }] };
      expectType((await a.client.withHeaders(admin).data(CreateEventDocument, { input })).createEvent, 'Event');
      await eventSnapshot(b.client, eventId);
      const [removal, ...locks] = await Promise.all([
        a.client.withHeaders(admin).data(RemoveEventDocument, { eventId }),
        ...Array.from({ length: 50 }, (_, index) => b.client.data(LockSeatsDocument, { eventId, seatIds: [`A-${index + 1}`] })),
      ]);
      const won = locks.filter((lock) => lock.lockSeats.__typename === 'Hold').length;
      if (removal?.removeEvent.__typename === 'EventRemoval') {
        expect(won).toBe(0);
        for (const lock of locks) expect(lock.lockSeats.__typename).toBe('EventNotFoundError');
      } else {
        expect(removal?.removeEvent).toMatchObject({ __typename: 'EventNotRemovableError', reason: 'HAS_LOCKED_SEATS' });
        expect(won).toBeGreaterThan(0);
        expect((await eventSnapshot(a.client, eventId)).counts.locked).toBe(won);
      }
    }
  });

  it('resumes a subscriber on B after it left A: every change made on either meanwhile, once, then live ones', async () => {
    const [a, b] = (await cluster(2)) as [ServerProcess, ServerProcess];
    const onA = subscribe(a, 'play');
    await subscribed(a, 1);
    const first = expectType((await a.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    await vi.waitFor(() => expect(onA.changes.results).toHaveLength(2), { timeout: 15_000, interval: 20 });
    const left = onA.changes.data.at(-1)?.seatChanged.version as number;
    await onA.changes.stop();
    await onA.client.dispose();

    await b.client.data(ReleaseHoldDocument, { holdToken: first.token });
    await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-3' });
    const client = wsClientFor(b.url);
    const resumed = new Recorder(client, SeatChangedAfterDocument, { eventId: 'play', afterVersion: left });
    await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-4' });
    await vi.waitFor(() => expect(resumed.results).toHaveLength(4), { timeout: 15_000, interval: 20 });
    expect(resumed.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([
      [left + 1, 'A-1', 'RELEASED'],
      [left + 2, 'A-2', 'RELEASED'],
      [left + 3, 'C-3', 'LOCKED'],
      [left + 4, 'C-4', 'LOCKED'],
    ]);
    await resumed.stop();
    await client.dispose();
  });

  it('200 best-available requests spread over two instances get 200 disjoint holds of one 400-seat event', { timeout: 60_000 }, async () => {
    const hall = {
      events: [{ id: 'hall', name: 'Hall', sections: [{ name: 'Stalls', rows: Array.from({ length: 20 }, (_, index) => ({ row: `R${index}`, seats: 20 })) }] }],
    };
    const [a, b] = (await cluster(2, { EVENTS_FILE: tempJsonFile(hall) })) as [ServerProcess, ServerProcess];
    const results = await Promise.all(
      Array.from({ length: 205 }, (_, index) => (index % 2 === 0 ? a : b).client.data(LockBestAvailableDocument, { eventId: 'hall', count: 2 })),
    );
    const outcomes = results.map((result) => result.lockBestAvailable);
    const seats = outcomes.flatMap((outcome) => (outcome.__typename === 'Hold' ? outcome.seats.map((seat) => seat.id) : []));
    expect(outcomes.filter((outcome) => outcome.__typename === 'Hold')).toHaveLength(200);
    expect(outcomes.filter((outcome) => outcome.__typename !== 'Hold').map((outcome) => outcome.__typename)).toEqual(
      Array.from({ length: 5 }, () => 'NotEnoughSeatsError'),
    );
    expect(new Set(seats).size).toBe(400);
    expect((await eventSnapshot(b.client, 'hall')).counts).toMatchObject({ locked: 400, available: 0 });
  });

  it('best available never answers SeatUnavailableError, however many instances want the same best seats', { timeout: 60_000 }, async () => {
    const hall = parseEventLayouts({
      events: [{ id: 'hall', name: 'Hall', sections: [{ name: 'Stalls', rows: Array.from({ length: 5 }, (_, index) => ({ row: `R${index}`, seats: 20 })) }] }],
    });
    const shared = { redisUrl: inject('redisUrl'), redisKeyPrefix: uniqueKeyPrefix(), redisTimeoutMs: 10_000 };
    // Four instances, each sure its own choices are the best: every one of them goes for the same seats.
    const instances = Array.from({ length: 4 }, () => inProcessApp(shared, { events: hall }));
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) => instances[index % 4]!.client.data(LockBestAvailableDocument, { eventId: 'hall', count: 1 })),
    );
    const outcomes = results.map((result) => result.lockBestAvailable.__typename);
    expect(outcomes.filter((outcome) => outcome === 'Hold')).toHaveLength(100);
    expect(outcomes.filter((outcome) => outcome !== 'Hold')).toEqual(Array.from({ length: 20 }, () => 'NotEnoughSeatsError'));
  });
});
