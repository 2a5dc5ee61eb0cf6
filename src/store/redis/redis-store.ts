import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis, ReplyError } from 'ioredis';
import { eventIdOfToken, newBookingId, newHoldToken } from '../../domain/ids.js';
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
  StoreUnavailableError,
} from '../../domain/errors.js';
import type {
  Booking,
  EventDefinition,
  EventSummary,
  Hold,
  HoldStatus,
  Seat,
  SeatRelease,
  SeatStatus,
} from '../../domain/model.js';
import { LayoutIndex } from '../layout-index.js';
import type { SeatlockPubSub } from '../pubsub.js';
import { checkSeatSelection } from '../seat-selection.js';
import type { HoldPolicy, HoldSeatInput, LockSeatsInput, SeatStore } from '../store.js';
import { ChangeFeed } from './change-feed.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

const script = new LuaScript(readFileSync(new URL('./seatlock.lua', import.meta.url), 'utf8'));

/** A client id as Redis keeps it: fixed length, no `|` (it is part of a seat's state). */
function clientKey(clientId: string): string {
  return createHash('sha256').update(clientId).digest('base64url').slice(0, 22);
}

/** How long an operation waits for a lost connection to come back before it gives up. */
const CONNECT_WAIT_MS = 1_500;
const INIT_BATCH = 5_000;

export interface RedisStoreOptions {
  readonly events: readonly EventDefinition[];
  readonly pubsub: SeatlockPubSub;
  readonly policy: HoldPolicy;
  readonly url: string;
  /** Prefix of every key, so several deployments (or test runs) can share one Redis. */
  readonly keyPrefix: string;
}

/** A seat as the script shows it: id, status, lock expiry (Redis ms) or false. */
type SeatState = [seatId: string, status: SeatStatus, expiresAt: number | false];

interface HoldReply {
  token: string;
  status: HoldStatus;
  createdAt: number;
  expiresAt: number;
  maxExpiresAt: number;
  seats: SeatState[] | Record<string, never>;
}

interface BookingReply {
  id: string;
  seats: string[];
  confirmedAt: number;
}

interface ScriptReply<T> {
  ok?: T;
  err?: string;
  now: number;
  next: number | false;
  [detail: string]: unknown;
}

/**
 * The store for several instances: all state in Redis, every operation one Lua script call
 * (atomic, judged by Redis time), changes carried to every instance by Redis streams, expiry
 * swept by whichever instance gets there first.
 */
export function createRedisStore(options: RedisStoreOptions): SeatStore {
  return new RedisStore(options);
}

class RedisStore implements SeatStore {
  private readonly layout: LayoutIndex;
  private readonly keys: RedisKeys;
  private readonly policy: HoldPolicy;
  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly feed: ChangeFeed;
  private readonly sweeper: ExpirySweeper;
  private initialized: Promise<void> | undefined;
  private closed = false;
  /** The script's lockTtlMs, holdMaxMs and maxSeatsPerHold arguments, the same for every call. */
  private readonly policyArgs: readonly string[];

  constructor({ events, pubsub, policy, url, keyPrefix }: RedisStoreOptions) {
    this.layout = new LayoutIndex(events);
    this.keys = new RedisKeys(keyPrefix);
    this.policy = policy;
    this.policyArgs = [policy.lockTtlMs, policy.holdMaxMs, policy.maxSeatsPerHold].map((n) => String(Math.round(n)));
    const connection = {
      // Fail at once while disconnected instead of queueing: a buyer gets an answer, and a
      // mutation is never sent twice (a retried script could lock a seat for a second hold).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Concurrent operations share one write and one read: far fewer syscalls at on-sale time.
      enableAutoPipelining: true,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 2_000),
    };
    this.redis = new Redis(url, connection);
    this.reader = new Redis(url, connection);
    for (const client of [this.redis, this.reader]) {
      // Connection errors are answered per operation and by /ready; ioredis reconnects itself.
      client.on('error', () => undefined);
    }
    // After a reconnect Redis may be empty (restarted without persistence): seed it again.
    this.redis.on('ready', () => (this.initialized = undefined));
    this.sweeper = new ExpirySweeper(
      events.map((event) => event.id),
      async (eventId) => void (await this.call(eventId, 'sweep', [])),
    );
    this.feed = new ChangeFeed(this.reader, this.keys, this.layout, pubsub, (eventId, expiresAt) =>
      this.sweeper.expect(eventId, expiresAt),
    );
    this.feed.start();
  }

  async listEvents(): Promise<EventSummary[]> {
    return Promise.all(this.layout.definitions.map((event) => this.summary(event)));
  }

  async getEvent(eventId: string): Promise<EventSummary | null> {
    const event = this.layout.event(eventId);
    return event ? this.summary(event) : null;
  }

  async listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]> {
    const event = this.requireEvent(eventId);
    const reply = (await this.run(eventId, 'seats', [])) as (string | number)[];
    this.sweeper.observe(eventId, Number(reply[0]), reply[1] === '' ? null : Number(reply[1]));
    const states = new Map<string, string>();
    for (let index = 3; index + 1 < reply.length; index += 2) states.set(String(reply[index]), String(reply[index + 1]));
    const seats: Seat[] = [];
    for (const { id } of event.seats) {
      const state = states.get(id) ?? 'A';
      const seatStatus: SeatStatus = state === 'A' ? 'AVAILABLE' : state === 'B' ? 'BOOKED' : 'LOCKED';
      if (status == null || seatStatus === status) {
        seats.push(this.layout.seat(eventId, id, seatStatus, seatStatus === 'LOCKED' ? Number(state) : null));
      }
    }
    return seats;
  }

  async getHold(holdToken: string): Promise<Hold | null> {
    const eventId = this.eventOfToken(holdToken);
    if (eventId === null) return null;
    const hold = await this.call<HoldReply | false>(eventId, 'hold', [holdToken]);
    return hold ? this.toHold(eventId, hold) : null;
  }

  async lockSeats({ eventId, seatIds, holdToken, clientId }: LockSeatsInput): Promise<Hold> {
    this.requireEvent(eventId);
    checkSeatSelection(eventId, seatIds, this.policy.maxSeatsPerHold, (seatId) => this.layout.hasSeat(eventId, seatId));
    const slot = holdToken == null ? eventId : this.requireTokenEvent(holdToken);
    const client = clientId == null ? '' : clientKey(clientId);
    const hold = await this.call<HoldReply>(slot, 'lock', [
      eventId,
      holdToken ?? '',
      newHoldToken(eventId),
      client,
      String(this.policy.maxSeatsPerClient),
      ...seatIds,
    ]);
    return this.toHold(slot, hold);
  }

  async confirmSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<Booking> {
    this.requireSeat(eventId, seatId);
    const slot = this.requireTokenEvent(holdToken);
    return this.toBooking(slot, await this.call<BookingReply>(slot, 'confirmSeat', [eventId, holdToken, seatId, newBookingId()]));
  }

  async confirmHold(holdToken: string): Promise<Booking> {
    const slot = this.requireTokenEvent(holdToken);
    return this.toBooking(slot, await this.call<BookingReply>(slot, 'confirmHold', [holdToken, newBookingId()]));
  }

  async releaseSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<SeatRelease> {
    this.requireSeat(eventId, seatId);
    const slot = this.requireTokenEvent(holdToken);
    return this.toRelease(slot, await this.call<string[]>(slot, 'releaseSeat', [eventId, holdToken, seatId]));
  }

  async releaseHold(holdToken: string): Promise<SeatRelease> {
    const slot = this.requireTokenEvent(holdToken);
    return this.toRelease(slot, await this.call<string[]>(slot, 'releaseHold', [holdToken]));
  }

  async extendHold(holdToken: string): Promise<Hold> {
    const slot = this.requireTokenEvent(holdToken);
    return this.toHold(slot, await this.call<HoldReply>(slot, 'extend', [holdToken]));
  }

  async isReady(): Promise<boolean> {
    return !this.closed && this.redis.status === 'ready' && this.feed.healthy;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sweeper.stop();
    await this.feed.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async summary(event: EventDefinition): Promise<EventSummary> {
    const counts = await this.call<{ version: number; available: number; locked: number; booked: number }>(event.id, 'event', []);
    return {
      id: event.id,
      name: event.name,
      version: counts.version,
      counts: { available: counts.available, locked: counts.locked, booked: counts.booked, total: event.seats.length },
    };
  }

  /** Runs one op and turns its reply into a value or the typed error it names. */
  private async call<T>(eventId: string, op: string, args: readonly string[]): Promise<T> {
    const reply = JSON.parse(String(await this.run(eventId, op, args))) as ScriptReply<T>;
    this.sweeper.observe(eventId, reply.now, reply.next === false ? null : reply.next);
    if (reply.err !== undefined) throw this.toError(eventId, reply);
    return reply.ok as T;
  }

  private async run(eventId: string, op: string, args: readonly string[]): Promise<unknown> {
    if (this.closed) throw new Error('The store is closed.');
    const attempt = async () => {
      await this.connected();
      await this.seeded();
      return script.run(this.redis, [this.keys.event(eventId)], [op, eventId, ...this.policyArgs, ...args]);
    };
    try {
      let reply = await attempt();
      if (typeof reply === 'string' && reply.includes('"err":"NotInitialized"')) {
        this.initialized = undefined;
        reply = await attempt();
      }
      return reply;
    } catch (error) {
      // A ReplyError is Redis refusing the script (a bug): it stays an unexpected error.
      if (error instanceof ReplyError || error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(error);
    }
  }

  private async connected(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new StoreUnavailableError());
      }, CONNECT_WAIT_MS);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  /** Makes sure Redis knows every event and seat; idempotent, so instances may race on it. */
  private seeded(): Promise<void> {
    this.initialized ??= (async () => {
      for (const event of this.layout.definitions) {
        const ids = event.seats.map((seat) => seat.id);
        for (let start = 0; start < ids.length; start += INIT_BATCH) {
          await script.run(this.redis, [this.keys.event(event.id)], ['init', event.id, '0', '0', '0', event.name, ...ids.slice(start, start + INIT_BATCH)]);
        }
      }
    })().catch((error: unknown) => {
      this.initialized = undefined;
      throw error;
    });
    return this.initialized;
  }

  private requireEvent(eventId: string): EventDefinition {
    const event = this.layout.event(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return event;
  }

  private requireSeat(eventId: string, seatId: string): void {
    this.requireEvent(eventId);
    if (!this.layout.hasSeat(eventId, seatId)) throw new SeatNotFoundError(eventId, [seatId]);
  }

  private eventOfToken(token: string): string | null {
    const eventId = eventIdOfToken(token);
    return eventId !== null && this.layout.event(eventId) ? eventId : null;
  }

  /** The event whose keys hold this token's hold; a token naming no event was never issued. */
  private requireTokenEvent(token: string): string {
    const eventId = this.eventOfToken(token);
    if (eventId === null) throw new HoldNotFoundError();
    return eventId;
  }

  private toError(eventId: string, reply: ScriptReply<unknown>): Error {
    switch (reply.err) {
      case 'HoldNotFoundError':
        return new HoldNotFoundError();
      case 'HoldExpiredError':
        return new HoldExpiredError(new Date(Number(reply.expiredAt)));
      case 'HoldClosedError':
        return new HoldClosedError(reply.status as 'CONFIRMED' | 'RELEASED');
      case 'HoldEventMismatchError':
        return new HoldEventMismatchError(String(reply.eventId), String(reply.holdEventId));
      case 'HoldLimitError':
        return new HoldLimitError(Number(reply.maxSeats), Number(reply.requestedSeats));
      case 'SeatUnavailableError':
        return new SeatUnavailableError(this.toSeats(eventId, reply.seats as SeatState[]));
      case 'ClientSeatLimitError':
        return new ClientSeatLimitError(Number(reply.maxSeats), Number(reply.requestedSeats));
      case 'SeatNotInHoldError':
        return new SeatNotInHoldError(String(reply.seatId));
      case 'EmptyHoldError':
        return new EmptyHoldError();
      default:
        return new Error(`seatlock script answered an unknown error: ${String(reply.err)}`);
    }
  }

  private toSeats(eventId: string, seats: SeatState[] | Record<string, never>): Seat[] {
    return (Array.isArray(seats) ? seats : []).map(([seatId, status, expiresAt]) =>
      this.layout.seat(eventId, seatId, status, expiresAt === false ? null : expiresAt),
    );
  }

  private toHold(eventId: string, hold: HoldReply): Hold {
    return {
      token: hold.token,
      eventId,
      status: hold.status,
      seats: this.toSeats(eventId, hold.seats),
      createdAt: new Date(hold.createdAt),
      expiresAt: new Date(hold.expiresAt),
      maxExpiresAt: new Date(hold.maxExpiresAt),
    };
  }

  private toBooking(eventId: string, booking: BookingReply): Booking {
    return {
      id: booking.id,
      eventId,
      seats: (Array.isArray(booking.seats) ? booking.seats : []).map((seatId) => this.layout.seat(eventId, seatId, 'BOOKED', null)),
      confirmedAt: new Date(booking.confirmedAt),
    };
  }

  private toRelease(eventId: string, seatIds: string[] | Record<string, never>): SeatRelease {
    const seats = Array.isArray(seatIds) ? seatIds : [];
    return { eventId, seats: seats.map((seatId) => this.layout.seat(eventId, seatId, 'AVAILABLE', null)) };
  }
}
