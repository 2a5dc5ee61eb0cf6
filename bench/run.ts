// npm run bench [-- --quick] [-- --only=<scenario>]: every benchmark, side by side where there is a peer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server.js';
import type { Row } from './lib/report.js';
import { printTable } from './lib/report.js';
import { seedAvailable } from './lib/processes.js';
import { areaFanOut, areaTarget } from './scenarios/areas.js';
import { bestAvailable, bestAvailableChoice } from './scenarios/best-available.js';
import { bigVenue } from './scenarios/big-venue.js';
import { expiry } from './scenarios/expiry.js';
import { fanOut, fanOutBurst } from './scenarios/fan-out.js';
import { compareLockStorm, seatlockTarget, seedTarget } from './scenarios/lock-storm.js';
import { resumeReplay } from './scenarios/resume.js';
import { webhookDelivery } from './scenarios/webhook-delivery.js';
import { admittedTarget, queueProgressFanOut, waitingRoomScale } from './scenarios/waiting-room.js';
import { WEBHOOK_SERVER_ENV, withWebhookEndpoint } from './scenarios/webhooks.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const storm = quick ? { seconds: 1, rounds: 1, concurrency: 16 } : { seconds: 5, rounds: 2, concurrency: 32 };
const rows: Row[] = [];

async function scenario(name: string, run: () => Promise<Row[]>): Promise<void> {
  if (only && !name.includes(only)) return;
  console.error(`bench: ${name}…`);
  rows.push(...(await run()));
}

// The durable store writes to a real file on disk; each server gets a fresh one.
const dataDirectory = mkdtempSync(join(tmpdir(), 'seatlock-bench-'));
let dataFiles = 0;
const durableTarget = seatlockTarget('durable default', () => ({ DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`) }));

if (seedAvailable()) {
  // The seed's own contention case: every client after the same five seats (memory store).
  await scenario('lock storm 5', () => compareLockStorm('lock storm, 5 seats', seatlockTarget('seatlock'), seedTarget, { seats: 5, minRatio: 1, ...storm }));
  // The default as users get it: the durable store, writing to a file on disk.
  await scenario('durable vs seed', () =>
    compareLockStorm('lock storm, 150 seats, durable default', durableTarget, seedTarget, { seats: 150, minRatio: 1.5, maxCpuRatio: 0.67, ...storm }),
  );
  await scenario('durable vs seed 10000', () =>
    compareLockStorm('lock storm, 10,000 seats, durable default', durableTarget, seedTarget, { seats: 10_000, minRatio: 5, ...storm }),
  );
} else {
  console.error('bench: ../shared/seed/express-seed.js not found; the seed comparisons are skipped');
}

// Redis on a core of its own where there is more than one: it is a separate machine in production.
const redisCpu = cpus().length > 1 ? cpus().length - 1 : undefined;
await scenario('redis', async () => {
  const redis = await startRedisServer({ cpu: redisCpu });
  try {
    let run = 0;
    const redisTarget = seatlockTarget('redis store', () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-${run++}` }));
    const pinned = redisCpu === undefined ? '' : `, redis-server pinned to core ${redisCpu}`;
    return await compareLockStorm(`lockSeat, Redis store vs durable default, 10,000 seats${pinned}`, redisTarget, durableTarget, {
      seats: 10_000,
      minRatio: 0.8,
      ...storm,
    });
  } finally {
    await redis.stop();
  }
});

// Delivering never slows selling: the same storm with an endpoint that gets every message.
await scenario('webhooks', async () => {
  const plain = seatlockTarget('no endpoint', () => ({ DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`), ...WEBHOOK_SERVER_ENV }));
  const fast = withWebhookEndpoint(plain, 'endpoint answering at once', 0);
  const slow = withWebhookEndpoint(plain, 'endpoint answering in 2 s', 2_000);
  return [
    ...(await compareLockStorm('lockSeat with a webhook endpoint (every message), durable default, 10,000 seats', fast, plain, {
      seats: 10_000,
      minRatio: 0.9,
      ...storm,
    })),
    ...(await compareLockStorm('lockSeat with a webhook endpoint answering in 2 s, durable default, 10,000 seats', slow, plain, {
      seats: 10_000,
      minRatio: 0.9,
      ...storm,
    })),
  ];
});

// How fast the outbox drains to one receiver, and how soon a message arrives at a steady rate.
await scenario('webhook delivery', () =>
  webhookDelivery(quick ? 2_000 : 10_000, quick ? 2 : 10, { DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`) }),
);

await scenario('durable vs memory', () =>
  compareLockStorm('lockSeat, durable default vs DATA_FILE=:memory:, 10,000 seats', durableTarget, seatlockTarget('memory store'), {
    seats: 10_000,
    minRatio: 0.8,
    ...storm,
  }),
);

for (const subscribers of quick ? [100] : [1_000, 5_000, 10_000]) {
  await scenario(`fan-out ${subscribers}`, () => fanOut(subscribers, quick ? 3 : 20));
}
// Subscribers that resume after a version get their own replay and share the live part.
await scenario('fan-out resuming', () => fanOut(quick ? 100 : 1_000, quick ? 3 : 20, 'ws', true));
// SSE subscribers share executions and limits with WebSockets; their fan-out should match.
await scenario('fan-out SSE', () => fanOut(quick ? 100 : 1_000, quick ? 3 : 20, 'sse'));
await scenario('resume', async () => {
  const missed = quick ? 1_000 : 10_000;
  const redis = await startRedisServer();
  try {
    return [
      ...(await resumeReplay('durable store', { DATA_FILE: join(dataDirectory, 'resume.db') }, missed)),
      ...(await resumeReplay('Redis store', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-resume' }, missed)),
    ];
  } finally {
    await redis.stop();
  }
});
await scenario('burst', () => fanOutBurst(quick ? 50 : 200, quick ? 400 : 7_800));
await scenario('expiry', () => {
  const durable = { name: 'durable default', env: { DATA_FILE: join(dataDirectory, 'expiry.db') } };
  return quick ? expiry(1_000, 3, durable) : expiry(100_000, 45, durable);
});
await scenario('best available', async () => {
  const seats = quick ? 10_000 : 100_000;
  const requests = quick ? 50 : 500;
  const redis = await startRedisServer();
  try {
    return [
      ...bestAvailableChoice(seats, requests),
      ...(await bestAvailable('durable store', { DATA_FILE: join(dataDirectory, 'best.db') }, seats, requests)),
      ...(await bestAvailable('Redis store', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-best' }, seats, requests)),
    ];
  } finally {
    await redis.stop();
  }
});
// The waiting room: a million early arrivals on one instance, its progress to a crowd, and what an admission adds to a lock.
await scenario('waiting room', () => waitingRoomScale(quick ? 100_000 : 1_000_000, quick ? 3 : 10, (name) => join(dataDirectory, `${name}.db`)));
await scenario('queue progress', () => queueProgressFanOut(quick ? 1_000 : 10_000, quick ? 3 : 10));
await scenario('admission', () =>
  compareLockStorm(
    'lockSeat with an admission token vs without a room, durable default, 10,000 seats',
    admittedTarget('with admission', () => ({ DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`) })),
    seatlockTarget('no room', () => ({ DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`) })),
    { seats: 10_000, minRatio: 0.9, maxCpuRatio: 1.1, ...storm },
  ),
);
// General admission: every lock meets one area's count; it must keep up with locks spread over seats.
await scenario('areas', async () => {
  const capacity = 50_000;
  const durableFile = () => ({ DATA_FILE: join(dataDirectory, `bench-${dataFiles++}.db`) });
  const redis = await startRedisServer({ cpu: redisCpu });
  try {
    let run = 0;
    const onRedis = () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-areas-${run++}` });
    return [
      ...(await compareLockStorm(
        'lockAreaPlaces on one area of 50,000 vs lockSeat on 10,000 seats, durable default',
        areaTarget('area places', capacity, durableFile),
        seatlockTarget('seats', durableFile),
        { seats: 10_000, minRatio: 0.9, ...storm },
      )),
      ...(await compareLockStorm(
        'lockAreaPlaces on one area of 50,000 vs lockSeat on 10,000 seats, Redis store',
        areaTarget('area places', capacity, onRedis),
        seatlockTarget('seats', onRedis),
        { seats: 10_000, minRatio: 0.9, ...storm },
      )),
    ];
  } finally {
    await redis.stop();
  }
});
await scenario('area fan-out', () => areaFanOut(quick ? 100 : 1_000, quick ? 3 : 20));
let bigVenueFiles = 0;
await scenario('big venue', () =>
  bigVenue(quick ? 10_000 : 100_000, quick ? 3 : 20, () => ({ DATA_FILE: join(dataDirectory, `venue-${bigVenueFiles++}.db`) })),
);

rmSync(dataDirectory, { recursive: true, force: true });
printTable(rows);
const results = { at: new Date().toISOString(), quick, node: process.version, cpus: cpus().length, rows };
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.error('bench: results written to bench/results.json');
