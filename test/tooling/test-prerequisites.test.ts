import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
// A PATH with node and nothing else: no redis-server, as on a fresh machine.
const bare = mkdtempSync(join(tmpdir(), 'seatlock-bare-path-'));
symlinkSync(process.execPath, join(bare, 'node'));
afterAll(() => rmSync(bare, { recursive: true, force: true }));

/** `npm test` on one small file, on a machine without redis-server and Chromium. */
function bareRun(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/config.test.ts'], {
    cwd: ROOT,
    env: { PATH: bare, CHROMIUM_PATH: join(bare, 'no-chromium'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm test on a machine without redis-server and Chromium', () => {
  it('runs what it can and says, at its start and its end, what it skipped and how to install it', async () => {
    const run = await bareRun({});
    expect(run.code, run.output).toBe(0);
    const notices = run.output.split('seatlock tests: not everything can run on this machine.').length - 1;
    expect(notices).toBe(2);
    expect(run.output).toContain('redis-server is missing: the Redis store suites (contract, several instances, Redis faults) are SKIPPED.');
    expect(run.output).toContain('sudo apt-get install redis-server');
    expect(run.output).toContain('no-chromium is missing: the browser tests');
    expect(run.output).toContain('sudo apt-get install chromium');
  }, 60_000);

  it('fails instead when every suite is required (as .ci/run requires)', async () => {
    const run = await bareRun({ SEATLOCK_TESTS_REQUIRE_ALL: '1' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('every suite must run (SEATLOCK_TESTS_REQUIRE_ALL=1)');
  }, 60_000);
});
