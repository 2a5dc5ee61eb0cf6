import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listeningApp } from '../support/apps.js';
import { captureLog } from '../support/log-capture.js';

describe('request ids and refused requests in the log', () => {
  it('logs every refused request with its id and client, and gives the id back to the client', async () => {
    const { logDestination, entries } = captureLog();
    const { url } = await listeningApp({ production: true, logLevel: 'info' }, { logDestination });
    const post = (headers: Record<string, string>, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    // Requests that succeed are not logged at info, and cost no id.
    const fine = await post({}, '{"query":"{ events { id } }"}');
    expect(fine.status).toBe(200);
    expect(fine.headers.get('x-request-id')).toBeNull();
    expect(entries).toEqual([]);

    const tooLarge = await post({}, 'x'.repeat(1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-request-id')).toMatch(/^[0-9a-f]{10}-[0-9a-z]+$/);
    // A plain id the client (or its proxy) sent is used; anything else is replaced, so no client writes what it likes into the log.
    const badQuery = await fetch(new URL('?query=%7B&variables=%7B%22holdToken%22%3A%22secret-hold%22%7D', url), {
      headers: { 'x-request-id': 'lb-7f3a.42', accept: 'application/graphql-response+json' },
    });
    expect(badQuery.status).toBe(400);
    expect(badQuery.headers.get('x-request-id')).toBe('lb-7f3a.42');
    const odd = await post({ 'x-request-id': 'a b"c', accept: 'application/graphql-response+json' }, '{"query":"{"}');
    expect(odd.status).toBe(400);
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{10}-[0-9a-z]+$/);

    await expect.poll(() => entries.length).toBe(3);
    expect(entries[0]).toMatchObject({
      level: 30,
      msg: 'request refused',
      method: 'POST',
      path: '/graphql',
      status: 413,
      client: '127.0.0.1',
      reqId: tooLarge.headers.get('x-request-id'),
    });
    expect(entries[1]).toMatchObject({ msg: 'request refused', method: 'GET', path: '/graphql', status: 400, reqId: 'lb-7f3a.42' });
    expect(entries[2]).toMatchObject({ msg: 'request refused', status: 400, reqId: odd.headers.get('x-request-id') });
    expect(JSON.stringify(entries)).not.toContain('secret-hold');
  });

  it('never writes tokens, whether at the top of a line or one level down', async () => {
    const { createLogger } = await import('../../src/observability/logger.js');
    const lines: string[] = [];
    const logger = createLogger(
      { level: 'info', json: true },
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    logger.info(
      {
        authorization: 'Bearer top-secret',
        holdToken: 'play.secret-1',
        req: { headers: { authorization: 'Bearer top-secret' } },
        input: { token: 'play.secret-2' },
      },
      'hello',
    );
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'hello', authorization: '[redacted]', holdToken: '[redacted]', service: 'seatlock' });
    expect(lines.join('')).not.toMatch(/top-secret|secret-1|secret-2/);
  });
});
