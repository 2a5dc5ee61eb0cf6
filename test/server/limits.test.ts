import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp } from '../support/apps.js';
import { churnSeats, collectGarbage } from '../support/churn.js';
import { subscribed } from '../support/subscriptions.js';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('limits', () => {
  it('refuses introspection when it is off, over HTTP and WebSocket, but keeps __typename', async () => {
    const server = await listeningApp({ introspection: false });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    const result = (await response.json()) as { errors?: { message: string }[]; data?: unknown };
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);

    const typename = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await typename.json()).toEqual({ data: { __typename: 'Query' } });

    const viaSocket = await new Promise<unknown>((resolve) => {
      const client = server.wsClient();
      client.subscribe({ query: INTROSPECTION }, { next: () => undefined, error: resolve, complete: () => resolve('completed') });
    });
    expect(JSON.stringify(viaSocket)).toMatch(/introspection/i);
  });

  it('answers introspection when it is on', async () => {
    const server = await listeningApp({ introspection: true });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses a body over 1 MiB with 413 and keeps serving', async () => {
    const server = await listeningApp();
    const huge = JSON.stringify({ query: `{ events { id } } # ${'x'.repeat(2 * 1024 * 1024)}` });
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body larger than 1048576 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    const after = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { id } }' }),
    });
    expect(after.status).toBe(200);
  });

  it('closes a WebSocket that sends a message over 1 MiB with 1009', async () => {
    const server = await listeningApp();
    const socket = new WebSocket(server.url.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });
});

describe('document limits (graphql-armor), over HTTP and WebSocket', () => {
  const deep = `{ events { ${'__typename events { '.repeat(25)}id${' }'.repeat(25)} } }`;
  const aliased = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: events { id }`).join(' ')} }`;
  const cases: [string, string, RegExp][] = [
    ['depth 26', deep, /depth limit of 10 exceeded|cost limit of 5000 exceeded/i],
    ['1,000 aliases', aliased, /aliases limit of 30 exceeded|token limit/i],
    ['31 aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: events { id }`).join(' ')} }`, /aliases limit of 30 exceeded, found 31/i],
    ['3,000 tokens', `{ events { ${'id '.repeat(3000)}} }`, /token limit of 2000 exceeded/i],
  ];

  it.each(cases)('refuses %s over HTTP with a clear error, and keeps serving', async (_name, query, message) => {
    const server = await listeningApp();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(400);
    const result = (await response.json()) as { errors: { message: string }[] };
    expect(result.errors[0]?.message).toMatch(message);
    const after = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { id } }' }),
    });
    expect(after.status).toBe(200);
  });

  it.each(cases)('refuses %s over WebSocket', async (_name, query, message) => {
    const server = await listeningApp();
    const error = await new Promise<unknown>((resolve) => {
      server.wsClient().subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('completed') });
    });
    expect(JSON.stringify(error)).toMatch(message);
  });

  it('hides field suggestions in production and shows them otherwise', async () => {
    const typo = JSON.stringify({ query: '{ evnts { id } }' });
    const headers = { 'content-type': 'application/json' };
    const development = await listeningApp();
    const shown = (await (await fetch(development.url, { method: 'POST', headers, body: typo })).json()) as { errors: { message: string }[] };
    expect(shown.errors[0]?.message).toContain('Did you mean "events"');
    const production = await listeningApp({ production: true });
    const hidden = (await (await fetch(production.url, { method: 'POST', headers, body: typo })).json()) as { errors: { message: string }[] };
    expect(hidden.errors[0]?.message).toBe('Cannot query field "evnts" on type "Query". [Suggestion hidden]');
  });
});

describe('WebSocket limits', () => {
  const SUBSCRIPTION = 'subscription { seatChanged(eventId: "play") { version } }';

  it('refuses more operations on one socket than MAX_SUBSCRIPTIONS_PER_SOCKET', async () => {
    const server = await listeningApp({ maxSubscriptionsPerSocket: 2 });
    const client = server.wsClient();
    const sink = { next: () => undefined, error: () => undefined, complete: () => undefined };
    client.subscribe({ query: SUBSCRIPTION }, sink);
    client.subscribe({ query: SUBSCRIPTION, variables: { x: 1 } }, sink);
    const third = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: SUBSCRIPTION, variables: { x: 2 } }, { next: resolve, error: resolve, complete: () => resolve('completed') });
    });
    expect(third).toEqual([
      expect.objectContaining({ message: 'At most 2 operations may run at once on one socket.', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }),
    ]);
  });

  it('refuses a client more sockets than MAX_SOCKETS_PER_CLIENT with 4403', async () => {
    const server = await listeningApp({ maxSocketsPerClient: 2 });
    const url = server.url.href.replace(/^http/, 'ws');
    const open = async () => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const outcome = new Promise<string | number>((resolve) => {
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()).type));
        socket.once('close', resolve);
      });
      socket.send(JSON.stringify({ type: 'connection_init' }));
      return { socket, outcome: await outcome };
    };
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['connection_ack', 'connection_ack', 4403]);
    first.socket.close();
    // The slot is free once the server has seen the close: until then a fourth is refused too.
    const fourth = await vi.waitFor(
      async () => {
        const attempt = await open();
        if (attempt.outcome !== 'connection_ack') attempt.socket.close();
        expect(attempt.outcome).toBe('connection_ack');
        return attempt;
      },
      { timeout: 15_000, interval: 20 },
    );
    for (const { socket } of [second, fourth]) socket.close();
  });

  it('closes a subscriber that stops reading (1008) and keeps every other subscriber whole', async () => {
    // Ended holds are forgotten after HOLD_MAX_SECONDS; a short one keeps them out of the heap measure.
    const server = await listeningApp({ lockTtlSeconds: 1, holdMaxSeconds: 1 });
    // Big messages, so the stalled socket's kernel buffers fill quickly.
    const SUBSCRIPTION =
      'subscription { seatChanged(eventId: "play") { version reason at previousStatus seat { id eventId label section row number status lockExpiresAt } } }';
    const url = server.url.href.replace(/^http/, 'ws');
    const slow = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve) => slow.once('open', resolve));
    const slowClosed = new Promise<number>((resolve) => slow.once('close', resolve));
    await new Promise<void>((resolve) => {
      slow.on('message', (data: Buffer) => {
        if (JSON.parse(data.toString()).type !== 'connection_ack') return;
        slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        resolve();
      });
      slow.send(JSON.stringify({ type: 'connection_init' }));
    });
    let fastReceived = 0;
    server.wsClient().subscribe({ query: SUBSCRIPTION }, { next: () => void fastReceived++, error: () => undefined, complete: () => undefined });
    await subscribed(server, 2);
    // The slow client stops reading: its kernel buffers fill, then the server's send buffer.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();

    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const changes = await churnSeats(server.app.store, 'play', ['A-1', 'A-2'], 20_000);
    await vi.waitFor(() => expect(server.app.subscriptions.counters.cutOff).toBe(1), { timeout: 15_000, interval: 20 });
    // Reading again, it gets what was sent, then the 1008 close; on a slow machine the server may
    // have destroyed the connection by then (1006 on this side).
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect([1006, 1008]).toContain(await Promise.race([slowClosed, new Promise((resolve) => setTimeout(() => resolve('still open'), 6_000))]));
    await vi.waitFor(() => expect(fastReceived).toBe(changes), { timeout: 15_000, interval: 100 });
    // Bounded: 80,000 changes (about 24 MB of messages) did not pile up for the stalled socket.
    await server.app.store.getEvent('play');
    collectGarbage();
    // (The event's change log keeps its last 10,000 changes, about 0.3 MB; the rest is noise.)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(12 * 1024 * 1024);
  }, 60_000);
});
