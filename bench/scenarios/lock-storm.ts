import { freePort } from '../../test/support/redis-server.js';
import { runLoad, type HttpCall } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock, startSeed, type BenchServer } from '../lib/processes.js';
import { median, percentile, round } from '../lib/stats.js';
import type { Row } from '../lib/report.js';

/** A server to put under a lock storm, and how to ask it to lock one seat. */
export interface LockTarget {
  readonly name: string;
  start(seats: number): Promise<BenchServer>;
  lock(seatIndex: number): HttpCall;
}

interface Measured {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuPerRequest: number;
}

const LOCK_SEAT = 'mutation($e:ID!,$s:ID!){lockSeat(eventId:$e,seatId:$s){__typename ...on Hold{token expiresAt} ...on Error{message}}}';

/** seatlock as a lock target; `env` is asked anew for every server started. */
export function seatlockTarget(name: string, env: () => Record<string, string> = () => ({})): LockTarget {
  let ids: string[] = [];
  return {
    name,
    start: async (seats) => {
      ids = seatIds(seats);
      return startSeatlock(name, { EVENTS_FILE: eventsFile(seats), ...env() });
    },
    lock: (index) => ({ path: '/graphql', body: JSON.stringify({ query: LOCK_SEAT, variables: { e: 'bench', s: ids[index] } }) }),
  };
}

export const seedTarget: LockTarget = {
  name: 'seed',
  start: async (seats) => startSeed(seats, await freePort()),
  lock: (index) => ({ path: `/lock/${index + 1}`, body: '{}' }),
};

async function measure(target: LockTarget, seats: number, seconds: number, concurrency: number): Promise<Measured> {
  const server = await target.start(seats);
  try {
    // A short warm-up lets the JIT settle; its locks are part of the state the storm meets.
    await runLoad(server.origin, concurrency, Math.min(1, seconds / 4), () => target.lock(Math.floor(Math.random() * seats)));
    const cpuBefore = server.cpuMicros();
    const load = await runLoad(server.origin, concurrency, seconds, () => target.lock(Math.floor(Math.random() * seats)));
    const cpu = server.cpuMicros() - cpuBefore;
    if (load.errors > 0) throw new Error(`${target.name}: ${load.errors} requests failed`);
    return {
      throughput: load.requests / load.seconds,
      p50: percentile(load.latenciesMs, 50),
      p99: percentile(load.latenciesMs, 99),
      cpuPerRequest: cpu / load.requests,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Locks random seats as fast as `concurrency` clients can, on `subject` and `baseline` in
 * turn (alternating, `rounds` times each, a fresh server each time); medians of the rounds.
 */
export async function compareLockStorm(
  scenario: string,
  subject: LockTarget,
  baseline: LockTarget,
  options: { seats: number; seconds: number; rounds: number; concurrency: number; minRatio: number; maxCpuRatio?: number },
): Promise<Row[]> {
  const results = new Map<string, Measured[]>([
    [subject.name, []],
    [baseline.name, []],
  ]);
  for (let round = 0; round < options.rounds; round++) {
    for (const target of [baseline, subject]) {
      results.get(target.name)!.push(await measure(target, options.seats, options.seconds, options.concurrency));
    }
  }
  const summary = (name: string, key: keyof Measured) => median(results.get(name)!.map((m) => m[key]));
  const row = (metric: string, key: keyof Measured, unit: string, digits: number, target?: (ratio: number) => Pick<Row, 'target' | 'met'>): Row => {
    const value = round(summary(subject.name, key), digits);
    const base = round(summary(baseline.name, key), digits);
    const ratio = round(summary(subject.name, key) / summary(baseline.name, key), 2);
    return { scenario, metric, value, unit, baseline: { name: baseline.name, value: base }, ratio, ...target?.(ratio) };
  };
  return [
    row('throughput', 'throughput', 'req/s', 0, (ratio) => ({ target: `≥ ${options.minRatio}× ${baseline.name}`, met: ratio >= options.minRatio })),
    row('latency p50', 'p50', 'ms', 2),
    row('latency p99', 'p99', 'ms', 2),
    row('server CPU per request', 'cpuPerRequest', 'µs', 0, (ratio) =>
      options.maxCpuRatio === undefined ? {} : { target: `≤ ${options.maxCpuRatio}× ${baseline.name}`, met: ratio <= options.maxCpuRatio! },
    ),
  ];
}
