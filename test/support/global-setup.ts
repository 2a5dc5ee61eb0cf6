import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { chromium, type Prerequisite, redisAvailable, redisServer, sqliteShell } from './prerequisites.js';
import { startRedisServer } from './redis-server.js';
import { fastOnly } from './speed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * The server as `npm start` runs it, built once for the run: the tests that start real server
 * processes run `dist/main.js` (a start compiled through tsx took 3.3 s each).
 */
function buildServer(): void {
  const started = Date.now();
  // npm run build's own script, by node: a PATH may hold node and nothing else (test/tooling).
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url))], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.error(`seatlock tests: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The server built, and one redis-server for the whole run, unless REDIS_URL names one to use instead. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The fast suite starts no server process.
  if (!fastOnly) buildServer();
  // Said again when the run ends, below its summary, where it cannot scroll away unseen.
  let notice = '';
  const sayAgain = async () => {
    if (notice) console.error(notice);
  };
  const missing = [redisAvailable ? null : redisServer, chromium.present ? null : chromium, sqliteShell.present ? null : sqliteShell].filter(
    (entry): entry is Prerequisite => entry !== null,
  );
  if (missing.length > 0) {
    const lines = missing.map((entry) => `  ${entry.program} is missing: ${entry.skips} are SKIPPED.\n    Install it: ${entry.install}`);
    if (process.env.SEATLOCK_TESTS_REQUIRE_ALL === '1') throw new Error(`every suite must run (SEATLOCK_TESTS_REQUIRE_ALL=1), but:\n${lines.join('\n')}`);
    const bar = '!'.repeat(78);
    notice = `\n${bar}\n  seatlock tests: not everything can run on this machine.\n${lines.join('\n')}\n${bar}\n`;
    console.error(notice);
  }
  const given = process.env.REDIS_URL?.trim();
  if (given) {
    project.provide('redisUrl', given);
    return sayAgain;
  }
  if (!redisServer.present) {
    project.provide('redisUrl', '');
    return sayAgain;
  }
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return async () => {
    await server.stop();
    await sayAgain();
  };
}
