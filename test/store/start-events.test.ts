import { describe, expect, it, vi } from 'vitest';
import { CreateEventDocument, EventsDocument, RemoveEventDocument, UpdateEventDocument } from '../../operations/generated/graphql.js';
import { inProcessApp } from '../support/apps.js';
import { testEvents } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { redisServer } from '../support/prerequisites.js';
import { spawnServer, type ServerProcess } from '../support/processes.js';
import { fastOnly } from '../support/speed.js';
import { freePort, startRedisServer } from '../support/redis-server.js';
import { storeKinds } from '../support/stores.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const gig = { id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 4 }] }] };

const eventIds = async (client: ReturnType<typeof inProcessApp>['client']) => (await client.data(EventsDocument, {})).events.map((event) => event.id);

describe.each(storeKinds.filter((kind) => kind.name !== 'memory'))('the events a $name store starts with', ({ config }) => {
  it('makes the demo event only in a store this start creates, and lets the box office remove it for good', async () => {
    const settings = { ...config(), adminToken: ADMIN_TOKEN };
    // No EVENTS_FILE: the demo event.
    const first = inProcessApp(settings, { events: undefined });
    expect(await eventIds(first.client)).toEqual(['demo']);
    const removed = (await first.client.withHeaders(admin).data(RemoveEventDocument, { eventId: 'demo' })).removeEvent;
    expect(removed).toMatchObject({ __typename: 'EventRemoval', eventId: 'demo' });
    expectType((await first.client.withHeaders(admin).data(CreateEventDocument, { input: gig })).createEvent, 'Event');
    await first.app.stop();

    const second = inProcessApp(settings, { events: undefined });
    expect(await eventIds(second.client)).toEqual(['gig']);
    await second.app.stop();
    // Not even into a store whose events are all gone: it is not new.
    const third = inProcessApp(settings, { events: undefined });
    expectType((await third.client.withHeaders(admin).data(RemoveEventDocument, { eventId: 'gig' })).removeEvent, 'EventRemoval');
    await third.app.stop();
    const fourth = inProcessApp(settings, { events: undefined });
    expect(await eventIds(fourth.client)).toEqual([]);
  });

  it("takes a new name from EVENTS_FILE at a restart, unless the box office gave the event another, and keeps the file's events", async () => {
    const settings = { ...config(), adminToken: ADMIN_TOKEN };
    const named = (name: string) => testEvents().map((event) => (event.id === 'play' ? { ...event, name } : event));
    const first = inProcessApp(settings, { events: named('A Play') });
    // The name it already has: nothing is renamed.
    expectType((await first.client.withHeaders(admin).data(UpdateEventDocument, { eventId: 'play', name: 'A Play' })).updateEvent, 'Event');
    const pinned = (await first.client.withHeaders(admin).data(RemoveEventDocument, { eventId: 'concert' })).removeEvent;
    expect(pinned).toMatchObject({ __typename: 'EventNotRemovableError', reason: 'IN_EVENTS_FILE' });
    await first.app.stop();

    const second = inProcessApp(settings, { events: named('A Play (revised)') });
    const served = async (client: typeof second.client) => (await client.data(EventsDocument, {})).events.find((event) => event.id === 'play')?.name;
    expect(await served(second.client)).toBe('A Play (revised)');
    expectType((await second.client.withHeaders(admin).data(UpdateEventDocument, { eventId: 'play', name: 'Matinee' })).updateEvent, 'Event');
    await second.app.stop();

    const third = inProcessApp(settings, { events: named('A Play (third)') });
    expect(await served(third.client)).toBe('Matinee');
    expect(await eventIds(third.client)).toEqual(['play', 'concert']);
  });
});

describe.skipIf(!redisServer.present || fastOnly)('a Redis instance is ready only when it serves every event', () => {
  const ready = async (server: ServerProcess) => (await fetch(new URL('/ready', server.url))).status;

  it('serves the demo event the moment /ready says 200, on a fresh Redis, also when two instances start together', async () => {
    const redis = await startRedisServer();
    try {
      const env = { REDIS_URL: redis.url };
      const servers = await Promise.all([spawnServer(env), spawnServer(env)]);
      for (const server of servers) {
        await vi.waitFor(async () => expect(await ready(server)).toBe(200), { timeout: 15_000, interval: 20 });
        expect((await server.client.data(EventsDocument, {})).events.map((event) => event.id)).toEqual(['demo']);
        expect(server.output().stdout).toMatch(/events: demo/);
      }
      // One of them made the store; the other joined it.
      const made = servers.map((server) => /made a new store/.test(server.output().stdout));
      expect(made.filter(Boolean)).toHaveLength(1);
    } finally {
      await redis.stop();
    }
  }, 40_000);

  it('says at start, in one line, that Redis does not answer, and serves by itself once it does', async () => {
    const port = await freePort();
    const server = await spawnServer({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(server.output().stdout).toContain(`Redis at redis://127.0.0.1:${port} (keys seatlock:*) does not serve yet`);
    expect(await ready(server)).toBe(503);
    const redis = await startRedisServer({ port });
    try {
      await vi.waitFor(async () => expect(await ready(server)).toBe(200), { timeout: 15_000, interval: 50 });
      expect((await server.client.data(EventsDocument, {})).events.map((event) => event.id)).toEqual(['demo']);
      const { stdout, stderr } = server.output();
      expect(stdout.match(/does not serve yet/g)).toHaveLength(1);
      expect(stdout + stderr).not.toMatch(/ERROR|\n\s+at /);
    } finally {
      await redis.stop();
    }
  }, 40_000);
});
