import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BookingByIdDocument, ConfirmHoldDocument, LockSeatDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { runToExit, spawnServer, tempDataFile, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { seatStatuses } from '../support/snapshot.js';

const events = () => tempJsonFile(testEventsDocument);

async function readiness(server: ServerProcess): Promise<number> {
  return (await fetch(new URL('/ready', server.url))).status;
}

/** Books `seatId` and answers the booking's id. */
async function book(server: ServerProcess, seatId: string): Promise<string> {
  const hold = expectType((await server.client.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat, 'Hold');
  return expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking').id;
}

async function lockCode(server: ServerProcess, seatId: string): Promise<unknown> {
  const result = await server.client.execute(LockSeatDocument, { eventId: 'play', seatId });
  return result.errors?.[0]?.extensions?.code ?? result.data?.lockSeat.__typename;
}

describe('one data file, one server, whatever the path', () => {
  it('refuses a second server by the same path, a symlink or a hard link elsewhere, and holds no lock file to delete', async () => {
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    const bookingId = await book(first, 'A-1');
    const elsewhere = dirname(tempDataFile());
    mkdirSync(elsewhere, { recursive: true });
    const symlink = join(elsewhere, 'through-a-symlink.db');
    symlinkSync(dataFile, symlink);
    const hardLink = join(elsewhere, 'through-a-hard-link.db');
    linkSync(dataFile, hardLink);

    for (const path of [dataFile, symlink, hardLink]) {
      const second = await runToExit({ DATA_FILE: path, EVENTS_FILE: events() });
      expect({ path, code: second.code }).toEqual({ path, code: 1 });
      expect(second.stderr).toContain(`seatlock: cannot start: DATA_FILE ${path}: another seatlock process is using this file (by this path or another)`);
    }
    // The lock is on the file itself: nothing beside it could be deleted to get round it.
    expect(readdirSync(dirname(dataFile)).filter((name) => name.endsWith('.lock'))).toEqual([]);
    expect(await readiness(first)).toBe(200);
    expect(await lockCode(first, 'A-2')).toBe('Hold');

    // SQLite finds a file's write-ahead log by the file's name: after a crash, a start by another
    // name would not see the last steps. So a file with a second name is not opened at all.
    await first.kill('SIGKILL');
    for (const path of [hardLink, dataFile]) {
      const refused = await runToExit({ DATA_FILE: path, EVENTS_FILE: events() });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`seatlock: cannot start: DATA_FILE ${path}: the file has 2 names (hard links)`);
    }
    rmSync(hardLink);
    const next = await spawnServer({ DATA_FILE: symlink, EVENTS_FILE: events() });
    expect((await next.client.data(BookingByIdDocument, { id: bookingId })).booking?.status).toBe('CONFIRMED');
  });
});

describe('a data file that is not whole', () => {
  it('refuses an empty (0 byte) DATA_FILE instead of taking it for a new store, and leaves it as it was', async () => {
    const dataFile = tempDataFile();
    writeFileSync(dataFile, '');
    const run = await runToExit({ DATA_FILE: dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`seatlock: cannot start: DATA_FILE ${dataFile}: the file is empty (0 bytes)`);
    expect(statSync(dataFile).size).toBe(0);
    expect(readdirSync(dirname(dataFile))).toEqual(['seatlock.db']);
  });

  it('makes a new store whole before it appears at DATA_FILE', async () => {
    const dataFile = tempDataFile();
    const server = await spawnServer({ DATA_FILE: dataFile });
    // Created under another name and linked into place: never an empty file at DATA_FILE.
    expect(statSync(dataFile).size).toBeGreaterThan(0);
    expect(readdirSync(dirname(dataFile)).filter((name) => name.includes('.new-'))).toEqual([]);
    expect(await readiness(server)).toBe(200);
  });

  it('stops the start on a damaged page in one line naming the file, with no stack trace', async () => {
    const dataFile = tempDataFile();
    const first = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    for (const seatId of ['A-1', 'A-2', 'A-3']) await book(first, seatId);
    // A clean stop moves everything into the file itself.
    await first.kill('SIGTERM');
    expect(existsSync(`${dataFile}-wal`)).toBe(false);
    const pages = statSync(dataFile).size / 4096;
    expect(pages).toBeGreaterThan(4);
    const fd = openSync(dataFile, 'r+');
    // Every page but the first (the header, read before anything else): garbage where b-tree pages were.
    for (let page = 1; page < pages; page++) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);

    const run = await runToExit({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^seatlock: cannot start: DATA_FILE ${dataFile}: .*malformed`))]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('a data file taken away under a running server', () => {
  it('stops selling once the file is deleted (503, STORE_UNAVAILABLE), and saves what it had, losing no answered booking', async () => {
    const dataFile = tempDataFile();
    const server = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    const booked = [await book(server, 'A-1'), await book(server, 'A-2')];
    const held = expectType((await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1'] })).lockSeats, 'Hold');

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataFile}${suffix}`, { force: true });
    expect(await lockCode(server, 'A-3')).toBe('STORE_UNAVAILABLE');
    expect(await readiness(server)).toBe(503);
    const confirm = await server.client.execute(ConfirmHoldDocument, { holdToken: held.token });
    expect(confirm.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    expect(server.output().stdout + server.output().stderr).toContain(
      `STOPPED SELLING: DATA_FILE ${dataFile} was deleted, moved or replaced while the server ran`,
    );

    // What it had is saved beside the file; put in place, it serves every answered step.
    const copy = await vi.waitFor(
      () => {
        const saved = /the state as of the last answered step is saved in (\S+)/.exec(server.output().stdout)?.[1];
        if (!saved) throw new Error('waiting for the server to say where it saved the data file');
        return saved;
      },
      { timeout: 10_000, interval: 50 },
    );
    await server.kill('SIGTERM');
    expect(existsSync(dataFile)).toBe(false);
    renameSync(copy, dataFile);
    const restarted = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    for (const id of booked) expect((await restarted.client.data(BookingByIdDocument, { id })).booking?.status).toBe('CONFIRMED');
    expect(await seatStatuses(restarted.client, 'play')).toMatchObject({ 'A-1': 'BOOKED', 'A-2': 'BOOKED', 'A-3': 'AVAILABLE', 'B-1': 'LOCKED' });
  });

  it('stops selling when another file is put at DATA_FILE', async () => {
    const dataFile = tempDataFile();
    const server = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    await book(server, 'A-1');
    const other = `${dataFile}.other`;
    writeFileSync(other, readFileSync(dataFile));
    renameSync(other, dataFile);
    expect(await lockCode(server, 'A-2')).toBe('STORE_UNAVAILABLE');
    expect(await readiness(server)).toBe(503);
  });
});

describe('a data file that cannot grow (a full disk)', () => {
  /** Sets the largest file the server may write, as a full disk or `ulimit -f` would. */
  const limitFileSize = (server: ServerProcess, bytes: number | 'unlimited') => {
    // The soft limit only: lowering the hard one could not be undone without CAP_SYS_RESOURCE.
    const run = spawnSync('prlimit', ['--pid', String(server.pid), `--fsize=${bytes}:`]);
    expect(run.status, String(run.stderr)).toBe(0);
  };

  it('answers STORE_UNAVAILABLE and /ready 503 while writes fail, says so once, and sells again when they work', async () => {
    const dataFile = tempDataFile();
    const server = await spawnServer({ DATA_FILE: dataFile, EVENTS_FILE: events() });
    await book(server, 'A-1');
    // No file may grow any more: the next step's log frames do not fit (nor a probe's, which
    // rewrites one page: the smaller file may not grow to the larger's size either).
    limitFileSize(server, Math.min(statSync(dataFile).size, statSync(`${dataFile}-wal`).size));
    for (const seatId of ['A-2', 'A-3', 'A-4']) expect(await lockCode(server, seatId)).toBe('STORE_UNAVAILABLE');
    expect(await readiness(server)).toBe(503);
    expect(await readiness(server)).toBe(503);
    const said = (server.output().stdout.match(/could not write to the data file/g) ?? []).length;
    expect(said).toBe(1);

    limitFileSize(server, 'unlimited');
    expect(await readiness(server)).toBe(200);
    expect(server.output().stdout).toContain('writes to the data file work again');
    expect(await lockCode(server, 'A-2')).toBe('Hold');
    expect(await seatStatuses(server.client, 'play')).toMatchObject({ 'A-1': 'BOOKED', 'A-2': 'LOCKED', 'A-3': 'AVAILABLE' });
  });
});
