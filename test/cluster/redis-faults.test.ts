import { describe, expect, it, vi } from 'vitest';
import { ConfirmHoldDocument, LockSeatDocument, SeatChangedDocument } from '../../operations/generated/graphql.js';
import { wsClientFor } from '../support/apps.js';
import { testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { spawnServer, tempJsonFile } from '../support/processes.js';
import { startRedisServer } from '../support/redis-server.js';
import { seatStatuses } from '../support/snapshot.js';
import { Recorder, subscriptionSettled } from '../support/subscriptions.js';

describe('Redis faults', () => {
  it('answers STORE_UNAVAILABLE while Redis is down, recovers by itself, and keeps confirmed bookings', async () => {
    const redis = await startRedisServer({ appendOnly: true });
    try {
      const env = { REDIS_URL: redis.url, EVENTS_FILE: tempJsonFile(testEventsDocument), LOCKS_PER_MINUTE: '0', MAX_SEATS_PER_CLIENT: '0' };
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      const subscriber = wsClientFor(b.url);
      const changes = new Recorder(subscriber, SeatChangedDocument, { eventId: 'play' });
      await subscriptionSettled();

      const hold = expectType((await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
      expectType((await a.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
      await vi.waitFor(() => expect(changes.results).toHaveLength(2), { timeout: 3_000, interval: 20 });

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
      await new Promise((resolve) => setTimeout(resolve, 200));

      await redis.stop();
      await vi.waitFor(() => expect(outcomes.slice(-3)).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']), {
        timeout: 5_000,
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

      expect(new Set(outcomes)).toEqual(new Set(['Hold', 'SeatUnavailableError', 'STORE_UNAVAILABLE']));
      expect((await seatStatuses(b.client, 'play'))['A-1']).toBe('BOOKED');

      // The subscription on B lived through the outage and carries new changes again.
      const before = changes.results.length;
      await a.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-5' });
      await vi.waitFor(
        () => expect(changes.data.slice(before).map((data) => data.seatChanged.seat.id)).toContain('B-5'),
        { timeout: 5_000, interval: 50 },
      );
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
});
