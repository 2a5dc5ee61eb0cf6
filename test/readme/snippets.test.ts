import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { graphiqlDefaultQuery } from '../../src/server/graphql/graphiql.js';
import { listeningApp } from '../support/apps.js';
import { runScript } from '../support/processes.js';
import { redisServer } from '../support/prerequisites.js';
import { freePort } from '../support/redis-server.js';

const ROOT = new URL('../../', import.meta.url);
const README = readFileSync(new URL('README.md', ROOT), 'utf8');

/** The fenced blocks of the README whose info string is `<language> readme-test:<name>`. */
function taggedBlocks(): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of README.matchAll(/^```\w+ readme-test:([\w-]+)\n([\s\S]*?)^```$/gm)) blocks.set(match[1] as string, match[2] as string);
  return blocks;
}

/**
 * What each block must then do, appended to it as written: against a server serving the test
 * events, read seats, see a lock made through the block's client arrive on its subscription.
 */
const CHECKS: Record<string, string> = {
  apollo: `
import { EventSeatsDocument, LockSeatDocument, SeatChangedDocument } from './operations/generated/graphql.js';
setTimeout(() => { console.log('timed out'); process.exit(2); }, 10_000);
let steps = 0;
const done = () => { if (++steps === 2) process.exit(0); };
const seats = await client.query({ query: EventSeatsDocument, variables: { id: 'play' } });
console.log('seats', seats.data.event?.seats.length);
client.subscribe({ query: SeatChangedDocument, variables: { eventId: 'play' } }).subscribe({
  next: ({ data }) => { console.log('change', data?.seatChanged.seat.id, data?.seatChanged.reason); done(); },
});
await new Promise((resolve) => setTimeout(resolve, 300));
const locked = await client.mutate({ mutation: LockSeatDocument, variables: { eventId: 'play', seatId: 'A-1' } });
console.log('lock', locked.data?.lockSeat.__typename);
done();
`,
  urql: `
import { EventSeatsDocument, LockSeatDocument, SeatChangedDocument } from './operations/generated/graphql.js';
setTimeout(() => { console.log('timed out'); process.exit(2); }, 10_000);
let steps = 0;
const done = () => { if (++steps === 2) process.exit(0); };
const seats = await client.query(EventSeatsDocument, { id: 'play' }).toPromise();
console.log('seats', seats.data?.event?.seats.length);
client.subscription(SeatChangedDocument, { eventId: 'play' }).subscribe((result) => {
  if (result.data) { console.log('change', result.data.seatChanged.seat.id, result.data.seatChanged.reason); done(); }
});
await new Promise((resolve) => setTimeout(resolve, 300));
const locked = await client.mutation(LockSeatDocument, { eventId: 'play', seatId: 'A-1' }).toPromise();
console.log('lock', locked.data?.lockSeat.__typename);
done();
`,
};

const written: URL[] = [];
afterEach(() => {
  for (const file of written.splice(0)) rmSync(file, { force: true });
});

describe('the README as written', () => {
  it('has the blocks this test runs, and no other', () => {
    expect([...taggedBlocks().keys()].sort()).toEqual([...Object.keys(CHECKS), 'instances'].sort());
  });

  it.each(Object.keys(CHECKS))('runs the %s block in Node against a server: seats, a lock, its change live', async (name) => {
    const block = taggedBlocks().get(name);
    expect(block, `README block readme-test:${name}`).toBeDefined();
    const server = await listeningApp();
    // Beside the README, so its relative imports (./operations/…) resolve as they would for a reader.
    const file = new URL(`.readme-${name}-${randomBytes(4).toString('hex')}.ts`, ROOT);
    written.push(file);
    writeFileSync(file, `${(block ?? '').replaceAll('localhost:4000', server.url.host)}\n${CHECKS[name]}`);
    const run = await runScript(file, []);
    expect(run.stdout, run.stderr).toContain('seats 15');
    expect(run.stdout).toContain('lock Hold');
    expect(run.stdout).toContain('change A-1 LOCKED');
    expect(run.code, run.stderr).toBe(0);
  });

  it.skipIf(!redisServer.present)('runs two instances on a Redis of their own as "Running several instances" says', async () => {
    const block = taggedBlocks().get('instances') ?? '';
    const [redisPort, first, second] = [await freePort(), await freePort(), await freePort()];
    const directory = mkdtempSync(join(tmpdir(), 'seatlock-readme-'));
    // As written, but on free ports, in a directory of the test's own, with the build the run made.
    const script = block
      .replaceAll('6390', String(redisPort))
      .replaceAll('4001', String(first))
      .replaceAll('4002', String(second))
      .replaceAll('mkdir -p redis-data', `mkdir -p ${directory}/redis-data`)
      .replaceAll('$PWD/redis-data', `${directory}/redis-data`)
      .replaceAll('npm run build', 'true');
    expect(script).toContain(`--port ${redisPort}`);
    const shell = spawn('bash', ['-e', '-c', `${script}\nwait`], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH, EVENTS_FILE: '' },
    });
    try {
      const origins = [first, second].map((port) => `http://127.0.0.1:${port}`);
      for (const origin of origins) {
        await vi.waitFor(async () => expect((await fetch(`${origin}/ready`)).status).toBe(200), { timeout: 20_000, interval: 200 });
      }
      const ask = (origin: string, query: string) =>
        fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((answer) =>
          answer.json(),
        );
      expect(await ask(origins[0] as string, 'mutation { lockSeat(eventId: "demo", seatId: "A-1") { __typename } }')).toEqual({
        data: { lockSeat: { __typename: 'Hold' } },
      });
      expect(await ask(origins[1] as string, '{ event(id: "demo") { counts { locked } } }')).toEqual({ data: { event: { counts: { locked: 1 } } } });
      expect(readdirSync(join(directory, 'redis-data')).some((entry) => entry.startsWith('appendonly'))).toBe(true);
    } finally {
      if (shell.pid) process.kill(-shell.pid, 'SIGTERM');
      spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'nosave']);
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('shows the operations GraphiQL opens with', () => {
    const section = README.slice(README.indexOf('## Try it in GraphiQL'));
    const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(graphiqlDefaultQuery('demo', ['A-1', 'A-2']));
  });
});
