import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import type { LockTarget } from './lock-storm.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghijkl';
const CREATE_WEBHOOK = 'mutation($i:CreateWebhookInput!){createWebhook(input:$i){__typename ...on Error{message}}}';

// The receiver stands for another machine, as in production. In the bench process it would take
// its CPU from the load generator; as a process of its own it runs at the lowest priority, so it
// takes only what the server and the load generator leave (as redis-server gets a core of its
// own in the Redis rows): the rows measure what delivering costs seatlock, not the receiver.
const RECEIVER_SOURCE = `
const { createServer } = require('node:http');
const delayMs = Number(process.argv[1]);
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (delayMs === 0) response.writeHead(204).end();
    else setTimeout(() => response.writeHead(204).end(), delayMs);
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

/** A receiver process on loopback that answers 204 after `delayMs`. */
export async function startReceiver(delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', RECEIVER_SOURCE, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.pid !== undefined) setPriority(child.pid, 19);
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = /listening on (\d+)/.exec(line.toString())?.[1];
  if (port === undefined) throw new Error(`the receiver did not start: ${line.toString()}`);
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    stop: async () => {
      child.kill();
      if (child.exitCode === null) await once(child, 'exit');
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
