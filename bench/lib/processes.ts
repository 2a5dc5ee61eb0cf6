import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEED = join(ROOT, '..', 'shared', 'seed', 'express-seed.js');
const TICKS_PER_SECOND = 100;

/** A server under test: its URL and what /proc says about its CPU time and memory. */
export interface BenchServer {
  readonly name: string;
  readonly origin: string;
  readonly pid: number;
  /** User + system CPU time of the process so far, in microseconds. */
  cpuMicros(): number;
  /** Resident set size, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

function watch(name: string, child: ChildProcess, origin: string): BenchServer {
  const pid = child.pid as number;
  return {
    name,
    origin,
    pid,
    cpuMicros: () => {
      // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing ")".
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
    },
    rssBytes: () => {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((row) => row.startsWith('VmRSS:'));
      return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it listened:\n${output}`)));
  });
}

/** One event of `seats` seats in rows of up to 1,000, written as an EVENTS_FILE. */
export function eventsFile(seats: number): string {
  const rows = [];
  for (let index = 0, left = seats; left > 0; index++, left -= 1_000) rows.push({ row: `R${index}`, seats: Math.min(1_000, left) });
  const path = join(mkdtempSync(join(tmpdir(), 'seatlock-bench-')), 'events.json');
  writeFileSync(path, JSON.stringify({ events: [{ id: 'bench', name: 'Bench', sections: [{ name: 'Hall', rows }] }] }));
  return path;
}

/** The seat ids `eventsFile(seats)` makes, in order. */
export function seatIds(seats: number): string[] {
  return Array.from({ length: seats }, (_, index) => `R${Math.floor(index / 1_000)}-${(index % 1_000) + 1}`);
}

/** Starts the built seatlock (`dist/main.js`) on a free port with the given environment. */
export async function startSeatlock(name: string, env: Record<string, string>): Promise<BenchServer> {
  // BENCH_NODE_ARGS reach the server's node only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'main.js')], {
    // The load generator is one client (one IP): no per-client limits, or it would measure them.
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      NODE_ENV: 'production',
      LOCKS_PER_MINUTE: '0',
      MAX_SEATS_PER_CLIENT: '0',
      MAX_SOCKETS_PER_CLIENT: '1000000',
      // Nor on what its subscriptions may hold: 256 KiB by default, about 3,250 subscriptions.
      MAX_SUBSCRIPTION_BYTES_PER_CLIENT: '1073741824',
      // Nothing on disk unless the scenario names a data file (or Redis).
      ...(env.REDIS_URL === undefined ? { DATA_FILE: ':memory:' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = await waitForLine(child, /at (http:\/\/[^/\s]+)/);
  return watch(name, child, match[1] as string);
}

/** Starts the seed's Express server (the baseline) with `seats` seats. */
export async function startSeed(seats: number, port: number): Promise<BenchServer> {
  const child = spawn(process.execPath, [SEED], {
    // The seed lives outside this package; let it find express in our node_modules.
    env: { PATH: process.env.PATH, PORT: String(port), SEATS: String(seats), NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /Server running/);
  return watch('seed', child, `http://127.0.0.1:${port}`);
}

export function seedAvailable(): boolean {
  try {
    readFileSync(SEED);
    return true;
  } catch {
    return false;
  }
}
