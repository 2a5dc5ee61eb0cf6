import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listeningApp } from '../support/apps.js';

/** An app's JSON log lines, parsed as they are written. */
function captureLog(): { logDestination: Writable; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) entries.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logDestination, entries };
}

describe('request ids and refused requests in the log', () => {
  it('answers every request with an id, takes a plain one the client sent, and logs refusals with it', async () => {
    const { logDestination, entries } = captureLog();
    const { url } = await listeningApp({ production: true, logLevel: 'info' }, { logDestination });
    const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ events { id } }"}' });
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'lb-7f3a.42' }, body: '{"query":"{ events { id } }"}' });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a.42');
    // Not a plain token: replaced, so that no client writes what it likes into the log.
    const odd = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'a b"c' }, body: '{"query":"{ events { id } }"}' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Successful requests are not logged at info.
    expect(entries).toEqual([]);

    const tooLarge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(tooLarge.status).toBe(413);
    const badQuery = await fetch(new URL('?query=%7B&variables=%7B%22holdToken%22%3A%22secret-hold%22%7D', url), { headers: { 'x-request-id': 'bad-query-1', accept: 'application/graphql-response+json' } });
    expect(badQuery.status).toBe(400);
    await expect.poll(() => entries.length).toBe(2);
    expect(entries[0]).toMatchObject({ level: 30, msg: 'request refused', method: 'POST', path: '/graphql', status: 413, client: '127.0.0.1', reqId: tooLarge.headers.get('x-request-id') });
    expect(entries[1]).toMatchObject({ msg: 'request refused', method: 'GET', path: '/graphql', status: 400, reqId: 'bad-query-1' });
    expect(JSON.stringify(entries)).not.toContain('secret-hold');
  });

  it('never writes tokens, whether at the top of a line or one level down', async () => {
    const { createLogger } = await import('../../src/observability/logger.js');
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', json: true }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    logger.info({ authorization: 'Bearer top-secret', holdToken: 'play.secret-1', req: { headers: { authorization: 'Bearer top-secret' } }, input: { token: 'play.secret-2' } }, 'hello');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'hello', authorization: '[redacted]', holdToken: '[redacted]', service: 'seatlock' });
    expect(lines.join('')).not.toMatch(/top-secret|secret-1|secret-2/);
  });
});
