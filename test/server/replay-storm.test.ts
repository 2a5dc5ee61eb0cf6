import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { EventsDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { churnSeats } from '../support/churn.js';

const RESUME = 'subscription Resume($eventId: ID!, $afterVersion: Int) { seatChanged(eventId: $eventId, afterVersion: $afterVersion) { version } }';

/** A socket of client `clientId` whose subscriptions record the versions they get. */
async function resumingSocket(url: URL, clientId: string) {
  const socket = new WebSocket(url.href.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { 'x-client-id': clientId } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const versions = new Map<string, number[]>();
  const acknowledged = new Promise<void>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: string; type: string; payload?: { data?: { seatChanged: { version: number } }; errors?: unknown } };
      if (message.type === 'connection_ack') return resolve();
      if (message.type !== 'next' || message.id === undefined) return;
      if (message.payload?.errors) throw new Error(`subscription ${message.id} failed: ${JSON.stringify(message.payload.errors)}`);
      versions.get(message.id)?.push(message.payload?.data?.seatChanged.version ?? -1);
    });
  });
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await acknowledged;
  return {
    socket,
    versions,
    resume(id: string, afterVersion: number) {
      versions.set(id, []);
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: RESUME, variables: { eventId: 'play', afterVersion } } }));
    },
    received: () => [...versions.values()].reduce((total, list) => total + list.length, 0),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('a replay storm', () => {
  it("serves one client's storm of resumes at its own pace, whole and in order, while another client's resume and queries go through", {
    timeout: 60_000,
  }, async () => {
    const server = await listeningApp({
      clientIdentity: { kind: 'header', name: 'x-client-id' },
      maxReplaysPerClient: 2,
      replayMessagesPerSecond: 10_000,
    });
    const changes = await churnSeats(server.app.store, 'play', ['A-1', 'A-2'], 500);
    expect(changes).toBe(2_000);

    // 4 sockets × 5 subscriptions, each resuming from the start: 40,000 messages, at least 3 s at 10,000 a second.
    const storm = await Promise.all(range(1, 4).map(() => resumingSocket(server.url, 'storm')));
    for (const [index, connection] of storm.entries()) for (let id = 0; id < 5; id++) connection.resume(`${index}-${id}`, 0);
    const stormReceived = () => storm.reduce((total, connection) => total + connection.received(), 0);
    await vi.waitFor(() => expect(stormReceived()).toBeGreaterThan(0), { timeout: 10_000 });

    const bystander = await resumingSocket(server.url, 'bystander');
    bystander.resume('mine', 0);
    const queries: Promise<unknown>[] = [];
    await vi.waitFor(
      async () => {
        queries.push(server.client.data(EventsDocument, {}));
        expect(bystander.versions.get('mine')).toHaveLength(2_000);
      },
      { timeout: 20_000, interval: 50 },
    );
    // Its own budget: done while the storm, paced, is still far from done.
    expect(stormReceived()).toBeLessThan(30_000);
    expect(bystander.versions.get('mine')).toEqual(range(1, 2_000));
    for (const answer of await Promise.all(queries))
      expect(answer).toMatchObject({ events: expect.arrayContaining([expect.objectContaining({ id: 'play' })]) });

    await vi.waitFor(() => expect(stormReceived()).toBe(40_000), { timeout: 30_000, interval: 100 });
    for (const connection of storm) for (const versions of connection.versions.values()) expect(versions).toEqual(range(1, 2_000));
    for (const connection of [...storm, bystander]) connection.socket.close();
  });
});
