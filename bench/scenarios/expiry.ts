import { ALIASED_LOCKS_ENV, LOCKS_PER_REQUEST, lockEach } from '../lib/aliased-locks.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { openSubscribers } from '../lib/subscribers.js';

/** `holds` one-seat holds that all expire; lag from `expiresAt` to a subscriber's receipt. */
export async function expiry(holds: number, ttlSeconds: number, store: { name: string; env: Record<string, string> }): Promise<Row[]> {
  const scenario = `expiry, ${holds} holds, ${store.name}`;
  const server = await startSeatlock('seatlock', {
    ...store.env,
    EVENTS_FILE: eventsFile(holds),
    LOCK_TTL_SECONDS: String(ttlSeconds),
    HOLD_MAX_SECONDS: String(ttlSeconds),
    ...ALIASED_LOCKS_ENV,
  });
  try {
    const ids = seatIds(holds);
    const lags: number[] = [];
    const watcher = await openSubscribers(server.origin, 'bench', 1, (change) => {
      if (change.reason === 'EXPIRED') lags.push(Date.now() - Date.parse(change.at));
    });
    const rssBefore = server.rssBytes();
    const created = performance.now();
    const batches: string[][] = [];
    for (let start = 0; start < holds; start += LOCKS_PER_REQUEST) batches.push(ids.slice(start, start + LOCKS_PER_REQUEST));
    const send = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) await lockEach(server.origin, batch);
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
