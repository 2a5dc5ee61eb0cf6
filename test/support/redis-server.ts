import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A real `redis-server` process of the test run's own, on a free loopback port. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the process (SIGTERM: with appendonly, Redis flushes the file first). */
  stop(): Promise<void>;
  /** Kills the process (SIGKILL): nothing is flushed; a restart loads what was saved before. */
  crash(): Promise<void>;
  /** Starts the process again on the same port and directory. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a frozen process run again (SIGCONT). */
  resume(): void;
}

export interface RedisServerOptions {
  /** Keep an append-only file in `dir`, so data survives a restart. */
  readonly appendOnly?: boolean;
  /** Run it on this CPU core alone (`taskset -c`), for benchmarks. */
  readonly cpu?: number;
  /** A node of a Redis Cluster (its cluster state kept in `dir`, so a restart rejoins). */
  readonly cluster?: boolean;
  /** This port (one a test handed to a server before Redis ran) instead of a free one. */
  readonly port?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every redis-server a test process starts is noted here as `<owner pid>-<server pid>`: a run
 * killed from outside (a timeout's SIGTERM) never stops its servers, and the next run stops the
 * ones whose owner is gone before it starts its own (they would take CPU from its tests and
 * benchmarks, a cluster's nodes most of all).
 */
const OWNED = join(tmpdir(), 'seatlock-test-redis-servers');
let reaped = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isRedisServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}

function reapOrphans(): void {
  if (reaped) return;
  reaped = true;
  mkdirSync(OWNED, { recursive: true });
  for (const name of readdirSync(OWNED)) {
    const [owner = 0, server = 0] = name.split('-').map(Number);
    if (alive(owner)) continue;
    if (alive(server) && isRedisServer(server)) process.kill(server, 'SIGKILL');
    rmSync(join(OWNED, name), { force: true });
  }
}

/** Notes a started server as this process's until it exits. */
function own(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const note = join(OWNED, `${process.pid}-${child.pid}`);
  writeFileSync(note, '');
  child.once('exit', () => rmSync(note, { force: true }));
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  reapOrphans();
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'always',
    ];
    // Not full coverage: while one master is down the others serve their slots (docs/scaling.md).
    if (options.cluster) {
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--cluster-require-full-coverage', 'no');
    }
    child =
      options.cpu === undefined
        ? spawn('redis-server', args, { stdio: 'ignore' })
        : spawn('taskset', ['-c', String(options.cpu), 'redis-server', ...args], { stdio: 'ignore' });
    own(child);
    await waitUntilServing(url);
  };

  await launch();
  return {
    url,
    port,
    dir,
    stop: async () => {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGTERM');
      });
    },
    crash: async () => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGKILL');
      });
    },
    restart: launch,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}

export async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not start: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}
