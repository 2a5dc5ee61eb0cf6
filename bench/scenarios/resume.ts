import { postJson } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { openSubscribers } from '../lib/subscribers.js';

const LOCK = 'mutation($e:ID!,$s:[ID!]!){lockSeats(eventId:$e,seatIds:$s){... on Hold{token}}}';
const RELEASE = 'mutation($t:String!){releaseHold(holdToken:$t){__typename}}';

/**
 * A subscriber that was away while `missed` changes happened resumes after the version it had:
 * how long from its subscribe to its having every missed change (the replay), on `store`.
 */
export async function resumeReplay(label: string, env: Record<string, string>, missed: number): Promise<Row[]> {
  const scenario = `resume after ${missed} missed changes, ${label}`;
  const server = await startSeatlock('seatlock', { EVENTS_FILE: eventsFile(1_000), MAX_SEATS_PER_HOLD: '10', CHANGE_LOG_SIZE: String(missed), ...env });
  try {
    const ids = seatIds(1_000);
    // Ten seats locked, then released: twenty changes a round.
    for (let round = 0; round < missed / 20; round++) {
      const seats = ids.slice((round * 10) % 990, ((round * 10) % 990) + 10);
      const answer = (await postJson(server.origin, '/graphql', { query: LOCK, variables: { e: 'bench', s: seats } })) as {
        data: { lockSeats: { token: string } };
      };
      await postJson(server.origin, '/graphql', { query: RELEASE, variables: { t: answer.data.lockSeats.token } });
    }
    let received = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    const crowd = await openSubscribers(
      server.origin,
      'bench',
      1,
      () => {
        if (++received === missed) done();
      },
      0,
    );
    await all;
    const ms = performance.now() - started;
    crowd.close();
    return [
      { scenario, metric: 'replayed', value: received, unit: `of ${missed}`, target: 'every change', met: received === missed },
      { scenario, metric: 'time to the last missed change', value: round(ms, 0), unit: 'ms' },
    ];
  } finally {
    await server.stop();
  }
}
