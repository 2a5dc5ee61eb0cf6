import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { GraphQLHttpClient } from './graphql-client.js';

/** The built server (global-setup.ts builds it once per run): a start takes a fraction of compiling it each time. */
const MAIN = new URL('../../dist/main.js', import.meta.url).pathname;
// By path, so a script started in another working directory still finds it.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const running = new Set<ChildProcess>();

/**
 * Redis command timeout of the servers tests start: a 2-core machine running several servers and
 * test files at once can stall an event loop past the default, which is not a hung Redis. The
 * hung-Redis test sets its own.
 */
export const TEST_REDIS_TIMEOUT_SECONDS = 5;

// No server process outlives its test.
afterEach(async () => {
  const children = [...running];
  running.clear();
  await Promise.all(children.map((child) => stopChild(child, 'SIGKILL')));
});

/** A seatlock server running as its own process, from the real entry file. */
export interface ServerProcess {
  readonly url: string;
  /** Its process id (to set its limits, or signal it). */
  readonly pid: number;
  readonly client: GraphQLHttpClient;
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built `dist/main.js` with `env` (PORT 0 unless given; nothing on disk unless DATA_FILE or
 * REDIS_URL is given), collecting what it prints.
 */
function launch(env: Record<string, string>, cwd?: string) {
  const store =
    env.REDIS_URL !== undefined || env.REDIS_CLUSTER_NODES !== undefined
      ? { REDIS_TIMEOUT_SECONDS: String(TEST_REDIS_TIMEOUT_SECONDS) }
      : env.DATA_FILE !== undefined
        ? {}
        : { DATA_FILE: ':memory:' };
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    // Its /metrics public: tests count its subscribers there.
    env: { PATH: process.env.PATH, PORT: '0', METRICS_PUBLIC: 'true', ...store, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** Resolves once the server listens, or rejects with its output if it exits first. */
export function spawnServer(env: Record<string, string>, cwd?: string): Promise<ServerProcess> {
  const { child, output, exited } = launch(env, cwd);
  return new Promise((resolve, reject) => {
    const onData = () => {
      const url = /at (http:\/\/[^\s"]+)/.exec(output.stdout)?.[1];
      if (!url) return;
      child.stdout.off('data', onData);
      resolve({
        url,
        pid: child.pid as number,
        client: new GraphQLHttpClient(url),
        output: () => ({ ...output }),
        exited,
        kill: (signal = 'SIGTERM') => stopChild(child, signal),
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output.stdout}\n${output.stderr}`)));
  });
}

/** Runs the server until it exits by itself (a failed start), with a time limit. */
export async function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, output, exited } = launch(env);
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(killer);
  running.delete(child);
  return { code, ...output };
}

/** Runs a TypeScript script of this repository in its own Node process, to its end (80 s at most). */
export async function runScript(
  script: URL,
  args: readonly string[],
  { nodeOptions = [] }: { nodeOptions?: readonly string[] } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', TSX, script.pathname, ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  // A safety net against a hung script, not a deadline for a slow one (a busy machine is slow).
  const killer = setTimeout(() => child.kill('SIGKILL'), 170_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(killer);
  running.delete(child);
  return { code, ...output };
}

/**
 * Starts a TypeScript script that keeps running (a receiver, say) with `env`, collecting what it
 * prints; it is killed after the test.
 */
export function startScript(script: URL, env: Record<string, string> = {}): { output: () => string } {
  const child = spawn(process.execPath, ['--import', TSX, script.pathname], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return { output: () => output };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

const temporaryDirectories: string[] = [];

// Every file of a test file's fixtures goes when its tests are done (and their servers stopped).
afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

/** A path for a data file in a fresh temporary directory (the file is not made). */
export function tempDataFile(): string {
  return join(temporaryDirectory('seatlock-data-'), 'seatlock.db');
}

/** Writes a JSON file to a fresh temporary directory and returns its path. */
export function tempJsonFile(content: unknown): string {
  const path = join(temporaryDirectory('seatlock-'), 'events.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
