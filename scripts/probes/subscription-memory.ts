// npx tsx scripts/probes/subscription-memory.ts [dist]: one anonymous client opens 50 WebSockets
// and starts 20 seatChanged subscriptions on each, every one naming 90,000 seatIds (0.9 MB a
// message, under the 1 MiB cap), against a built server with its default limits; prints how
// they were answered and the server's peak RSS. Before the subscription budget: RSS 101 MB ->
// 1.4 GB after 10 sockets, out of memory at 30.
import { WebSocket } from 'ws';
import { startBuiltServer } from './server-process.js';

const SOCKETS = 50;
const PER_SOCKET = 20;
const server = await startBuiltServer(process.argv[2] ?? 'dist', { DATA_FILE: ':memory:', METRICS_PUBLIC: 'true' });
const baseMb = server.peakRssMb();
const query = 'subscription Watch($eventId: ID!, $seatIds: [ID!]) { seatChanged(eventId: $eventId, seatIds: $seatIds) { version } }';

const open: WebSocket[] = [];

/** Opens a socket (kept open), sends its subscriptions, and resolves with the code or type each was answered with. */
async function attack(socketIndex: number): Promise<string[]> {
  const socket = new WebSocket(server.origin.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  open.push(socket);
  const answers = new Map<string, string>();
  const done = new Promise<void>((resolve) => {
    // A subscription the server took answers nothing until a seat changes: a moment of quiet ends the count.
    let quiet = setTimeout(resolve, 5_000);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        for (let id = 0; id < PER_SOCKET; id++) {
          const tag = (socketIndex * PER_SOCKET + id).toString(36).padStart(3, 'z');
          const seatIds = Array.from({ length: 90_000 }, (_, index) => `${tag}${index}`);
          socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query, variables: { eventId: 'demo', seatIds } } }));
        }
        return;
      }
      if (message.id === undefined) return;
      const errors = (message.type === 'next' ? (message.payload as { errors?: unknown[] }).errors : message.payload) as
        | { extensions?: { code?: string } }[]
        | undefined;
      answers.set(message.id, errors?.[0]?.extensions?.code ?? message.type);
      clearTimeout(quiet);
      quiet = setTimeout(resolve, answers.size === PER_SOCKET ? 0 : 5_000);
    });
    socket.on('close', () => resolve());
  });
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await done;
  return Array.from({ length: PER_SOCKET }, (_, id) => answers.get(String(id)) ?? 'taken (no answer)');
}

const started = performance.now();
const outcomes: string[] = [];
for (let index = 0; index < SOCKETS; index += 10) {
  const batch = await Promise.all(Array.from({ length: 10 }, (_, offset) => attack(index + offset)));
  outcomes.push(...batch.flat());
  console.error(`after ${index + 10} sockets: peak RSS ${Math.round(server.peakRssMb())} MB`);
}
const metrics = await (await fetch(new URL('/metrics', server.origin))).text();
console.log(
  JSON.stringify({
    subscribersOnServer: Number(/^seatlock_subscribers (\d+)/m.exec(metrics)?.[1]),
    subscriptions: Object.fromEntries([...new Set(outcomes)].map((outcome) => [outcome, outcomes.filter((other) => other === outcome).length])),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rssMb: { atStart: Math.round(baseMb), peak: Math.round(server.peakRssMb()) },
    serverAlive: server.child.exitCode === null,
  }),
);
for (const socket of open) socket.close();
server.child.kill();
