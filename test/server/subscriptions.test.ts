import { print } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfirmSeatDocument,
  LockSeatDocument,
  LockSeatsDocument,
  ReleaseSeatDocument,
  SeatChangedDocument,
  type SeatChangedSubscription,
} from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';

describe.each(storeKinds)('seatChanged over graphql-ws ($name store)', ({ config }) => {
  it('delivers LOCKED, BOOKED, RELEASED and EXPIRED changes in version order with their payloads', async () => {
    const server = await listeningApp({ ...config(), lockTtlSeconds: 0.5, holdMaxSeconds: 1 });
    const start = (await eventSnapshot(server.client, 'play')).version;
    const changes = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'play' });
    await subscribed(server, 1);

    const first = expectType((await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    await server.client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: first.token });
    await server.client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: first.token });
    const second = expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-1' })).lockSeat, 'Hold');

    // No request is made from here on: only the expiry timer can produce the last change.
    await vi.waitFor(() => expect(changes.results).toHaveLength(6), { timeout: 15_000, interval: 20 });
    const receivedExpiryAt = Date.now();
    const seen = changes.data.map(({ seatChanged: c }) => [c.seat.id, c.previousStatus, c.reason, c.seat.status, c.version]);
    expect(seen).toEqual([
      ['A-1', 'AVAILABLE', 'LOCKED', 'LOCKED', start + 1],
      ['A-2', 'AVAILABLE', 'LOCKED', 'LOCKED', start + 2],
      ['A-1', 'LOCKED', 'BOOKED', 'BOOKED', start + 3],
      ['A-2', 'LOCKED', 'RELEASED', 'AVAILABLE', start + 4],
      ['B-1', 'AVAILABLE', 'LOCKED', 'LOCKED', start + 5],
      ['B-1', 'LOCKED', 'EXPIRED', 'AVAILABLE', start + 6],
    ]);
    const [locked, , booked, , , expired] = changes.data.map((data) => data.seatChanged);
    expect(locked).toMatchObject({ eventId: 'play', seat: { eventId: 'play', label: 'A1', row: 'A', number: 1, lockExpiresAt: first.expiresAt } });
    expect(booked?.seat.lockExpiresAt).toBeNull();
    expect(expired?.seat.lockExpiresAt).toBeNull();
    expect(expired?.at).toBe(second.expiresAt);
    expect(receivedExpiryAt).toBeGreaterThanOrEqual(Date.parse(second.expiresAt));
    expect(receivedExpiryAt - Date.parse(second.expiresAt)).toBeLessThan(1_000);
    expect(JSON.stringify(changes.results)).not.toContain(first.token);
    await changes.stop();
  });

  it('filters by seatIds and delivers each change to every subscriber', async () => {
    const server = await listeningApp(config());
    const all = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'play' });
    const alsoAll = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'play' });
    const onlyC2 = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'play', seatIds: ['C-2'] });
    const otherEvent = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'concert' });
    await subscribed(server, 4);

    await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['C-1', 'C-2', 'C-3'] });
    await vi.waitFor(() => expect(all.results).toHaveLength(3), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect(alsoAll.results).toHaveLength(3), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect(onlyC2.results).toHaveLength(1), { timeout: 15_000, interval: 20 });
    expect(alsoAll.data).toEqual(all.data);
    expect(onlyC2.data[0]?.seatChanged.seat.id).toBe('C-2');
    expect(otherEvent.results).toEqual([]);
    await Promise.all([all, alsoAll, onlyC2, otherEvent].map((recorder) => recorder.stop()));
  });

  it('passes variables whatever they are named', async () => {
    const server = await listeningApp(config());
    const client = server.wsClient();
    const results: unknown[] = [];
    const iterator = client.iterate({ query: 'subscription($e: ID!) { seatChanged(eventId: $e) { seat { id } } }', variables: { e: 'play' } });
    const reading = (async () => {
      for await (const result of iterator) {
        results.push(result);
        break;
      }
    })();
    // graphql-ws says nothing when a subscription is running: lock seat after seat until the
    // subscriber sees one (a fixed pause was too short on a loaded machine).
    const locked: string[] = [];
    for (const seatId of ['C-4', 'C-5', 'B-4', 'B-5', 'A-4', 'A-5']) {
      await server.client.data(LockSeatDocument, { eventId: 'play', seatId });
      locked.push(seatId);
      const seen = await Promise.race([reading.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 500))]);
      if (seen) break;
    }
    await reading;
    expect(results).toEqual([{ data: { seatChanged: { seat: { id: expect.any(String) } } } }]);
    expect(locked).toContain((results[0] as { data: { seatChanged: { seat: { id: string } } } }).data.seatChanged.seat.id);
  });

  it('answers EVENT_NOT_FOUND for an unknown event', async () => {
    const server = await listeningApp(config());
    const changes = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'nope' });
    await changes.done;
    expect(changes.results).toEqual([
      expect.objectContaining({ errors: [expect.objectContaining({ extensions: { code: 'EVENT_NOT_FOUND', eventId: 'nope' } })] }),
    ]);
  });
});

describe.each(storeKinds)('seatChanged over SSE ($name store)', ({ config }) => {
  it('streams changes as server-sent events', async () => {
    const server = await listeningApp(config());
    const url = new URL(server.url);
    url.searchParams.set('query', print(SeatChangedDocument));
    url.searchParams.set('variables', JSON.stringify({ eventId: 'play' }));
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await subscribed(server, 1);

    await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-5' });

    let text = '';
    while (!text.includes('"seatChanged"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const line = text.split('\n').find((row) => row.startsWith('data:') && row.includes('seatChanged'));
    const payload = JSON.parse(line!.slice('data:'.length)) as { data: SeatChangedSubscription };
    expect(payload.data.seatChanged).toMatchObject({ reason: 'LOCKED', seat: { id: 'A-5', status: 'LOCKED' } });
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
