import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LockTarget } from './lock-storm.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghijkl';
const CREATE_WEBHOOK = 'mutation($i:CreateWebhookInput!){createWebhook(input:$i){__typename ...on Error{message}}}';

/** A receiver in the bench process that answers 204 after `delayMs`; it counts what it got. */
export async function startReceiver(delayMs: number): Promise<{ url: string; received: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      if (delayMs === 0) response.writeHead(204).end();
      else setTimeout(() => response.writeHead(204).end(), delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received: () => received,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * `target` with one webhook endpoint subscribed to every message type, served by a receiver that
 * answers after `delayMs`: every lock of the storm writes a hold.created message and a delivery.
 */
export function withWebhookEndpoint(target: LockTarget, name: string, delayMs: number): LockTarget {
  return {
    name,
    lock: (index) => target.lock(index),
    start: async (seats) => {
      const receiver = await startReceiver(delayMs);
      const server = await target.start(seats);
      const answer = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ query: CREATE_WEBHOOK, variables: { i: { url: receiver.url } } }),
      });
      const created = (await answer.json()) as { data?: { createWebhook?: { __typename: string } } };
      if (created.data?.createWebhook?.__typename !== 'WebhookEndpoint') throw new Error(`createWebhook failed: ${JSON.stringify(created)}`);
      return {
        ...server,
        stop: async () => {
          await server.stop();
          await receiver.stop();
        },
      };
    },
  };
}

/** The environment a server needs to take an endpoint on loopback. */
export const WEBHOOK_SERVER_ENV = { ADMIN_TOKEN, WEBHOOKS_ALLOW_PRIVATE: 'true' } as const;
