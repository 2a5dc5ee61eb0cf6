import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp } from '../support/apps.js';
import { seatStatuses } from '../support/snapshot.js';

const LOCK_A1 = 'mutation { lockSeat(eventId: "play", seatId: "A-1") { __typename } }';

/** Sends raw bytes on a fresh connection; resolves with all it receives until the server closes. */
function rawExchange(url: URL, write: (socket: Socket) => void): { socket: Socket; received: Promise<{ text: string; closedAfterMs: number }> } {
  const socket = connect(Number(url.port), url.hostname);
  const started = Date.now();
  const received = new Promise<{ text: string; closedAfterMs: number }>((resolve) => {
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.once('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    socket.once('error', () => undefined);
  });
  socket.once('connect', () => write(socket));
  return { socket, received };
}

describe('cross-origin requests', () => {
  const preflight = (url: URL, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('refuses every preflight by default, and never allows credentials', async () => {
    const server = await listeningApp();
    for (const origin of ['https://evil.example', 'null']) {
      const answer = await preflight(server.url, origin);
      expect(answer.status).toBe(403);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const read = await fetch(server.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { id } }' }),
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows the origins of CORS_ORIGINS, and only those, without credentials', async () => {
    const server = await listeningApp({ corsOrigins: ['https://tickets.example'] });
    const allowed = await preflight(server.url, 'https://tickets.example');
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries([...allowed.headers].filter(([name]) => name.startsWith('access-control') || name === 'vary'))).toEqual({
      'access-control-allow-origin': 'https://tickets.example',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect((await preflight(server.url, 'https://evil.example')).status).toBe(403);
    const answer = await fetch(server.url, {
      method: 'POST',
      headers: { origin: 'https://tickets.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { id } }' }),
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://tickets.example');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('vary')).toBe('Origin');
  });

  it('refuses a WebSocket from a page of another origin (403), and takes its own origin, listed ones and non-browsers', async () => {
    const server = await listeningApp({ corsOrigins: ['https://tickets.example'] });
    const url = server.url.href.replace(/^http/, 'ws');
    const outcome = (origin?: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
        socket.once('error', () => undefined);
      });
    expect(await outcome('https://evil.example')).toBe('refused 403');
    expect(await outcome('null')).toBe('refused 403');
    expect(await outcome(server.url.origin)).toBe('open');
    expect(await outcome('https://tickets.example')).toBe('open');
    expect(await outcome()).toBe('open');
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', `query=${encodeURIComponent(LOCK_A1)}`],
    ['plain text', 'text/plain;charset=UTF-8', JSON.stringify({ query: LOCK_A1 })],
  ])('refuses %s body with 415, running nothing', async (_name, contentType, body) => {
    const server = await listeningApp();
    const answer = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(answer.status).toBe(415);
    expect(await answer.json()).toEqual({
      errors: [{ message: expect.stringMatching(/are not accepted: send application\/json/), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }],
    });
    expect((await seatStatuses(server.client, 'play'))['A-1']).toBe('AVAILABLE');
  });

  it('refuses a multipart body (a form with a file-upload shape) with 415, running nothing', async () => {
    const server = await listeningApp();
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: LOCK_A1 }));
    form.set('map', '{}');
    const answer = await fetch(server.url, { method: 'POST', body: form });
    expect(answer.status).toBe(415);
    expect((await seatStatuses(server.client, 'play'))['A-1']).toBe('AVAILABLE');
  });
});

describe('request bodies and headers', () => {
  it('caps a chunked body by the bytes that arrive (413), and takes a small chunked one', async () => {
    const server = await listeningApp();
    const big = rawExchange(server.url, (socket) => {
      socket.write(`POST /graphql HTTP/1.1\r\nHost: ${server.url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.alloc(256 * 1024, ' ');
      // 8 MiB without a declared length: refused after the first MiB, the rest never read.
      for (let index = 0; index < 32; index++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    const refused = await big.received;
    expect(refused.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(refused.text).toContain('"code":"PAYLOAD_TOO_LARGE"');
    // A sender that never finishes is cut once the rest has been dropped for 2 s.
    expect(refused.closedAfterMs).toBeLessThan(5_000);

    const body = JSON.stringify({ query: '{ events { id } }' });
    const small = rawExchange(server.url, (socket) => {
      socket.end(
        `POST /graphql HTTP/1.1\r\nHost: ${server.url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      );
    });
    const answered = await small.received;
    expect(answered.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(answered.text).toContain('{"data":{"events":[{"id":"play"},{"id":"concert"}]}}');
  });

  it.each([false, true])('answers a malformed Host header with 400 and no stack trace (production: %s)', async (production) => {
    const server = await listeningApp({ production });
    for (const target of ['/graphql?query=%7Bevents%7Bid%7D%7D', '/graphql']) {
      const exchange = rawExchange(server.url, (socket) => socket.end(`GET ${target} HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n`));
      const { text } = await exchange.received;
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toContain('{"errors":[{"message":"The request target or Host header is not valid.","extensions":{"code":"BAD_REQUEST"}}]}');
      expect(text).not.toMatch(/at |node_modules|\.js|\.ts/);
    }
  });
});

describe('slow clients', () => {
  const timeouts = { headersMs: 1_000, requestMs: 2_000, keepAliveMs: 1_000 };

  it('cuts a client that sends its headers too slowly once HEADERS_TIMEOUT_SECONDS pass', async () => {
    const server = await listeningApp({ httpTimeouts: timeouts });
    const exchange = rawExchange(server.url, (socket) => socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n'));
    const { text, closedAfterMs } = await exchange.received;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    // The deadline, plus at most one check interval (1 s).
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('cuts a client that sends its body too slowly once REQUEST_TIMEOUT_SECONDS pass', async () => {
    const server = await listeningApp({ httpTimeouts: timeouts });
    const exchange = rawExchange(server.url, (socket) => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
      // A byte now and then, never finishing.
      const drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 200);
      socket.once('close', () => clearInterval(drip));
    });
    const { text, closedAfterMs } = await exchange.received;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_900);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('closes an idle keep-alive connection once KEEP_ALIVE_TIMEOUT_SECONDS pass', async () => {
    const server = await listeningApp({ httpTimeouts: timeouts });
    const body = JSON.stringify({ query: '{ events { id } }' });
    const exchange = rawExchange(server.url, (socket) =>
      socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
    );
    const { text, closedAfterMs } = await exchange.received;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4_000);
  });
});

describe('limit errors and the GraphQL-over-HTTP spec', () => {
  const aliased = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: events { id }`).join(' ')} }`;

  it.each([
    ['application/graphql-response+json', 400],
    ['application/json', 200],
  ])('answers a broken limit with accept %s with status %i', async (accept, status) => {
    const server = await listeningApp();
    const answer = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query: aliased }),
    });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain(accept);
    expect(((await answer.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/aliases limit of 30 exceeded/i);
  });
});
