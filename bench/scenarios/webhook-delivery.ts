import { waitUntil } from '../../test/support/wait.js';
import { ALIASED_LOCKS_ENV, LOCKS_PER_REQUEST, lockEach } from '../lib/aliased-locks.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { type BenchReceiver, createEndpoint, startReceiver, WEBHOOK_SERVER_ENV } from './webhooks.js';

/** Whether the receiver has `count` messages within `timeoutMs`. */
function received(receiver: BenchReceiver, count: number, timeoutMs: number): Promise<boolean> {
  return waitUntil(async () => (await receiver.lags()).length >= count, { timeoutMs, intervalMs: 20, awaited: () => `${count} messages` }).then(
    () => true,
    () => false,
  );
}

/**
 * How fast one server delivers to one receiver (at normal priority here: its speed is part of
 * the rate), on the durable store: `backlog` hold.created messages made while the receiver holds
 * every request, then all let go at once (the rate is how fast the backlog drains); then one
 * lock every 2 ms for `lagSeconds` (500 messages/s) with the lag of each from its commit
 * (the message's timestamp) to the receiver.
 */
export async function webhookDelivery(backlog: number, lagSeconds: number, env: Record<string, string>): Promise<Row[]> {
  const paced = lagSeconds * 500;
  const scenario = `webhook delivery to one receiver, durable default`;
  const receiver = await startReceiver(0, 0);
  const server = await startSeatlock('seatlock', {
    ...env,
    ...WEBHOOK_SERVER_ENV,
    EVENTS_FILE: eventsFile(backlog + paced),
    ...ALIASED_LOCKS_ENV,
    LOCK_TTL_SECONDS: '600',
    HOLD_MAX_SECONDS: '600',
  });
  try {
    await createEndpoint(server.origin, receiver.url, ['hold.created']);
    const ids = seatIds(backlog + paced);

    // The backlog: made while the receiver answers nothing, so it waits in the outbox.
    await receiver.control('hold');
    for (let start = 0; start < backlog; start += LOCKS_PER_REQUEST) await lockEach(server.origin, ids.slice(start, start + LOCKS_PER_REQUEST));
    const released = performance.now();
    await receiver.control('release');
    const drained = await received(receiver, backlog, 120_000);
    const drainSeconds = (performance.now() - released) / 1000;
    const rate = drained ? backlog / drainSeconds : 0;

    // 500 messages a second, one lock each, for lagSeconds.
    await receiver.control('reset');
    const started = performance.now();
    const sent: Promise<unknown>[] = [];
    for (let index = 0; index < paced; index++) {
      const due = started + index * 2;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      sent.push(lockEach(server.origin, [ids[backlog + index] as string]));
    }
    await Promise.all(sent);
    await received(receiver, paced, 60_000);
    const lags = await receiver.lags();
    return [
      {
        scenario,
        metric: `delivery rate, a backlog of ${backlog} messages`,
        value: round(rate, 0),
        unit: 'msg/s',
        target: '≥ 2,000 msg/s',
        met: rate >= 2_000,
      },
      { scenario, metric: 'messages received at 500/s', value: lags.length, unit: `of ${paced}`, target: 'all', met: lags.length === paced },
      { scenario, metric: 'lag commit to receipt at 500/s, p50', value: round(percentile(lags, 50), 1), unit: 'ms' },
      {
        scenario,
        metric: 'lag commit to receipt at 500/s, p99',
        value: round(percentile(lags, 99), 1),
        unit: 'ms',
        target: '≤ 50 ms',
        met: percentile(lags, 99) <= 50,
      },
    ];
  } finally {
    await server.stop();
    await receiver.stop();
  }
}
