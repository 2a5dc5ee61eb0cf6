import { describe, expect, it } from 'vitest';
import { LockAreaPlacesDocument, LockSeatDocument, SeatChangedDocument } from '../../operations/generated/graphql.js';
import { festivalEvents } from '../support/events.js';
import { listeningApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';

const ADMIN_TOKEN = 'metrics-admin-token-0123456789abcdefghij';

/** The value of one sample of the Prometheus text, e.g. `seatlock_seats{event="play",status="LOCKED"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(url: URL, authorization?: string): Promise<{ status: number; text: string; type: string | null }> {
  const response = await fetch(new URL('/metrics', url), { headers: authorization ? { authorization } : {} });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

describe('/metrics access', () => {
  it('needs the admin token, says how when it is missing, and is public only when asked', async () => {
    const guarded = await listeningApp({ adminToken: ADMIN_TOKEN });
    const refused = await scrape(guarded.url);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Authorization: Bearer <ADMIN_TOKEN>');
    expect((await scrape(guarded.url, 'Bearer wrong-token-0123456789abcdefghijklmnop')).status).toBe(401);
    const allowed = await scrape(guarded.url, `Bearer ${ADMIN_TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.type).toMatch(/^text\/plain; version=0\.0\.4/);

    const noToken = await listeningApp();
    const unset = await scrape(noToken.url);
    expect(unset.status).toBe(401);
    expect(unset.text).toContain('METRICS_PUBLIC=true');

    const open = await listeningApp({ metricsPublic: true });
    expect((await scrape(open.url)).status).toBe(200);
  });
});

describe.each(storeKinds)('/metrics figures ($name store)', ({ config }) => {
  it('counts seats, holds, changes, GraphQL operations, subscribers and messages', async () => {
    const server = await listeningApp({ ...config(), metricsPublic: true });
    const watcher = new Recorder(server.wsClient(), SeatChangedDocument, { eventId: 'play' });
    await subscribed(server, 1);
    expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
    expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-2' })).lockSeat, 'Hold');
    await expect.poll(() => watcher.results.length).toBe(2);

    const { text } = await scrape(server.url);
    expect(sample(text, 'seatlock_seats{event="play",status="LOCKED"}')).toBe(2);
    expect(sample(text, 'seatlock_seats{event="play",status="AVAILABLE"}')).toBe(13);
    expect(sample(text, 'seatlock_seats{event="concert",status="AVAILABLE"}')).toBe(3);
    expect(sample(text, 'seatlock_active_holds{event="play"}')).toBe(2);
    expect(sample(text, 'seatlock_seat_changes_total{event="play",reason="LOCKED"}')).toBe(2);
    expect(sample(text, 'seatlock_graphql_requests_total{operation="LockSeat",type="mutation",outcome="ok"}')).toBe(2);
    expect(sample(text, 'seatlock_graphql_request_duration_seconds_count{operation="LockSeat",type="mutation"}')).toBe(2);
    expect(sample(text, 'seatlock_graphql_requests_total{operation="SeatChanged",type="subscription",outcome="ok"}')).toBe(1);
    expect(sample(text, 'seatlock_subscribers')).toBe(1);
    expect(sample(text, 'seatlock_websocket_connections')).toBe(1);
    expect(sample(text, 'seatlock_subscription_messages_total')).toBe(2);
    expect(sample(text, 'seatlock_slow_subscribers_cut_off_total')).toBe(0);
    expect(sample(text, 'seatlock_store_up')).toBe(1);
    // Node's own, from prom-client.
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toContain('nodejs_gc_duration_seconds');
    await watcher.stop();
  });

  it('times expiries from when the hold ran out', async () => {
    const server = await listeningApp({ ...config(), metricsPublic: true, lockTtlSeconds: 0.2, holdMaxSeconds: 1 });
    expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-1' })).lockSeat, 'Hold');
    await expect
      .poll(async () => sample((await scrape(server.url)).text, 'seatlock_seat_changes_total{event="play",reason="EXPIRED"}'), { timeout: 15_000 })
      .toBe(1);
    const { text } = await scrape(server.url);
    expect(sample(text, 'seatlock_expiry_lag_seconds_count')).toBe(1);
    expect(sample(text, 'seatlock_active_holds{event="play"}')).toBeUndefined();
  });
});

describe('/metrics and client-chosen operation names', () => {
  it('keeps at most 200 operation names as labels; the rest count as (other)', async () => {
    const server = await listeningApp({ metricsPublic: true });
    for (let index = 0; index < 210; index++) {
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query Name${index} { events { id } }` }),
      });
    }
    const { text } = await scrape(server.url);
    const names = new Set([...text.matchAll(/seatlock_graphql_requests_total\{operation="([^"]+)"/g)].map((match) => match[1]));
    expect(names.size).toBe(201);
    expect(sample(text, 'seatlock_graphql_requests_total{operation="(other)",type="query",outcome="ok"}')).toBe(10);
  });
});

describe.each(storeKinds)('/metrics places of areas ($name store)', ({ config }) => {
  it('counts the places of each area by status', async () => {
    const server = await listeningApp({ ...config(), metricsPublic: true }, { events: festivalEvents() });
    expectType((await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 4 })).lockAreaPlaces, 'Hold');
    const { text } = await scrape(server.url);
    expect(sample(text, 'seatlock_area_places{event="festival",area="floor",status="LOCKED"}')).toBe(4);
    expect(sample(text, 'seatlock_area_places{event="festival",area="floor",status="AVAILABLE"}')).toBe(96);
    expect(sample(text, 'seatlock_area_places{event="festival",area="lawn",status="AVAILABLE"}')).toBe(10);
    expect(sample(text, 'seatlock_area_places{event="festival",area="lawn",status="BOOKED"}')).toBe(0);
    expect(text).not.toContain('seatlock_area_places{event="play"');
  });
});
