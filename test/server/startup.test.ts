import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the real entry file; `whileRunning` sees stdout once the server says it listens. */
function runServer(env: Record<string, string>, whileRunning?: (url: string) => Promise<void>, signal: NodeJS.Signals = 'SIGTERM'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const url = /at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && whileRunning) {
        const check = whileRunning;
        whileRunning = undefined;
        check(url).then(() => child.kill(signal), (error: unknown) => {
          child.kill('SIGKILL');
          reject(error);
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'seatlock-')), 'events.json');
  writeFileSync(path, content);
  return path;
}

describe('starting the server', () => {
  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['LOCK_TTL_SECONDS', '-5', /LOCK_TTL_SECONDS must be a number of seconds/],
    ['HOLD_MAX_SECONDS', '10', /HOLD_MAX_SECONDS \(10\) must be at least LOCK_TTL_SECONDS \(60\)/],
    ['MAX_SEATS_PER_HOLD', '0', /MAX_SEATS_PER_HOLD must be a whole number from 1/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must/],
  ])('stops with a message naming %s when it is %s', async (name, value, message) => {
    const run = await runServer({ [name]: value });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('seatlock: cannot start');
  });

  it.each([
    ['not JSON', '{"events": [', /EVENTS_FILE .*: not valid JSON/],
    ['a row without seats', JSON.stringify({ events: [{ id: 'x', name: 'X', sections: [{ name: 'S', rows: [{ row: 'A' }] }] }] }), /events\[0\]\.sections\[0\]\.rows\[0\]\.seats must be a whole number/],
    ['a bad event id', JSON.stringify({ events: [{ id: 'Bad Id', name: 'X', sections: [] }] }), /events\[0\]\.id "Bad Id" must be a slug/],
  ])('stops with a message naming the bad entry when EVENTS_FILE has %s', async (_case, content, message) => {
    const run = await runServer({ EVENTS_FILE: tempFile(content) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('stops when EVENTS_FILE does not exist', async () => {
    const run = await runServer({ EVENTS_FILE: '/nonexistent/events.json' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EVENTS_FILE \/nonexistent\/events.json: cannot be read \(ENOENT\)/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serves EVENTS_FILE and exits 0 on %s, closing open WebSockets', async (signal) => {
    const eventsFile = tempFile(
      JSON.stringify({ events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 2 }] }] }] }),
    );
    let closeCode: number | undefined;
    const run = await runServer(
      { EVENTS_FILE: eventsFile, LOCK_TTL_SECONDS: '', HOST: '127.0.0.1' },
      async (url) => {
        const health = await fetch(new URL('/health', url));
        expect(health.status).toBe(200);
        expect((await fetch(new URL('/ready', url))).status).toBe(200);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ events { id counts { total } } }' }),
        });
        expect(await response.json()).toEqual({ data: { events: [{ id: 'gig', counts: { total: 2 } }] } });
        const { WebSocket } = await import('ws');
        const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
        await new Promise((resolve) => socket.once('open', resolve));
        socket.once('close', (code) => (closeCode = code));
      },
      signal,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(closeCode).toBe(1001);
  });
});
