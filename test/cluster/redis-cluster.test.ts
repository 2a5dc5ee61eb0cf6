import { describe, expect, it, vi } from 'vitest';
import { ConfirmSeatDocument, CreateEventDocument, LockSeatsDocument, LockSeatDocument, SeatChangedAfterDocument } from '../../operations/generated/graphql.js';
import { wsClientFor } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { redisServer } from '../support/prerequisites.js';
import { spawnServer, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';

const PREFIX = uniqueKeyPrefix();
const ADMIN_TOKEN = 'cluster-admin-token-0123456789abcdefghij';

describe.skipIf(!redisServer.present)('on a Redis Cluster of three masters', () => {
  it('sells across two instances with events on every master, and lives through a master restarting', async () => {
    const cluster = await startRedisCluster();
    const subscribers: { stop(): Promise<void> }[] = [];
    try {
      // One event on each master: each event's keys share the hash tag {event:<id>}, one slot.
      const eventOnMaster = new Map<number, string>();
      for (let index = 0; eventOnMaster.size < 3; index++) {
        const master = await cluster.masterOf(`${PREFIX}:{event:show-${index}}`);
        if (!eventOnMaster.has(master)) eventOnMaster.set(master, `show-${index}`);
      }
      const events = [0, 1, 2].map((master) => eventOnMaster.get(master) as string);
      const eventsFile = tempJsonFile({
        events: events.map((id) => ({ id, name: id, sections: [{ name: 'Stalls', rows: [{ row: 'A', seats: 6 }] }] })),
      });
      const env = {
        REDIS_CLUSTER_NODES: cluster.env,
        REDIS_KEY_PREFIX: PREFIX,
        EVENTS_FILE: eventsFile,
        LOCK_TTL_SECONDS: '1',
        LOCKS_PER_MINUTE: '0',
        MAX_SEATS_PER_CLIENT: '0',
        ADMIN_TOKEN,
      };
      const [a, b] = (await Promise.all([spawnServer(env), spawnServer(env)])) as [ServerProcess, ServerProcess];
      const client = wsClientFor(b.url);
      const watchers = new Map(events.map((eventId) => [eventId, new Recorder(client, SeatChangedAfterDocument, { eventId })]));
      subscribers.push(...watchers.values(), { stop: async () => void (await client.dispose()) });
      await subscribed(b, watchers.size);

      // On every master: a lock on A, a confirm on B, an expiry that no one asked for.
      for (const eventId of events) {
        const hold = expectType((await a.client.data(LockSeatsDocument, { eventId, seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
        expectType((await b.client.data(ConfirmSeatDocument, { eventId, seatId: 'A-1', holdToken: hold.token })).confirmSeat, 'Booking');
      }
      for (const eventId of events) {
        const watcher = watchers.get(eventId);
        await vi.waitFor(() => expect(watcher?.results).toHaveLength(4), { timeout: 15_000, interval: 50 });
        expect(watcher?.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([
          [1, 'A-1', 'LOCKED'],
          [2, 'A-2', 'LOCKED'],
          [3, 'A-1', 'BOOKED'],
          [4, 'A-2', 'EXPIRED'],
        ]);
      }

      // One master goes away: its event answers STORE_UNAVAILABLE, the others sell on.
      const [down, up] = events as [string, string, string];
      await cluster.stopNode(0);
      await vi.waitFor(
        async () => {
          const refused = await a.client.execute(LockSeatDocument, { eventId: down, seatId: 'A-3' });
          expect(refused.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
        },
        { timeout: 10_000, interval: 200 },
      );
      expectType((await a.client.data(LockSeatDocument, { eventId: up, seatId: 'A-3' })).lockSeat, 'Hold');
      await vi.waitFor(() => expect(watchers.get(up)?.data.at(-1)?.seatChanged.seat.id).toBe('A-3'), { timeout: 15_000, interval: 50 });

      // Back again (with its append-only file): its event sells, and B's subscriber carries on.
      await cluster.restartNode(0);
      await vi.waitFor(
        async () => {
          const result = await a.client.execute(LockSeatDocument, { eventId: down, seatId: 'A-4' });
          expect(result.data?.lockSeat.__typename).toBe('Hold');
        },
        { timeout: 20_000, interval: 250 },
      );
      await vi.waitFor(() => expect(watchers.get(down)?.data.at(-1)?.seatChanged).toMatchObject({ reason: 'LOCKED', seat: { id: 'A-4' } }), {
        timeout: 10_000,
        interval: 50,
      });
      const versions = watchers.get(down)?.data.map(({ seatChanged }) => seatChanged.version) ?? [];
      expect(versions).toEqual(versions.map((_, index) => index + 1));
      // What was booked before the restart is still booked.
      const again = await b.client.execute(LockSeatDocument, { eventId: down, seatId: 'A-1' });
      expect(again.data?.lockSeat.__typename).toBe('SeatUnavailableError');

      // An event made at runtime on A is read by B's feed (a connection of its own) at once.
      const created = await a.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` }).data(CreateEventDocument, {
        input: { id: 'late-show', name: 'Late Show', sections: [{ name: 'Stalls', rows: [{ row: 'A', seats: 4 }] }] },
      });
      expectType(created.createEvent, 'Event');
      const late = new Recorder(client, SeatChangedAfterDocument, { eventId: 'late-show' });
      subscribers.unshift(late);
      await subscribed(b, watchers.size + 1);
      expectType((await a.client.data(LockSeatDocument, { eventId: 'late-show', seatId: 'A-2' })).lockSeat, 'Hold');
      await vi.waitFor(() => expect(late.data.map(({ seatChanged: c }) => [c.version, c.seat.id, c.reason])).toEqual([[1, 'A-2', 'LOCKED']]), {
        timeout: 15_000,
        interval: 50,
      });
      for (const server of [a, b]) expect(server.output().stderr).not.toMatch(/Unhandled|ERR_UNHANDLED/);
    } finally {
      for (const subscriber of subscribers) await subscriber.stop().catch(() => undefined);
      await cluster.stop();
    }
  }, 90_000);
});
