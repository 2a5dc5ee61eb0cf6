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
// Besides messages (POST /hooks) it answers GET /stats (how many it got, and each one's lag from
// the message's timestamp to its arrival), GET /hold (keep requests open from now on) and
// GET /release (answer those kept, and the next ones at once).
const RECEIVER_SOURCE = `
const { createServer } = require('node:http');
const delayMs = Number(process.argv[1]);
let lags = [];
let holding = false;
let held = [];
const server = createServer((request, response) => {
  if (request.method === 'GET') {
    if (request.url === '/hold') holding = true;
    if (request.url === '/release') {
      holding = false;
      for (const answer of held.splice(0)) answer();
    }
    if (request.url === '/reset') lags = [];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.url === '/stats' ? { lags } : {}));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    lags.push(Date.now() - Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp));
    const answer = () => response.writeHead(204).end();
    if (holding) held.push(answer);
    else if (delayMs === 0) answer();
    else setTimeout(answer, delayMs);
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

export interface BenchReceiver {
  readonly url: string;
  /** The lag of each message received since the last reset, in ms (receipt less its timestamp). */
  lags(): Promise<number[]>;
  control(command: 'hold' | 'release' | 'reset'): Promise<void>;
  stop(): Promise<void>;
}

/** A receiver process on loopback that answers 204 after `delayMs` (at the lowest priority unless `priority` says). */
export async function startReceiver(delayMs: number, priority = 19): Promise<BenchReceiver> {
  const child = spawn(process.execPath, ['-e', RECEIVER_SOURCE, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.pid !== undefined) setPriority(child.pid, priority);
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = /listening on (\d+)/.exec(line.toString())?.[1];
  if (port === undefined) throw new Error(`the receiver did not start: ${line.toString()}`);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/hooks`,
    lags: async () => ((await (await fetch(`${origin}/stats`)).json()) as { lags: number[] }).lags,
    control: async (command) => void (await fetch(`${origin}/${command}`)).arrayBuffer(),
    stop: async () => {
      child.kill();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Makes an endpoint on the server that receives `types` (all when omitted). */
export async function createEndpoint(origin: string, url: string, types?: readonly string[]): Promise<void> {
  const answer = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: CREATE_WEBHOOK, variables: { i: { url, types } } }),
  });
  const created = (await answer.json()) as { data?: { createWebhook?: { __typename: string } } };
  if (created.data?.createWebhook?.__typename !== 'WebhookEndpoint') throw new Error(`createWebhook failed: ${JSON.stringify(created)}`);
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
      await createEndpoint(server.origin, receiver.url);
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
