import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import Database from 'better-sqlite3';
import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfirmHoldDocument, CreateWebhookDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { blockProblems, DOC_FILES, type DocBlock, docBlocks, graphqlProblems, placeOf, readDoc } from '../../scripts/doc-blocks.js';
import { graphiqlDefaultQuery } from '../../src/server/graphql/graphiql.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { listeningApp } from '../support/apps.js';
import { redisServer, sqliteShell } from '../support/prerequisites.js';
import { runScript, spawnServer, startScript } from '../support/processes.js';
import { freePort } from '../support/redis-server.js';

const ROOT = new URL('../../', import.meta.url);
const BLOCKS = docBlocks();
const ADMIN_TOKEN = 'docs-admin-token-0123456789abcdefghijkl';
const SCHEMA = buildSchema(readFileSync(new URL('schema.graphql', ROOT), 'utf8'));
const PACKAGE_SCRIPTS = Object.keys((JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The blocks tagged `doc-test:<tag>`, from whichever doc they are in. */
function tagged(tag: string): DocBlock[] {
  return BLOCKS.filter((block) => block.tag === tag);
}

/** The one block tagged `doc-test:<tag>`. */
function theBlock(tag: string): DocBlock {
  const [block, ...more] = tagged(tag);
  if (!block || more.length > 0) throw new Error(`expected one block tagged doc-test:${tag}, found ${tagged(tag).length}`);
  return block;
}

/**
 * Until the server counts a subscriber (graphql-ws acknowledges none), so the lock the block's
 * client makes next cannot pass its subscription by: the server's public /metrics, polled.
 */
const SUBSCRIBED_ON_SERVER = `
const subscribedOnServer = async () => {
  for (;;) {
    const metrics = await (await fetch('http://localhost:4000/metrics')).text();
    if (/^seatlock_subscribers [1-9]/m.test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};`;

/**
 * What each block must then do, appended to it as written: against a server serving the test
 * events, read seats, see a lock made through the block's client arrive on its subscription.
 */
const CHECKS: Record<string, string> = {
  apollo: `${SUBSCRIBED_ON_SERVER}
import { EventSeatsDocument, LockSeatDocument, SeatChangedDocument } from './operations/generated/graphql.js';
setTimeout(() => { console.log('timed out'); process.exit(2); }, 10_000);
let steps = 0;
const done = () => { if (++steps === 2) process.exit(0); };
const seats = await client.query({ query: EventSeatsDocument, variables: { id: 'play' } });
console.log('seats', seats.data.event?.seats.length);
client.subscribe({ query: SeatChangedDocument, variables: { eventId: 'play' } }).subscribe({
  next: ({ data }) => { console.log('change', data?.seatChanged.seat.id, data?.seatChanged.reason); done(); },
});
await subscribedOnServer();
const locked = await client.mutate({ mutation: LockSeatDocument, variables: { eventId: 'play', seatId: 'A-1' } });
console.log('lock', locked.data?.lockSeat.__typename);
done();
`,
  urql: `${SUBSCRIBED_ON_SERVER}
import { EventSeatsDocument, LockSeatDocument, SeatChangedDocument } from './operations/generated/graphql.js';
setTimeout(() => { console.log('timed out'); process.exit(2); }, 10_000);
let steps = 0;
const done = () => { if (++steps === 2) process.exit(0); };
const seats = await client.query(EventSeatsDocument, { id: 'play' }).toPromise();
console.log('seats', seats.data?.event?.seats.length);
client.subscription(SeatChangedDocument, { eventId: 'play' }).subscribe((result) => {
  if (result.data) { console.log('change', result.data.seatChanged.seat.id, result.data.seatChanged.reason); done(); }
});
await subscribedOnServer();
const locked = await client.mutation(LockSeatDocument, { eventId: 'play', seatId: 'A-1' }).toPromise();
console.log('lock', locked.data?.lockSeat.__typename);
done();
`,
};

const written: URL[] = [];
afterEach(() => {
  for (const file of written.splice(0)) rmSync(file, { force: true });
});

describe('the docs as written', () => {
  it('tag only the blocks this test runs', () => {
    const tags = new Set(BLOCKS.flatMap((block) => (block.tag ? [block.tag] : [])));
    expect([...tags].sort()).toEqual([...Object.keys(CHECKS), 'instances', 'scripts', 'backup', 'reports', 'receiver'].sort());
  });

  it('write every block in a language the checks know, with GraphQL the schema takes and JSON that parses', () => {
    expect(blockProblems(BLOCKS, SCHEMA)).toEqual([]);
  });

  it('name only npm scripts that exist', () => {
    const named = DOC_FILES.flatMap((file) =>
      [...readDoc(file).matchAll(/npm run ([\w-]+(?::[\w-]+)*)/g)].map((match) => ({ file, script: match[1] as string })),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter(({ script }) => !PACKAGE_SCRIPTS.includes(script))).toEqual([]);
    // The tagged command lists use the short forms too.
    for (const block of tagged('scripts')) {
      for (const [, script] of block.text.matchAll(/^npm (start|test)\b/gm)) expect(PACKAGE_SCRIPTS, placeOf(block)).toContain(script);
    }
  });

  it('show an events file the server takes', () => {
    const [file] = BLOCKS.filter((block) => block.language === 'json' && block.text.includes('"events"'));
    expect(file).toBeDefined();
    const events = parseEventLayouts(JSON.parse(file?.text ?? ''));
    expect(events.map((event) => event.id)).toEqual(['hamlet-2026-12-01']);
  });

  it('show browser JavaScript that parses, with a subscription the schema takes', () => {
    const scripts = BLOCKS.filter((block) => block.language === 'js');
    expect(scripts.length).toBeGreaterThan(0);
    for (const block of scripts) {
      expect(() => new Script(block.text), placeOf(block)).not.toThrow();
      const queries = [...block.text.matchAll(/const query = '([^']+)'/g)].map((match) => match[1] as string);
      expect(queries.length, placeOf(block)).toBeGreaterThan(0);
      for (const query of queries) expect(graphqlProblems(query, SCHEMA), placeOf(block)).toEqual([]);
    }
  });

  it('show YAML that parses', () => {
    const yaml = BLOCKS.filter((block) => block.language === 'yaml');
    expect(yaml.length).toBeGreaterThan(0);
    for (const block of yaml) expect(() => parseYaml(block.text), placeOf(block)).not.toThrow();
  });

  it.skipIf(!sqliteShell.present)('back up a running server and report on its file with the sqlite3 lines as written', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'seatlock-docs-'));
    try {
      // The server as npm start runs it: the demo event, data/seatlock.db beside where it starts.
      const server = await spawnServer({ DATA_FILE: 'data/seatlock.db', EVENTS_FILE: '' }, directory);
      const hold = await server.client.data(LockSeatsDocument, { eventId: 'demo', seatIds: ['A-1', 'A-2'] });
      if (hold.lockSeats.__typename !== 'Hold') throw new Error(`no hold: ${JSON.stringify(hold)}`);
      const booked = await server.client.data(ConfirmHoldDocument, { holdToken: hold.lockSeats.token, orderId: 'order-1234' });
      if (booked.confirmHold.__typename !== 'Booking') throw new Error(`not booked: ${JSON.stringify(booked)}`);

      const backup = bash(theBlock('backup').text, directory);
      expect(backup.status, backup.stderr).toBe(0);
      const copies = readdirSync(join(directory, 'backups'));
      expect(copies).toEqual([expect.stringMatching(/^seatlock-\d{4}-\d\d-\d\d-\d{4}\.db$/)]);
      const copy = new Database(join(directory, 'backups', copies[0] as string), { readonly: true });
      try {
        expect(copy.prepare('SELECT status, order_id AS orderId FROM bookings').all()).toEqual([{ status: 'CONFIRMED', orderId: 'order-1234' }]);
      } finally {
        copy.close();
      }

      const reports = bash(theBlock('reports').text, directory);
      expect(reports.status, reports.stderr).toBe(0);
      const lines = reports.stdout.trim().split('\n');
      expect(lines).toContain('BOOKED|2');
      expect(lines).toContain('AVAILABLE|246');
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${booked.confirmHold.id}\\|CONFIRMED\\|order-1234\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`)),
      );
      await server.kill();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each(Object.keys(CHECKS))('run the %s block in Node against a server: seats, a lock, its change live', async (name) => {
    const block = theBlock(name).text;
    const server = await listeningApp({ metricsPublic: true });
    // At the repository's root, so its relative imports (./operations/…) resolve as they would for a reader.
    const file = new URL(`.doc-${name}-${randomBytes(4).toString('hex')}.ts`, ROOT);
    written.push(file);
    writeFileSync(file, `${block}\n${CHECKS[name]}`.replaceAll('localhost:4000', server.url.host));
    const run = await runScript(file, []);
    expect(run.stdout, run.stderr).toContain('seats 15');
    expect(run.stdout).toContain('lock Hold');
    expect(run.stdout).toContain('change A-1 LOCKED');
    expect(run.code, run.stderr).toBe(0);
  });

  it('run the webhook receiver as written: it verifies, prints each message once and refuses a forged one', async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN, webhooksAllowPrivate: true });
    const admin = server.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const port = await freePort();
    const created = (await admin.data(CreateWebhookDocument, { input: { url: `http://127.0.0.1:${port}/`, types: ['booking.confirmed'] } })).createWebhook;
    if (created.__typename !== 'WebhookEndpoint' || !created.secret) throw new Error(`no endpoint: ${JSON.stringify(created)}`);
    const file = new URL(`.doc-receiver-${randomBytes(4).toString('hex')}.ts`, ROOT);
    written.push(file);
    writeFileSync(file, theBlock('receiver').text.replace('listen(8080)', `listen(${port})`));
    const receiver = startScript(file, { SEATLOCK_WEBHOOK_SECRET: created.secret });
    await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).status).toBe(400), { timeout: 15_000 });
    const hold = await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] });
    if (hold.lockSeats.__typename !== 'Hold') throw new Error('no hold');
    await server.client.data(ConfirmHoldDocument, { holdToken: hold.lockSeats.token, orderId: 'order-77' });
    await vi.waitFor(() => expect(receiver.output()).toContain('booking.confirmed'), { timeout: 15_000 });
    expect(receiver.output()).toContain('"orderId":"order-77"');
  });

  it.skipIf(!redisServer.present)('run two instances on a Redis of their own as "Running several instances" says', async () => {
    const block = theBlock('instances').text;
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

  it('show the operations GraphiQL opens with', () => {
    const readme = readDoc('README.md');
    const section = readme.slice(readme.indexOf('## Try it in GraphiQL'));
    const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(graphiqlDefaultQuery('demo', ['A-1', 'A-2']));
  });
});

/** Runs a doc's shell lines as written, in `cwd`, with a time limit. */
function bash(script: string, cwd: string) {
  return spawnSync('bash', ['-e', '-c', script], { cwd, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH } });
}
