import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Cluster, ReplyError, type RedisOptions } from 'ioredis';
import { eventIdOfBookingId, eventIdOfToken, newBookingId, newHoldToken } from '../../domain/ids.js';
import {
  BookingNotFoundError,
  ChangesUnavailableError,
  ClientSeatLimitError,
  EmptyHoldError,
  EventExistsError,
  EventNotFoundError,
  EventNotRemovableError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  NotEnoughSeatsError,
  SalesClosedError,
  SeatNotFoundError,
  SeatNotInHoldError,
  SeatUnavailableError,
  StoreOutcomeUnknownError,
  StoreUnavailableError,
} from '../../domain/errors.js';
import type {
  Booking,
  BookingStatus,
  EventDefinition,
  EventRemovalBlocker,
  EventSummary,
  EventUpdate,
  Hold,
  HoldStatus,
  Seat,
  SeatBlock,
  SeatChange,
  SeatRelease,
  SeatStatus,
} from '../../domain/model.js';
import { bookedSeatStatus } from '../booking-seats.js';
import { clientKey } from '../client-key.js';
import type { Clock } from '../../lib/clock.js';
import { chooseBestSeats, countAvailable } from '../best-available.js';
import { checkAdminSeatSelection, checkBestAvailable, checkOrderId, checkSeatSelection } from '../input-checks.js';
import { LayoutIndex } from '../layout-index.js';
import type { SeatlockPubSub } from '../pubsub.js';
import type {
  ConfirmHoldInput,
  ConfirmSeatInput,
  EventSeatsInput,
  HoldPolicy,
  HoldSeatInput,
  LockBestAvailableInput,
  LockSeatsInput,
  SeatStore,
} from '../store.js';
import { ChangeFeed, ClusterChangeFeed, changeOfStreamEntry, type FeedListener, type FeedStart, type SeatChangeFeed } from './change-feed.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../../lib/redis-connection.js';
import { waitAtMost } from '../../lib/wait.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { SeatMirror } from './seat-mirror.js';
import { pinnedEventIds, type StartEvents } from '../start-events.js';

const script = new LuaScript(readFileSync(new URL('./seatlock.lua', import.meta.url), 'utf8'));

/**
 * Whether a script reply is the refusal `err` that comes before any op runs (the store check).
 * Looked for in the raw reply: the `seats` op answers an array, not JSON, when it runs.
 */
function refusedWith(reply: unknown, err: 'StoreChanged' | 'NotInitialized'): boolean {
  return typeof reply === 'string' && reply.includes(`"err":"${err}"`);
}

/** How long an operation waits for a lost connection to come back before it gives up. */
const CONNECT_WAIT_MS = 1_500;
/**
 * How long /ready waits for Redis to answer a ping: a load balancer's health check gives up
 * after a second or two, and must hear 503 from a hung Redis, not nothing.
 */
const READY_PING_MS = 500;
/** How often an instance that cannot attach (Redis away, the store being made by another) tries again. */
const ATTACH_RETRY_MS = 500;
/** How often an operation looks whether the store another instance is making is there. */
const ATTACH_POLL_MS = 50;
/** How long the instance making a new store holds the claim to make it. */
const MAKE_STORE_CLAIM_MS = 30_000;

/** How long the change feed's XREAD blocks; its connection's timeout is this and a margin. */
const FEED_BLOCK_MS = 5_000;
/** Script ops that change state: when one goes unanswered, its outcome is unknown. */
const CHANGING_OPS = new Set([
  'lock',
  'confirmSeat',
  'confirmHold',
  'releaseSeat',
  'releaseHold',
  'extend',
  'sweep',
  'init',
  'block',
  'unblock',
  'cancel',
  'update',
  'remove',
]);
/** ioredis's refusal of a command while disconnected (the offline queue is off): never sent. */
const NOT_SENT = /^Stream isn't writeable|^Connection is closed/;

/**
 * What a failed command that would change state means to the caller: Redis refusing it (a
 * ReplyError, a bug) stays as it is; never sent is StoreUnavailableError; sent and then no
 * answer (a timeout, or the connection dropped under it) is StoreOutcomeUnknownError.
 */
function changeFailed(error: unknown, made: StoreOutcomeUnknownError['made']): unknown {
  if (error instanceof ReplyError) return error;
  if (error instanceof Error && NOT_SENT.test(error.message)) return new StoreUnavailableError(error);
  return new StoreOutcomeUnknownError(made, error);
}
const INIT_BATCH = 5_000;
/**
 * After this many choices refused in a row (seats taken meanwhile by another instance), best
 * available reads the event's seats afresh before it chooses again.
 */
const BEST_AVAILABLE_FRESH_READ_AFTER = 8;

function statusOfState(state: string): SeatStatus {
  return state === 'A' ? 'AVAILABLE' : state === 'B' ? 'BOOKED' : state === 'X' ? 'BLOCKED' : 'LOCKED';
}

/** A read of an event removed a moment ago (elsewhere) finds nothing. */
function nullIfRemoved(error: unknown): null {
  if (error instanceof EventNotFoundError) return null;
  throw error;
}

/** A hold of an event removed a moment ago (elsewhere) is gone with it. */
function holdGoneIfRemoved(error: unknown): never {
  throw error instanceof EventNotFoundError ? new HoldNotFoundError() : error;
}

/** Another instance is making the store (a new, empty Redis): this one joins it once it is there. */
class StoreBeingMadeError extends StoreUnavailableError {
  constructor() {
    super(new Error('another instance is making the store in this Redis'));
  }
}

export interface RedisStoreOptions {
  /** The events it starts with, and how (see {@link StartEvents}). */
  readonly start: StartEvents;
  readonly pubsub: SeatlockPubSub;
  readonly policy: HoldPolicy;
  /** One Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
  readonly target: RedisTarget;
  /** Prefix of every key, so several deployments (or test runs) can share one Redis. */
  readonly keyPrefix: string;
  /** How long a command may go unanswered (a hung Redis) before the call fails. */
  readonly commandTimeoutMs: number;
  /** Changes each event's stream keeps at least, for subscribers that resume (`CHANGE_LOG_SIZE`). */
  readonly changeLogSize: number;
  /** Judges time by this clock instead of Redis's (tests that step time); Redis time otherwise. */
  readonly clock?: Clock;
  /** Where the store says that it stopped selling, and why. */
  readonly log?: (message: string) => void;
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
  orderId: string | false;
  status: BookingStatus;
}

interface EventReply {
  version: number;
  available: number;
  locked: number;
  booked: number;
  blocked: number;
  name: string;
  salesOpen: boolean;
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
 *
 * A Redis that lost its data (restarted without persistence, flushed, replaced) is noticed:
 * the store's id, written when it was first seeded, is checked on every (re)connect and by every
 * script call. An instance that finds another id, or none, stops selling (operations answer
 * STORE_UNAVAILABLE, /ready 503) instead of seeding the events anew, and resumes when the data
 * comes back (a restored backup) or when it is restarted (it then adopts the store as it is).
 */
export function createRedisStore(options: RedisStoreOptions): SeatStore {
  return new RedisStore(options);
}

class RedisStore implements SeatStore {
  private readonly layout: LayoutIndex;
  /** The events this instance was started with, and how it makes them (see {@link StartEvents}). */
  private readonly start: StartEvents;
  /** Events that may not be removed: the next start would make them again. */
  private readonly pinned: ReadonlySet<string>;
  private readonly keys: RedisKeys;
  private readonly pubsub: SeatlockPubSub;
  private readonly policy: HoldPolicy;
  private readonly redis: RedisClient;
  private readonly feed: SeatChangeFeed;
  private readonly sweeper: ExpirySweeper;
  /** Each event's seats as this instance knows them, for best available. */
  private readonly mirror: SeatMirror;
  /** Seats (by layout index) best-available calls on this instance are locking now, per event. */
  private readonly choosing = new Map<string, Set<number>>();
  private initialized: Promise<void> | undefined;
  /** Whether `initialized` has settled well: an operation then goes straight to its script. */
  private isAttached = false;
  /** Attaches begun so far: one that a reconnect overtook does not count as attached. */
  private attachments = 0;
  /** Resolves once this instance first serves every event (`opened`). */
  private readonly firstAttach: Promise<void>;
  private onFirstAttach: () => void = () => undefined;
  /** The next attempt to attach in the background, while not attached. */
  private attachRetry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly clock: Clock | undefined;
  private readonly log: (message: string) => void;
  /** The id of the store this instance sells from, learned (or made) on its first connect. */
  private storeId: string | undefined;
  /** Why this instance stopped selling; null while it sells. */
  private lost: string | null = null;
  /**
   * The highest version of each event this instance has seen (its changes, its summaries): a
   * Redis that reports a lower one was rolled back (restored from an older snapshot, or failed
   * over to a replica that lagged), and what was sold since is gone from it.
   */
  private readonly seenVersions = new Map<string, number>();
  /** REDIS_TIMEOUT_SECONDS: how long one operation may take, all its round trips together. */
  private readonly timeoutMs: number;
  /** The script's lockTtlMs, holdMaxMs, maxSeatsPerHold and changeLogSize arguments, the same for every call. */
  private readonly policyArgs: readonly string[];

  constructor({
    start,
    pubsub,
    policy,
    target,
    keyPrefix,
    commandTimeoutMs,
    changeLogSize,
    clock,
    log = (message) => console.error(message),
  }: RedisStoreOptions) {
    this.clock = clock;
    this.log = log;
    this.timeoutMs = commandTimeoutMs;
    const { events } = start;
    this.layout = new LayoutIndex(events);
    this.start = start;
    this.pinned = pinnedEventIds(start);
    this.firstAttach = new Promise((resolve) => (this.onFirstAttach = resolve));
    this.pubsub = pubsub;
    this.keys = new RedisKeys(keyPrefix);
    this.policy = policy;
    this.policyArgs = [policy.lockTtlMs, policy.holdMaxMs, policy.maxSeatsPerHold, changeLogSize].map((n) => String(Math.round(n)));
    const connection: RedisOptions = {
      // Fail at once while disconnected instead of queueing: a buyer gets an answer, and a
      // mutation is never sent twice (a retried script could lock a seat for a second hold).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // A Redis that accepts the connection but never answers (paused, swapping, overloaded) must
      // not hang every request: an unanswered call fails after this.
      commandTimeout: commandTimeoutMs,
      // Concurrent operations share one write and one read: far fewer syscalls at on-sale time.
      enableAutoPipelining: true,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 2_000),
    };
    // Connection errors are answered per operation and by /ready; ioredis reconnects itself.
    const connect = (options: RedisOptions) => connectRedis(target, options).on('error', () => undefined);
    this.redis = connect(connection);
    // The feed's XREAD blocks its connection: a connection of its own, with time to block.
    const connectReader = () => connect({ ...connection, commandTimeout: FEED_BLOCK_MS + commandTimeoutMs });
    // After every (re)connect: is it still our store, at the versions seen? Checked at once, so
    // that /ready says so without waiting for a request.
    this.redis.on('ready', () => {
      this.detach();
      this.attachInBackground(0);
    });
    this.sweeper = new ExpirySweeper(
      events.map((event) => event.id),
      async (eventId) => void (await this.call(eventId, 'sweep', [])),
    );
    const listener: FeedListener = {
      observe: (change) => {
        this.saw(change.eventId, change.version);
        if (change.reason === 'LOCKED' && change.seat.lockExpiresAt) this.sweeper.expect(change.eventId, change.seat.lockExpiresAt.getTime());
        this.mirror.observe(change);
      },
      onRemoved: (eventId) => this.forgetEvent(eventId),
    };
    const starts = events.map((event) => ({ eventId: event.id }));
    const feedOf = (reader: RedisClient, from: readonly FeedStart[]) => new ChangeFeed(reader, this.keys, this.layout, pubsub, FEED_BLOCK_MS, listener, from);
    this.feed =
      'clusterNodes' in target ? new ClusterChangeFeed(connectReader, (reader, start) => feedOf(reader, [start]), starts) : feedOf(connectReader(), starts);
    this.mirror = new SeatMirror(this.layout, async (eventId) => {
      const { version, states } = await this.seatStates(eventId);
      return { version, statuses: new Map([...states].map(([seatId, state]) => [seatId, statusOfState(state)])) };
    });
    this.feed.start();
  }

  /** Once every event is served: attached to the store (made, if this start made it) and its changes read. */
  async opened(waitMs: number): Promise<void> {
    await waitAtMost(Promise.all([this.firstAttach, this.feed.whenPositioned]), waitMs);
  }

  /** Attaches without waiting for a request, and again every half second while it cannot. */
  private attachInBackground(delayMs: number): void {
    if (this.closed || this.attachRetry !== undefined) return;
    this.attachRetry = setTimeout(() => {
      this.attachRetry = undefined;
      if (this.closed || this.isAttached) return;
      this.attached().catch(() => this.attachInBackground(ATTACH_RETRY_MS));
    }, delayMs);
    this.attachRetry.unref();
  }

  async activeHoldCounts(): Promise<Map<string, number>> {
    await this.attachedAndConnected();
    try {
      const ids = await this.redis.smembers(this.keys.eventIds());
      // An event's deadlines sorted set holds exactly its ACTIVE holds (see seatlock.lua).
      const cards = await Promise.all(ids.map((id) => this.redis.zcard(this.keys.deadlines(id))));
      return new Map(ids.map((id, index) => [id, cards[index] ?? 0] as const).filter(([, count]) => count > 0));
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async listEvents(): Promise<EventSummary[]> {
    // An instance that stopped selling (its store is gone) says so, rather than listing no events.
    await this.attachedAndConnected(this.deadline());
    let ids: string[];
    try {
      ids = await this.redis.smembers(this.keys.eventIds());
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    for (const id of ids) await this.findEvent(id);
    const registered = new Set(ids);
    const summaries = await Promise.all(
      this.layout.definitions
        .filter((event) => registered.has(event.id))
        // Removed by another instance a moment ago: not an event any more.
        .map((event) => this.summary(event).catch((error: unknown) => (error instanceof EventNotFoundError ? null : Promise.reject(error)))),
    );
    return summaries.filter((summary) => summary !== null);
  }

  async getEvent(eventId: string): Promise<EventSummary | null> {
    const event = await this.findEvent(eventId);
    // A subscriber checks the event first: by then the feed must be publishing every change.
    await this.feedPositioned();
    return event ? this.summary(event) : null;
  }

  async changesSince(eventId: string, afterVersion: number): Promise<SeatChange[]> {
    await this.requireEvent(eventId);
    await this.feedPositioned();
    const entries = await this.call<string[][] | Record<string, never>>(eventId, 'changes', [String(afterVersion)]).catch((error: unknown) => {
      if (error instanceof ChangesUnavailableError) throw new ChangesUnavailableError(eventId, afterVersion, error.version, error.oldestVersion);
      throw error;
    });
    return (Array.isArray(entries) ? entries : []).map((fields) => changeOfStreamEntry(this.layout, eventId, fields));
  }

  async listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]> {
    const event = await this.requireEvent(eventId);
    const { states } = await this.seatStates(eventId);
    const seats: Seat[] = [];
    for (const { id } of event.seats) {
      const state = states.get(id) ?? 'A';
      const seatStatus = statusOfState(state);
      if (status == null || seatStatus === status) {
        seats.push(this.layout.seat(eventId, id, seatStatus, seatStatus === 'LOCKED' ? Number(state) : null));
      }
    }
    return seats;
  }

  /** Every seat's state as the script shows it ("A", "B", "X" or a lock's expiresAt), and the version. */
  private async seatStates(eventId: string, deadline = this.deadline()): Promise<{ version: number; states: Map<string, string> }> {
    const reply = (await this.run(eventId, 'seats', [], {}, deadline)) as (string | number)[];
    this.sweeper.observe(eventId, Number(reply[0]), reply[1] === '' ? null : Number(reply[1]));
    const states = new Map<string, string>();
    for (let index = 3; index + 1 < reply.length; index += 2) states.set(String(reply[index]), String(reply[index + 1]));
    this.saw(eventId, Number(reply[2]));
    return { version: Number(reply[2]), states };
  }

  async getHold(holdToken: string): Promise<Hold | null> {
    const eventId = await this.eventOfToken(holdToken);
    if (eventId === null) return null;
    const hold = await this.call<HoldReply | false>(eventId, 'hold', [holdToken]).catch(nullIfRemoved);
    return hold ? this.toHold(eventId, hold) : null;
  }

  async getBooking(bookingId: string): Promise<Booking | null> {
    const eventId = eventIdOfBookingId(bookingId);
    if (eventId === null || !(await this.findEvent(eventId))) return null;
    const booking = await this.call<BookingReply | false>(eventId, 'booking', [bookingId]).catch(nullIfRemoved);
    return booking ? this.toBooking(eventId, booking) : null;
  }

  async lockSeats({ eventId, seatIds, holdToken, clientId }: LockSeatsInput): Promise<Hold> {
    const deadline = this.deadline();
    await this.requireEvent(eventId);
    checkSeatSelection(eventId, seatIds, this.policy.maxSeatsPerHold, (seatId) => this.layout.hasSeat(eventId, seatId));
    const slot = await this.lockSlot(eventId, holdToken, deadline);
    const client = clientId == null ? '' : clientKey(clientId);
    const newToken = newHoldToken(eventId);
    const hold = await this.call<HoldReply>(
      slot,
      'lock',
      [eventId, holdToken ?? '', newToken, client, String(this.policy.maxSeatsPerClient), '0', ...seatIds],
      { holdToken: holdToken ?? newToken },
      deadline,
    );
    return this.toHold(slot, hold);
  }

  async lockBestAvailable(input: LockBestAvailableInput): Promise<Hold> {
    const { eventId, count, holdToken, clientId } = input;
    const deadline = this.deadline();
    const event = await this.requireEvent(eventId);
    checkBestAvailable(event, input, this.policy.maxSeatsPerHold);
    const slot = await this.lockSlot(eventId, holdToken, deadline);
    // Chosen from what this instance knows, brought up to the event's version now; the script
    // locks them atomically or names those taken meanwhile, which are left out of the next try.
    const { version } = await this.call<EventReply>(eventId, 'event', [], {}, deadline);
    const mirror = await this.withinDeadline(this.mirror.at(eventId, version), deadline).catch((error: unknown) => {
      throw error instanceof EventNotFoundError || error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    });
    const client = clientId == null ? '' : clientKey(clientId);
    const choosing = this.choosing.get(eventId) ?? new Set<number>();
    this.choosing.set(eventId, choosing);
    let current = mirror;
    // Until it locks or finds too few seats: it never answers SeatUnavailableError, as the
    // buyer named no seat. Each refusal marks the seats it names, so each choice is new.
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const mirror = current;
      // Seats another call on this instance is locking right now are not chosen twice.
      const best = chooseBestSeats(mirror.plan, (index) => mirror.available[index] === 1 && !choosing.has(index), count, input);
      const indexes = (best?.seatIds ?? []).map((seatId) => mirror.indexOf.get(seatId) as number);
      for (const index of indexes) choosing.add(index);
      const newToken = newHoldToken(eventId);
      try {
        const hold = await this.call<HoldReply>(
          slot,
          'lock',
          [eventId, holdToken ?? '', newToken, client, String(this.policy.maxSeatsPerClient), String(count), ...(best?.seatIds ?? [])],
          { holdToken: holdToken ?? newToken },
          deadline,
        );
        // Taken now, before the change feed says so: the next call here does not try them.
        this.mirror.taken(eventId, best?.seatIds ?? []);
        return this.toHold(slot, hold);
      } catch (error) {
        if (error instanceof NotEnoughSeatsError) {
          throw new NotEnoughSeatsError(
            count,
            countAvailable(mirror.plan, (index) => mirror.available[index] === 1, input),
          );
        }
        if (!(error instanceof SeatUnavailableError)) throw error;
        this.mirror.taken(
          eventId,
          error.seats.map((seat) => seat.id),
        );
      } finally {
        for (const index of indexes) choosing.delete(index);
      }
      if (attempt % BEST_AVAILABLE_FRESH_READ_AFTER === 0) {
        const { version: now } = await this.call<EventReply>(eventId, 'event', [], {}, deadline);
        current = await this.withinDeadline(this.mirror.at(eventId, now), deadline);
      }
    }
    throw new StoreUnavailableError(new Error('the seats it chose were taken by other buyers until its time ran out'));
  }

  async confirmSeat({ eventId, seatId, holdToken, orderId }: ConfirmSeatInput): Promise<Booking> {
    const order = checkOrderId(orderId) ?? '';
    await this.requireSeat(eventId, seatId);
    const slot = await this.requireTokenEvent(holdToken);
    const bookingId = newBookingId(slot);
    const reply = await this.call<BookingReply>(slot, 'confirmSeat', [eventId, holdToken, seatId, bookingId, order], { holdToken, bookingId });
    return this.toBooking(slot, reply);
  }

  async confirmHold({ holdToken, orderId }: ConfirmHoldInput): Promise<Booking> {
    const order = checkOrderId(orderId) ?? '';
    const slot = await this.requireTokenEvent(holdToken);
    const bookingId = newBookingId(slot);
    const reply = await this.call<BookingReply>(slot, 'confirmHold', [holdToken, bookingId, order], { holdToken, bookingId }).catch(holdGoneIfRemoved);
    return this.toBooking(slot, reply);
  }

  async releaseSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<SeatRelease> {
    await this.requireSeat(eventId, seatId);
    const slot = await this.requireTokenEvent(holdToken);
    return this.toRelease(slot, await this.call<string[]>(slot, 'releaseSeat', [eventId, holdToken, seatId], { holdToken }));
  }

  async releaseHold(holdToken: string): Promise<SeatRelease> {
    const slot = await this.requireTokenEvent(holdToken);
    return this.toRelease(slot, await this.call<string[]>(slot, 'releaseHold', [holdToken], { holdToken }).catch(holdGoneIfRemoved));
  }

  async extendHold(holdToken: string): Promise<Hold> {
    const slot = await this.requireTokenEvent(holdToken);
    return this.toHold(slot, await this.call<HoldReply>(slot, 'extend', [holdToken], { holdToken }).catch(holdGoneIfRemoved));
  }

  async createEvent(definition: EventDefinition): Promise<EventSummary> {
    if (await this.findEvent(definition.id)) throw new EventExistsError(definition.id);
    await this.attachedAndConnected();
    let streamFrom: string;
    try {
      // The layout key decides: of instances racing to make the same event, one wins.
      const made = await this.redis.set(this.keys.layout(definition.id), JSON.stringify(definition), 'NX');
      if (made === null) throw new EventExistsError(definition.id);
      // An event removed earlier under this id left its changes in the stream: they are not ours.
      streamFrom = await this.streamEnd(definition.id);
      await this.redis.sadd(this.keys.eventIds(), definition.id);
      await this.seed(definition);
    } catch (error) {
      if (error instanceof EventExistsError || error instanceof StoreUnavailableError) throw error;
      throw changeFailed(error, {});
    }
    await this.serveEvent(definition, streamFrom);
    return this.summary(definition);
  }

  async updateEvent(eventId: string, { name, salesOpen }: EventUpdate): Promise<EventSummary> {
    const event = await this.requireEvent(eventId);
    const sales = salesOpen == null ? '' : salesOpen ? '1' : '0';
    return this.toSummary(event, await this.call<EventReply>(eventId, 'update', [name ?? '', sales]));
  }

  async removeEvent(eventId: string): Promise<EventSummary> {
    const event = await this.requireEvent(eventId);
    if (this.pinned.has(eventId)) throw new EventNotRemovableError(eventId, 'IN_EVENTS_FILE');
    const removed = await this.call<EventReply>(eventId, 'remove', []);
    this.forgetEvent(eventId);
    // Its keys are gone, so an event left in the registry (this call failing) is passed over.
    await this.redis.srem(this.keys.eventIds(), eventId).catch(() => undefined);
    return this.toSummary(event, removed);
  }

  async blockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    await this.requireEvent(eventId);
    checkAdminSeatSelection(eventId, seatIds, (seatId) => this.layout.hasSeat(eventId, seatId));
    return { eventId, seats: this.toSeats(eventId, await this.call<SeatState[]>(eventId, 'block', seatIds)) };
  }

  async unblockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    await this.requireEvent(eventId);
    checkAdminSeatSelection(eventId, seatIds, (seatId) => this.layout.hasSeat(eventId, seatId));
    return { eventId, seats: this.toSeats(eventId, await this.call<SeatState[]>(eventId, 'unblock', seatIds)) };
  }

  async cancelBooking(bookingId: string): Promise<Booking> {
    const eventId = eventIdOfBookingId(bookingId);
    if (eventId === null || !(await this.findEvent(eventId))) throw new BookingNotFoundError(bookingId);
    const reply = await this.call<BookingReply>(eventId, 'cancel', [bookingId], { bookingId }).catch((error: unknown) => {
      throw error instanceof EventNotFoundError ? new BookingNotFoundError(bookingId) : error;
    });
    return this.toBooking(eventId, reply);
  }

  async listBookings(eventId: string, orderId?: string | null): Promise<Booking[]> {
    await this.requireEvent(eventId);
    const bookings = await this.call<BookingReply[] | Record<string, never>>(eventId, 'bookings', [orderId ?? '']);
    return (Array.isArray(bookings) ? bookings : []).map((booking) => this.toBooking(eventId, booking));
  }

  async isReady(): Promise<boolean> {
    if (this.closed || !this.isAttached || this.lost !== null || this.redis.status !== 'ready' || !this.feed.healthy) return false;
    // Connected is not answering: a paused or overloaded Redis keeps its connections open. On a
    // cluster, one master answering is enough: a master that is down stops its own events only,
    // and as every instance is alike, taking them all out of service would stop every sale.
    const pings = this.redis instanceof Cluster ? this.redis.nodes('master').map((node) => node.ping()) : [this.redis.ping()];
    return this.withinDeadline(Promise.any(pings), Date.now() + READY_PING_MS).then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.attachRetry);
    this.sweeper.stop();
    await this.feed.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async summary(event: EventDefinition): Promise<EventSummary> {
    return this.toSummary(event, await this.call<EventReply>(event.id, 'event', []));
  }

  /** The name comes from Redis: renamed on one instance, it is renamed on all. */
  private toSummary(event: EventDefinition, reply: EventReply): EventSummary {
    const { version, available, locked, booked, blocked } = reply;
    this.saw(event.id, version);
    return {
      id: event.id,
      name: reply.name,
      version,
      counts: { available, locked, booked, blocked, total: event.seats.length },
      salesOpen: reply.salesOpen,
      categories: event.categories ?? [],
      stage: event.stage ?? null,
    };
  }

  /**
   * Runs one op and turns its reply into a value or the typed error it names. `made` names what
   * a changing op would make, for the error that says its outcome is unknown.
   */
  private async call<T>(eventId: string, op: string, args: readonly string[], made: StoreOutcomeUnknownError['made'] = {}, deadline?: number): Promise<T> {
    const reply = JSON.parse(String(await this.run(eventId, op, args, made, deadline))) as ScriptReply<T>;
    this.sweeper.observe(eventId, reply.now, reply.next === false ? null : reply.next);
    if (reply.err !== undefined) throw this.toError(eventId, reply);
    return reply.ok as T;
  }

  /**
   * Runs one op, within the operation's `deadline` (all its round trips together take at most
   * REDIS_TIMEOUT_SECONDS): past it before the op is sent, nothing was changed; past it after,
   * a changing op's outcome is unknown.
   */
  private async run(
    eventId: string,
    op: string,
    args: readonly string[],
    made: StoreOutcomeUnknownError['made'] = {},
    deadline = this.deadline(),
  ): Promise<unknown> {
    if (this.closed) throw new Error('The store is closed.');
    const attempt = async () => {
      await this.attachedAndConnected(deadline);
      if (Date.now() >= deadline) throw new StoreUnavailableError(new Error('no time was left to send it'));
      try {
        return await this.withinDeadline(this.script(eventId, op, args), deadline);
      } catch (error) {
        throw CHANGING_OPS.has(op) ? changeFailed(error, made) : error;
      }
    };
    try {
      let reply = await attempt();
      if (refusedWith(reply, 'StoreChanged')) {
        throw this.storeLost('an event of this store was made again by another store');
      }
      if (refusedWith(reply, 'NotInitialized')) {
        // The event is missing: new in the layout, removed, or the data is gone. Attaching again tells.
        this.detach();
        reply = await attempt();
        if (refusedWith(reply, 'NotInitialized') && !this.layout.event(eventId)) throw new EventNotFoundError(eventId);
      }
      return reply;
    } catch (error) {
      // A ReplyError is Redis refusing the script (a bug): it stays an unexpected error.
      if (
        error instanceof ReplyError ||
        error instanceof StoreUnavailableError ||
        error instanceof StoreOutcomeUnknownError ||
        error instanceof EventNotFoundError
      ) {
        throw error;
      }
      throw new StoreUnavailableError(error);
    }
  }

  /** Until the change feed has found where the streams end (at start), for at most a moment. */
  private async feedPositioned(): Promise<void> {
    if (!this.feed.positioned) await waitAtMost(this.feed.whenPositioned, CONNECT_WAIT_MS);
  }

  /** When an operation that starts now must have its answer. */
  private deadline(): number {
    return Date.now() + this.timeoutMs;
  }

  /**
   * The promise, or a rejection once `deadline` passes (a timeout, as ioredis words it). ioredis's
   * own command timeout is not enough: with auto-pipelining, a command waits unsent (its timer
   * not yet running) behind a batch that waits for a hung Redis.
   */
  private withinDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Command timed out')), Math.max(0, left));
    });
    return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
  }

  /** Connected and attached to this instance's store, or StoreUnavailableError: nothing was sent. */
  private async attachedAndConnected(deadline = this.deadline()): Promise<void> {
    if (this.isAttached && this.redis.status === 'ready') return;
    try {
      await this.withinDeadline(
        (async () => {
          await this.connected();
          for (;;) {
            try {
              return await this.attached();
            } catch (error) {
              // Another instance is making the store this one joins: a moment, not an outage.
              if (!(error instanceof StoreBeingMadeError) || Date.now() + ATTACH_POLL_MS >= deadline) throw error;
              await new Promise((resolve) => setTimeout(resolve, ATTACH_POLL_MS));
            }
          }
        })(),
        deadline,
      );
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    }
  }

  /** Attaches again before the next operation (after a reconnect, or once the store was lost). */
  private detach(): void {
    this.initialized = undefined;
    this.isAttached = false;
    this.attachments++;
  }

  /** Remembers the highest version of the event seen here. */
  private saw(eventId: string, version: number): void {
    if (version > (this.seenVersions.get(eventId) ?? 0)) this.seenVersions.set(eventId, version);
  }

  /**
   * Refuses a Redis whose events are at versions below those this instance saw: it was rolled
   * back, and selling from it would sell again seats it sold since (and forget the bookings).
   */
  private async checkNotRolledBack(): Promise<void> {
    for (const [eventId, seen] of this.seenVersions) {
      const stored = Number((await this.redis.hget(`${this.keys.event(eventId)}:meta`, 'version')) ?? 0);
      if (stored < seen) {
        throw this.storeLost(
          `it was rolled back: event "${eventId}" is at version ${stored} there, and this instance saw version ${seen} ` +
            '(restored from an older snapshot, or failed over to a replica that lagged)',
        );
      }
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

  private script(eventId: string, op: string, args: readonly string[]): Promise<unknown> {
    const now = this.clock ? String(this.clock.now()) : '';
    return script.run(this.redis, [this.keys.event(eventId)], [op, eventId, ...this.policyArgs, now, this.storeId ?? '', ...args]);
  }

  /**
   * Makes sure this instance talks to its own store, then that Redis knows every event and seat
   * (idempotent, so instances may race on it). Runs again after every reconnect.
   */
  private attached(): Promise<void> {
    if (this.initialized) return this.initialized;
    const generation = ++this.attachments;
    this.initialized = (async () => {
      let current = await this.redis.get(this.keys.identity());
      if (this.storeId === undefined) {
        // A first start: an empty Redis becomes a new store (with the demo event, or the file's),
        // one with data is joined.
        current ??= await this.makeStore();
        this.storeId = current;
      }
      if (current !== this.storeId) {
        throw this.storeLost(current === null ? 'its data is gone (restarted empty or flushed)' : `it is now another store (${current})`);
      }
      await this.checkNotRolledBack();
      if (this.lost !== null) {
        this.log(`seatlock: the Redis store ${this.storeId} is back; selling again`);
        this.lost = null;
      }
      // The file's events, at every start; the registry then tells which events exist.
      if (this.start.source === 'file') for (const event of this.start.events) await this.ensureEvent(event);
      const registered = new Set(await this.redis.smembers(this.keys.eventIds()));
      for (const id of registered) {
        if (this.layout.event(id)) continue;
        const stored = await this.redis.get(this.keys.layout(id));
        if (stored !== null) await this.serveEvent(JSON.parse(stored) as EventDefinition, await this.streamEnd(id));
      }
      // Removed by another instance while this one was away (or before it read the news), or
      // the demo event of a store made before this start, which no longer has it.
      for (const event of this.layout.definitions) {
        if (!registered.has(event.id) || !(await this.redis.exists(this.keys.layout(event.id)))) this.forgetEvent(event.id);
      }
      // Unless a reconnect asked for another attach meanwhile.
      if (generation === this.attachments) {
        this.isAttached = true;
        this.onFirstAttach();
      }
    })().catch((error: unknown) => {
      if (generation === this.attachments) this.detach();
      throw error;
    });
    return this.initialized;
  }

  /**
   * Makes a new store in an empty Redis: its start events (the demo event, or the file's), then
   * its id, so that another instance never joins a store half made. Instances starting together
   * take turns: the one holding the claim makes it, the others wait (and retry) until its id is there.
   * @returns the new store's id
   */
  private async makeStore(): Promise<string> {
    const claim = `${this.keys.identity()}:claim`;
    const claimed = await this.redis.set(claim, String(process.pid), 'PX', MAKE_STORE_CLAIM_MS, 'NX');
    if (claimed === null) throw new StoreBeingMadeError();
    const id = randomBytes(12).toString('base64url');
    // The events' seats record the id of the store that made them.
    this.storeId = id;
    try {
      for (const event of this.start.events) await this.ensureEvent(event);
      if ((await this.redis.set(this.keys.identity(), id, 'NX')) === null)
        throw new StoreUnavailableError(new Error('another store was made in this Redis meanwhile'));
      this.log(`seatlock: made a new store ${id} in Redis, with ${this.start.events.map((event) => `"${event.id}"`).join(', ') || 'no events'}`);
      return id;
    } catch (error) {
      this.storeId = undefined;
      throw error;
    } finally {
      await this.redis.del(claim).catch(() => undefined);
    }
  }

  /**
   * Makes sure Redis has the event: its layout (the first one written stays), every seat, and
   * only then its place in the registry, so other instances never serve it half made.
   */
  private async ensureEvent(event: EventDefinition): Promise<void> {
    await this.redis.set(this.keys.layout(event.id), JSON.stringify(event), 'NX');
    await this.seed(event);
    await this.redis.sadd(this.keys.eventIds(), event.id);
  }

  /** Makes Redis know the event and every seat (idempotent: instances may race on it). */
  private async seed(event: EventDefinition): Promise<void> {
    const ids = event.seats.map((seat) => seat.id);
    for (let start = 0; start < ids.length; start += INIT_BATCH) {
      const reply = await this.script(event.id, 'init', [event.name, ...ids.slice(start, start + INIT_BATCH)]);
      if (refusedWith(reply, 'StoreChanged')) throw this.storeLost(`event "${event.id}" was made by another store`);
    }
  }

  /** Stops selling, saying why once; selling resumes when the store's id is back. */
  private storeLost(reason: string): StoreUnavailableError {
    this.detach();
    if (this.lost === null) {
      this.lost = reason;
      this.log(
        `seatlock: STOPPED SELLING: the Redis store ${this.storeId ?? ''} at this REDIS_URL is not the one this instance sold from: ${reason}. ` +
          'Holds and bookings may be lost, so no seat is sold until an operator acts: restore the Redis data ' +
          '(this instance resumes by itself), or restart the instances to start afresh from what Redis holds now.',
      );
    }
    return new StoreUnavailableError(new Error(reason));
  }

  /**
   * An event's layout: known here, or made by another instance since (read from Redis and
   * served from now on: locks, subscriptions, sweeps); undefined when no store has it.
   */
  private async findEvent(eventId: string): Promise<EventDefinition | undefined> {
    const known = this.layout.event(eventId);
    if (known || this.closed) return known;
    let stored: string | null;
    await this.connected();
    try {
      stored = await this.redis.get(this.keys.layout(eventId));
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    if (stored === null) return undefined;
    const definition = JSON.parse(stored) as EventDefinition;
    let streamFrom: string;
    try {
      streamFrom = await this.streamEnd(eventId);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    await this.serveEvent(definition, streamFrom);
    return this.layout.event(eventId);
  }

  /**
   * Where an event's change stream ends now: changes before it are history to this instance's
   * subscribers (who subscribe later), and so are those of an event removed under the same id.
   */
  private async streamEnd(eventId: string): Promise<string> {
    const last = (await this.redis.xrevrange(this.keys.changes(eventId), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last[0]?.[0] ?? '0-0';
  }

  /** Stops serving a removed event here: its layout, stream and sweeps go, its subscriptions end. */
  private forgetEvent(eventId: string): void {
    if (!this.layout.event(eventId)) return;
    this.layout.remove(eventId);
    this.seenVersions.delete(eventId);
    this.sweeper.removeEvent(eventId);
    this.feed.removeEvent(eventId);
    this.mirror.forget(eventId);
    this.choosing.delete(eventId);
    this.pubsub.end('seatChanged', eventId);
  }

  /** Serves an event from now on: its layout, its change stream and its expiry sweeps. */
  private async serveEvent(definition: EventDefinition, streamFrom: string): Promise<void> {
    if (this.layout.event(definition.id)) return;
    this.layout.add(definition);
    this.sweeper.addEvent(definition.id);
    await this.feed.addEvent(definition.id, streamFrom, this.redis);
  }

  private async requireEvent(eventId: string): Promise<EventDefinition> {
    const event = await this.findEvent(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return event;
  }

  private async requireSeat(eventId: string, seatId: string): Promise<void> {
    await this.requireEvent(eventId);
    if (!this.layout.hasSeat(eventId, seatId)) throw new SeatNotFoundError(eventId, [seatId]);
  }

  private async eventOfToken(token: string): Promise<string | null> {
    const eventId = eventIdOfToken(token);
    return eventId !== null && (await this.findEvent(eventId)) ? eventId : null;
  }

  /**
   * Where a lock runs: the event's keys, or those of the hold's event when the token names
   * another (the script then answers HoldEventMismatchError). Closed sales of the event asked
   * for are checked first, as everywhere: the script checks those of the keys it runs on.
   */
  private async lockSlot(eventId: string, holdToken: string | null | undefined, deadline: number): Promise<string> {
    if (holdToken == null) return eventId;
    const slot = (await this.eventOfToken(holdToken)) ?? eventId;
    if (slot !== eventId && !(await this.call<EventReply>(eventId, 'event', [], {}, deadline)).salesOpen) throw new SalesClosedError(eventId);
    return slot;
  }

  /** The event whose keys hold this token's hold; a token naming no event was never issued. */
  private async requireTokenEvent(token: string): Promise<string> {
    const eventId = await this.eventOfToken(token);
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
      case 'BookingNotFoundError':
        return new BookingNotFoundError(String(reply.bookingId));
      // The caller knows what it asked for and answers with it (changesSince, lockBestAvailable).
      case 'ChangesUnavailableError':
        return new ChangesUnavailableError(eventId, Number.NaN, Number(reply.version), Number(reply.oldest));
      case 'SalesClosedError':
        return new SalesClosedError(eventId);
      case 'NotEnoughSeatsError':
        return new NotEnoughSeatsError(0, 0);
      case 'EventNotRemovableError':
        return new EventNotRemovableError(eventId, reply.reason as EventRemovalBlocker);
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
      seats: (Array.isArray(booking.seats) ? booking.seats : []).map((seatId) => this.layout.seat(eventId, seatId, bookedSeatStatus(booking.status), null)),
      confirmedAt: new Date(booking.confirmedAt),
      status: booking.status,
      orderId: booking.orderId === false ? null : booking.orderId,
    };
  }

  private toRelease(eventId: string, seatIds: string[] | Record<string, never>): SeatRelease {
    const seats = Array.isArray(seatIds) ? seatIds : [];
    return { eventId, seats: seats.map((seatId) => this.layout.seat(eventId, seatId, 'AVAILABLE', null)) };
  }
}
