import { postJson } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { openSubscribers } from '../lib/subscribers.js';

const PER_REQUEST = 100;

/** `holds` one-seat holds that all expire; lag from `expiresAt` to a subscriber's receipt. */
export async function expiry(holds: number, ttlSeconds: number, store: { name: string; env: Record<string, string> }): Promise<Row[]> {
  const scenario = `expiry, ${holds} holds, ${store.name}`;
  const server = await startSeatlock('seatlock', {
    ...store.env,
    EVENTS_FILE: eventsFile(holds),
    LOCK_TTL_SECONDS: String(ttlSeconds),
    HOLD_MAX_SECONDS: String(ttlSeconds),
    // 100 aliased locks per request: more aliases and tokens than the defaults allow a client.
    MAX_ALIASES: String(PER_REQUEST),
    MAX_TOKENS: '20000',
    MAX_COST: '100000',
  });
  try {
    const ids = seatIds(holds);
    const lags: number[] = [];
    const watcher = await openSubscribers(server.origin, 'bench', 1, (change) => {
      if (change.reason === 'EXPIRED') lags.push(Date.now() - Date.parse(change.at));
    });
    const rssBefore = server.rssBytes();
    const created = performance.now();
    // Many aliased lockSeat fields per request: one hold each, far fewer round trips.
    const batches: string[][] = [];
    for (let start = 0; start < holds; start += PER_REQUEST) batches.push(ids.slice(start, start + PER_REQUEST));
    // One document with variables, so it is parsed, validated and compiled once.
    const document = (size: number) =>
      `mutation(${Array.from({ length: size }, (_, i) => `$s${i}: ID!`).join(', ')}) { ${Array.from(
        { length: size },
        (_, i) => `l${i}: lockSeat(eventId: "bench", seatId: $s${i}) { __typename }`,
      ).join(' ')} }`;
    const send = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        const variables = Object.fromEntries(batch.map((id, index) => [`s${index}`, id]));
        await postJson(server.origin, '/graphql', { query: document(batch.length), variables });
      }
    };
    await Promise.all(Array.from({ length: 4 }, send));
    const creationSeconds = (performance.now() - created) / 1000;
    const bytesPerHold = (server.rssBytes() - rssBefore) / holds;
    if (creationSeconds > ttlSeconds) console.warn(`expiry: creating the holds took ${round(creationSeconds)} s, longer than the TTL`);

    const deadline = Date.now() + (ttlSeconds + 60) * 1000;
    while (lags.length < holds && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    watcher.close();
    return [
      { scenario, metric: 'EXPIRED changes received', value: lags.length, unit: `of ${holds}`, target: 'all', met: lags.length === holds },
      { scenario, metric: 'lag p50', value: round(percentile(lags, 50), 1), unit: 'ms' },
      { scenario, metric: 'lag p99', value: round(percentile(lags, 99), 1), unit: 'ms', target: '≤ 20 ms', met: percentile(lags, 99) <= 20 },
      { scenario, metric: 'server memory per hold', value: round(bytesPerHold, 0), unit: 'bytes' },
    ];
  } finally {
    await server.stop();
  }
}
