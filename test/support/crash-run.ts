import assert from 'node:assert/strict';
import {
  BookingByIdDocument,
  ConfirmHoldDocument,
  ConfirmSeatDocument,
  EventSeatsDocument,
  HoldByTokenDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
} from '../../operations/generated/graphql.js';
import type { GraphQLHttpClient } from './graphql-client.js';
import { spawnServer, tempJsonFile } from './processes.js';
import { waitUntil } from './wait.js';

/** The event the buyers fight over: 200 seats, so they often want the same ones yet it sells on. */
const EVENT_ID = 'crash';
const ROWS = [...'ABCDEFGHJK'];
const SEAT_IDS = ROWS.flatMap((row) => Array.from({ length: 20 }, (_, index) => `${row}-${index + 1}`));
const eventsDocument = {
  events: [{ id: EVENT_ID, name: 'Crash night', sections: [{ name: 'Hall', rows: ROWS.map((row) => ({ row, seats: 20 })) }] }],
};

interface HoldEntry {
  status: 'ACTIVE' | 'CONFIRMED' | 'RELEASED';
  expiresAt: number;
  seatIds: string[];
  /** An operation on the hold was sent and never answered: it may or may not have applied. */
  uncertain: boolean;
}

interface BookingEntry {
  seatIds: string[];
  orderId: string;
}

/** What the buyers were told, which every later start of the server must still show. */
export class CrashLedger {
  readonly holds = new Map<string, HoldEntry>();
  readonly bookings = new Map<string, BookingEntry>();
  /** The highest event version any answer showed. */
  maxVersion = 0;
  answered = 0;
  unanswered = 0;
  private orders = 0;

  nextOrderId(): string {
    return `order-${++this.orders}`;
  }
}

export interface CrashCycleReport {
  readonly cycle: number;
  readonly answered: number;
  readonly bookings: number;
  readonly holdsChecked: number;
  readonly version: number;
}

export interface CrashRunOptions {
  readonly dataFile: string;
  readonly cycles: number;
  readonly buyers: number;
  /**
   * Most answers a cycle gets before its SIGKILL (a random count from a tenth of it up to it).
   * Counted in answers, not time: a busy machine kills at the same point of the work, later.
   */
  readonly maxAnswersPerCycle: number;
  readonly onCycle?: (report: CrashCycleReport) => void;
}

/**
 * Starts a real server on `dataFile`, lets concurrent buyers lock, confirm (with an orderId) and
 * release, kills the server with SIGKILL at a random moment, starts it again and checks that
 * everything the buyers were answered is still there; `cycles` times. Holds last 2 s, so some
 * expire while the server is down. Throws an AssertionError on the first broken promise.
 */
export async function runCrashCycles(options: CrashRunOptions): Promise<CrashLedger> {
  const env = {
    DATA_FILE: options.dataFile,
    EVENTS_FILE: tempJsonFile(eventsDocument),
    LOCK_TTL_SECONDS: '2',
    LOCKS_PER_MINUTE: '0',
    MAX_SEATS_PER_CLIENT: '0',
  };
  const ledger = new CrashLedger();
  for (let cycle = 1; cycle <= options.cycles; cycle++) {
    const server = await spawnServer(env);
    const holdsChecked = cycle === 1 ? 0 : await verify(server.client, ledger);
    let running = true;
    const buyers = Array.from({ length: options.buyers }, () => buyer(server.client, ledger, () => running));
    const least = Math.max(1, Math.floor(options.maxAnswersPerCycle / 10));
    const killAt = ledger.answered + least + Math.floor(Math.random() * (options.maxAnswersPerCycle - least));
    // A server that stops answering for a minute fails the run.
    await waitUntil(() => ledger.answered >= killAt, {
      timeoutMs: 60_000,
      intervalMs: 5,
      awaited: () => `${killAt} answers to the buyers (they had ${ledger.answered}); server said: ${server.output().stderr.slice(-2_000)}`,
    });
    await server.kill('SIGKILL');
    running = false;
    await Promise.all(buyers);
    options.onCycle?.({ cycle, answered: ledger.answered, bookings: ledger.bookings.size, holdsChecked, version: ledger.maxVersion });
  }
  const last = await spawnServer(env);
  await verify(last.client, ledger);
  await last.kill('SIGTERM');
  return ledger;
}

async function buyer(client: GraphQLHttpClient, ledger: CrashLedger, running: () => boolean): Promise<void> {
  while (running()) {
    try {
      const seatIds = pickSeats(1 + Math.floor(Math.random() * 3));
      const locked = (await client.data(LockSeatsDocument, { eventId: EVENT_ID, seatIds })).lockSeats;
      ledger.answered += 1;
      if (locked.__typename !== 'Hold') continue;
      const entry: HoldEntry = { status: 'ACTIVE', expiresAt: Date.parse(locked.expiresAt), seatIds, uncertain: false };
      ledger.holds.set(locked.token, entry);
      const roll = Math.random();
      entry.uncertain = true;
      if (roll < 0.45) {
        const orderId = ledger.nextOrderId();
        const confirmed = (await client.data(ConfirmHoldDocument, { holdToken: locked.token, orderId })).confirmHold;
        if (confirmed.__typename === 'Booking') {
          ledger.bookings.set(confirmed.id, { seatIds: confirmed.seats.map((seat) => seat.id), orderId });
          entry.status = 'CONFIRMED';
        }
      } else if (roll < 0.65) {
        const seatId = seatIds[0] as string;
        const orderId = ledger.nextOrderId();
        const confirmed = (await client.data(ConfirmSeatDocument, { eventId: EVENT_ID, seatId, holdToken: locked.token, orderId })).confirmSeat;
        if (confirmed.__typename === 'Booking') ledger.bookings.set(confirmed.id, { seatIds: [seatId], orderId });
      } else if (roll < 0.85) {
        const released = (await client.data(ReleaseHoldDocument, { holdToken: locked.token })).releaseHold;
        if (released.__typename === 'SeatRelease') entry.status = 'RELEASED';
      }
      entry.uncertain = false;
      ledger.answered += 1;
      const { event } = await client.data(EventSeatsDocument, { id: EVENT_ID });
      if (event) ledger.maxVersion = Math.max(ledger.maxVersion, event.version);
    } catch {
      // The server was killed under this request: it was never answered.
      ledger.unanswered += 1;
      return;
    }
  }
}

function pickSeats(count: number): string[] {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(SEAT_IDS[Math.floor(Math.random() * SEAT_IDS.length)] as string);
  return [...picked];
}

/** Checks every answer the ledger holds against a freshly started server; returns holds checked. */
async function verify(client: GraphQLHttpClient, ledger: CrashLedger): Promise<number> {
  const { event } = await client.data(EventSeatsDocument, { id: EVENT_ID });
  assert.ok(event, 'the event is still there');
  assert.ok(event.version >= ledger.maxVersion, `version went back: ${event.version} < ${ledger.maxVersion}`);
  ledger.maxVersion = event.version;
  const status = new Map(event.seats.map((seat) => [seat.id, seat.status]));

  const bookedBy = new Map<string, string>();
  for (const [id, expected] of ledger.bookings) {
    const { booking } = await client.data(BookingByIdDocument, { id });
    assert.ok(booking, `booking ${id} (${expected.orderId}) is gone`);
    assert.equal(booking.status, 'CONFIRMED');
    assert.equal(booking.orderId, expected.orderId);
    assert.deepEqual(booking.seats.map((seat) => seat.id).sort(), [...expected.seatIds].sort());
    for (const seatId of expected.seatIds) {
      assert.equal(status.get(seatId), 'BOOKED', `seat ${seatId} of booking ${id} is ${status.get(seatId)}`);
      assert.ok(!bookedBy.has(seatId), `seat ${seatId} is in bookings ${bookedBy.get(seatId)} and ${id}`);
      bookedBy.set(seatId, id);
    }
  }

  let checked = 0;
  const margin = 250;
  for (const [token, expected] of ledger.holds) {
    if (expected.uncertain) continue;
    const { hold } = await client.data(HoldByTokenDocument, { token });
    assert.ok(hold, `hold ${token} is gone`);
    checked += 1;
    if (expected.status !== 'ACTIVE') {
      assert.equal(hold.status, expected.status, `hold ${token}`);
      continue;
    }
    assert.equal(Date.parse(hold.expiresAt), expected.expiresAt, `hold ${token} has another expiresAt`);
    const now = Date.now();
    if (now < expected.expiresAt - margin) {
      assert.equal(hold.status, 'ACTIVE', `hold ${token} ended before its expiresAt`);
      assert.deepEqual(hold.seats.map((seat) => seat.id).sort(), [...expected.seatIds].sort());
      for (const seat of hold.seats) assert.match(seat.status, /^(LOCKED|BOOKED)$/);
    } else if (now > expected.expiresAt + margin) {
      assert.equal(hold.status, 'EXPIRED', `hold ${token} outlived its expiresAt`);
    }
  }
  return checked;
}
