import { request as httpRequest } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { runToExit, spawnServer, tempDataFile, tempJsonFile } from '../support/processes.js';

describe('starting the server', () => {
  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['LOCK_TTL_SECONDS', '-5', /LOCK_TTL_SECONDS must be a number of seconds/],
    ['HOLD_MAX_SECONDS', '10', /HOLD_MAX_SECONDS \(10\) must be at least LOCK_TTL_SECONDS \(60\)/],
    ['MAX_SEATS_PER_HOLD', '0', /MAX_SEATS_PER_HOLD must be a whole number from 1/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must/],
  ])('stops with a message naming %s when it is %s', async (name, value, message) => {
    const run = await runToExit({ [name]: value });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('seatlock: cannot start');
  });

  it.each([
    ['not JSON', '{"events": [', /EVENTS_FILE .*: not valid JSON/],
    [
      'a row without seats',
      { events: [{ id: 'x', name: 'X', sections: [{ name: 'S', rows: [{ row: 'A' }] }] }] },
      /events\[0\]\.sections\[0\]\.rows\[0\]\.seats must be a whole number/,
    ],
    ['a bad event id', { events: [{ id: 'Bad Id', name: 'X', sections: [] }] }, /events\[0\]\.id "Bad Id" must be a slug/],
  ])('stops with a message naming the bad entry when EVENTS_FILE has %s', async (_case, content, message) => {
    const run = await runToExit({ EVENTS_FILE: tempJsonFile(content) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('says in one line that its port is taken, and lets go of its data file', async () => {
    const first = await spawnServer({});
    const port = new URL(first.url).port;
    const dataFile = tempDataFile();
    const run = await runToExit({ PORT: port, HOST: '127.0.0.1', DATA_FILE: dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`seatlock: cannot start: 127.0.0.1:${port} is already in use (another seatlock, or another server): stop it, or set PORT`);
    // Nothing was left holding the data file: a server on a free port takes it.
    const second = await spawnServer({ DATA_FILE: dataFile });
    expect((await fetch(new URL('/ready', second.url))).status).toBe(200);
  });

  it('says at start where the pages are, where the state is kept and which events it serves', async () => {
    const server = await spawnServer({
      EVENTS_FILE: tempJsonFile({ events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 2 }] }] }] }),
    });
    const origin = new URL(server.url).origin;
    await vi.waitFor(() =>
      expect(server.output().stdout).toContain(
        `seatlock: the seat map at ${origin}/, the box office at ${origin}/admin; state in memory only (DATA_FILE=:memory:, nothing is kept); events: gig`,
      ),
    );
  });

  it('announces GraphiQL only where it serves it: not in production', async () => {
    const production = await spawnServer({ NODE_ENV: 'production' });
    await vi.waitFor(() => expect(production.output().stdout).toContain(`seatlock: GraphQL at ${production.url}`), { timeout: 15_000 });
    expect(production.output().stdout).not.toContain('GraphiQL');
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    const development = await spawnServer({ NODE_ENV: 'development' });
    await vi.waitFor(() => expect(development.output().stdout).toContain(`seatlock: GraphQL and GraphiQL at ${development.url}`), { timeout: 15_000 });
  });

  it('stops when EVENTS_FILE does not exist', async () => {
    const run = await runToExit({ EVENTS_FILE: '/nonexistent/events.json' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EVENTS_FILE \/nonexistent\/events.json: cannot be read \(ENOENT\)/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serves EVENTS_FILE and exits 0 on %s, closing open WebSockets', async (signal) => {
    const eventsFile = tempJsonFile({ events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 2 }] }] }] });
    const server = await spawnServer({ EVENTS_FILE: eventsFile, LOCK_TTL_SECONDS: '', HOST: '127.0.0.1' });
    expect((await fetch(new URL('/health', server.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events { id counts { total } } }' }),
    });
    expect(await response.json()).toEqual({ data: { events: [{ id: 'gig', counts: { total: 2 } }] } });
    const socket = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));

    expect(await server.kill(signal)).toBe(0);
    expect(await closed).toBe(1001);
    expect(server.output().stderr).toBe('');
  });

  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    // 60,000 seats: a long answer, still being written while the server shuts down.
    const rows = Array.from({ length: 60 }, (_, index) => ({ row: `R${index}`, seats: 1_000 }));
    const eventsFile = tempJsonFile({ events: [{ id: 'arena', name: 'Arena', sections: [{ name: 'Floor', rows }] }] });
    const server = await spawnServer({ EVENTS_FILE: eventsFile });
    const body = JSON.stringify({ query: '{ seats(eventId: "arena") { id label status } }' });
    // With Expect: 100-continue the server says when it has the request; the signal comes after
    // that, and the body once the server says it is shutting down: the request is in flight
    // through the shutdown whatever the machine's speed.
    const request = httpRequest(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    const answered = new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
      request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.once('end', () => resolve({ status: response.statusCode, text }));
      });
      request.once('error', reject);
    });
    await new Promise((resolve) => request.once('continue', resolve));
    const exited = server.kill('SIGTERM');
    await vi.waitFor(() => expect(server.output().stdout).toContain('SIGTERM, shutting down'), { timeout: 15_000, interval: 10 });
    request.end(body);
    const response = await answered;
    expect(response.status).toBe(200);
    expect((JSON.parse(response.text) as { data: { seats: unknown[] } }).data.seats).toHaveLength(60_000);
    expect(await exited).toBe(0);
    await expect(
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ events { id } }"}' }),
    ).rejects.toThrow();
  });
});
