// npx tsx scripts/probes/replay-storm.ts [dist]: makes 10,000 seat changes on a built server,
// then one client opens 50 WebSockets with 20 seatChanged subscriptions each, all resuming from
// the oldest change (afterVersion 0), while another client asks `event { version }` over HTTP
// four times a second; prints that client's latencies and what the storm was sent, for 30 s.
// Before replays were paced: 2.5 million messages pushed in 125 s, and the other client's
// query got a network error after 7.5 s, then 30 s timeouts.
import { WebSocket } from 'ws';
import { startBuiltServer } from './server-process.js';

const SOCKETS = 50;
const PER_SOCKET = 20;
const CHANGES = 10_000;
const SECONDS = 30;
const server = await startBuiltServer(process.argv[2] ?? 'dist', {
  DATA_FILE: ':memory:',
  LOCKS_PER_MINUTE: '0',
  MAX_SEATS_PER_CLIENT: '0',
  CLIENT_IDENTITY: 'header:x-client-id',
});

async function graphql(query: string, clientId: string): Promise<Record<string, unknown>> {
  const response = await fetch(server.origin, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-client-id': clientId },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(30_000),
  });
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

// 10,000 changes: 5,000 lock-and-release rounds over the demo's seats, 50 at a time.
const seats = ((await graphql('{ seats(eventId: "demo") { id } }', 'setup')).seats as { id: string }[]).map((seat) => seat.id);
for (let round = 0; round < CHANGES / 2; round += 50) {
  await Promise.all(
    Array.from({ length: 50 }, async (_, offset) => {
      const seatId = seats[(round + offset) % seats.length];
      const lock = (await graphql(`mutation { lockSeat(eventId: "demo", seatId: "${seatId}") { ... on Hold { token } } }`, 'setup')).lockSeat as {
        token: string;
      };
      await graphql(`mutation { releaseHold(holdToken: "${lock.token}") { __typename } }`, 'setup');
    }),
  );
}

let stormMessages = 0;
const sockets: WebSocket[] = [];
const query = 'subscription Resume($afterVersion: Int) { seatChanged(eventId: "demo", afterVersion: $afterVersion) { version } }';
for (let index = 0; index < SOCKETS; index++) {
  const socket = new WebSocket(server.origin.href.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { 'x-client-id': 'storm' } });
  sockets.push(socket);
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.on('message', (data: Buffer) => {
    const type = (JSON.parse(String(data)) as { type: string }).type;
    if (type === 'next') stormMessages++;
    if (type !== 'connection_ack') return;
    for (let id = 0; id < PER_SOCKET; id++)
      socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query, variables: { afterVersion: 0 } } }));
  });
  socket.on('error', () => undefined);
}

const latencies: number[] = [];
let failures = 0;
const ends = Date.now() + SECONDS * 1000;
while (Date.now() < ends) {
  const started = performance.now();
  try {
    await graphql('{ event(id: "demo") { version } }', 'bystander');
    latencies.push(performance.now() - started);
  } catch {
    failures++;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
latencies.sort((a, b) => a - b);
const at = (share: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? Number.NaN);
console.log(
  JSON.stringify({
    bystanderQueries: { answered: latencies.length, failed: failures, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(latencies.at(-1) ?? Number.NaN) },
    storm: { subscriptions: SOCKETS * PER_SOCKET, messagesIn30s: stormMessages, messagesPerSecond: Math.round(stormMessages / SECONDS) },
    peakRssMb: Math.round(server.peakRssMb()),
  }),
);
for (const socket of sockets) socket.terminate();
server.child.kill();
