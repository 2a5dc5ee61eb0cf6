import { auditServer } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { listeningApp } from '../support/apps.js';

describe('GraphQL over HTTP: graphql-http’s audit suite against the listening server', () => {
  it('passes every MUST audit', async () => {
    const server = await listeningApp();
    const results = await auditServer({ url: server.url.href });
    const failures = results.flatMap((result) => (result.status === 'error' ? [`${result.name}: ${result.reason}`] : []));
    expect(failures).toEqual([]);
    const warnings = results.filter((result) => result.status === 'warn').map((result) => result.name);
    // Listed in the run's output (and in the closing note), not judged here.
    console.info(`graphql-http audits: ${results.length} run, ${warnings.length} warnings\n${warnings.join('\n')}`);
  });
});

const SUBSCRIBE = (id: string) => JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { seatChanged(eventId: "play") { version } }' } });

/** Opens a raw socket, runs `script` once it is open, and resolves with the close code. */
async function closeCodeOf(url: URL, protocol: string | undefined, script: (socket: WebSocket) => void): Promise<number> {
  const socket = new WebSocket(url.href.replace(/^http/, 'ws'), protocol);
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  await new Promise((resolve) => socket.once('open', resolve));
  script(socket);
  return closed;
}

/** Sends `connection_init` and waits for the ack. */
function acknowledged(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer) => {
      if (JSON.parse(data.toString()).type === 'connection_ack') resolve();
    });
    socket.send(JSON.stringify({ type: 'connection_init' }));
  });
}

describe('graphql-ws protocol rules, with a raw ws client', () => {
  it('closes with 4406 without the graphql-transport-ws subprotocol', async () => {
    const server = await listeningApp();
    // A client that offers another subprotocol never opens (ws refuses the handshake itself);
    // one that offers none is accepted at the WebSocket level and closed by graphql-ws.
    expect(await closeCodeOf(server.url, undefined, () => undefined)).toBe(4406);
  });

  it('closes with 4408 when connection_init does not come in time', async () => {
    const server = await listeningApp();
    expect(await closeCodeOf(server.url, 'graphql-transport-ws', () => undefined)).toBe(4408);
  });

  it('closes with 4429 on a second connection_init', async () => {
    const server = await listeningApp();
    const code = await closeCodeOf(server.url, 'graphql-transport-ws', (socket) => {
      void acknowledged(socket).then(() => socket.send(JSON.stringify({ type: 'connection_init' })));
    });
    expect(code).toBe(4429);
  });

  it('closes with 4401 on a subscribe before the ack', async () => {
    const server = await listeningApp();
    expect(await closeCodeOf(server.url, 'graphql-transport-ws', (socket) => socket.send(SUBSCRIBE('1')))).toBe(4401);
  });

  it('closes with 4409 when an active operation id is reused', async () => {
    const server = await listeningApp();
    const code = await closeCodeOf(server.url, 'graphql-transport-ws', (socket) => {
      void acknowledged(socket).then(() => {
        socket.send(SUBSCRIBE('same'));
        setTimeout(() => socket.send(SUBSCRIBE('same')), 100);
      });
    });
    expect(code).toBe(4409);
  });

  it('closes with 4400 on an invalid message', async () => {
    const server = await listeningApp();
    const code = await closeCodeOf(server.url, 'graphql-transport-ws', (socket) => {
      void acknowledged(socket).then(() => socket.send('{"type":"nonsense"}'));
    });
    expect(code).toBe(4400);
  });
});
