import Database from 'better-sqlite3';
import { clientKey } from '../../src/store/client-key.js';
import { postJson, runLoad, type HttpCall } from '../lib/http-load.js';
import { eventsFile, seatIds, startSeatlock, type BenchServer } from '../lib/processes.js';
import type { Row } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { openQueueWatchers } from '../lib/subscribers.js';
import type { LockTarget } from './lock-storm.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghijkl';
/** Each load request is another buyer: told apart by a header, as an app behind a proxy would. */
const ROOM_ENV = { ADMIN_TOKEN, CLIENT_IDENTITY: 'header:x-client-id' } as const;
const CONFIGURE = 'mutation($e: ID!, $input: WaitingRoomInput!) { configureWaitingRoom(eventId: $e, input: $input) { __typename ... on Error { message } } }';
const JOIN = 'mutation($e: ID!) { joinQueue(eventId: $e) { __typename ... on QueueTicket { id status admissionToken } ... on Error { message } } }';

async function configureRoom(origin: string, input: Record<string, unknown>): Promise<void> {
  const answer = (await postJsonAs(origin, CONFIGURE, { e: 'bench', input }, { authorization: `Bearer ${ADMIN_TOKEN}` })) as {
    data?: { configureWaitingRoom?: { __typename: string; message?: string } };
  };
  if (answer.data?.configureWaitingRoom?.__typename !== 'WaitingRoom') throw new Error(`configureWaitingRoom: ${JSON.stringify(answer)}`);
}

async function postJsonAs(origin: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(new URL('/graphql', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

let buyers = 0;
const joinCall = (): HttpCall => ({
  path: '/graphql',
  body: JSON.stringify({ query: JOIN, variables: { e: 'bench' } }),
  headers: { 'x-client-id': `buyer-${buyers++}` },
});

/** Writes `count` waiting tickets straight into a stopped server's data file, as a day of early arrivals would leave it. */
function fillTickets(dataFile: string, count: number): void {
  const db = new Database(dataFile);
  try {
    const insert = db.prepare('INSERT INTO queue_tickets (event_id, serial, client) VALUES (?, ?, ?)');
    db.transaction(() => {
      // The store keeps a client as 22 characters of a SHA-256 (client-key.ts), as here.
      for (let serial = 1; serial <= count; serial++) insert.run('bench', serial, clientKey(`early-${serial}`));
      db.prepare("UPDATE waiting_rooms SET state = json_set(state, '$.joined', ?) WHERE event_id = 'bench'").run(count);
    })();
  } finally {
    db.close();
  }
}

interface Loaded {
  readonly startSeconds: number;
  readonly joinsPerSecond: number;
  readonly p99: number;
  readonly rss: number;
  readonly errors: number;
}

/** Starts the server on `dataFile` (timed), joins for `seconds` with 32 clients, and reads its memory after. */
async function startAndJoin(env: Record<string, string>, seconds: number): Promise<Loaded> {
  const started = performance.now();
  const server = await startSeatlock('seatlock', env);
  const startSeconds = (performance.now() - started) / 1000;
  try {
    const load = await runLoad(server.origin, 32, seconds, joinCall);
    return { startSeconds, joinsPerSecond: load.requests / load.seconds, p99: percentile(load.latenciesMs, 99), rss: server.rssBytes(), errors: load.errors };
  } finally {
    await server.stop();
  }
}

/**
 * A waiting room of `tickets` early arrivals on one embedded (durable) instance: how long it
 * takes to start with them, how fast more join, and what each costs in memory, against the same
 * server and load with an empty room (side by side).
 */
export async function waitingRoomScale(tickets: number, joinSeconds: number, dataFile: (name: string) => string): Promise<Row[]> {
  const scenario = `waiting room, ${tickets.toLocaleString('en')} waiting tickets, durable default`;
  const runs: Loaded[] = [];
  for (const count of [0, tickets]) {
    const env = { ...ROOM_ENV, DATA_FILE: dataFile(`room-${count}`), EVENTS_FILE: eventsFile(100) };
    const first = await startSeatlock('seatlock', env);
    // Opens in a day: every ticket is an early arrival, waiting.
    await configureRoom(first.origin, { enabled: true, opensAt: new Date(Date.now() + 86_400_000).toISOString(), admitPerMinute: 1_000 });
    await first.stop();
    fillTickets(env.DATA_FILE, count);
    runs.push(await startAndJoin(env, joinSeconds));
  }
  const [empty, full] = runs as [Loaded, Loaded];
  if (empty.errors + full.errors > 0) throw new Error(`waiting room: ${empty.errors + full.errors} joins failed`);
  const perTicket = (full.rss - empty.rss) / tickets;
  return [
    {
      scenario,
      metric: 'joins',
      value: round(full.joinsPerSecond, 0),
      unit: 'joins/s',
      baseline: { name: 'empty room', value: round(empty.joinsPerSecond, 0) },
      ratio: round(full.joinsPerSecond / empty.joinsPerSecond, 2),
      target: '≥ 5,000 joins/s',
      met: full.joinsPerSecond >= 5_000,
    },
    { scenario, metric: 'join latency p99', value: round(full.p99, 2), unit: 'ms', target: '≤ 20 ms', met: full.p99 <= 20 },
    { scenario, metric: 'memory per waiting ticket (RSS, vs an empty room)', value: round(perTicket, 0), unit: 'B', target: '≤ 300 B', met: perTicket <= 300 },
    {
      scenario,
      metric: 'start with them (restart)',
      value: round(full.startSeconds, 2),
      unit: 's',
      baseline: { name: 'empty room', value: round(empty.startSeconds, 2) },
      target: '≤ 5 s',
      met: full.startSeconds <= 5,
    },
  ];
}

/**
 * `watchers` graphql-ws subscribers of one room's queueProgress while it admits 300 a minute (a
 * step every 200 ms, the most often it tells) for `seconds`: every watcher gets each step, and
 * the server's CPU time per message delivered.
 */
export async function queueProgressFanOut(watchers: number, seconds: number): Promise<Row[]> {
  const scenario = `queueProgress to ${watchers.toLocaleString('en')} watchers`;
  const server = await startSeatlock('seatlock', { ...ROOM_ENV, EVENTS_FILE: eventsFile(100) });
  try {
    await configureRoom(server.origin, { enabled: true, admitPerMinute: 300, paused: true });
    // Enough waiting that the line moves all the time.
    for (let index = 0; index < 2_000; index++) await postJsonAs(server.origin, JOIN, { e: 'bench' }, { 'x-client-id': `waiting-${index}` });
    let received = 0;
    // Each message is one step (or the resume and the pause): one key each.
    const seen = new Set<string>();
    const crowd = await openQueueWatchers(server.origin, 'bench', watchers, (nowServing, paused) => {
      received++;
      seen.add(`${nowServing}|${paused}`);
    });
    try {
      received = 0;
      seen.clear();
      const cpuBefore = server.cpuMicros();
      await configureRoom(server.origin, { enabled: true, admitPerMinute: 300, paused: false });
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await configureRoom(server.origin, { enabled: true, admitPerMinute: 300, paused: true });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const cpu = server.cpuMicros() - cpuBefore;
      const messages = seen.size;
      const perWatcher = received / watchers;
      const cpuPerMessage = cpu / received;
      return [
        { scenario, metric: 'messages told (steps, resume, pause)', value: messages, unit: `in ${seconds} s at 300/min` },
        {
          scenario,
          metric: 'messages per watcher per step',
          value: round(perWatcher / messages, 2),
          unit: 'msg',
          target: '1 each',
          met: Math.abs(perWatcher / messages - 1) < 0.05,
        },
        { scenario, metric: 'server CPU per delivered message', value: round(cpuPerMessage, 2), unit: 'µs', target: '≤ 10 µs', met: cpuPerMessage <= 10 },
      ];
    } finally {
      crowd.close();
    }
  } finally {
    await server.stop();
  }
}

const LOCK_WITH_ADMISSION =
  'mutation($e:ID!,$s:ID!,$a:String){lockSeat(eventId:$e,seatId:$s,admissionToken:$a){__typename ...on Hold{token expiresAt} ...on Error{message}}}';

/** seatlock with the event's room on, every lock showing an admission (one buyer admitted at once: a room with no line). */
export function admittedTarget(name: string, env: () => Record<string, string>): LockTarget {
  let ids: string[] = [];
  let admission = '';
  return {
    name,
    start: async (seats): Promise<BenchServer> => {
      ids = seatIds(seats);
      const server = await startSeatlock(name, { ...ROOM_ENV, EVENTS_FILE: eventsFile(seats), ...env() });
      await configureRoom(server.origin, { enabled: true, opensAt: null, admitPerMinute: 600_000, admissionSeconds: 86_400 });
      const answer = (await postJson(server.origin, '/graphql', { query: JOIN, variables: { e: 'bench' } })) as {
        data: { joinQueue: { status: string; admissionToken: string | null } };
      };
      if (answer.data.joinQueue.status !== 'ADMITTED' || !answer.data.joinQueue.admissionToken) throw new Error(`not admitted: ${JSON.stringify(answer)}`);
      admission = answer.data.joinQueue.admissionToken;
      return server;
    },
    lock: (index) => ({ path: '/graphql', body: JSON.stringify({ query: LOCK_WITH_ADMISSION, variables: { e: 'bench', s: ids[index], a: admission } }) }),
  };
}
