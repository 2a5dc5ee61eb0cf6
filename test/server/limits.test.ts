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
