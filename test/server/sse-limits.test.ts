import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp, type ListeningApp } from '../support/apps.js';
import { churnSeats, collectGarbage } from '../support/churn.js';

const SUBSCRIPTION =
  'subscription { seatChanged(eventId: "play") { version reason at previousStatus seat { id eventId label section row number status lockExpiresAt } } }';

/** An SSE subscription read through fetch, as a browser's EventSource would. */
async function openStream(server: ListeningApp, query = SUBSCRIPTION) {
  const url = new URL(server.url);
  url.searchParams.set('query', query);
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  // The first 64 kB as text; past it only a count, so a long stream keeps no heap here.
  let text = '';
  let pending = '';
  let events = 0;
  const reading = (async () => {
    if (!response.body || response.status !== 200) return;
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        const decoded = decoder.decode(chunk, { stream: true });
        if (text.length < 65_536) text += decoded;
        const blocks = (pending + decoded).split('\n\n');
        pending = blocks.pop() ?? '';
        events += blocks.filter((block) => block.startsWith('event: next\n')).length;
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    status: response.status,
    response,
    get text() {
      return text;
    },
    get events() {
      return events;
    },
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

/** Opens a graphql-ws socket and says whether the server acknowledged it or closed it (code). */
async function openSocket(server: ListeningApp): Promise<{ socket: WebSocket; outcome: string | number }> {
  const socket = new WebSocket(server.url.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  const outcome = await new Promise<string | number>((resolve) => {
    socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()).type));
    socket.once('close', resolve);
    socket.send(JSON.stringify({ type: 'connection_init' }));
  });
  return { socket, outcome };
}

describe('subscriptions over SSE', () => {
  it('count against MAX_SOCKETS_PER_CLIENT together with WebSockets (429 past it)', async () => {
    const server = await listeningApp({ maxSocketsPerClient: 3 });
    const first = await openStream(server);
    const second = await openStream(server);
    const socket = await openSocket(server);
    expect([first.status, second.status, socket.outcome]).toEqual([200, 200, 'connection_ack']);

    const refused = await openStream(server);
    expect(refused.status).toBe(429);
    expect(await refused.response.json()).toEqual({
      errors: [{ message: 'At most 3 connections (WebSockets and event streams) per client.', extensions: { code: 'TOO_MANY_CONNECTIONS' } }],
    });
    expect((await openSocket(server)).outcome).toBe(4403);

    await first.close();
    await vi.waitFor(async () => {
      const again = await openStream(server);
      expect(again.status).toBe(200);
      await again.close();
    });
    await second.close();
    socket.socket.close();
  });

  it('share one execution per distinct subscription with WebSocket subscribers', async () => {
    const server = await listeningApp();
    let overSocket = 0;
    server.wsClient().subscribe({ query: SUBSCRIPTION }, { next: () => void overSocket++, error: () => undefined, complete: () => undefined });
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(1));
    // A stream's headers come once it has joined the running subscription.
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(server)));
    expect(server.app.subscriptions.size).toBe(1);

    const hold = await server.app.store.lockSeats({ eventId: 'play', seatIds: ['A-1', 'A-2'] });
    await server.app.store.releaseHold(hold.token);
    await vi.waitFor(() => {
      expect(streams.map((stream) => stream.events)).toEqual([4, 4, 4, 4, 4]);
      expect(overSocket).toBe(4);
    });
    const first = streams[0]!.text.split('\n').find((line) => line.startsWith('data: {'));
    expect(JSON.parse(first!.slice('data: '.length))).toMatchObject({ data: { seatChanged: { reason: 'LOCKED', seat: { id: 'A-1' } } } });
    await Promise.all(streams.map((stream) => stream.close()));
  });

  it('end with a complete event when the stream is done, and leave errors to yoga', async () => {
    const server = await listeningApp();
    const unknown = await openStream(server, 'subscription { seatChanged(eventId: "nope") { version } }');
    expect(unknown.status).toBe(200);
    await vi.waitFor(() => expect(unknown.text).toContain('event: complete'));
    expect(unknown.text).toContain('"code":"EVENT_NOT_FOUND"');
    expect(server.app.subscriptions.size).toBe(0);
  });

  it('cut off a reader that stops reading, and keep every other subscriber whole', { timeout: 60_000 }, async () => {
    // Ended holds are forgotten after HOLD_MAX_SECONDS; a short one keeps them out of the heap measure.
    const server = await listeningApp({ lockTtlSeconds: 1, holdMaxSeconds: 1 });
    const target = new URL(server.url);
    target.searchParams.set('query', SUBSCRIPTION);
    const slow = connect(Number(target.port), target.hostname);
    const slowClosed = new Promise<string>((resolve) => slow.once('close', () => resolve('closed')));
    slow.once('error', () => undefined);
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\n\r\n`);
    await new Promise((resolve) => slow.once('data', resolve));
    const fast = await openStream(server);
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(1));
    // The slow reader stops reading: its kernel buffers fill, then the server's send buffer.
    slow.pause();

    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const changes = await churnSeats(server.app.store, 'play', ['A-1', 'A-2'], 20_000);
    slow.resume();
    expect(await Promise.race([slowClosed, new Promise((resolve) => setTimeout(() => resolve('still open'), 6_000))])).toBe('closed');
    await vi.waitFor(() => expect(fast.events).toBe(changes), { timeout: 20_000, interval: 100 });
    // Bounded: 80,000 changes (about 24 MB of events) did not pile up for the stalled reader.
    await server.app.store.getEvent('play');
    collectGarbage();
    // (The event's change log keeps its last 10,000 changes, about 0.3 MB; the rest is noise.)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(12 * 1024 * 1024);
    await fast.close();
  });
});
