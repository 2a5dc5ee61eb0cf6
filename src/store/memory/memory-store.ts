import { newBookingId, newHoldToken } from '../../domain/ids.js';
import {
  ClientSeatLimitError,
  EmptyHoldError,
  EventNotFoundError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  SeatNotFoundError,
  SeatNotInHoldError,
  SeatUnavailableError,
} from '../../domain/errors.js';
import type {
  Booking,
  EventDefinition,
  EventSummary,
  Hold,
  HoldStatus,
  Seat,
  SeatChange,
  SeatChangeReason,
  SeatDefinition,
  SeatRelease,
  SeatStatus,
} from '../../domain/model.js';
import { systemClock, type Clock } from '../clock.js';
import type { SeatlockPubSub } from '../pubsub.js';
import type { HoldPolicy, HoldSeatInput, LockSeatsInput, SeatStore } from '../store.js';
import { checkSeatSelection } from '../seat-selection.js';
import { DeadlineQueue } from './deadline-queue.js';
import { WakeUpTimer } from '../wake-up-timer.js';

interface EventRecord {
  readonly definition: EventDefinition;
  readonly seats: ReadonlyMap<string, SeatRecord>;
  readonly counts: Record<SeatStatus, number>;
  /** Seats each client holds locked now, for the per-client cap. */
  readonly lockedByClient: Map<string, number>;
  version: number;
}

interface SeatRecord {
  readonly definition: SeatDefinition;
  readonly event: EventRecord;
  status: SeatStatus;
  /** The hold that locks the seat; set only while LOCKED. */
  hold: HoldRecord | null;
}

interface BookingRecord {
  readonly id: string;
  readonly event: EventRecord;
  readonly seats: readonly SeatRecord[];
  readonly confirmedAt: number;
}

interface HoldRecord {
  readonly token: string;
  readonly event: EventRecord;
  /** The client that made the hold; its seats count against that client's cap. */
  readonly clientId: string | null;
  readonly createdAt: number;
  readonly maxExpiresAt: number;
  status: HoldStatus;
  expiresAt: number;
  /** Seats locked by the hold or booked from it, in the order they were added. */
  readonly seats: Map<string, SeatRecord>;
  /** Seats given back by a release, so that a retried release succeeds (made on first use:
   * most holds never need it, and 100,000 live holds should not carry 100,000 empty sets). */
  releasedSeatIds: Set<string> | null;
  bookingsBySeatId: Map<string, BookingRecord> | null;
  /** The booking `confirmHold` made, returned again on a retry. */
  holdBooking: BookingRecord | null;
  /** While ACTIVE, when the hold expires; afterwards, when its token is forgotten. */
  deadline: number;
  queueIndex: number;
}

export interface MemoryStoreOptions {
  readonly events: readonly EventDefinition[];
  readonly pubsub: SeatlockPubSub;
  readonly policy: HoldPolicy;
  readonly clock?: Clock;
}

/**
 * The embedded store: all state in process. One deadline queue and one timer drive every
 * hold's expiry; every operation also sweeps what is due first, so a late timer is never seen.
 */
export function createMemoryStore(options: MemoryStoreOptions): SeatStore {
  return new MemoryStore(options);
}

class MemoryStore implements SeatStore {
  private readonly events = new Map<string, EventRecord>();
  private readonly holds = new Map<string, HoldRecord>();
  private readonly deadlines = new DeadlineQueue<HoldRecord>();
  private readonly timer: WakeUpTimer;
  private readonly pubsub: SeatlockPubSub;
  private readonly policy: HoldPolicy;
  private readonly clock: Clock;
  private closed = false;

  constructor({ events, pubsub, policy, clock = systemClock }: MemoryStoreOptions) {
    this.pubsub = pubsub;
    this.policy = policy;
    this.clock = clock;
    this.timer = new WakeUpTimer(clock, () => this.transact(() => undefined));
    for (const definition of events) this.events.set(definition.id, createEventRecord(definition));
  }

  async listEvents(): Promise<EventSummary[]> {
    return this.transact(() => [...this.events.values()].map(toEventSummary));
  }

  async getEvent(eventId: string): Promise<EventSummary | null> {
    return this.transact(() => {
      const event = this.events.get(eventId);
      return event ? toEventSummary(event) : null;
    });
  }

  async listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]> {
    return this.transact(() => {
      const event = this.requireEvent(eventId);
      const seats: Seat[] = [];
      for (const seat of event.seats.values()) {
        if (status == null || seat.status === status) seats.push(toSeat(seat));
      }
      return seats;
    });
  }

  async getHold(holdToken: string): Promise<Hold | null> {
    return this.transact(() => {
      const hold = this.holds.get(holdToken);
      return hold ? toHold(hold) : null;
    });
  }

  async lockSeats({ eventId, seatIds, holdToken, clientId = null }: LockSeatsInput): Promise<Hold> {
    return this.transact((now, changes) => {
      const event = this.requireEvent(eventId);
      const seats = this.requireSeatSelection(event, seatIds);
      const existing = holdToken == null ? null : this.requireActiveHold(holdToken, event);
      const added = existing ? seats.filter((seat) => !existing.seats.has(seat.definition.id)) : seats;
      const total = (existing?.seats.size ?? 0) + added.length;
      if (total > this.policy.maxSeatsPerHold) {
        throw new HoldLimitError(this.policy.maxSeatsPerHold, total);
      }
      const owner = existing ? existing.clientId : clientId;
      if (owner !== null && this.policy.maxSeatsPerClient > 0) {
        const held = (event.lockedByClient.get(owner) ?? 0) + added.length;
        if (held > this.policy.maxSeatsPerClient) throw new ClientSeatLimitError(this.policy.maxSeatsPerClient, held);
      }
      const taken = added.filter((seat) => seat.status !== 'AVAILABLE');
      if (taken.length > 0) throw new SeatUnavailableError(taken.map(toSeat));

      const hold = existing ?? this.openHold(event, now, clientId);
      for (const seat of added) {
        hold.seats.set(seat.definition.id, seat);
        changes.push(applyChange(seat, 'LOCKED', 'LOCKED', hold, now));
      }
      return toHold(hold);
    });
  }

  async confirmSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<Booking> {
    return this.transact((now, changes) => {
      const event = this.requireEvent(eventId);
      const seat = this.requireSeat(event, seatId);
      const hold = this.requireHoldOfEvent(holdToken, event);
      const earlier = hold.bookingsBySeatId?.get(seatId);
      if (earlier) return toBooking(earlier);
      requireActive(hold);
      if (seat.hold !== hold) throw new SeatNotInHoldError(seatId);
      return toBooking(this.book(hold, [seat], now, changes));
    });
  }

  async confirmHold(holdToken: string): Promise<Booking> {
    return this.transact((now, changes) => {
      const hold = this.requireHold(holdToken);
      if (hold.holdBooking) return toBooking(hold.holdBooking);
      requireActive(hold);
      const locked = lockedSeatsOf(hold);
      if (locked.length === 0) throw new EmptyHoldError();
      const booking = this.book(hold, locked, now, changes);
      hold.holdBooking = booking;
      this.endHold(hold, 'CONFIRMED', now);
      return toBooking(booking);
    });
  }

  async releaseSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<SeatRelease> {
    return this.transact((now, changes) => {
      const event = this.requireEvent(eventId);
      const seat = this.requireSeat(event, seatId);
      const hold = this.requireHoldOfEvent(holdToken, event);
      if (hold.status === 'EXPIRED') throw new HoldExpiredError(new Date(hold.expiresAt));
      if (seat.hold !== hold) {
        if (hold.releasedSeatIds?.has(seatId)) return { eventId, seats: [] };
        requireActive(hold);
        throw new SeatNotInHoldError(seatId);
      }
      changes.push(this.release(hold, seat, 'RELEASED', now));
      return { eventId, seats: [toSeat(seat)] };
    });
  }

  async releaseHold(holdToken: string): Promise<SeatRelease> {
    return this.transact((now, changes) => {
      const hold = this.requireHold(holdToken);
      const eventId = hold.event.definition.id;
      if (hold.status === 'RELEASED') return { eventId, seats: [] };
      requireActive(hold);
      const released = lockedSeatsOf(hold);
      for (const seat of released) changes.push(this.release(hold, seat, 'RELEASED', now));
      this.endHold(hold, 'RELEASED', now);
      return { eventId, seats: released.map(toSeat) };
    });
  }

  async extendHold(holdToken: string): Promise<Hold> {
    return this.transact((now) => {
      const hold = this.requireHold(holdToken);
      requireActive(hold);
      const extended = Math.min(now + this.policy.lockTtlMs, hold.maxExpiresAt);
      if (extended > hold.expiresAt) {
        hold.expiresAt = extended;
        this.deadlines.schedule(hold, extended);
      }
      return toHold(hold);
    });
  }

  async isReady(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer.stop();
  }

  /**
   * Runs one operation at one instant: first applies every expiry due by then, then the
   * operation, then publishes what changed (only if it succeeded) and re-arms the timer.
   */
  private transact<T>(operation: (now: number, changes: SeatChange[]) => T): T {
    if (this.closed) throw new Error('The store is closed.');
    const now = this.clock.now();
    const changes: SeatChange[] = [];
    try {
      this.expireDue(now, changes);
      const result = operation(now, changes);
      return result;
    } finally {
      for (const change of changes) this.pubsub.publish('seatChanged', change.eventId, change);
      this.timer.armFor(this.deadlines.peek()?.deadline);
    }
  }

  private expireDue(now: number, changes: SeatChange[]): void {
    for (let hold = this.deadlines.popDue(now); hold; hold = this.deadlines.popDue(now)) {
      if (hold.status !== 'ACTIVE') {
        this.holds.delete(hold.token);
        continue;
      }
      for (const seat of lockedSeatsOf(hold)) {
        changes.push(this.release(hold, seat, 'EXPIRED', hold.expiresAt));
      }
      this.endHold(hold, 'EXPIRED', hold.expiresAt);
    }
  }

  private openHold(event: EventRecord, now: number, clientId: string | null): HoldRecord {
    const expiresAt = now + this.policy.lockTtlMs;
    const hold: HoldRecord = {
      token: newHoldToken(event.definition.id),
      event,
      clientId,
      createdAt: now,
      maxExpiresAt: Math.max(expiresAt, now + this.policy.holdMaxMs),
      status: 'ACTIVE',
      expiresAt,
      seats: new Map(),
      releasedSeatIds: null,
      bookingsBySeatId: null,
      holdBooking: null,
      deadline: expiresAt,
      queueIndex: -1,
    };
    this.holds.set(hold.token, hold);
    this.deadlines.schedule(hold, expiresAt);
    return hold;
  }

  /** Ends an ACTIVE hold; its token is remembered for `holdMaxMs` so retries get a real answer. */
  private endHold(hold: HoldRecord, status: Exclude<HoldStatus, 'ACTIVE'>, at: number): void {
    hold.status = status;
    this.deadlines.schedule(hold, at + this.policy.holdMaxMs);
  }

  private book(
    hold: HoldRecord,
    seats: readonly SeatRecord[],
    now: number,
    changes: SeatChange[],
  ): BookingRecord {
    const booking: BookingRecord = { id: newBookingId(), event: hold.event, seats, confirmedAt: now };
    for (const seat of seats) {
      (hold.bookingsBySeatId ??= new Map()).set(seat.definition.id, booking);
      changes.push(applyChange(seat, 'BOOKED', 'BOOKED', null, now));
    }
    return booking;
  }

  private release(
    hold: HoldRecord,
    seat: SeatRecord,
    reason: 'RELEASED' | 'EXPIRED',
    at: number,
  ): SeatChange {
    hold.seats.delete(seat.definition.id);
    (hold.releasedSeatIds ??= new Set()).add(seat.definition.id);
    return applyChange(seat, 'AVAILABLE', reason, null, at);
  }

  private requireEvent(eventId: string): EventRecord {
    const event = this.events.get(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return event;
  }

  private requireSeat(event: EventRecord, seatId: string): SeatRecord {
    const seat = event.seats.get(seatId);
    if (!seat) throw new SeatNotFoundError(event.definition.id, [seatId]);
    return seat;
  }

  private requireSeatSelection(event: EventRecord, seatIds: readonly string[]): SeatRecord[] {
    checkSeatSelection(event.definition.id, seatIds, this.policy.maxSeatsPerHold, (seatId) => event.seats.has(seatId));
    return seatIds.map((seatId) => event.seats.get(seatId) as SeatRecord);
  }

  private requireHold(holdToken: string): HoldRecord {
    const hold = this.holds.get(holdToken);
    if (!hold) throw new HoldNotFoundError();
    return hold;
  }

  private requireHoldOfEvent(holdToken: string, event: EventRecord): HoldRecord {
    const hold = this.requireHold(holdToken);
    if (hold.event !== event) {
      throw new HoldEventMismatchError(event.definition.id, hold.event.definition.id);
    }
    return hold;
  }

  private requireActiveHold(holdToken: string, event: EventRecord): HoldRecord {
    const hold = this.requireHoldOfEvent(holdToken, event);
    requireActive(hold);
    return hold;
  }
}

function requireActive(hold: HoldRecord): void {
  switch (hold.status) {
    case 'ACTIVE':
      return;
    case 'EXPIRED':
      throw new HoldExpiredError(new Date(hold.expiresAt));
    default:
      throw new HoldClosedError(hold.status);
  }
}

function lockedSeatsOf(hold: HoldRecord): SeatRecord[] {
  return [...hold.seats.values()].filter((seat) => seat.hold === hold);
}

function applyChange(
  seat: SeatRecord,
  status: SeatStatus,
  reason: SeatChangeReason,
  hold: HoldRecord | null,
  at: number,
): SeatChange {
  const event = seat.event;
  const previousStatus = seat.status;
  event.counts[previousStatus] -= 1;
  event.counts[status] += 1;
  countClientSeat(event, seat.hold?.clientId ?? null, -1);
  countClientSeat(event, hold?.clientId ?? null, 1);
  seat.status = status;
  seat.hold = hold;
  event.version += 1;
  return {
    eventId: event.definition.id,
    seat: toSeat(seat),
    previousStatus,
    reason,
    version: event.version,
    at: new Date(at),
  };
}

function countClientSeat(event: EventRecord, clientId: string | null, delta: number): void {
  if (clientId === null) return;
  const seats = (event.lockedByClient.get(clientId) ?? 0) + delta;
  if (seats > 0) event.lockedByClient.set(clientId, seats);
  else event.lockedByClient.delete(clientId);
}

function createEventRecord(definition: EventDefinition): EventRecord {
  const seats = new Map<string, SeatRecord>();
  const event: EventRecord = {
    definition,
    seats,
    counts: { AVAILABLE: definition.seats.length, LOCKED: 0, BOOKED: 0 },
    lockedByClient: new Map(),
    version: 0,
  };
  for (const seat of definition.seats) {
    seats.set(seat.id, { definition: seat, event, status: 'AVAILABLE', hold: null });
  }
  return event;
}

function toEventSummary(event: EventRecord): EventSummary {
  const { counts } = event;
  return {
    id: event.definition.id,
    name: event.definition.name,
    version: event.version,
    counts: {
      available: counts.AVAILABLE,
      locked: counts.LOCKED,
      booked: counts.BOOKED,
      total: event.seats.size,
    },
  };
}

function toSeat(seat: SeatRecord): Seat {
  return {
    ...seat.definition,
    eventId: seat.event.definition.id,
    status: seat.status,
    lockExpiresAt: seat.hold ? new Date(seat.hold.expiresAt) : null,
  };
}

function toHold(hold: HoldRecord): Hold {
  return {
    token: hold.token,
    eventId: hold.event.definition.id,
    status: hold.status,
    seats: [...hold.seats.values()].map(toSeat),
    createdAt: new Date(hold.createdAt),
    expiresAt: new Date(hold.expiresAt),
    maxExpiresAt: new Date(hold.maxExpiresAt),
  };
}

function toBooking(booking: BookingRecord): Booking {
  return {
    id: booking.id,
    eventId: booking.event.definition.id,
    seats: booking.seats.map(toSeat),
    confirmedAt: new Date(booking.confirmedAt),
  };
}
