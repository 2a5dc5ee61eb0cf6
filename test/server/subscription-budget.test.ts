import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp } from '../support/apps.js';

const SEAT_CHANGED = 'subscription Watch($eventId: ID!, $seatIds: [ID!]) { seatChanged(eventId: $eventId, seatIds: $seatIds) { version } }';

/** A raw graphql-transport-ws connection: what each operation was answered with, by id. */
interface GraphQLSocket {
  readonly socket: WebSocket;
  /**
   * How each operation that ended or failed did, by its id: its `error` message, the errors of a
   * `next` (an error of the subscribe resolver), or its `complete`.
   */
  readonly endings: Map<string, { type: string; payload?: unknown }>;
  subscribe(id: string, variables: Record<string, unknown>, query?: string): void;
}

async function graphqlSocket(url: URL): Promise<GraphQLSocket> {
  const socket = new WebSocket(url.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const endings = new Map<string, { type: string; payload?: unknown }>();
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const acknowledged = new Promise<void>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: string; type: string; payload?: unknown };
      if (message.type === 'connection_ack') resolve();
      else if (message.id === undefined || endings.has(message.id)) return;
      else if (message.type === 'error' || message.type === 'complete') endings.set(message.id, { type: message.type, payload: message.payload });
      else if (message.type === 'next' && (message.payload as { errors?: unknown }).errors) {
        endings.set(message.id, { type: 'error', payload: (message.payload as { errors?: unknown }).errors });
      }
    });
  });
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await acknowledged;
  return {
    socket,
    endings,
    subscribe: (id, variables, query = SEAT_CHANGED) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
  };
}

/** Ids of seats no event has, `count` of them, about 10 bytes each in JSON; distinct by `tag`. */
const manySeatIds = (count: number, tag = '') => Array.from({ length: count }, (_, index) => `${tag}${index}`);

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the tests run with --expose-gc (vitest.config.ts)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const codeOf = (ending: { payload?: unknown } | undefined) => (ending?.payload as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code;

describe('what one client can make the server keep through subscriptions', () => {
  it('refuses seatIds naming more seats than the event has (BAD_USER_INPUT), and counts a repeated id once', async () => {
    const server = await listeningApp();
    const connection = await graphqlSocket(server.url);
    connection.subscribe('too-many', { eventId: 'play', seatIds: manySeatIds(16) });
    connection.subscribe('repeats', { eventId: 'play', seatIds: ['A-1', 'A-1', 'A-2'] });
    await vi.waitFor(() => expect(connection.endings.has('too-many')).toBe(true), { timeout: 15_000 });
    expect(connection.endings.get('too-many')).toEqual({
      type: 'error',
      payload: [expect.objectContaining({ message: 'seatIds names 16 seats; event "play" has 15.', extensions: { code: 'BAD_USER_INPUT' } })],
    });
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(1), { timeout: 15_000 });
    expect(connection.endings.has('repeats')).toBe(false);
    connection.socket.close();
  });

  it("bounds the bytes of a client's running subscriptions, over WebSockets and SSE together, and frees them when they end", async () => {
    const server = await listeningApp({ maxSubscriptionBytesPerClient: 4_096 });
    // About 1,800 characters each: two fit in 4 KiB, a third does not.
    const variables = (tag: string) => ({ eventId: 'play', seatIds: ['A-1', ...manySeatIds(12, `${tag}${'x'.repeat(130)}-`)] });
    const plain = SEAT_CHANGED;
    const first = await graphqlSocket(server.url);
    first.subscribe('1', variables('a'), plain);
    const second = await graphqlSocket(server.url);
    second.subscribe('1', variables('b'), plain);
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(2), { timeout: 15_000 });

    second.subscribe('2', variables('c'), plain);
    await vi.waitFor(() => expect(second.endings.has('2')).toBe(true), { timeout: 15_000 });
    expect(second.endings.get('2')).toEqual({
      type: 'error',
      payload: [
        expect.objectContaining({
          message: expect.stringContaining('would pass 4096 bytes of documents and variables (MAX_SUBSCRIPTION_BYTES_PER_CLIENT)'),
          extensions: { code: 'SUBSCRIPTIONS_TOO_LARGE' },
        }),
      ],
    });
    const overSse = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: plain, variables: variables('d') }),
    });
    expect(overSse.status).toBe(429);
    expect(await overSse.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTIONS_TOO_LARGE' } })] });
    // A small one still fits.
    second.subscribe('3', { eventId: 'play' });
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(3), { timeout: 15_000 });

    // Ended, a subscription gives its bytes back: by `complete`, and by closing its socket.
    second.socket.send(JSON.stringify({ id: '1', type: 'complete' }));
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(2), { timeout: 15_000 });
    second.subscribe('4', variables('e'), plain);
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(3), { timeout: 15_000 });
    first.socket.close();
    await vi.waitFor(() => expect(server.app.subscriptions.size).toBe(2), { timeout: 15_000 });
    const sse = new AbortController();
    const streaming = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: plain, variables: variables('f') }),
      signal: sse.signal,
    });
    expect(streaming.status).toBe(200);
    sse.abort();
    second.socket.close();
  });

  it('keeps the heap flat under the out-of-memory attack: sockets of subscriptions with 90,000 seatIds each', { timeout: 60_000 }, async () => {
    const server = await listeningApp({ maxSocketsPerClient: 50, maxSubscriptionsPerSocket: 20 });
    const before = heapAfterGc();
    const sockets: GraphQLSocket[] = [];
    let sent = 0;
    // 5 sockets × 20 subscriptions × 90,000 ids (0.9 MB a message, under the 1 MiB cap). Before
    // the budget each pinned about 6.5 MB: 650 MB here, out of memory at 50 sockets.
    for (let index = 0; index < 5; index++) {
      const connection = await graphqlSocket(server.url);
      sockets.push(connection);
      for (let id = 0; id < 20; id++) {
        connection.subscribe(String(id), { eventId: 'play', seatIds: manySeatIds(90_000, (index * 20 + id).toString(36).padStart(2, 'z')) });
        sent++;
      }
    }
    // Then what fits the budget: 10 KB ones, as many as it takes.
    const small = await graphqlSocket(server.url);
    sockets.push(small);
    for (let id = 0; id < 20; id++) {
      small.subscribe(String(id), { eventId: 'play', seatIds: manySeatIds(15, `s${id}${'x'.repeat(700)}-`) });
      sent++;
    }
    const answered = () => sockets.reduce((total, connection) => total + connection.endings.size, 0) + server.app.subscriptions.size;
    await vi.waitFor(() => expect(answered()).toBe(sent), { timeout: 45_000, interval: 100 });
    const refused = sockets.flatMap((connection) => [...connection.endings.values()].map(codeOf));
    expect(new Set(refused)).toEqual(new Set(['SUBSCRIPTIONS_TOO_LARGE']));
    // 256 KiB of budget holds about 24 of the small ones, and none of the big ones.
    expect(server.app.subscriptions.size).toBeGreaterThan(10);
    expect(server.app.subscriptions.size).toBeLessThan(30);

    const growth = heapAfterGc() - before;
    expect(growth).toBeLessThan(48 * 1024 * 1024);
    for (const connection of sockets) connection.socket.close();
  });
});
