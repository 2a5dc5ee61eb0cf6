import fc from 'fast-check';
import { print } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { LockSeatDocument, ReleaseHoldDocument, SeatChangedAfterDocument, type SeatChangedAfterSubscription } from '../../operations/generated/graphql.js';
import type { Client } from 'graphql-ws';
import { listeningApp, type ListeningApp } from '../support/apps.js';
import type { GraphQLHttpClient } from '../support/graphql-client.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';

const SEATS = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'B-1', 'B-2', 'B-3', 'B-4', 'B-5'];

/** Makes `count` changes (an even number) of event play: locks seats and gives them back. */
async function churn(client: GraphQLHttpClient, count: number, offset = 0): Promise<void> {
  for (let index = 0; index < count / 2; index++) {
    const seatId = SEATS[(index + offset) % SEATS.length] as string;
    const hold = expectType((await client.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat, 'Hold');
    await client.data(ReleaseHoldDocument, { holdToken: hold.token });
  }
}

/** One socket per server for every subscription of a test: the per-client socket cap stays out of the way. */
const sockets = new WeakMap<ListeningApp, Client>();

function resume(server: ListeningApp, afterVersion: number | null, seatIds: string[] | null = null) {
  let client = sockets.get(server);
  if (!client) {
    client = server.wsClient();
    sockets.set(server, client);
  }
  return new Recorder(client, SeatChangedAfterDocument, { eventId: 'play', afterVersion, seatIds });
}

const versionsOf = (recorder: Recorder<SeatChangedAfterSubscription, Record<string, unknown>>) => recorder.data.map(({ seatChanged }) => seatChanged.version);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe.each(storeKinds)('resuming seatChanged after a version ($name store)', ({ config }) => {
  it('gives a subscriber that was away while 500 changes happened exactly those 500, in order, then live ones', async () => {
    const server = await listeningApp(config());
    const left = (await eventSnapshot(server.client, 'play')).version;
    await churn(server.client, 500);

    const resumed = resume(server, left);
    await vi.waitFor(() => expect(resumed.results).toHaveLength(500), { timeout: 10_000, interval: 20 });
    expect(versionsOf(resumed)).toEqual(range(left + 1, left + 500));
    expect(resumed.data[0]?.seatChanged).toMatchObject({ reason: 'LOCKED', seat: { id: 'A-1', status: 'LOCKED' } });
    expect(resumed.data[1]?.seatChanged).toMatchObject({ reason: 'RELEASED', seat: { id: 'A-1', status: 'AVAILABLE' } });

    await churn(server.client, 2);
    await vi.waitFor(() => expect(resumed.results).toHaveLength(502), { timeout: 15_000, interval: 20 });
    expect(versionsOf(resumed).slice(-2)).toEqual([left + 501, left + 502]);
    await resumed.stop();
  });

  it('replays only the seats asked for, and an empty replay goes straight to the live changes', async () => {
    const server = await listeningApp(config());
    const left = (await eventSnapshot(server.client, 'play')).version;
    await churn(server.client, 40);
    const now = (await eventSnapshot(server.client, 'play')).version;

    const filtered = resume(server, left, ['A-2']);
    const upToDate = resume(server, now);
    await vi.waitFor(() => expect(filtered.results).toHaveLength(4), { timeout: 15_000, interval: 20 });
    // A-2 was locked and released in the 2nd and 12th of the twenty lock-release rounds.
    expect(versionsOf(filtered)).toEqual([left + 3, left + 4, left + 23, left + 24]);
    await subscribed(server, 2);
    expect(upToDate.results).toEqual([]);
    await churn(server.client, 2);
    await vi.waitFor(() => expect(upToDate.results).toHaveLength(2), { timeout: 15_000, interval: 20 });
    expect(versionsOf(upToDate)).toEqual([now + 1, now + 2]);
  });

  it('answers CHANGES_UNAVAILABLE for a version the log no longer reaches back to, or one not reached yet', async () => {
    const server = await listeningApp({ ...config(), changeLogSize: 50 });
    const start = (await eventSnapshot(server.client, 'play')).version;
    await churn(server.client, 200);
    const now = (await eventSnapshot(server.client, 'play')).version;

    for (const afterVersion of [start, now + 1]) {
      const refused = resume(server, afterVersion);
      await refused.done;
      expect(refused.results).toEqual([
        expect.objectContaining({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'CHANGES_UNAVAILABLE', version: now }) })] }),
      ]);
    }
    // The last CHANGE_LOG_SIZE changes are always there.
    const kept = resume(server, now - 50);
    await vi.waitFor(() => expect(kept.results).toHaveLength(50), { timeout: 15_000, interval: 20 });
    expect(versionsOf(kept)).toEqual(range(now - 49, now));
  });

  it('misses and repeats nothing when resuming while changes keep coming, whatever the interleaving', async () => {
    // Up to eight subscriptions at once share the test's socket.
    const server = await listeningApp({ ...config(), maxSubscriptionsPerSocket: 50 });
    await churn(server.client, 40);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ back: fc.integer({ min: 0, max: 40 }), delayMs: fc.integer({ min: 0, max: 30 }), seats: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 10, max: 60 }),
        async (resumers, changes) => {
          const before = (await eventSnapshot(server.client, 'play')).version;
          // Someone watching live all along shares the live execution with the resumers.
          const present = server.app.subscriptions.counters.subscribers;
          const watcher = resume(server, null);
          await subscribed(server, present + 1);
          const writing = churn(server.client, changes * 2, before);
          const recorders = await Promise.all(
            resumers.map(async ({ back, delayMs, seats }) => {
              await new Promise((resolve) => setTimeout(resolve, delayMs));
              const afterVersion = Math.max(0, before - back);
              return { afterVersion, seats, recorder: resume(server, afterVersion, seats ? ['A-1', 'B-3'] : null) };
            }),
          );
          // One live execution for every subscriber without a seat filter, one for those with it.
          expect(server.app.subscriptions.size).toBeLessThanOrEqual(2);
          await writing;
          const after = before + changes * 2;
          await vi.waitFor(() => expect(versionsOf(watcher).at(-1)).toBe(after), { timeout: 10_000, interval: 20 });
          const changed = new Map((await changesUpTo(server, after)).map((change) => [change.version, change.seat.id]));
          for (const { afterVersion, seats, recorder } of recorders) {
            const expected = range(afterVersion + 1, after).filter((version) => !seats || ['A-1', 'B-3'].includes(changed.get(version) ?? ''));
            await vi.waitFor(() => expect(versionsOf(recorder)).toEqual(expected), { timeout: 10_000, interval: 20 });
            await recorder.stop();
          }
          await watcher.stop();
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});

describe.each(storeKinds)('resuming over SSE with Last-Event-ID ($name store)', ({ config }) => {
  it('numbers each event with its version, and a stream opened again with Last-Event-ID gets what it missed', async () => {
    const server = await listeningApp(config());
    const url = new URL(server.url);
    url.searchParams.set('query', print(SeatChangedAfterDocument));
    url.searchParams.set('variables', JSON.stringify({ eventId: 'play', afterVersion: null }));
    const read = async (headers: Record<string, string>, events: number, act: () => Promise<void>) => {
      const abort = new AbortController();
      const present = server.app.subscriptions.counters.subscribers;
      const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      await subscribed(server, present + 1);
      await act();
      let text = '';
      while ((text.match(/^event: next$/gm) ?? []).length < events) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      abort.abort();
      await reader.cancel().catch(() => undefined);
      return text
        .split('\n\n')
        .filter((block) => block.startsWith('event: next'))
        .map((block) => {
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as { data: SeatChangedAfterSubscription };
          return [Number(id), data.data.seatChanged.version];
        });
    };
    const start = (await eventSnapshot(server.client, 'play')).version;
    const first = await read({}, 2, () => churn(server.client, 2));
    expect(first).toEqual([
      [start + 1, start + 1],
      [start + 2, start + 2],
    ]);
    // Gone for four changes; the browser sends the id of the last event it got.
    await churn(server.client, 4);
    const again = await read({ 'last-event-id': String(start + 2) }, 6, () => churn(server.client, 2));
    expect(again.map(([id]) => id)).toEqual(range(start + 3, start + 8));
    expect(again.every(([id, version]) => id === version)).toBe(true);
  });
});

/** Every change of play up to `version`, read by a resume from 0 (the log of these tests holds them all). */
async function changesUpTo(server: ListeningApp, version: number) {
  const all = resume(server, 0);
  await vi.waitFor(() => expect(all.results.length).toBeGreaterThanOrEqual(version), { timeout: 10_000, interval: 20 });
  await all.stop();
  return all.data.map(({ seatChanged }) => seatChanged).filter((change) => change.version <= version);
}
