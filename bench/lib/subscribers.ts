import { get, type ClientRequest } from 'node:http';
import { WebSocket } from 'ws';

// Every subscriber resumes after a version (as the seat map page does): the replay is its own,
// the live part shared.
const SUBSCRIPTION = 'subscription($e: ID!, $after: Int) { seatChanged(eventId: $e, afterVersion: $after) { version reason at seat { id status } } }';
const AREA_SUBSCRIPTION =
  'subscription($e: ID!, $after: Int) { areaChanged(eventId: $e, afterVersion: $after) { version reason at quantity area { id available } } }';

export interface SeatChangeMessage {
  readonly version: number;
  readonly reason: string;
  readonly at: string;
}

/** A crowd of graphql-ws subscribers of one event, speaking the protocol over bare `ws`. */
export interface Subscribers {
  readonly count: number;
  close(): void;
}

/**
 * Opens `count` sockets in batches, acknowledges each, subscribes each to `seatChanged` and
 * calls `onChange` for every change a socket receives.
 */
export function openSubscribers(
  origin: string,
  eventId: string,
  count: number,
  onChange: (change: SeatChangeMessage, receivedAt: number) => void,
  /** Subscribe after this version (a resume); null: live changes only. */
  afterVersion: number | null = null,
): Promise<Subscribers> {
  return openChangeCrowd('seatChanged', SUBSCRIPTION, origin, eventId, count, onChange, afterVersion);
}

/** Like {@link openSubscribers}, subscribed to `areaChanged`: each message an area change. */
export function openAreaSubscribers(
  origin: string,
  eventId: string,
  count: number,
  onChange: (change: SeatChangeMessage, receivedAt: number) => void,
  afterVersion: number | null = null,
): Promise<Subscribers> {
  return openChangeCrowd('areaChanged', AREA_SUBSCRIPTION, origin, eventId, count, onChange, afterVersion);
}

/** A crowd subscribed to one of the change fields; each result's version, reason and time go to `onChange`. */
function openChangeCrowd(
  field: 'seatChanged' | 'areaChanged',
  query: string,
  origin: string,
  eventId: string,
  count: number,
  onChange: (change: SeatChangeMessage, receivedAt: number) => void,
  afterVersion: number | null,
): Promise<Subscribers> {
  const next = new RegExp(`^\\{"id":"1","type":"next","payload":\\{"data":\\{"${field}":\\{"version":(\\d+),"reason":"(\\w+)","at":"([^"]+)"`);
  return openWsCrowd(origin, count, { query, variables: { e: eventId, after: afterVersion } }, (text, receivedAt) => {
    // The load generator shares the machine: read a change with a regex, not JSON.parse.
    const change = next.exec(text);
    if (change) {
      onChange({ version: Number(change[1]), reason: change[2] as string, at: change[3] as string }, receivedAt);
      return true;
    }
    const message = JSON.parse(text) as { type: string; payload?: { data?: Record<string, SeatChangeMessage | undefined> } };
    const data = message.payload?.data?.[field];
    if (message.type !== 'next' || !data) return false;
    onChange(data, receivedAt);
    return true;
  });
}

/**
 * `count` graphql-ws sockets, each acknowledged, then subscribed with `payload`; `onResult` reads
 * each frame first (true: it was a result), the rest is the protocol's (acknowledgement, ping).
 */
async function openWsCrowd(
  origin: string,
  count: number,
  payload: { query: string; variables: Record<string, unknown> },
  onResult: (text: string, receivedAt: number) => boolean,
): Promise<Subscribers> {
  const url = `${origin.replace(/^http/, 'ws')}/graphql`;
  const sockets: WebSocket[] = [];
  const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload });
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      sockets.push(socket);
      socket.once('error', reject);
      socket.once('close', (code: number) => reject(new Error(`subscriber socket closed with ${code} before it was acknowledged`)));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (raw: Buffer) => {
        const receivedAt = performance.now();
        const text = raw.toString();
        if (onResult(text, receivedAt)) return;
        const message = JSON.parse(text) as { type: string };
        if (message.type === 'connection_ack') {
          socket.send(subscribe);
          resolve();
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        }
      });
    });
  return crowd(count, open, () => {
    for (const socket of sockets) socket.terminate();
  });
}

/** Opens `count` subscribers, 250 at a time, and lets the server run their subscribe resolvers. */
async function crowd(count: number, open: () => Promise<void>, close: () => void): Promise<Subscribers> {
  for (let opened = 0; opened < count; opened += 250) {
    await Promise.all(Array.from({ length: Math.min(250, count - opened) }, open));
  }
  // The last subscribe messages are on their way; let the server run their resolvers.
  await new Promise((resolve) => setTimeout(resolve, 500 + count / 10));
  return { count, close };
}

const SSE_NEXT = /^data: \{"data":\{"seatChanged":\{"version":(\d+),"reason":"(\w+)","at":"([^"]+)"/;

/**
 * Opens `count` SSE subscriptions to `seatChanged` (GET with `accept: text/event-stream`, as an
 * EventSource sends) and calls `onChange` for every change a stream receives.
 */
export async function openSseSubscribers(
  origin: string,
  eventId: string,
  count: number,
  onChange: (change: SeatChangeMessage, receivedAt: number) => void,
): Promise<Subscribers> {
  const url = new URL('/graphql', origin);
  url.searchParams.set('query', SUBSCRIPTION);
  url.searchParams.set('variables', JSON.stringify({ e: eventId }));
  const requests: ClientRequest[] = [];
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream' }, agent: false }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`SSE subscriber answered ${response.statusCode}`));
          return;
        }
        resolve();
        let pending = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          const receivedAt = performance.now();
          const lines = (pending + chunk).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            const change = SSE_NEXT.exec(line);
            if (change) onChange({ version: Number(change[1]), reason: change[2] as string, at: change[3] as string }, receivedAt);
          }
        });
      });
      request.once('error', reject);
      requests.push(request);
    });
  return crowd(count, open, () => {
    for (const request of requests) request.destroy();
  });
}

const QUEUE_PROGRESS = 'subscription($e: ID!) { queueProgress(eventId: $e) { nowServing waiting paused at } }';
const PROGRESS_NEXT = /^\{"id":"1","type":"next","payload":\{"data":\{"queueProgress":\{"nowServing":(\d+),"waiting":\d+,"paused":(true|false)/;

/** A crowd of graphql-ws watchers of one event's waiting room; `onProgress` gets each message's nowServing and paused. */
export function openQueueWatchers(
  origin: string,
  eventId: string,
  count: number,
  onProgress: (nowServing: number, paused: boolean) => void,
): Promise<Subscribers> {
  return openWsCrowd(origin, count, { query: QUEUE_PROGRESS, variables: { e: eventId } }, (text) => {
    const progress = PROGRESS_NEXT.exec(text);
    if (progress) onProgress(Number(progress[1]), progress[2] === 'true');
    return progress !== null;
  });
}
