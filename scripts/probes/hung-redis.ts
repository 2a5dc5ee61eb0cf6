// npx tsx scripts/probes/hung-redis.ts [dist]: freezes a redis-server of its own (SIGSTOP) for
// 20 s under a built server using it, and times a lockSeat and /ready meanwhile. Before the
// command timeout: the lock took 20 s, /ready said 200.
import { spawn } from 'node:child_process';
import { freePort } from '../../test/support/redis-server.js';
import { startBuiltServer } from './server-process.js';

const port = await freePort();
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((resolve) => setTimeout(resolve, 500));
const server = await startBuiltServer(process.argv[2] ?? 'dist', { REDIS_URL: `redis://127.0.0.1:${port}` });
const lock = (seatId: string) =>
  fetch(server.origin, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { lockSeat(eventId: "demo", seatId: "${seatId}") { __typename } }` }),
  }).then((response) => response.json() as Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>);
const timed = async <T>(call: () => Promise<T>) => {
  const started = performance.now();
  const value = await call();
  return { ms: Math.round(performance.now() - started), value };
};
try {
  await lock('A-1');
  redis.kill('SIGSTOP');
  setTimeout(() => redis.kill('SIGCONT'), 20_000).unref();
  const locked = await timed(() => lock('A-2'));
  const ready = await timed(() => fetch(new URL('/ready', server.origin)).then((response) => response.status));
  console.log(
    JSON.stringify({
      lockSeat: { ms: locked.ms, answer: locked.value.errors?.[0]?.extensions?.code ?? locked.value.data },
      ready: { ms: ready.ms, status: ready.value },
    }),
  );
} finally {
  server.child.kill();
  redis.kill('SIGCONT');
  redis.kill();
}
