import { createClient } from 'graphql-ws';
import { describe, expect, inject, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  AreaChangedDocument,
  BookingByIdDocument,
  ConfirmHoldDocument,
  EventAreasDocument,
  HoldByTokenDocument,
  LockAreaPlacesDocument,
  ReleaseHoldDocument,
  type EventAreasQuery,
} from '../../operations/generated/graphql.js';
import { wsClientFor } from '../support/apps.js';
import { festivalDocument, testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { redisAvailable } from '../support/prerequisites.js';
import { spawnServer, tempDataFile, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { Recorder } from '../support/subscriptions.js';

const env = {
  EVENTS_FILE: tempJsonFile({ events: [...testEventsDocument.events, festivalDocument] }),
  LOCKS_PER_MINUTE: '0',
  MAX_SEATS_PER_CLIENT: '0',
};

type AreaCounts = NonNullable<EventAreasQuery['event']>['areas'][number];

async function area(server: ServerProcess, areaId: string): Promise<AreaCounts> {
  const { event } = await server.client.data(EventAreasDocument, { id: 'festival' });
  const found = event?.areas.find((candidate) => candidate.id === areaId);
  if (!found) throw new Error(`no area ${areaId}`);
  return found;
}

const counts = ({ available, locked, booked, blocked }: AreaCounts) => ({ available, locked, booked, blocked });

async function lockPlaces(server: ServerProcess, areaId: string, quantity: number, holdToken?: string) {
  return (await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId, quantity, holdToken })).lockAreaPlaces;
}

describe('general admission places in real processes', () => {
  it('keeps locked and booked places across kill -9, and a kept hold still gives its places back', async () => {
    const processEnv = { ...env, DATA_FILE: tempDataFile() };
    let server = await spawnServer(processEnv);
    const booked = expectType(await lockPlaces(server, 'floor', 7), 'Hold');
    expectType(await lockPlaces(server, 'lawn', 2, booked.token), 'Hold');
    const booking = expectType((await server.client.data(ConfirmHoldDocument, { holdToken: booked.token })).confirmHold, 'Booking');
    const held = expectType(await lockPlaces(server, 'floor', 5), 'Hold');
    const version = (await server.client.data(EventAreasDocument, { id: 'festival' })).event?.version;
    await server.kill('SIGKILL');

    server = await spawnServer(processEnv);
    expect(counts(await area(server, 'floor'))).toEqual({ available: 88, locked: 5, booked: 7, blocked: 0 });
    expect(counts(await area(server, 'lawn'))).toEqual({ available: 8, locked: 0, booked: 2, blocked: 0 });
    expect((await server.client.data(EventAreasDocument, { id: 'festival' })).event?.version).toBe(version);
    // The change log came back from the data file: a subscriber resuming from 0 gets every area change again.
    // Lazy: it closes with its last subscription, before the server it talks to is killed.
    const socket = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const replay = new Recorder(socket, AreaChangedDocument, { eventId: 'festival', afterVersion: 0 });
    await vi.waitFor(() => expect(replay.results).toHaveLength(5), { timeout: 10_000, interval: 20 });
    expect(replay.data.map(({ areaChanged }) => [areaChanged.reason, areaChanged.area.id, areaChanged.quantity, areaChanged.version])).toEqual([
      ['LOCKED', 'floor', 7, 1],
      ['LOCKED', 'lawn', 2, 2],
      ['BOOKED', 'floor', 7, 3],
      ['BOOKED', 'lawn', 2, 4],
      ['LOCKED', 'floor', 5, 5],
    ]);
    expect(replay.data.at(-1)?.areaChanged.area).toMatchObject({ available: 88, locked: 5, booked: 7 });
    await replay.stop();
    const kept = await server.client.data(HoldByTokenDocument, { token: held.token });
    expect(kept.hold?.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([['floor', 5]]);
    const released = expectType((await server.client.data(ReleaseHoldDocument, { holdToken: held.token })).releaseHold, 'SeatRelease');
    expect(released.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([['floor', 5]]);
    await server.kill('SIGKILL');

    server = await spawnServer(processEnv);
    expect(counts(await area(server, 'floor'))).toEqual({ available: 93, locked: 0, booked: 7, blocked: 0 });
    const again = (await server.client.data(BookingByIdDocument, { id: booking.id })).booking;
    expect(again?.areaPlaces.map((places) => [places.area.id, places.quantity])).toEqual([
      ['floor', 7],
      ['lawn', 2],
    ]);
    await server.kill('SIGTERM');
  }, 60_000);

  it.runIf(redisAvailable)(
    'never oversells an area across two instances on one Redis: 300 concurrent locks on 100 places',
    async () => {
      const shared = { ...env, REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: uniqueKeyPrefix() };
      const [first, second] = (await Promise.all([spawnServer(shared), spawnServer(shared)])) as [ServerProcess, ServerProcess];
      const watcher = new Recorder(wsClientFor(second.url), AreaChangedDocument, { eventId: 'festival', afterVersion: 0 });
      const answers = await Promise.all(Array.from({ length: 300 }, (_, index) => lockPlaces(index % 2 === 0 ? first : second, 'floor', 1)));
      const kinds = answers.map((answer) => answer.__typename);
      expect(kinds.filter((kind) => kind === 'Hold')).toHaveLength(100);
      expect(kinds.filter((kind) => kind === 'NotEnoughPlacesError')).toHaveLength(200);
      for (const server of [first, second]) expect(counts(await area(server, 'floor'))).toEqual({ available: 0, locked: 100, booked: 0, blocked: 0 });
      // Every lock reached the other instance's subscribers as one change, in version order.
      await vi.waitFor(() => expect(watcher.results).toHaveLength(100), { timeout: 15_000, interval: 50 });
      const changes = watcher.data.map(({ areaChanged }) => areaChanged);
      expect(changes.map((change) => change.version)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
      expect(changes.map((change) => change.area.locked)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
      await watcher.stop();
    },
    60_000,
  );
});
