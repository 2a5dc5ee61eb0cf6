import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Programs some suites need that `npm ci` does not install. Without them those suites are
 * skipped, and the run says so loudly (see global-setup.ts); `.ci/run` sets
 * SEATLOCK_TESTS_REQUIRE_ALL=1, which makes a missing one fail the run instead.
 */
export interface Prerequisite {
  readonly program: string;
  readonly present: boolean;
  /** What is skipped without it. */
  readonly skips: string;
  readonly install: string;
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Debian's Chromium, or CHROMIUM_PATH; tests never download a browser of their own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const redisServer: Prerequisite = {
  program: 'redis-server',
  present: onPath('redis-server'),
  skips: 'the Redis store suites (contract, several instances, Redis faults)',
  install: 'sudo apt-get install redis-server (Debian, Ubuntu), brew install redis (macOS); or set REDIS_URL to a Redis the tests may write to',
};

export const chromium: Prerequisite = {
  program: CHROMIUM,
  present: existsSync(CHROMIUM),
  skips: 'the browser tests (seat map, operator page, cross-origin, venue)',
  install: 'sudo apt-get install chromium (Debian), or set CHROMIUM_PATH to a Chromium or Chrome',
};

export const sqliteShell: Prerequisite = {
  program: 'sqlite3',
  present: onPath('sqlite3'),
  skips: "the docs' backup and report recipes, run as written",
  install: 'sudo apt-get install sqlite3 (Debian, Ubuntu); macOS has it',
};

/** A Redis the tests can use: the run's own redis-server, or REDIS_URL. */
export const redisAvailable = redisServer.present || Boolean(process.env.REDIS_URL?.trim());
