import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ConfirmHoldDocument, LockSeatDocument, LockSeatsDocument, ReleaseHoldDocument } from '../../operations/generated/graphql.js';
import { listeningApp, type ListeningApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';

interface RawAnswer {
  status: number;
  body: string;
}

async function raw(server: ListeningApp, body: string | Uint8Array, contentType: string | null): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: 'application/graphql-response+json' };
  if (contentType) headers['content-type'] = contentType;
  const response = await fetch(server.url, { method: 'POST', headers, body: body as BodyInit });
  return { status: response.status, body: await response.text() };
}

const query = (document: string, variables?: unknown) => JSON.stringify({ query: document, variables });
const lockSeats = (seatIds: unknown, holdToken?: string) => query(print(LockSeatsDocument), { eventId: 'play', seatIds, ...(holdToken ? { holdToken } : {}) });

/** Each bad request, what the server must answer, and (always) that no seat changed. */
const cases: [name: string, send: (server: ListeningApp) => Promise<RawAnswer>, expected: { status: number; body: RegExp }][] = [
  ['malformed JSON', (s) => raw(s, '{"query": "{ events { id }', 'application/json'), { status: 400, body: /JSON|Unexpected|parse/i }],
  ['a wrong content type', (s) => raw(s, 'query=%7B%20events%20%7B%20id%20%7D%20%7D', 'text/plain'), { status: 415, body: /.*/ }],
  ['an empty body', (s) => raw(s, '', 'application/json'), { status: 400, body: /.+/ }],
  ['a 2 MB document', (s) => raw(s, query(`{ events { id } } #${'x'.repeat(2_000_000)}`), 'application/json'), { status: 413, body: /PAYLOAD_TOO_LARGE/ }],
  [
    'depth 50',
    (s) => raw(s, query(`{ events { ${'__typename events { '.repeat(49)}id${' }'.repeat(49)} } }`), 'application/json'),
    { status: 400, body: /limit of .* exceeded/ },
  ],
  [
    '1,000 aliases',
    (s) => raw(s, query(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`), 'application/json'),
    { status: 400, body: /limit of .* exceeded/ },
  ],
  [
    'an unknown event',
    (s) => raw(s, query(print(LockSeatDocument), { eventId: 'nope', seatId: 'A-1' }), 'application/json'),
    { status: 200, body: /"EventNotFoundError"/ },
  ],
  [
    'an unknown seat',
    (s) => raw(s, query(print(LockSeatDocument), { eventId: 'play', seatId: 'Z-99' }), 'application/json'),
    { status: 200, body: /"SeatNotFoundError"/ },
  ],
  ['an empty seatIds', (s) => raw(s, lockSeats([]), 'application/json'), { status: 200, body: /"InvalidSeatSelectionError"/ }],
  [
    'a 10,000-long seatIds',
    (s) => raw(s, lockSeats(Array.from({ length: 10_000 }, (_, i) => `A-${i}`)), 'application/json'),
    { status: 200, body: /"HoldLimitError"/ },
  ],
  ['duplicate seat ids', (s) => raw(s, lockSeats(['A-1', 'A-1']), 'application/json'), { status: 200, body: /"InvalidSeatSelectionError"/ }],
  // A lone string where a list is expected coerces to a one-item list (GraphQL's input rules).
  ['variables of the wrong type', (s) => raw(s, lockSeats('A-1,A-2' as never), 'application/json'), { status: 200, body: /"SeatNotFoundError"/ }],
  // A request error (nothing ran): 400 for application/graphql-response+json, as the spec asks.
  [
    'a variable that is an object',
    (s) => raw(s, query(print(LockSeatDocument), { eventId: { $ne: null }, seatId: 'A-1' }), 'application/json'),
    { status: 400, body: /Variable \\"\$eventId\\" got invalid value/ },
  ],
  ['garbage', (s) => raw(s, new Uint8Array([0xff, 0xfe, 0x00, 0x13, 0x37]), 'application/json'), { status: 400, body: /.+/ }],
  [
    'a garbage hold token',
    (s) => raw(s, query(print(ConfirmHoldDocument), { holdToken: '"; DROP TABLE seats; --' }), 'application/json'),
    { status: 200, body: /"HoldNotFoundError"/ },
  ],
  [
    'a 100 kB hold token',
    (s) => raw(s, query(print(ConfirmHoldDocument), { holdToken: `play.${'a'.repeat(100_000)}` }), 'application/json'),
    { status: 200, body: /"HoldNotFoundError"/ },
  ],
];

describe('bad input over HTTP: a documented answer, the server keeps serving, no seat changes', () => {
  it.each(cases)('%s', async (_name, send, expected) => {
    const server = await listeningApp();
    const before = await eventSnapshot(server.client, 'play');
    const answer = await send(server);
    expect(answer.status).toBe(expected.status);
    expect(answer.body).toMatch(expected.body);
    expect(await eventSnapshot(server.client, 'play')).toEqual(before);
  });

  it('a foreign token (another event’s hold) and an expired token change nothing', async () => {
    const clock = new ManualClock(Date.now());
    const server = await listeningApp({ lockTtlSeconds: 60, holdMaxSeconds: 600 }, { clock });
    const expiring = expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' })).lockSeat, 'Hold');
    clock.advance(61_000);
    const foreign = expectType((await server.client.data(LockSeatDocument, { eventId: 'concert', seatId: 'A-1' })).lockSeat, 'Hold');
    const before = await eventSnapshot(server.client, 'play');
    const mismatch = await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: foreign.token });
    expect(mismatch.lockSeat.__typename).toBe('HoldEventMismatchError');
    const expired = await server.client.data(ConfirmHoldDocument, { holdToken: expiring.token });
    expect(expired.confirmHold.__typename).toBe('HoldExpiredError');
    expect(await eventSnapshot(server.client, 'play')).toEqual(before);
  });

  it('concurrent confirm and release of one hold: exactly one of them wins', async () => {
    for (let round = 0; round < 20; round++) {
      const server = await listeningApp();
      const hold = expectType((await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2'] })).lockSeats, 'Hold');
      const [confirm, release] = await Promise.all([
        server.client.data(ConfirmHoldDocument, { holdToken: hold.token }),
        server.client.data(ReleaseHoldDocument, { holdToken: hold.token }),
      ]);
      const statuses = (await eventSnapshot(server.client, 'play')).seats.filter((seat) => seat.id.startsWith('B-')).map((seat) => seat.status);
      if (confirm.confirmHold.__typename === 'Booking') {
        expect(release.releaseHold).toMatchObject({ __typename: 'HoldClosedError', holdStatus: 'CONFIRMED' });
        expect(statuses.slice(0, 2)).toEqual(['BOOKED', 'BOOKED']);
      } else {
        expect(confirm.confirmHold).toMatchObject({ __typename: 'HoldClosedError', holdStatus: 'RELEASED' });
        expect(release.releaseHold.__typename).toBe('SeatRelease');
        expect(statuses.slice(0, 2)).toEqual(['AVAILABLE', 'AVAILABLE']);
      }
      await server.app.stop();
    }
  });
});

describe('bad input over WebSocket: an error for that operation, the socket and server keep serving', () => {
  const messages: [string, string][] = [
    ['a syntax error', JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ events {' } })],
    ['an unknown field', JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ nope }' } })],
    ['depth 50', JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ events { ${'__typename events { '.repeat(49)}id${' }'.repeat(49)} } }` } })],
    [
      '1,000 aliases',
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }` } }),
    ],
    [
      'variables of the wrong type',
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(LockSeatDocument), variables: { eventId: 5, seatId: { x: 1 } } } }),
    ],
    [
      'an unknown event subscription',
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { seatChanged(eventId: "nope") { version } }' } }),
    ],
  ];

  it.each(messages)('%s', async (_name, message) => {
    const server = await listeningApp();
    const before = await eventSnapshot(server.client, 'play');
    const socket = new WebSocket(server.url.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const replies: { type: string; id?: string; payload?: unknown }[] = [];
    await new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { type: string };
        replies.push(reply);
        if (reply.type === 'connection_ack') socket.send(message);
        if (reply.type === 'error' || reply.type === 'complete') resolve();
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    });
    const answer = replies.find((reply) => reply.type === 'error' || reply.type === 'next');
    expect(answer?.id).toBe('1');
    expect(JSON.stringify(answer?.payload)).toMatch(/message/);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(await eventSnapshot(server.client, 'play')).toEqual(before);
    socket.close();
  });
});
