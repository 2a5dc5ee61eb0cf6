import { postText } from '../lib/http-load.js';
import { eventsFile, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';

const SEATS = '{ seats(eventId: "bench") { id label status lockExpiresAt } }';

async function residentBytes(seats: number, env: Record<string, string>): Promise<number> {
  const server = await startSeatlock('seatlock', { EVENTS_FILE: eventsFile(seats), ...env });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return server.rssBytes();
  } finally {
    await server.stop();
  }
}

/** A `seats`-seat event: latency of the `seats` query, and memory per seat against a tiny event. */
export async function bigVenue(seats: number, queries: number, env: () => Record<string, string>): Promise<Row[]> {
  const scenario = `big venue, ${seats} seats, durable default`;
  const perSeat = ((await residentBytes(seats, env())) - (await residentBytes(10, env()))) / (seats - 10);
  const server = await startSeatlock('seatlock', { EVENTS_FILE: eventsFile(seats), ...env() });
  try {
    const latencies: number[] = [];
    for (let index = 0; index < queries; index++) {
      const sent = performance.now();
      const text = await postText(server.origin, '/graphql', { query: SEATS });
      // Until its last byte is in: what the load generator spends parsing 7 MB of JSON is its own.
      latencies.push(performance.now() - sent);
      const answer = JSON.parse(text) as { data?: { seats: unknown[] } };
      if (answer.data?.seats.length !== seats) throw new Error('big venue: the seats query did not return every seat');
    }
    return [
      {
        scenario,
        metric: 'seats query p50 (to its last byte)',
        value: round(percentile(latencies, 50), 1),
        unit: 'ms',
        target: '≤ 100 ms',
        met: percentile(latencies, 50) <= 100,
      },
      { scenario, metric: 'seats query p99', value: round(percentile(latencies, 99), 1), unit: 'ms' },
      { scenario, metric: 'server memory per seat', value: round(perSeat, 0), unit: 'bytes', target: '≤ 300 bytes', met: perSeat <= 300 },
    ];
  } finally {
    await server.stop();
  }
}
