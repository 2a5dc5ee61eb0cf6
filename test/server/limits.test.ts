import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp } from '../support/apps.js';

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
    const after = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ events { id } }' }) });
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
    const after = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ events { id } }' }) });
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
