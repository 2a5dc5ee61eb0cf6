import { postJson } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { createEndpoint, startReceiver, WEBHOOK_SERVER_ENV } from './webhooks.js';

const PER_REQUEST = 100;

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
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
    MAX_ALIASES: String(PER_REQUEST),
    MAX_TOKENS: '20000',
    MAX_COST: '100000',
    LOCK_TTL_SECONDS: '600',
    HOLD_MAX_SECONDS: '600',
  });
  try {
    await createEndpoint(server.origin, receiver.url, ['hold.created']);
    const ids = seatIds(backlog + paced);
    const document = (size: number) =>
      `mutation(${Array.from({ length: size }, (_, i) => `$s${i}: ID!`).join(', ')}) { ${Array.from(
        { length: size },
        (_, i) => `l${i}: lockSeat(eventId: "bench", seatId: $s${i}) { __typename }`,
      ).join(' ')} }`;

    // The backlog: made while the receiver answers nothing, so it waits in the outbox.
    await receiver.control('hold');
    for (let start = 0; start < backlog; start += PER_REQUEST) {
      const batch = ids.slice(start, start + PER_REQUEST);
      await postJson(server.origin, '/graphql', { query: document(batch.length), variables: Object.fromEntries(batch.map((id, index) => [`s${index}`, id])) });
    }
    const released = performance.now();
    await receiver.control('release');
    const drained = await waitFor(async () => (await receiver.lags()).length >= backlog, 120_000);
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
      sent.push(postJson(server.origin, '/graphql', { query: document(1), variables: { s0: ids[backlog + index] } }));
    }
    await Promise.all(sent);
    await waitFor(async () => (await receiver.lags()).length >= paced, 60_000);
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
