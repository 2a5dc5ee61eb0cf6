import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeatChange, SeatStatus } from '../../src/domain/model.js';
import type { SeatlockPubSub } from '../../src/store/pubsub.js';
import { fileEvents } from '../../src/store/start-events.js';
import type { HoldPolicy, SeatStore } from '../../src/store/store.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { chooseBestSeats, seatingPlan } from '../../src/store/best-available.js';
import { ManualClock } from '../support/clock.js';
import { storeKindsDirect, type StoreKind } from '../support/store-harness.js';

const policy: HoldPolicy = { lockTtlMs: 1_000, holdMaxMs: 2_500, maxSeatsPerHold: 3, maxSeatsPerClient: 0 };
const SEAT_IDS = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'];
const EVENT = 'show';
const LAYOUT = { events: [{ id: EVENT, name: 'Show', sections: [{ name: 'S', rows: [{ row: 'A', seats: 6 }] }] }] };
const PLAN = seatingPlan(parseEventLayouts(LAYOUT)[0]!);

type Command =
  | { kind: 'lock'; seatIds: string[]; hold: number | null }
  | { kind: 'best'; count: number; hold: number | null }
  | { kind: 'confirmSeat'; hold: number; seatId: string; orderId: string | null }
  | { kind: 'confirmHold'; hold: number; orderId: string | null }
  | { kind: 'releaseSeat'; hold: number; seatId: string }
  | { kind: 'releaseHold'; hold: number }
  | { kind: 'extend'; hold: number }
  | { kind: 'block'; seatIds: string[] }
  | { kind: 'unblock'; seatIds: string[] }
  | { kind: 'cancel'; booking: number }
  | { kind: 'update'; name: string | null; salesOpen: boolean | null }
  | { kind: 'advance'; ms: number }
  | { kind: 'reopen' };

type StoreCommand = Exclude<Command, { kind: 'advance' | 'reopen' }>;

/** What a command answered: a result type (an error's name), and for a confirm which booking. */
interface Outcome {
  readonly type: string;
  /** The model's booking number; the store's booking id for it must be the same every time. */
  readonly booking?: number;
}

interface ModelBooking {
  readonly seats: string[];
  readonly orderId: string | null;
  status: 'CONFIRMED' | 'CANCELLED';
}

interface ModelHold {
  status: 'ACTIVE' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';
  seats: Set<string>;
  released: Set<string>;
  /** Seat id -> the booking that holds it. */
  booked: Map<string, number>;
  holdBooking: number | null;
  expiresAt: number;
  maxExpiresAt: number;
  endedAt: number;
}

/** The contract in its plainest form: what each command answers and does to the seats. */
class Model {
  readonly status = new Map<string, SeatStatus>(SEAT_IDS.map((id) => [id, 'AVAILABLE']));
  readonly lockedBy = new Map<string, number>();
  /** Seat id -> the booking that holds it now. */
  readonly bookedBy = new Map<string, number>();
  readonly holds: ModelHold[] = [];
  readonly bookings: ModelBooking[] = [];
  version = 0;
  name = 'Show';
  salesOpen = true;

  expire(now: number): void {
    this.holds.forEach((hold, index) => {
      if (hold.status !== 'ACTIVE' || hold.expiresAt > now) return;
      for (const seatId of [...hold.seats]) if (this.lockedBy.get(seatId) === index) this.free(hold, seatId, index);
      hold.status = 'EXPIRED';
      hold.endedAt = hold.expiresAt;
    });
  }

  /** The hold at `index` as a token lookup sees it; undefined for unknown or forgotten tokens. */
  lookup(index: number, now: number): ModelHold | undefined {
    const hold = this.holds[index];
    if (!hold || (hold.status !== 'ACTIVE' && now >= hold.endedAt + policy.holdMaxMs)) return undefined;
    return hold;
  }

  run(command: StoreCommand, now: number): Outcome {
    this.expire(now);
    if (command.kind === 'lock') return { type: this.lock(command.seatIds, command.hold, now) };
    if (command.kind === 'best') return { type: this.best(command.count, command.hold, now) };
    if (command.kind === 'block' || command.kind === 'unblock') return { type: this.block(command.seatIds, command.kind === 'block') };
    if (command.kind === 'cancel') return this.cancel(command.booking);
    if (command.kind === 'update') {
      this.name = command.name ?? this.name;
      this.salesOpen = command.salesOpen ?? this.salesOpen;
      return { type: 'Event' };
    }
    if ('seatId' in command && !this.status.has(command.seatId)) return { type: 'SeatNotFoundError' };
    const hold = this.lookup(command.hold, now);
    if (!hold) return { type: 'HoldNotFoundError' };
    const inactive = (): Outcome | null => (hold.status === 'ACTIVE' ? null : { type: hold.status === 'EXPIRED' ? 'HoldExpiredError' : 'HoldClosedError' });
    switch (command.kind) {
      case 'confirmSeat': {
        const earlier = hold.booked.get(command.seatId);
        if (earlier !== undefined) return { type: 'Booking', booking: earlier };
        const error = inactive();
        if (error) return error;
        if (this.lockedBy.get(command.seatId) !== command.hold) return { type: 'SeatNotInHoldError' };
        return { type: 'Booking', booking: this.book(hold, [command.seatId], command.orderId) };
      }
      case 'confirmHold': {
        if (hold.holdBooking !== null) return { type: 'Booking', booking: hold.holdBooking };
        const error = inactive();
        if (error) return error;
        const locked = [...hold.seats].filter((id) => this.lockedBy.get(id) === command.hold);
        if (locked.length === 0) return { type: 'EmptyHoldError' };
        hold.holdBooking = this.book(hold, locked, command.orderId);
        hold.status = 'CONFIRMED';
        hold.endedAt = now;
        return { type: 'Booking', booking: hold.holdBooking };
      }
      case 'releaseSeat': {
        if (hold.status === 'EXPIRED') return { type: 'HoldExpiredError' };
        if (this.lockedBy.get(command.seatId) !== command.hold) {
          if (hold.released.has(command.seatId)) return { type: 'SeatRelease' };
          return inactive() ?? { type: 'SeatNotInHoldError' };
        }
        this.free(hold, command.seatId, command.hold);
        return { type: 'SeatRelease' };
      }
      case 'releaseHold': {
        if (hold.status === 'RELEASED') return { type: 'SeatRelease' };
        const error = inactive();
        if (error) return error;
        for (const seatId of [...hold.seats]) if (this.lockedBy.get(seatId) === command.hold) this.free(hold, seatId, command.hold);
        hold.status = 'RELEASED';
        hold.endedAt = now;
        return { type: 'SeatRelease' };
      }
      case 'extend': {
        const error = inactive();
        if (error) return error;
        hold.expiresAt = Math.max(hold.expiresAt, Math.min(now + policy.lockTtlMs, hold.maxExpiresAt));
        return { type: 'Hold' };
      }
    }
  }

  /** Best available, by the shared ranking: what matters here is that every store applies it alike. */
  private best(count: number, index: number | null, now: number): string {
    if (count < 1) return 'InvalidSeatSelectionError';
    if (count > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (!this.salesOpen) return 'SalesClosedError';
    if (index !== null) {
      const hold = this.lookup(index, now);
      if (!hold) return 'HoldNotFoundError';
      if (hold.status === 'EXPIRED') return 'HoldExpiredError';
      if (hold.status !== 'ACTIVE') return 'HoldClosedError';
      if (hold.seats.size + count > policy.maxSeatsPerHold) return 'HoldLimitError';
    }
    const chosen = chooseBestSeats(PLAN, (seat) => this.status.get(PLAN.seatIds[seat] as string) === 'AVAILABLE', count, null);
    if (!chosen) return 'NotEnoughSeatsError';
    return this.lock([...chosen.seatIds], index, now);
  }

  private lock(seatIds: string[], index: number | null, now: number): string {
    if (seatIds.length === 0) return 'InvalidSeatSelectionError';
    if (seatIds.length > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (new Set(seatIds).size !== seatIds.length) return 'InvalidSeatSelectionError';
    if (seatIds.some((id) => !this.status.has(id))) return 'SeatNotFoundError';
    if (!this.salesOpen) return 'SalesClosedError';
    let hold: ModelHold | undefined;
    if (index !== null) {
      hold = this.lookup(index, now);
      if (!hold) return 'HoldNotFoundError';
      if (hold.status === 'EXPIRED') return 'HoldExpiredError';
      if (hold.status !== 'ACTIVE') return 'HoldClosedError';
    }
    const added = seatIds.filter((id) => !hold?.seats.has(id));
    if ((hold?.seats.size ?? 0) + added.length > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (added.some((id) => this.status.get(id) !== 'AVAILABLE')) return 'SeatUnavailableError';
    if (!hold) {
      hold = {
        status: 'ACTIVE',
        seats: new Set(),
        released: new Set(),
        booked: new Map(),
        holdBooking: null,
        expiresAt: now + policy.lockTtlMs,
        maxExpiresAt: now + policy.holdMaxMs,
        endedAt: Infinity,
      };
      this.holds.push(hold);
      index = this.holds.length - 1;
    }
    for (const id of added) {
      hold.seats.add(id);
      this.status.set(id, 'LOCKED');
      this.lockedBy.set(id, index as number);
      this.version += 1;
    }
    return 'Hold';
  }

  /** Admin: all or nothing; seats already in the wanted state stay as they are. */
  private block(seatIds: string[], block: boolean): string {
    if (seatIds.length === 0 || new Set(seatIds).size !== seatIds.length) return 'InvalidSeatSelectionError';
    if (seatIds.some((id) => !this.status.has(id))) return 'SeatNotFoundError';
    if (block && seatIds.some((id) => this.status.get(id) === 'LOCKED' || this.status.get(id) === 'BOOKED')) return 'SeatUnavailableError';
    const [from, to] = block ? (['AVAILABLE', 'BLOCKED'] as const) : (['BLOCKED', 'AVAILABLE'] as const);
    for (const id of seatIds) {
      if (this.status.get(id) !== from) continue;
      this.status.set(id, to);
      this.version += 1;
    }
    return 'SeatBlock';
  }

  private cancel(index: number): Outcome {
    const booking = this.bookings[index];
    if (!booking) return { type: 'BookingNotFoundError' };
    if (booking.status === 'CONFIRMED') {
      booking.status = 'CANCELLED';
      for (const id of booking.seats) {
        if (this.bookedBy.get(id) !== index) continue;
        this.bookedBy.delete(id);
        this.status.set(id, 'AVAILABLE');
        this.version += 1;
      }
    }
    return { type: 'Booking', booking: index };
  }

  private book(hold: ModelHold, seatIds: string[], orderId: string | null): number {
    const booking = this.bookings.push({ seats: seatIds, orderId, status: 'CONFIRMED' }) - 1;
    for (const id of seatIds) {
      hold.booked.set(id, booking);
      this.bookedBy.set(id, booking);
      this.status.set(id, 'BOOKED');
      this.lockedBy.delete(id);
      this.version += 1;
    }
    return booking;
  }

  private free(hold: ModelHold, seatId: string, _index: number): void {
    hold.seats.delete(seatId);
    hold.released.add(seatId);
    this.status.set(seatId, 'AVAILABLE');
    this.lockedBy.delete(seatId);
    this.version += 1;
  }
}

const seatId = fc.constantFrom(...SEAT_IDS, 'Z-9');
// Mostly the first few holds, so that sequences keep working on the same hold.
const holdIndex = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 7 }) });
const orderId = fc.option(fc.constantFrom('order-1', 'order-2'), { nil: null });
const storeCommands: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('lock' as const), seatIds: fc.array(seatId, { maxLength: 4 }), hold: fc.option(holdIndex, { nil: null }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('best' as const), count: fc.integer({ min: 0, max: 4 }), hold: fc.option(holdIndex, { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirmSeat' as const), hold: holdIndex, seatId, orderId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirmHold' as const), hold: holdIndex, orderId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('releaseSeat' as const), hold: holdIndex, seatId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('releaseHold' as const), hold: holdIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extend' as const), hold: holdIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const), seatIds: fc.array(seatId, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unblock' as const), seatIds: fc.array(seatId, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), booking: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      name: fc.option(fc.constantFrom('Show', 'Show (late)'), { nil: null }),
      salesOpen: fc.option(fc.boolean(), { nil: null }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1_500 }) }) },
];

/** Commands for a store; a store that keeps its data also gets closed and opened again. */
function commandsFor(kind: StoreKind): fc.Arbitrary<Command> {
  const reopen: fc.WeightedArbitrary<Command> = { weight: 2, arbitrary: fc.constant({ kind: 'reopen' as const }) };
  return fc.oneof(...(kind.reopens ? [...storeCommands, reopen] : storeCommands));
}

/** A PubSub that only records what the store publishes. */
function recordingPubSub(published: SeatChange[]): SeatlockPubSub {
  return {
    publish: (_topic: string, _eventId: string, change: SeatChange) => void published.push(change),
    subscribe: () => {
      throw new Error('not subscribed in this test');
    },
  } as unknown as SeatlockPubSub;
}

async function runStore(
  store: SeatStore,
  command: StoreCommand,
  tokens: string[],
  bookingIds: ReadonlyMap<number, string>,
): Promise<{ type: string; bookingId?: string }> {
  // Index 7 never names an issued hold: it stands for a token nobody was given.
  const token = 'hold' in command && command.hold !== null ? (tokens[command.hold] ?? `unknown-${command.hold}`) : undefined;
  try {
    switch (command.kind) {
      case 'lock': {
        const hold = await store.lockSeats({ eventId: EVENT, seatIds: command.seatIds, holdToken: token });
        if (command.hold === null) tokens.push(hold.token);
        return { type: 'Hold' };
      }
      case 'best': {
        const hold = await store.lockBestAvailable({ eventId: EVENT, count: command.count, holdToken: token });
        if (command.hold === null) tokens.push(hold.token);
        return { type: 'Hold' };
      }
      case 'confirmSeat': {
        const booking = await store.confirmSeat({ eventId: EVENT, seatId: command.seatId, holdToken: token!, orderId: command.orderId });
        return { type: 'Booking', bookingId: booking.id };
      }
      case 'confirmHold': {
        const booking = await store.confirmHold({ holdToken: token!, orderId: command.orderId });
        return { type: 'Booking', bookingId: booking.id };
      }
      case 'releaseSeat':
        await store.releaseSeat({ eventId: EVENT, seatId: command.seatId, holdToken: token! });
        return { type: 'SeatRelease' };
      case 'releaseHold':
        await store.releaseHold(token!);
        return { type: 'SeatRelease' };
      case 'extend':
        await store.extendHold(token!);
        return { type: 'Hold' };
      case 'block':
        await store.blockSeats({ eventId: EVENT, seatIds: command.seatIds });
        return { type: 'SeatBlock' };
      case 'unblock':
        await store.unblockSeats({ eventId: EVENT, seatIds: command.seatIds });
        return { type: 'SeatBlock' };
      case 'update':
        await store.updateEvent(EVENT, { name: command.name, salesOpen: command.salesOpen });
        return { type: 'Event' };
      case 'cancel': {
        // A booking not made yet stands for an id nobody was given.
        const booking = await store.cancelBooking(bookingIds.get(command.booking) ?? `${EVENT}.never-issued-${command.booking}`);
        return { type: 'Booking', bookingId: booking.id };
      }
    }
  } catch (error) {
    return { type: (error as Error).name };
  }
}

/** Every kind of state across a close and reopen (for stores that can reopen). */
const reopenExample: Command[] = [
  { kind: 'lock', seatIds: ['A-1', 'A-2', 'A-3'], hold: null },
  { kind: 'lock', seatIds: ['A-4'], hold: null },
  { kind: 'advance', ms: 500 },
  { kind: 'extend', hold: 0 },
  { kind: 'reopen' },
  { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-1' },
  { kind: 'releaseSeat', hold: 0, seatId: 'A-2' },
  { kind: 'reopen' },
  { kind: 'releaseSeat', hold: 0, seatId: 'A-2' },
  { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-2' },
  { kind: 'advance', ms: 700 },
  { kind: 'reopen' },
  { kind: 'confirmHold', hold: 0, orderId: null },
  { kind: 'confirmHold', hold: 1, orderId: null },
  { kind: 'reopen' },
  { kind: 'confirmHold', hold: 0, orderId: 'order-2' },
  { kind: 'advance', ms: 2_500 },
  { kind: 'reopen' },
  { kind: 'confirmHold', hold: 0, orderId: null },
  { kind: 'block', seatIds: ['A-5', 'A-6'] },
  { kind: 'cancel', booking: 0 },
  { kind: 'reopen' },
  { kind: 'lock', seatIds: ['A-1', 'A-5'], hold: null },
  { kind: 'update', name: 'Show (late)', salesOpen: false },
  { kind: 'reopen' },
  { kind: 'lock', seatIds: ['A-2'], hold: null },
  { kind: 'update', name: null, salesOpen: true },
  { kind: 'unblock', seatIds: ['A-5'] },
  { kind: 'cancel', booking: 0 },
  { kind: 'reopen' },
  { kind: 'lock', seatIds: ['A-1', 'A-5'], hold: null },
];

const RUNS: Record<string, number> = { memory: 300, durable: 150, redis: 60 };

describe.each(storeKindsDirect)('$name store against a reference model', (kind) => {
  it('agrees with the model after every step, books no seat twice and keeps every booking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandsFor(kind), { minLength: 1, maxLength: 60 }), async (commands) => {
        // An hour ahead of real time, so no Redis key expires by Redis's own clock during a run.
        const clock = new ManualClock(Date.now() + 3_600_000);
        const published: SeatChange[] = [];
        const events = parseEventLayouts(LAYOUT);
        const harness = kind.harness();
        const open = () => harness.open({ start: fileEvents(events), pubsub: recordingPubSub(published), policy, clock });
        let store = open();
        const model = new Model();
        const tokens: string[] = [];
        const bookingIds = new Map<number, string>();
        try {
          for (const step of commands) {
            if (step.kind === 'advance') {
              clock.advance(step.ms);
              continue;
            }
            if (step.kind === 'reopen') {
              await store.close();
              store = open();
              continue;
            }
            const expected = model.run(step, clock.now());
            const actual = await runStore(store, step, tokens, bookingIds);
            expect(actual.type, JSON.stringify(step)).toBe(expected.type);
            if (expected.booking !== undefined) {
              // A retried confirm answers the booking the first one made.
              const known = bookingIds.get(expected.booking) ?? (actual.bookingId as string);
              expect(actual.bookingId, JSON.stringify(step)).toBe(known);
              bookingIds.set(expected.booking, known);
            }

            model.expire(clock.now());
            const seats = await store.listSeats(EVENT);
            expect(Object.fromEntries(seats.map((seat) => [seat.id, seat.status]))).toEqual(Object.fromEntries(model.status));
            const event = await store.getEvent(EVENT);
            // A name given by the admin API outlives a reopen that names the event 'Show' again.
            expect(event && { version: event.version, name: event.name, salesOpen: event.salesOpen }).toEqual({
              version: model.version,
              name: model.name,
              salesOpen: model.salesOpen,
            });
            for (const [index, token] of tokens.entries()) {
              const hold = await store.getHold(token);
              const expectedHold = model.lookup(index, clock.now()) ?? null;
              expect(hold && { status: hold.status, expiresAt: hold.expiresAt.getTime(), seats: hold.seats.map((seat) => seat.id).sort() }).toEqual(
                expectedHold && { status: expectedHold.status, expiresAt: expectedHold.expiresAt, seats: [...expectedHold.seats].sort() },
              );
            }
            for (const [index, id] of bookingIds) {
              const booking = await store.getBooking(id);
              const expectedBooking = model.bookings[index] as ModelBooking;
              expect(booking && { status: booking.status, orderId: booking.orderId, seats: booking.seats.map((seat) => seat.id).sort() }).toEqual({
                status: expectedBooking.status,
                orderId: expectedBooking.orderId,
                seats: [...expectedBooking.seats].sort(),
              });
            }
            // Bookings by event and by order: every one, oldest first.
            const madeInOrder = [...bookingIds.entries()].sort(([a], [b]) => a - b);
            expect((await store.listBookings(EVENT)).map((booking) => booking.id)).toEqual(madeInOrder.map(([, id]) => id));
            expect((await store.listBookings(EVENT, 'order-1')).map((booking) => booking.id)).toEqual(
              madeInOrder.filter(([index]) => model.bookings[index]?.orderId === 'order-1').map(([, id]) => id),
            );
          }
          if (kind.publishesInStep) {
            expect(published.map((change) => change.version)).toEqual(published.map((_, index) => index + 1));
            const booked = published.filter((change) => change.reason === 'BOOKED').map((change) => change.seat.id);
            expect(new Set(booked).size).toBe(booked.length);
          }
        } finally {
          await store.close();
          harness.dispose();
        }
      }),
      {
        numRuns: RUNS[kind.name] ?? 100,
        // Paths random search reaches rarely: extending up to the cap, and expiry after it.
        examples: [
          [
            [
              { kind: 'lock', seatIds: ['A-1', 'A-2'], hold: null },
              { kind: 'advance', ms: 900 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 900 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 650 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 100 },
              { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-1' },
              { kind: 'advance', ms: 2_500 },
              { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: null },
              { kind: 'releaseHold', hold: 0 },
            ],
          ],
          ...(kind.reopens ? [[reopenExample] as [Command[]]] : []),
        ],
      },
    );
  }, 240_000);
});
