import { Cluster, type RedisOptions } from 'ioredis';
import { eventIdOfBookingId, eventIdOfToken, newBookingId, newHoldToken } from '../../domain/ids.js';
import {
  AdmissionRequiredError,
  BookingNotFoundError,
  EventExistsError,
  EventNotFoundError,
  EventNotRemovableError,
  HoldNotFoundError,
  NotEnoughSeatsError,
  SalesClosedError,
  SeatNotFoundError,
  SeatUnavailableError,
  StoreOutcomeUnknownError,
  StoreUnavailableError,
} from '../../domain/errors.js';
import type {
  Area,
  AreaPlaces,
  Booking,
  EventChange,
  EventDefinition,
  EventSummary,
  EventUpdate,
  Hold,
  Seat,
  SeatBlock,
  SeatRelease,
  SeatStatus,
} from '../../domain/model.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../../lib/redis-connection.js';
import { Turns } from '../../lib/turns.js';
import { waitAtMost } from '../../lib/wait.js';
import { chooseBestSeats, countAvailable } from '../best-available.js';
import { bookedSeatStatus } from '../booking-seats.js';
import { clientKey } from '../client-key.js';
import { checkAdminSeatSelection, checkAreaBlock, checkAreaPlaces, checkBestAvailable, checkOrderId, checkSeatSelection } from '../input-checks.js';
import { LayoutIndex } from './layout-index.js';
import type { SeatlockPubSub } from '../pubsub.js';
import { QueueProgressTicker } from '../queue-progress.js';
import type { StartEvents } from '../start-events.js';
import type {
  AreaBlockInput,
  ConfirmHoldInput,
  ConfirmSeatInput,
  EventSeatsInput,
  HoldPolicy,
  HoldSeatInput,
  LockAreaPlacesInput,
  LockBestAvailableInput,
  LockSeatsInput,
  SeatStore,
} from '../store.js';
import { ChangeFeed, ClusterChangeFeed, changeOfStreamEntry, type FeedListener, type FeedStart, type SeatChangeFeed } from './change-feed.js';
import { EventRegistry } from './event-registry.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { RedisKeys } from './keys.js';
import { ScriptClient, type CallOptions } from './script-client.js';
import { nullIfRemoved, type SeatState } from './script-errors.js';
import {
  listOf,
  ops,
  type AreaState,
  type BookingReply,
  type EventReply,
  type HoldArgs,
  type HoldReply,
  type List,
  type PlacesState,
  type ScriptOp,
} from './script-ops.js';
import { RedisWaitingRooms } from './redis-waiting-rooms.js';
import { RedisWebhooks } from './redis-webhooks.js';
import { SeatMirror } from './seat-mirror.js';

/**
 * How long /ready waits for Redis to answer a ping: a load balancer's health check gives up
 * after a second or two, and must hear 503 from a hung Redis, not nothing.
 */
const READY_PING_MS = 500;
/** How long the change feed's XREAD blocks; its connection's timeout is this and a margin. */
const FEED_BLOCK_MS = 5_000;
/**
 * After this many choices refused in a row (seats taken meanwhile by another instance), best
 * available reads the event's seats afresh before it chooses again.
 */
const BEST_AVAILABLE_FRESH_READ_AFTER = 8;

function statusOfState(state: string): SeatStatus {
  return state === 'A' ? 'AVAILABLE' : state === 'B' ? 'BOOKED' : state === 'X' ? 'BLOCKED' : 'LOCKED';
}

/** What a lock call made, should its outcome be unknown: the hold it named, or the one it would make. */
function madeBy(held: HoldArgs): { holdToken: string } {
  return { holdToken: held.token ?? held.newToken };
}

/** A hold of an event removed a moment ago (elsewhere) is gone with it. */
function holdGoneIfRemoved(error: unknown): never {
  throw error instanceof EventNotFoundError ? new HoldNotFoundError() : error;
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
  /** How long an operation may take, all its round trips together (a hung Redis). */
  readonly commandTimeoutMs: number;
  /** Changes each event's stream keeps at least, for subscribers that resume (`CHANGE_LOG_SIZE`). */
  readonly changeLogSize: number;
  /** Judges time by this clock instead of Redis's (tests that step time); Redis time otherwise. */
  readonly clock?: Clock;
  /** Where the store says that it stopped selling, and why. */
  readonly log?: (message: string) => void;
}

/**
 * The store for several instances: all state in Redis, every operation one script call
 * (atomic, judged by Redis time; src/store/redis/scripts/), changes carried to every instance by
 * Redis streams, expiry swept by whichever instance gets there first. Which store and which events
 * it serves is the {@link EventRegistry}'s; running the scripts, the {@link ScriptClient}'s.
 */
export function createRedisStore(options: RedisStoreOptions): SeatStore {
  return new RedisStore(options);
}

class RedisStore implements SeatStore {
  readonly webhooks: RedisWebhooks;
  readonly waitingRooms: RedisWaitingRooms;
  private readonly progress: QueueProgressTicker;
  private readonly layout: LayoutIndex;
  private readonly keys: RedisKeys;
  private readonly policy: HoldPolicy;
  private readonly redis: RedisClient;
  private readonly client: ScriptClient;
  private readonly registry: EventRegistry;
  private readonly feed: SeatChangeFeed;
  private readonly sweeper: ExpirySweeper;
  /** Each event's seats as this instance knows them, for best available. */
  private readonly mirror: SeatMirror;
  /**
   * Best-available calls of one event take turns on this instance: each chooses knowing what the
   * one before it locked, as if they came one at a time (calls on other instances meet at the
   * script, which refuses seats taken meanwhile).
   */
  private readonly bestAvailableTurns = new Turns();
  private closed = false;

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
    const { events } = start;
    this.layout = new LayoutIndex(events);
    this.keys = new RedisKeys(keyPrefix);
    this.policy = policy;
    const connection: RedisOptions = {
      // Fail at once while disconnected instead of queueing: a buyer gets an answer, and a
      // mutation is never sent twice (a retried script could lock a seat for a second hold).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // A backstop for the calls outside an operation's deadline (attaching in the background).
      commandTimeout: commandTimeoutMs,
      // Concurrent operations share one write and one read: far fewer syscalls at on-sale time.
      enableAutoPipelining: true,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 2_000),
    };
    // Connection errors are answered per operation and by /ready; ioredis reconnects itself.
    const connect = (options: RedisOptions) => connectRedis(target, options).on('error', () => undefined);
    this.redis = connect(connection);
    this.client = new ScriptClient({
      redis: this.redis,
      keys: this.keys,
      policy,
      changeLogSize,
      timeoutMs: commandTimeoutMs,
      clock,
      seats: (eventId, states) => this.toSeats(eventId, states),
      onReply: (eventId, now, next) => this.sweeper.observe(eventId, now, next),
    });
    this.sweeper = new ExpirySweeper(
      events.map((event) => event.id),
      async (eventId) => void (await this.run(ops.sweep, eventId, {})),
    );
    const listener: FeedListener = {
      observe: (change, lockExpiresAt) => {
        this.registry.saw(change.eventId, change.version);
        if (change.reason === 'LOCKED' && lockExpiresAt !== null) this.sweeper.expect(change.eventId, lockExpiresAt);
        this.mirror.observe(change);
        this.webhooks.changed();
      },
      onRemoved: (eventId) => this.registry.forgetEvent(eventId),
    };
    // The feed's XREAD blocks its connection: a connection of its own, with time to block.
    const connectReader = () => connect({ ...connection, commandTimeout: FEED_BLOCK_MS + commandTimeoutMs });
    const starts = events.map((event) => ({ eventId: event.id }));
    const feedOf = (reader: RedisClient, from: readonly FeedStart[]) => new ChangeFeed(reader, this.keys, this.layout, pubsub, FEED_BLOCK_MS, listener, from);
    this.feed =
      'clusterNodes' in target ? new ClusterChangeFeed(connectReader, (reader, from) => feedOf(reader, [from]), starts) : feedOf(connectReader(), starts);
    this.mirror = new SeatMirror(this.layout, async (eventId) => {
      const { version, states } = await this.seatStates(eventId, this.client.deadline());
      return { version, statuses: new Map([...states].map(([seatId, state]) => [seatId, statusOfState(state)])) };
    });
    this.registry = new EventRegistry({
      redis: this.redis,
      keys: this.keys,
      client: this.client,
      layout: this.layout,
      start,
      log,
      served: {
        serve: async (definition, streamFrom) => {
          this.sweeper.addEvent(definition.id);
          await this.feed.addEvent(definition.id, streamFrom, this.redis);
        },
        forget: (eventId) => {
          this.sweeper.removeEvent(eventId);
          this.feed.removeEvent(eventId);
          this.mirror.forget(eventId);
          this.webhooks.eventRemoved(eventId);
          pubsub.end('seatChanged', eventId);
          pubsub.end('areaChanged', eventId);
          pubsub.end('queueProgress', eventId);
        },
      },
    });
    this.webhooks = new RedisWebhooks({
      redis: this.redis,
      keys: this.keys,
      keyPrefix,
      clock: clock ?? systemClock,
      eventIds: () => this.registry.registeredIds(this.client.deadline()),
      outboxOn: async (eventId) => void (await this.client.call(ops.webhooksOn, eventId, {}, { deadline: this.client.deadline() })),
      connected: () => this.registry.attachedAndConnected(this.client.deadline()),
      within: (promise) => this.client.withinDeadline(promise, this.client.deadline()),
    });
    this.waitingRooms = new RedisWaitingRooms({
      redis: this.redis,
      keys: this.keys,
      clock: clock ?? systemClock,
      run: (op, eventId, args) => this.run(op, eventId, args),
      within: (promise) => this.client.withinDeadline(promise, this.client.deadline()),
      connected: () => this.registry.attachedAndConnected(this.client.deadline()),
      changed: () => this.progress.poke(),
    });
    this.progress = new QueueProgressTicker({ clock: clock ?? systemClock, pubsub, log, roomState: (eventId) => this.waitingRooms.roomState(eventId) });
    this.progress.poke();
    this.feed.start();
  }

  /** Once every event is served: attached to the store (made, if this start made it) and its changes read. */
  async opened(waitMs: number): Promise<void> {
    await waitAtMost(Promise.all([this.registry.firstAttach, this.feed.whenPositioned]), waitMs);
  }

  async activeHoldCounts(): Promise<Map<string, number>> {
    const deadline = this.client.deadline();
    const ids = await this.registry.registeredIds(deadline);
    try {
      // An event's deadlines sorted set holds exactly its ACTIVE holds (see the scripts' holds include).
      const cards = await this.client.withinDeadline(Promise.all(ids.map((id) => this.redis.zcard(this.keys.deadlines(id)))), deadline);
      return new Map(ids.map((id, index) => [id, cards[index] ?? 0] as const).filter(([, count]) => count > 0));
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async listEvents(): Promise<EventSummary[]> {
    // An instance that stopped selling (its store is gone) says so, rather than listing no events.
    const ids = await this.registry.registeredIds(this.client.deadline());
    for (const id of ids) await this.registry.findEvent(id);
    const registered = new Set(ids);
    const summaries = await Promise.all(
      this.layout.definitions
        .filter((event) => registered.has(event.id))
        // Removed by another instance a moment ago: not an event any more.
        .map((event) => this.summary(event).catch(nullIfRemoved)),
    );
    return summaries.filter((summary) => summary !== null);
  }

  async getEvent(eventId: string): Promise<EventSummary | null> {
    const event = await this.registry.findEvent(eventId);
    // A subscriber checks the event first: by then the feed must be publishing every change.
    await this.feedPositioned();
    return event ? this.summary(event) : null;
  }

  async changesSince(eventId: string, afterVersion: number): Promise<EventChange[]> {
    await this.registry.requireEvent(eventId);
    await this.feedPositioned();
    const entries = await this.run(ops.changes, eventId, { afterVersion }, { refusal: { afterVersion } });
    return listOf(entries).map((fields) => changeOfStreamEntry(this.layout, eventId, fields).change);
  }

  async listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]> {
    const event = await this.registry.requireEvent(eventId);
    const { states } = await this.seatStates(eventId, this.client.deadline());
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

  async getHold(holdToken: string): Promise<Hold | null> {
    const eventId = await this.eventOfToken(holdToken);
    if (eventId === null) return null;
    const hold = await this.run(ops.hold, eventId, { token: holdToken }).catch(nullIfRemoved);
    return hold ? this.toHold(eventId, hold) : null;
  }

  async getBooking(bookingId: string): Promise<Booking | null> {
    const eventId = eventIdOfBookingId(bookingId);
    if (eventId === null || !(await this.registry.findEvent(eventId))) return null;
    const booking = await this.run(ops.booking, eventId, { bookingId }).catch(nullIfRemoved);
    return booking ? this.toBooking(eventId, booking) : null;
  }

  async lockSeats({ eventId, seatIds, holdToken, clientId, admitted }: LockSeatsInput): Promise<Hold> {
    const deadline = this.client.deadline();
    await this.registry.requireEvent(eventId);
    checkSeatSelection(eventId, seatIds, this.policy.maxSeatsPerHold, (seatId) => this.layout.hasSeat(eventId, seatId));
    const slot = await this.lockSlot(eventId, holdToken, admitted === true, deadline);
    const held = this.holdArgs(eventId, holdToken, clientId, admitted);
    const hold = await this.run(ops.lock, slot, { ...held, needed: 0, seatIds }, { deadline, made: madeBy(held) });
    this.mirror.taken(slot, seatIds);
    return this.toHold(slot, hold);
  }

  async lockBestAvailable(input: LockBestAvailableInput): Promise<Hold> {
    const { eventId, count, holdToken, clientId, admitted } = input;
    const deadline = this.client.deadline();
    const event = await this.registry.requireEvent(eventId);
    checkBestAvailable(event, input, this.policy.maxSeatsPerHold);
    const slot = await this.lockSlot(eventId, holdToken, admitted === true, deadline);
    return this.bestAvailableTurns.take(eventId, async () => {
      // Chosen from what this instance knows, brought up to the event's version now; the script
      // locks them atomically or names those taken meanwhile, which are left out of the next try.
      const mirrorNow = async () => {
        const { version } = await this.run(ops.event, eventId, {}, { deadline });
        return this.client.withinDeadline(this.mirror.at(eventId, version), deadline).catch((error: unknown) => {
          throw error instanceof EventNotFoundError || error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
        });
      };
      let mirror = await mirrorNow();
      // Until it locks or finds too few seats: it never answers SeatUnavailableError, as the
      // buyer named no seat. Each refusal marks the seats it names, so each choice is new.
      for (let attempt = 1; Date.now() < deadline; attempt++) {
        const current = mirror;
        const best = chooseBestSeats(current.plan, (index) => current.available[index] === 1, count, input);
        const seatIds = best?.seatIds ?? [];
        const held = this.holdArgs(eventId, holdToken, clientId, admitted);
        try {
          const hold = await this.run(
            ops.lock,
            slot,
            { ...held, needed: count, seatIds },
            {
              deadline,
              made: madeBy(held),
              refusal: {
                notEnoughSeats: () =>
                  new NotEnoughSeatsError(
                    count,
                    countAvailable(current.plan, (index) => current.available[index] === 1, input),
                  ),
              },
            },
          );
          // Taken now, before the change feed says so: the next call here does not try them.
          this.mirror.taken(eventId, seatIds);
          return this.toHold(slot, hold);
        } catch (error) {
          if (!(error instanceof SeatUnavailableError)) throw error;
          this.mirror.taken(
            eventId,
            error.seats.map((seat) => seat.id),
          );
        }
        if (attempt % BEST_AVAILABLE_FRESH_READ_AFTER === 0) mirror = await mirrorNow();
      }
      throw new StoreUnavailableError(new Error('the seats it chose were taken by other buyers until its time ran out'));
    });
  }

  async lockAreaPlaces({ eventId, areaId, quantity, holdToken, clientId, admitted }: LockAreaPlacesInput): Promise<Hold> {
    const deadline = this.client.deadline();
    const event = await this.registry.requireEvent(eventId);
    checkAreaPlaces(event, areaId, quantity, this.policy.maxSeatsPerHold);
    const slot = await this.lockSlot(eventId, holdToken, admitted === true, deadline);
    const held = this.holdArgs(eventId, holdToken, clientId, admitted);
    const hold = await this.run(ops.lockArea, slot, { ...held, areaId, quantity }, { deadline, made: madeBy(held) });
    return this.toHold(slot, hold);
  }

  async setAreaBlocked({ eventId, areaId, blocked }: AreaBlockInput): Promise<Area> {
    const event = await this.registry.requireEvent(eventId);
    checkAreaBlock(event, areaId, blocked);
    return this.toArea(eventId, await this.run(ops.areaBlock, eventId, { areaId, blocked }));
  }

  async confirmSeat({ eventId, seatId, holdToken, orderId }: ConfirmSeatInput): Promise<Booking> {
    const order = checkOrderId(orderId) ?? undefined;
    await this.requireSeat(eventId, seatId);
    const slot = await this.requireTokenEvent(holdToken);
    const bookingId = newBookingId(slot);
    const reply = await this.run(
      ops.confirmSeat,
      slot,
      { requestedEventId: eventId, token: holdToken, seatId, bookingId, orderId: order },
      { made: { holdToken, bookingId } },
    );
    return this.toBooking(slot, reply);
  }

  async confirmHold({ holdToken, orderId }: ConfirmHoldInput): Promise<Booking> {
    const order = checkOrderId(orderId) ?? undefined;
    const slot = await this.requireTokenEvent(holdToken);
    const bookingId = newBookingId(slot);
    const reply = await this.run(ops.confirmHold, slot, { token: holdToken, bookingId, orderId: order }, { made: { holdToken, bookingId } }).catch(
      holdGoneIfRemoved,
    );
    return this.toBooking(slot, reply);
  }

  async releaseSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<SeatRelease> {
    await this.requireSeat(eventId, seatId);
    const slot = await this.requireTokenEvent(holdToken);
    return this.toRelease(slot, await this.run(ops.releaseSeat, slot, { requestedEventId: eventId, token: holdToken, seatId }, { made: { holdToken } }));
  }

  async releaseHold(holdToken: string): Promise<SeatRelease> {
    const slot = await this.requireTokenEvent(holdToken);
    const released = await this.run(ops.releaseHold, slot, { token: holdToken }, { made: { holdToken } }).catch(holdGoneIfRemoved);
    return this.toRelease(slot, released.seats, released.areaPlaces);
  }

  async extendHold(holdToken: string): Promise<Hold> {
    const slot = await this.requireTokenEvent(holdToken);
    return this.toHold(slot, await this.run(ops.extend, slot, { token: holdToken }, { made: { holdToken } }).catch(holdGoneIfRemoved));
  }

  async createEvent(definition: EventDefinition): Promise<EventSummary> {
    if (await this.registry.findEvent(definition.id)) throw new EventExistsError(definition.id);
    let made: boolean;
    try {
      made = await this.registry.createEvent(definition, this.client.deadline());
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreOutcomeUnknownError({}, error);
    }
    if (!made) throw new EventExistsError(definition.id);
    return this.summary(definition);
  }

  async updateEvent(eventId: string, { name, salesOpen }: EventUpdate): Promise<EventSummary> {
    const event = await this.registry.requireEvent(eventId);
    return this.toSummary(event, await this.run(ops.update, eventId, { name: name ?? undefined, salesOpen: salesOpen ?? undefined }));
  }

  async removeEvent(eventId: string): Promise<EventSummary> {
    const event = await this.registry.requireEvent(eventId);
    if (this.registry.pinned.has(eventId)) throw new EventNotRemovableError(eventId, 'IN_EVENTS_FILE');
    const removed = await this.run(ops.remove, eventId, {});
    await this.registry.removed(eventId);
    return this.toSummary(event, removed);
  }

  async blockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    await this.registry.requireEvent(eventId);
    checkAdminSeatSelection(eventId, seatIds, (seatId) => this.layout.hasSeat(eventId, seatId));
    return { eventId, seats: this.toSeats(eventId, listOf(await this.run(ops.block, eventId, { seatIds }))) };
  }

  async unblockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    await this.registry.requireEvent(eventId);
    checkAdminSeatSelection(eventId, seatIds, (seatId) => this.layout.hasSeat(eventId, seatId));
    return { eventId, seats: this.toSeats(eventId, listOf(await this.run(ops.unblock, eventId, { seatIds }))) };
  }

  async cancelBooking(bookingId: string): Promise<Booking> {
    const eventId = eventIdOfBookingId(bookingId);
    if (eventId === null || !(await this.registry.findEvent(eventId))) throw new BookingNotFoundError(bookingId);
    const reply = await this.run(ops.cancel, eventId, { bookingId }, { made: { bookingId } }).catch((error: unknown) => {
      throw error instanceof EventNotFoundError ? new BookingNotFoundError(bookingId) : error;
    });
    return this.toBooking(eventId, reply);
  }

  async listBookings(eventId: string, orderId?: string | null): Promise<Booking[]> {
    await this.registry.requireEvent(eventId);
    const bookings = await this.run(ops.bookings, eventId, { orderId: orderId ?? undefined });
    return listOf(bookings).map((booking) => this.toBooking(eventId, booking));
  }

  async isReady(): Promise<boolean> {
    if (this.closed || !this.registry.serving || this.redis.status !== 'ready' || !this.feed.healthy) return false;
    // Connected is not answering: a paused or overloaded Redis keeps its connections open. On a
    // cluster, one master answering is enough: a master that is down stops its own events only,
    // and as every instance is alike, taking them all out of service would stop every sale.
    const pings = this.redis instanceof Cluster ? this.redis.nodes('master').map((node) => node.ping()) : [this.redis.ping()];
    return this.client.withinDeadline(Promise.any(pings), Date.now() + READY_PING_MS).then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.progress.close();
    this.registry.close();
    this.sweeper.stop();
    await this.feed.stop();
    // Not connected yet (or any more): nothing to say goodbye to, and QUIT would wait for a connection.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else {
      this.redis.disconnect();
      // A cluster told to disconnect while it connects connects all the same: it is told again.
      this.redis.once('ready', () => this.redis.disconnect());
    }
  }

  /** Runs an op once attached, within the operation's deadline (a new one by default). */
  private run<TArgs, TOk>(op: ScriptOp<TArgs, TOk>, eventId: string, args: TArgs, options: Partial<CallOptions> = {}): Promise<TOk> {
    if (this.closed) return Promise.reject(new Error('The store is closed.'));
    return this.registry.run(op, eventId, args, { deadline: this.client.deadline(), ...options });
  }

  /** Every seat's state as the script shows it ("A", "B", "X" or a lock's expiresAt), and the version. */
  private async seatStates(eventId: string, deadline: number): Promise<{ version: number; states: Map<string, string> }> {
    if (this.closed) throw new Error('The store is closed.');
    const reply = await this.registry.runForArray(ops.seats, eventId, {}, { deadline });
    this.sweeper.observe(eventId, Number(reply[0]), reply[1] === '' ? null : Number(reply[1]));
    const states = new Map<string, string>();
    for (let index = 3; index + 1 < reply.length; index += 2) states.set(String(reply[index]), String(reply[index + 1]));
    const version = Number(reply[2]);
    this.registry.saw(eventId, version);
    return { version, states };
  }

  private async summary(event: EventDefinition): Promise<EventSummary> {
    return this.toSummary(event, await this.run(ops.event, event.id, {}));
  }

  /** The name comes from Redis: renamed on one instance, it is renamed on all. */
  private toSummary(event: EventDefinition, reply: EventReply): EventSummary {
    const { version, available, locked, booked, blocked } = reply;
    this.registry.saw(event.id, version);
    return {
      id: event.id,
      name: reply.name,
      version,
      counts: { available, locked, booked, blocked, total: event.seats.length },
      salesOpen: reply.salesOpen,
      categories: event.categories ?? [],
      stage: event.stage ?? null,
      areas: this.toAreas(event.id, reply.areas),
    };
  }

  private toArea(eventId: string, [areaId, available, locked, booked, blocked]: AreaState): Area {
    return this.layout.area(eventId, areaId, { available, locked, booked, blocked });
  }

  /** Areas in layout order (the scripts answer them in no order). */
  private toAreas(eventId: string, states: List<AreaState>): Area[] {
    return [...listOf(states)]
      .sort((a, b) => this.layout.areaIndex(eventId, a[0]) - this.layout.areaIndex(eventId, b[0]))
      .map((state) => this.toArea(eventId, state));
  }

  private toAreaPlaces(eventId: string, places: List<PlacesState>): AreaPlaces[] {
    return listOf(places).map(([areaId, quantity, available, locked, booked, blocked]) => ({
      area: this.layout.area(eventId, areaId, { available, locked, booked, blocked }),
      quantity,
    }));
  }

  /** Until the change feed has found where the streams end (at start), for at most a moment. */
  private async feedPositioned(): Promise<void> {
    if (!this.feed.positioned) await waitAtMost(this.feed.whenPositioned, 1_500);
  }

  private async requireSeat(eventId: string, seatId: string): Promise<void> {
    await this.registry.requireEvent(eventId);
    if (!this.layout.hasSeat(eventId, seatId)) throw new SeatNotFoundError(eventId, [seatId]);
  }

  private async eventOfToken(token: string): Promise<string | null> {
    const eventId = eventIdOfToken(token);
    return eventId !== null && (await this.registry.findEvent(eventId)) ? eventId : null;
  }

  /**
   * Where a lock runs: the event's keys, or those of the hold's event when the token names
   * another (the script then answers HoldEventMismatch). Closed sales and the admission of the
   * event asked for are checked first, as everywhere: the script checks those of the keys it runs on.
   */
  private async lockSlot(eventId: string, holdToken: string | null | undefined, admitted: boolean, deadline: number): Promise<string> {
    if (holdToken == null) return eventId;
    const slot = (await this.eventOfToken(holdToken)) ?? eventId;
    if (slot === eventId) return slot;
    const event = await this.run(ops.event, eventId, {}, { deadline });
    if (!event.salesOpen) throw new SalesClosedError(eventId);
    if (event.admissionRequired && !admitted) throw new AdmissionRequiredError(eventId);
    return slot;
  }

  /** What a lock script takes of the hold: the one named, or a new token; the buyer and their cap; the admission. */
  private holdArgs(eventId: string, holdToken: string | null | undefined, clientId: string | null | undefined, admitted: boolean | undefined): HoldArgs {
    return {
      requestedEventId: eventId,
      token: holdToken ?? undefined,
      newToken: newHoldToken(eventId),
      client: clientId == null ? undefined : clientKey(clientId),
      perClient: this.policy.maxSeatsPerClient,
      admitted: admitted === true ? true : undefined,
    };
  }

  /** The event whose keys hold this token's hold; a token naming no event was never issued. */
  private async requireTokenEvent(token: string): Promise<string> {
    const eventId = await this.eventOfToken(token);
    if (eventId === null) throw new HoldNotFoundError();
    return eventId;
  }

  private toSeats(eventId: string, seats: List<SeatState>): Seat[] {
    return listOf(seats).map(([seatId, status, expiresAt]) => this.layout.seat(eventId, seatId, status, expiresAt === false ? null : expiresAt));
  }

  private toHold(eventId: string, hold: HoldReply): Hold {
    return {
      token: hold.token,
      eventId,
      status: hold.status,
      seats: this.toSeats(eventId, hold.seats),
      areaPlaces: this.toAreaPlaces(eventId, hold.areaPlaces),
      createdAt: new Date(hold.createdAt),
      expiresAt: new Date(hold.expiresAt),
      maxExpiresAt: new Date(hold.maxExpiresAt),
    };
  }

  private toBooking(eventId: string, booking: BookingReply): Booking {
    const status = bookedSeatStatus(booking.status);
    return {
      id: booking.id,
      eventId,
      seats: listOf(booking.seats).map((seatId) => this.layout.seat(eventId, seatId, status, null)),
      areaPlaces: this.toAreaPlaces(eventId, booking.areaPlaces),
      confirmedAt: new Date(booking.confirmedAt),
      status: booking.status,
      orderId: booking.orderId === false ? null : booking.orderId,
    };
  }

  private toRelease(eventId: string, seatIds: List<string>, places: List<PlacesState> = []): SeatRelease {
    return {
      eventId,
      seats: listOf(seatIds).map((seatId) => this.layout.seat(eventId, seatId, 'AVAILABLE', null)),
      areaPlaces: this.toAreaPlaces(eventId, places),
    };
  }
}
