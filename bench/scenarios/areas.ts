import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postJson } from '../lib/http-load.js';
import { seatIds, startSeatlock, type BenchServer } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { openAreaSubscribers, openSubscribers, type SeatChangeMessage, type Subscribers } from '../lib/subscribers.js';
import type { LockTarget } from './lock-storm.js';

const LOCK_PLACE = 'mutation($e:ID!,$a:ID!){lockAreaPlaces(eventId:$e,areaId:$a,quantity:1){__typename ...on Hold{token expiresAt} ...on Error{message}}}';

/** An event `bench` of one standing floor of `capacity` places (and one row of seats, which it needs no more than a layout does). */
function areaEventsFile(capacity: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'seatlock-bench-')), 'events.json');
  const sections = [
    { id: 'floor', name: 'Floor', generalAdmission: { capacity } },
    { name: 'Hall', rows: [{ row: 'R0', seats: 1_000 }] },
  ];
  writeFileSync(path, JSON.stringify({ events: [{ id: 'bench', name: 'Bench', sections }] }));
  return path;
}

/**
 * seatlock as a lock target where every request locks one place of one area of `capacity`
 * places: every request meets the same counter (the seat storm spreads over 10,000 seats).
 */
export function areaTarget(name: string, capacity: number, env: () => Record<string, string> = () => ({})): LockTarget {
  return {
    name,
    start: () => startSeatlock(name, { EVENTS_FILE: areaEventsFile(capacity), ...env() }),
    lock: () => ({ path: '/graphql', body: JSON.stringify({ query: LOCK_PLACE, variables: { e: 'bench', a: 'floor' } }) }),
  };
}

const LOCK_SEAT = 'mutation($e:ID!,$s:ID!){lockSeat(eventId:$e,seatId:$s){__typename}}';

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * What one message of a fan-out costs the server: `subscribers` subscribers of one kind, `changes`
 * changes one at a time, each awaited until every subscriber has it.
 */
async function fanOutCost(
  server: BenchServer,
  subscribers: number,
  changes: number,
  open: (onChange: (change: SeatChangeMessage) => void) => Promise<Subscribers>,
  change: (index: number) => Promise<unknown>,
): Promise<{ received: number; cpuPerMessage: number }> {
  let received = 0;
  const crowd = await open(() => void received++);
  await settle(1_000);
  const cpuBefore = server.cpuMicros();
  const before = received;
  for (let index = 0; index < changes; index++) {
    await change(index);
    const deadline = performance.now() + 10_000;
    while (received < before + subscribers * (index + 1) && performance.now() < deadline) await settle(1);
  }
  const cpu = server.cpuMicros() - cpuBefore;
  crowd.close();
  await settle(500);
  return { received: received - before, cpuPerMessage: cpu / (received - before) };
}

/**
 * Area changes fanned out to `subscribers` areaChanged subscribers, side by side with seat
 * changes to as many seatChanged subscribers of the same server: what one message costs each.
 */
export async function areaFanOut(subscribers: number, changes: number): Promise<Row[]> {
  const scenario = `fan-out, ${subscribers} subscribers: area changes vs seat changes`;
  const server = await startSeatlock('seatlock', { EVENTS_FILE: areaEventsFile(100_000) });
  try {
    const ids = seatIds(1_000);
    await settle(500);
    const seats = await fanOutCost(
      server,
      subscribers,
      changes,
      (onChange) => openSubscribers(server.origin, 'bench', subscribers, onChange),
      (index) => postJson(server.origin, '/graphql', { query: LOCK_SEAT, variables: { e: 'bench', s: ids[index] } }),
    );
    const areas = await fanOutCost(
      server,
      subscribers,
      changes,
      (onChange) => openAreaSubscribers(server.origin, 'bench', subscribers, onChange),
      () => postJson(server.origin, '/graphql', { query: LOCK_PLACE, variables: { e: 'bench', a: 'floor' } }),
    );
    const expected = subscribers * changes;
    const ratio = areas.cpuPerMessage / seats.cpuPerMessage;
    return [
      { scenario, metric: 'area changes delivered', value: areas.received, unit: `of ${expected}`, target: 'no loss', met: areas.received === expected },
      {
        scenario,
        metric: 'server CPU per delivered message',
        value: round(areas.cpuPerMessage, 1),
        unit: 'µs',
        baseline: { name: 'seat changes', value: round(seats.cpuPerMessage, 1) },
        ratio: round(ratio, 2),
        target: '≤ 1.1× seat changes',
        met: ratio <= 1.1,
      },
    ];
  } finally {
    await server.stop();
  }
}
