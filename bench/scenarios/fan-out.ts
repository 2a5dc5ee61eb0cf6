import { postJson } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { openSseSubscribers, openSubscribers } from '../lib/subscribers.js';

const LOCK_SEAT = 'mutation($e:ID!,$s:ID!){lockSeat(eventId:$e,seatId:$s){__typename}}';

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `subscribers` subscribers of one event over WebSocket (graphql-ws) or SSE; `changes` locks,
 * one at a time, each awaited until every subscriber has it. Latency is from sending the
 * mutation to a subscriber receiving the change.
 */
export async function fanOut(subscribers: number, changes: number, transport: 'ws' | 'sse' = 'ws', resuming = false): Promise<Row[]> {
  const scenario = `fan-out, ${subscribers} ${transport === 'sse' ? 'SSE ' : ''}${resuming ? 'resuming ' : ''}subscribers`;
  const server = await startSeatlock('seatlock', { EVENTS_FILE: eventsFile(1_000) });
  try {
    const ids = seatIds(1_000);
    await settle(500);
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    let received = 0;
    const onChange = (change: { version: number }, receivedAt: number) => {
      received++;
      const sent = sentAt.get(change.version);
      if (sent !== undefined) latencies.push(receivedAt - sent);
    };
    const openCrowd = (count: number) =>
      transport === 'sse'
        ? openSseSubscribers(server.origin, 'bench', count, onChange)
        : openSubscribers(server.origin, 'bench', count, onChange, resuming ? 0 : null);
    // Memory per connection is what the second half of the crowd adds to the first: the heap's
    // young generation and the code warmed up by the first connections are paid once, not per
    // connection, and would otherwise count against small crowds.
    const firstHalf = await openCrowd(Math.floor(subscribers / 2));
    await settle(1_000);
    const rssHalf = server.rssBytes();
    const secondHalf = await openCrowd(subscribers - firstHalf.count);
    await settle(1_000);
    const bytesPerConnection = (server.rssBytes() - rssHalf) / secondHalf.count;
    const crowd = {
      close: () => {
        firstHalf.close();
        secondHalf.close();
      },
    };

    const cpuBefore = server.cpuMicros();
    const started = performance.now();
    for (let version = 1; version <= changes; version++) {
      sentAt.set(version, performance.now());
      await postJson(server.origin, '/graphql', { query: LOCK_SEAT, variables: { e: 'bench', s: ids[version] } });
      const deadline = performance.now() + 10_000;
      while (received < subscribers * version && performance.now() < deadline) await settle(1);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = server.cpuMicros() - cpuBefore;
    crowd.close();

    const expected = subscribers * changes;
    return [
      { scenario, metric: 'delivered', value: received, unit: `of ${expected}`, target: 'no loss', met: received === expected },
      { scenario, metric: 'latency p50', value: round(percentile(latencies, 50), 1), unit: 'ms' },
      {
        scenario,
        metric: 'latency p99',
        value: round(percentile(latencies, 99), 1),
        unit: 'ms',
        ...(subscribers === 10_000 ? { target: '≤ 100 ms', met: percentile(latencies, 99) <= 100 } : {}),
      },
      { scenario, metric: 'messages delivered per second', value: round(received / seconds, 0), unit: 'msg/s' },
      { scenario, metric: 'server CPU per delivered message', value: round(cpu / received, 1), unit: 'µs', target: '≤ 10 µs', met: cpu / received <= 10 },
      {
        scenario,
        metric: 'server memory per connection',
        value: round(bytesPerConnection / 1024, 1),
        unit: 'KB',
        target: '≤ 10 KB',
        met: bytesPerConnection <= 10 * 1024,
      },
    ];
  } finally {
    await server.stop();
  }
}

const LOCK_TWO = 'mutation($e:ID!,$s:[ID!]!){lockSeats(eventId:$e,seatIds:$s){... on Hold{token}}}';
const RELEASE = 'mutation($t:String!){releaseHold(holdToken:$t){__typename}}';

/**
 * A burst: `changes` seat changes as fast as 8 buyers make them (lock two seats, release them),
 * with `subscribers` SSE subscribers and, side by side, as many WebSocket subscribers on a
 * second server. Reports how long each takes to deliver every change to every subscriber; the
 * ratio shows whether SSE costs more than WebSockets.
 */
export async function fanOutBurst(subscribers: number, changes: number): Promise<Row[]> {
  const scenario = `burst of ${changes} changes, ${subscribers} subscribers`;
  const deliver = async (transport: 'ws' | 'sse') => {
    const server = await startSeatlock('seatlock', { EVENTS_FILE: eventsFile(1_000) });
    try {
      const ids = seatIds(1_000);
      let received = 0;
      const crowd = await (transport === 'sse' ? openSseSubscribers : openSubscribers)(server.origin, 'bench', subscribers, () => void received++);
      const started = performance.now();
      let next = 0;
      const buyer = async () => {
        while (next < changes / 4) {
          const pair = next++;
          const seats = [ids[(pair * 2) % 1_000], ids[(pair * 2 + 1) % 1_000]];
          const locked = (await postJson(server.origin, '/graphql', { query: LOCK_TWO, variables: { e: 'bench', s: seats } })) as {
            data?: { lockSeats?: { token?: string } };
          };
          const token = locked.data?.lockSeats?.token;
          if (token) await postJson(server.origin, '/graphql', { query: RELEASE, variables: { t: token } });
        }
      };
      await Promise.all(Array.from({ length: 8 }, buyer));
      const expected = subscribers * changes;
      const deadline = performance.now() + 120_000;
      while (received < expected && performance.now() < deadline) await settle(5);
      const seconds = (performance.now() - started) / 1000;
      crowd.close();
      return { seconds, received, expected };
    } finally {
      await server.stop();
    }
  };
  const sse = await deliver('sse');
  const ws = await deliver('ws');
  return [
    { scenario, metric: 'SSE: delivered', value: sse.received, unit: `of ${sse.expected}`, target: 'no loss', met: sse.received === sse.expected },
    {
      scenario,
      metric: 'SSE: seconds to deliver all',
      value: round(sse.seconds, 2),
      unit: 's',
      baseline: { name: 'WebSocket', value: round(ws.seconds, 2) },
      ratio: round(sse.seconds / ws.seconds, 2),
      target: '≤ 1.5× WebSocket',
      met: sse.seconds <= ws.seconds * 1.5,
    },
  ];
}
