import { chooseBestSeats, seatingPlan } from '../../src/store/best-available.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { readFileSync } from 'node:fs';
import { postJson } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';

const BEST = 'mutation($e:ID!,$n:Int!){lockBestAvailable(eventId:$e,count:$n){__typename ... on Hold{nextToEachOther}}}';
const BLOCK = 'mutation($e:ID!,$s:[ID!]!){blockSeats(eventId:$e,seatIds:$s){__typename}}';
const TOKEN = 'bench-admin-token-0123456789abcdefghijklm';
const LOCK = 'mutation($e:ID!,$s:[ID!]!){lockSeats(eventId:$e,seatIds:$s){__typename}}';

/**
 * `requests` lockBestAvailable(count: 2), one at a time, on a `seats`-seat event (rows of 1,000),
 * first in an empty house, then with all but the last rows taken (blocked), where every row in
 * front must be looked at. Latency is the client's, HTTP included.
 */
export async function bestAvailable(label: string, env: Record<string, string>, seats: number, requests: number): Promise<Row[]> {
  const rows: Row[] = [];
  const server = await startSeatlock('seatlock', {
    EVENTS_FILE: eventsFile(seats),
    ADMIN_TOKEN: TOKEN,
    LOCKS_PER_MINUTE: '0',
    MAX_SEATS_PER_CLIENT: '0',
    ...env,
  });
  try {
    const measure = async (house: string) => {
      const scenario = `best available, ${seats} seats, ${house}, ${label}`;
      const latencies: number[] = [];
      let together = 0;
      for (let index = 0; index < requests; index++) {
        const sent = performance.now();
        const answer = (await postJson(server.origin, '/graphql', { query: BEST, variables: { e: 'bench', n: 2 } })) as {
          data?: { lockBestAvailable: { __typename: string; nextToEachOther?: boolean } };
        };
        latencies.push(performance.now() - sent);
        if (answer.data?.lockBestAvailable.__typename !== 'Hold') throw new Error(`best available: ${JSON.stringify(answer)}`);
        if (answer.data.lockBestAvailable.nextToEachOther) together++;
      }
      const p99 = percentile(latencies, 99);
      rows.push(
        { scenario, metric: 'lockBestAvailable p50', value: round(percentile(latencies, 50), 2), unit: 'ms' },
        {
          scenario,
          metric: 'lockBestAvailable p99',
          value: round(p99, 2),
          unit: 'ms',
          ...(label === 'durable store' ? { target: '≤ 5 ms', met: p99 <= 5 } : {}),
        },
        { scenario, metric: 'pairs together', value: together, unit: `of ${requests}` },
      );
    };
    // The same path with the seats named: what the choice itself adds.
    const named: number[] = [];
    const last = seatIds(seats).slice(-2 * requests);
    for (let index = 0; index < requests; index++) {
      const sent = performance.now();
      await postJson(server.origin, '/graphql', { query: LOCK, variables: { e: 'bench', s: last.slice(index * 2, index * 2 + 2) } });
      named.push(performance.now() - sent);
    }
    rows.push(
      {
        scenario: `best available, ${seats} seats, ${label}`,
        metric: 'lockSeats (two named seats) p50, for comparison',
        value: round(percentile(named, 50), 2),
        unit: 'ms',
      },
      {
        scenario: `best available, ${seats} seats, ${label}`,
        metric: 'lockSeats (two named seats) p99, for comparison',
        value: round(percentile(named, 99), 2),
        unit: 'ms',
      },
    );
    await measure('empty house');
    // All but the last three rows taken: every row in front is looked at, and found full.
    const ids = seatIds(seats).slice(0, seats - 3_000);
    for (let start = 0; start < ids.length; start += 10_000) {
      await fetch(new URL('/graphql', server.origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ query: BLOCK, variables: { e: 'bench', s: ids.slice(start, start + 10_000) } }),
      });
    }
    await measure('front rows taken');
    return rows;
  } finally {
    await server.stop();
  }
}

/** The choice alone, in this process: `chooseBestSeats` on a `seats`-seat plan, empty and with the front rows full. */
export function bestAvailableChoice(seats: number, calls: number): Row[] {
  const [definition] = parseEventLayouts(JSON.parse(readFileSync(eventsFile(seats), 'utf8')));
  if (!definition) throw new Error('no event');
  const started = performance.now();
  const plan = seatingPlan(definition);
  const planMs = performance.now() - started;
  const rows: Row[] = [
    { scenario: `best available choice, ${seats} seats`, metric: 'seating plan built (once per event)', value: round(planMs, 1), unit: 'ms' },
  ];
  for (const [house, taken] of [
    ['empty house', 0],
    ['front rows taken', seats - 3_000],
  ] as const) {
    const available = new Uint8Array(seats).fill(1).fill(0, 0, taken);
    const times: number[] = [];
    for (let call = 0; call < calls; call++) {
      const sent = performance.now();
      const best = chooseBestSeats(plan, (index) => available[index] === 1, 2, null);
      times.push(performance.now() - sent);
      for (const seatId of best?.seatIds ?? []) available[plan.seatIds.indexOf(seatId)] = 0;
    }
    rows.push({ scenario: `best available choice, ${seats} seats`, metric: `choice p99, ${house}`, value: round(percentile(times, 99), 3), unit: 'ms' });
  }
  return rows;
}
