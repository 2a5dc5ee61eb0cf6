/**
 * Run with `node --expose-gc --import tsx test/support/heap-probe.ts <documents>`: starts a
 * server in this process and sends it `documents` distinct GraphQL documents over HTTP, half of
 * them 30-alias seat-map queries, half lock/release pairs with the hold token written into the
 * query text (as GraphiQL users do). Prints one JSON line: the heap after a full GC before and
 * after, in bytes, and the mean milliseconds per request.
 */
import { createApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';
import { testEvents } from './events.js';

const documents = Number(process.argv[2] ?? 5_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const app = createApp({ ...defaultConfig, port: 0, host: '127.0.0.1', dataFile: ':memory:', lockRate: null, maxSeatsPerClient: 0 }, { events: testEvents() });
const url = await app.start();

async function post(query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!body.data) throw new Error(`request failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** A seat-map query of 30 aliases that no other document repeats. */
function aliasedQuery(n: number): string {
  const fields = Array.from({ length: 30 }, (_, index) => `q${n}_${index}: event(id: "play") { id name version seats { id status } }`);
  return `query Map${n} { ${fields.join(' ')} }`;
}

async function lockAndRelease(n: number): Promise<void> {
  const seat = `A-${(n % 5) + 1}`;
  const locked = (await post(`mutation { lockSeat(eventId: "play", seatId: "${seat}") { ... on Hold { token } } }`)).lockSeat as { token?: string };
  if (!locked.token) throw new Error(`seat ${seat} did not lock`);
  await post(`mutation { releaseHold(holdToken: "${locked.token}") { __typename } }`);
}

// Warm up every code path once, so the baseline holds what any running server holds.
await post(aliasedQuery(documents + 1));
await lockAndRelease(0);
const before = heapAfterGc();
const started = performance.now();
let requests = 0;
for (let n = 0; n < documents; n += 2) {
  await post(aliasedQuery(n));
  await lockAndRelease(n);
  requests += 3;
}
const elapsed = performance.now() - started;
const after = heapAfterGc();
await app.stop();
console.log(JSON.stringify({ documents, before, after, msPerRequest: elapsed / requests }));
