import { describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import {
  BookingByIdDocument,
  ConfirmHoldDocument,
  EventSeatsDocument,
  EventsDocument,
  HoldByTokenDocument,
  LockSeatDocument,
  LockSeatsDocument,
  SeatChangedDocument,
} from '../../operations/generated/graphql.js';
import type { GraphQLHttpClient } from '../support/graphql-client.js';
import { listeningApp, wsClientFor } from '../support/apps.js';
import { testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { spawnServer, tempJsonFile } from '../support/processes.js';
import { startRedisServer } from '../support/redis-server.js';
import { seatStatuses } from '../support/snapshot.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';
import { redisServer } from '../support/prerequisites.js';

/** What a call answered, and how long it took (the bounds a hung Redis must keep). */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

describe.skipIf(!redisServer.present)('Redis faults', () => {
  it('answers STORE_UNAVAILABLE while Redis is down, recovers by itself, and keeps confirmed bookings', async () => {
    const redis = await startRedisServer({ appendOnly: true });
    try {
      const env = { REDIS_URL: redis.url, EVENTS_FILE: tempJsonFile(testEventsDocument), LOCKS_PER_MINUTE: '0', MAX_SEATS_PER_CLIENT: '0' };
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      const subscriber = wsClientFor(b.url);
      const changes = new Recorder(subscriber, SeatChangedDocument, { eventId: 'play' });
      await subscribed(b, 1);

      const hold = expectType((await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
      expectType((await a.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
      await vi.waitFor(() => expect(changes.results).toHaveLength(2), { timeout: 15_000, interval: 20 });

      // A steady stream of mutations runs through the outage.
      const outcomes: string[] = [];
      let streaming = true;
      const stream = (async () => {
        for (let index = 0; streaming; index++) {
          const seatId = `C-${(index % 5) + 1}`;
          const result = await a.client.execute(LockSeatDocument, { eventId: 'play', seatId });
          outcomes.push(result.data?.lockSeat.__typename ?? String(result.errors?.[0]?.extensions?.code));
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      await vi.waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(5), { timeout: 15_000, interval: 20 });

      await redis.stop();
      await vi.waitFor(() => expect(outcomes.slice(-3)).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']), {
        timeout: 15_000,
        interval: 50,
      });
      expect((await fetch(new URL('/ready', a.url))).status).toBe(503);
      expect((await fetch(new URL('/health', a.url))).status).toBe(200);
      const down = await b.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'B-1' });
      expect(down.errors).toEqual([
        expect.objectContaining({ message: 'The seat store is unavailable. Try again shortly.', extensions: { code: 'STORE_UNAVAILABLE' } }),
      ]);

      await redis.restart();
      await vi.waitFor(async () => expect((await fetch(new URL('/ready', a.url))).status).toBe(200), { timeout: 10_000, interval: 100 });
      await vi.waitFor(() => expect(outcomes.at(-1)).toMatch(/^(Hold|SeatUnavailableError)$/), { timeout: 10_000, interval: 50 });
      streaming = false;
      await stream;

      // A lock under way when Redis went down has an unknown outcome; all others a definite one.
      expect(outcomes).toEqual(expect.arrayContaining(['Hold', 'STORE_UNAVAILABLE']));
      expect(outcomes.filter((outcome) => !['Hold', 'SeatUnavailableError', 'STORE_UNAVAILABLE', 'STORE_OUTCOME_UNKNOWN'].includes(outcome))).toEqual([]);
      expect((await seatStatuses(b.client, 'play'))['A-1']).toBe('BOOKED');

      // The subscription on B lived through the outage and carries new changes again.
      const before = changes.results.length;
      await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-5' });
      await vi.waitFor(() => expect(changes.data.slice(before).map((data) => data.seatChanged.seat.id)).toContain('B-5'), { timeout: 15_000, interval: 50 });
      const versions = changes.data.map((data) => data.seatChanged.version);
      expect(versions).toEqual(versions.map((_, index) => index + 1));

      for (const server of [a, b]) {
        expect(server.output().stderr).not.toMatch(/Unhandled|ERR_UNHANDLED/);
      }
      await changes.stop();
      await subscriber.dispose();
      expect(await a.kill('SIGTERM')).toBe(0);
      expect(await b.kill('SIGTERM')).toBe(0);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('stops selling on every instance when Redis comes back empty, says why, and sells again only after a restart', async () => {
    const redis = await startRedisServer();
    try {
      const env = { REDIS_URL: redis.url, EVENTS_FILE: tempJsonFile(testEventsDocument), LOCKS_PER_MINUTE: '0', MAX_SEATS_PER_CLIENT: '0' };
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      const soldTo = new Map<string, string[]>();
      const outcomes: string[] = [];
      let buying = true;
      const buyer = async (client: GraphQLHttpClient, offset: number) => {
        for (let index = offset; buying; index += 2) {
          const seatId = `${'ABC'[index % 3]}-${(index % 5) + 1}`;
          const locked = await client.execute(LockSeatDocument, { eventId: 'play', seatId });
          const lockSeat = locked.data?.lockSeat;
          outcomes.push(lockSeat?.__typename ?? String(locked.errors?.[0]?.extensions?.code));
          if (lockSeat?.__typename === 'Hold') {
            const confirmed = await client.execute(ConfirmHoldDocument, { holdToken: lockSeat.token });
            const booking = confirmed.data?.confirmHold;
            if (booking?.__typename === 'Booking') soldTo.set(seatId, [...(soldTo.get(seatId) ?? []), booking.id]);
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const buyers = [buyer(a.client, 0), buyer(b.client, 1)];
      await vi.waitFor(() => expect(soldTo.size).toBeGreaterThanOrEqual(3), { timeout: 15_000, interval: 20 });

      await redis.stop();
      await redis.restart();
      const lostAt = outcomes.length;
      for (const server of [a, b]) {
        await vi.waitFor(async () => expect((await fetch(new URL('/ready', server.url))).status).toBe(503), { timeout: 10_000, interval: 100 });
        await vi.waitFor(() => expect(server.output().stdout).toMatch(/STOPPED SELLING: the Redis store .* its data is gone/), {
          timeout: 15_000,
          interval: 50,
        });
      }
      // The buyers try again and again on the empty store: nothing is sold.
      const soldBefore = [...soldTo.values()].flat().length;
      const triedBefore = outcomes.length;
      await vi.waitFor(() => expect(outcomes.length - triedBefore).toBeGreaterThanOrEqual(30), { timeout: 30_000, interval: 20 });
      buying = false;
      await Promise.all(buyers);
      const afterLoss = outcomes.slice(lostAt).filter((outcome) => outcome !== 'STORE_UNAVAILABLE');
      // At most the requests already in Redis's hands when it went down were answered otherwise.
      expect(afterLoss.length).toBeLessThanOrEqual(2);
      expect([...soldTo.values()].flat().length).toBeLessThanOrEqual(soldBefore + 2);
      for (const [seatId, bookings] of soldTo) expect(bookings, seatId).toHaveLength(1);
      const stopped = await a.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
      expect(stopped.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      // Not "no events": the events are there, this instance cannot serve them.
      const listed = await a.client.execute(EventsDocument, {});
      expect(listed.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      expect(a.output().stdout.match(/STOPPED SELLING/g)).toHaveLength(1);

      // The operator restarts one instance: it takes Redis as it is now and sells; B stays stopped.
      await a.kill('SIGTERM');
      const restarted = await spawnServer(env);
      expectType((await restarted.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
      await vi.waitFor(async () => expect((await fetch(new URL('/ready', restarted.url))).status).toBe(200), { timeout: 15_000, interval: 100 });
      const stillStopped = await b.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'A-2' });
      expect(stillStopped.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      await vi.waitFor(() => expect(b.output().stdout).toMatch(/STOPPED SELLING/), { timeout: 15_000 });
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('answers within REDIS_TIMEOUT_SECONDS when Redis hangs, tells an unknown outcome from a change never sent, and /ready follows', async () => {
    const redis = await startRedisServer();
    try {
      const server = await listeningApp({ redisUrl: redis.url, redisKeyPrefix: uniqueKeyPrefix(), redisTimeoutMs: 1_000 });
      expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');

      // Bounded by the 1 s timeout, with room for a loaded test machine; unbounded it is the pause.
      const bound = 3_500;
      redis.pause();
      // Sent, then no answer: it may have locked, so the answer names the hold it would be.
      const lock = await timed(() => server.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'A-2' }));
      expect(lock.ms).toBeLessThan(bound);
      expect(lock.value.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/may or may not have been made/),
          extensions: { code: 'STORE_OUTCOME_UNKNOWN', holdToken: expect.stringMatching(/^play\./) },
        }),
      ]);
      const holdToken = String(lock.value.errors?.[0]?.extensions?.holdToken);
      // A read changes nothing: plainly unavailable.
      const read = await timed(() => server.client.execute(EventSeatsDocument, { id: 'play' }));
      expect(read.ms).toBeLessThan(bound);
      expect(read.value.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      const ready = await timed(() => fetch(new URL('/ready', server.url)));
      expect(ready.ms).toBeLessThan(bound);
      expect(ready.value.status).toBe(503);

      redis.resume();
      await vi.waitFor(async () => expect((await fetch(new URL('/ready', server.url))).status).toBe(200), { timeout: 10_000, interval: 100 });
      // Redis ran the lock once it woke: the client looks it up instead of locking again.
      const looked = await server.client.data(HoldByTokenDocument, { token: holdToken });
      expect(looked.hold).toMatchObject({ status: 'ACTIVE', seats: [{ id: 'A-2' }] });

      // Down, not hung: the lock is never sent, so it is plainly unavailable.
      await redis.stop();
      const refused = await timed(() => server.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'A-3' }));
      expect(refused.ms).toBeLessThan(bound);
      expect(refused.value.errors?.[0]?.extensions).toEqual({ code: 'STORE_UNAVAILABLE' });
    } finally {
      redis.resume();
      await redis.stop();
    }
  });

  it('stops selling when Redis comes back from an older snapshot, sells nothing twice, and says why once', async () => {
    const redis = await startRedisServer();
    try {
      const env = { REDIS_URL: redis.url, EVENTS_FILE: tempJsonFile(testEventsDocument), LOCKS_PER_MINUTE: '0', MAX_SEATS_PER_CLIENT: '0' };
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      const book = async (client: GraphQLHttpClient, seatIds: string[]) => {
        const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds })).lockSeats, 'Hold');
        return expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking').id;
      };
      const early = await book(a.client, ['A-1', 'A-2']);
      const admin = new Redis(redis.url);
      try {
        await admin.save();
      } finally {
        admin.disconnect();
      }
      // Sold after the snapshot, on both instances: what the rollback takes away.
      const late = [await book(a.client, ['B-1']), await book(b.client, ['B-2'])];
      await vi.waitFor(async () => expect((await seatStatuses(b.client, 'play'))['B-1']).toBe('BOOKED'), { timeout: 15_000, interval: 50 });

      await redis.crash();
      await redis.restart();
      for (const server of [a, b]) {
        await vi.waitFor(async () => expect((await fetch(new URL('/ready', server.url))).status).toBe(503), { timeout: 10_000, interval: 100 });
        await vi.waitFor(
          () =>
            expect(server.output().stdout).toMatch(
              /STOPPED SELLING: .* it was rolled back: event "play" is at version \d+ there, and this instance saw version \d+/,
            ),
          {
            timeout: 15_000,
            interval: 50,
          },
        );
        // B-1 and B-2 are AVAILABLE in the old snapshot: selling them again would sell them twice.
        for (const seatId of ['B-1', 'B-2', 'C-1']) {
          const refused = await server.client.execute(LockSeatDocument, { eventId: 'play', seatId });
          expect(refused.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
        }
        expect((await server.client.execute(EventsDocument, {})).errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
        expect(server.output().stdout.match(/STOPPED SELLING/g)).toHaveLength(1);
      }

      // The operator accepts the store as it now is by restarting the instances (docs/scaling.md).
      await a.kill('SIGTERM');
      const restarted = await spawnServer(env);
      await vi.waitFor(async () => expect((await fetch(new URL('/ready', restarted.url))).status).toBe(200), { timeout: 15_000, interval: 100 });
      expect((await restarted.client.data(BookingByIdDocument, { id: early })).booking?.status).toBe('CONFIRMED');
      for (const id of late) expect((await restarted.client.data(BookingByIdDocument, { id })).booking).toBeNull();
      expectType((await restarted.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' })).lockSeat, 'Hold');
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('answers a lock within REDIS_TIMEOUT_SECONDS and a half when Redis hangs, lock-rate count included, and /ready at once', async () => {
    const redis = await startRedisServer();
    try {
      // The default lock-rate limit: its count is a Redis round trip of its own before the lock's.
      const server = await listeningApp({
        redisUrl: redis.url,
        redisKeyPrefix: uniqueKeyPrefix(),
        redisTimeoutMs: 3_000,
        lockRate: { burst: 60, perMinute: 600 },
      });
      const first = expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
      redis.pause();
      // Each was two full timeouts (6 s) before one deadline bounded the whole request.
      const lock = await timed(() => server.client.execute(LockSeatDocument, { eventId: 'play', seatId: 'A-2' }));
      expect(lock.value.errors?.[0]?.extensions?.code).toBe('STORE_OUTCOME_UNKNOWN');
      expect(lock.ms).toBeLessThan(5_000);
      // A token of another event: its sales are read first, then the lock runs.
      const crossEvent = await timed(() => server.client.execute(LockSeatsDocument, { eventId: 'concert', seatIds: ['A-1'], holdToken: first.token }));
      expect(crossEvent.value.errors?.[0]?.extensions?.code).toMatch(/^STORE_(UNAVAILABLE|OUTCOME_UNKNOWN)$/);
      expect(crossEvent.ms).toBeLessThan(5_000);
      const ready = await timed(() => fetch(new URL('/ready', server.url)));
      expect(ready.value.status).toBe(503);
      expect(ready.ms).toBeLessThan(2_000);
    } finally {
      redis.resume();
      await redis.stop();
    }
  }, 30_000);
});
