import { randomBytes } from 'node:crypto';
import { EventNotFoundError, StoreUnavailableError } from '../../domain/errors.js';
import type { EventDefinition } from '../../domain/model.js';
import type { RedisClient } from '../../lib/redis-connection.js';
import { waitAtMost } from '../../lib/wait.js';
import type { LayoutIndex } from './layout-index.js';
import { pinnedEventIds, type StartEvents } from '../start-events.js';
import type { RedisKeys } from './keys.js';
import type { CallOptions, ScriptClient } from './script-client.js';
import { NotInitializedRefusal, StoreChangedRefusal } from './script-errors.js';
import { ops, type ScriptOp } from './script-ops.js';

/** How often an instance that cannot attach (Redis away, the store being made by another) tries again. */
const ATTACH_RETRY_MS = 500;
/** How often an operation looks whether the store another instance is making is there. */
const ATTACH_POLL_MS = 50;
/** How long the instance making a new store holds the claim to make it. */
const MAKE_STORE_CLAIM_MS = 30_000;
/** Seats sent to Redis in one init call. */
const INIT_BATCH = 5_000;

/** Another instance is making the store (a new, empty Redis): this one joins it once it is there. */
class StoreBeingMadeError extends StoreUnavailableError {
  constructor() {
    super(new Error('another instance is making the store in this Redis'));
  }
}

/** What serving an event takes on this instance, beyond knowing its layout. */
export interface ServedEvents {
  /** From now on: its change stream from `streamFrom` on, its expiry sweeps. */
  serve(definition: EventDefinition, streamFrom: string): Promise<void>;
  /** No longer: its stream, sweeps and mirror go, its subscriptions end. */
  forget(eventId: string): void;
}

export interface EventRegistryOptions {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly client: ScriptClient;
  /** The layouts of the events this instance serves; the registry adds and removes them. */
  readonly layout: LayoutIndex;
  readonly served: ServedEvents;
  readonly start: StartEvents;
  readonly log: (message: string) => void;
}

/**
 * Which store this instance sells from, and which of its events exist. On every (re)connect it
 * attaches: it joins the store in Redis (or makes it, in an empty Redis, with its start events),
 * checks it is still that store at the versions seen here, makes the file's events, and serves
 * every registered event (forgetting those removed elsewhere). Until then nothing runs, and
 * `/ready` says 503. A Redis that lost its data (restarted empty, flushed, replaced) or was rolled
 * back stops this instance selling, said once, until the data comes back or it is restarted.
 */
export class EventRegistry {
  private initialized: Promise<void> | undefined;
  /** Whether `initialized` has settled well: an operation then goes straight to its script. */
  private isAttached = false;
  /** Attaches begun so far: one that a reconnect overtook does not count as attached. */
  private attachments = 0;
  private resolveFirstAttach: () => void = () => undefined;
  /** Settles once this instance first serves every event. */
  readonly firstAttach = new Promise<void>((resolve) => (this.resolveFirstAttach = resolve));
  /** The next attempt to attach in the background, while not attached. */
  private attachRetry: NodeJS.Timeout | undefined;
  private closed = false;
  /** The id of the store this instance sells from, learned (or made) on its first attach. */
  private storeId: string | undefined;
  /** Why this instance stopped selling; null while it sells. */
  private lostReason: string | null = null;
  /**
   * The highest version of each event this instance has seen (its changes, its summaries): a
   * Redis that reports a lower one was rolled back (restored from an older snapshot, or failed
   * over to a replica that lagged), and what was sold since is gone from it.
   */
  private readonly seenVersions = new Map<string, number>();
  /** Events that may not be removed: the next start would make them again. */
  readonly pinned: ReadonlySet<string>;

  constructor(private readonly options: EventRegistryOptions) {
    this.pinned = pinnedEventIds(options.start);
    // After every (re)connect: is it still our store, at the versions seen? Checked at once, so
    // that /ready says so without waiting for a request.
    options.redis.on('ready', () => {
      this.detach();
      this.attachInBackground(0);
    });
  }

  /** Attached, the store not lost: what readiness asks of the registry. */
  get serving(): boolean {
    return this.isAttached && this.lostReason === null;
  }

  /** Remembers the highest version of the event seen here. */
  saw(eventId: string, version: number): void {
    if (version > (this.seenVersions.get(eventId) ?? 0)) this.seenVersions.set(eventId, version);
  }

  /**
   * Runs an op once attached, all within the operation's deadline. An event Redis lacks makes the
   * instance attach again (it may be new here, removed elsewhere, or gone with the data).
   */
  async run<TArgs, TOk>(op: ScriptOp<TArgs, TOk>, eventId: string, args: TArgs, options: CallOptions): Promise<TOk> {
    return this.attachedFor(eventId, options.deadline, () => this.options.client.call(op, eventId, args, options));
  }

  /** `run` for read-seats, which answers a flat array. */
  async runForArray<TArgs>(op: ScriptOp<TArgs, never>, eventId: string, args: TArgs, options: CallOptions): Promise<readonly unknown[]> {
    return this.attachedFor(eventId, options.deadline, () => this.options.client.callForArray(op, eventId, args, options));
  }

  private async attachedFor<T>(eventId: string, deadline: number, call: () => Promise<T>): Promise<T> {
    try {
      await this.attachedAndConnected(deadline);
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof NotInitializedRefusal)) throw error;
        this.detach();
        await this.attachedAndConnected(deadline);
        if (!this.options.layout.event(eventId)) throw new EventNotFoundError(eventId);
        return await call();
      }
    } catch (error) {
      if (error instanceof StoreChangedRefusal) throw this.storeLost('an event of this store was made again by another store');
      if (error instanceof NotInitializedRefusal) throw new StoreUnavailableError(error);
      throw error;
    }
  }

  /** Connected and attached to this instance's store, or StoreUnavailableError: nothing was sent. */
  async attachedAndConnected(deadline: number): Promise<void> {
    if (this.isAttached && this.options.redis.status === 'ready') return;
    const { client } = this.options;
    try {
      await client.withinDeadline(
        (async () => {
          await client.connected();
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

  /**
   * An event's layout: known here, or made by another instance since (read from Redis and
   * served from now on: locks, subscriptions, sweeps); undefined when no store has it.
   */
  async findEvent(eventId: string): Promise<EventDefinition | undefined> {
    const { layout, redis, keys, client } = this.options;
    const known = layout.event(eventId);
    if (known || this.closed) return known;
    let stored: string | null;
    await client.connected();
    try {
      stored = await redis.get(keys.layout(eventId));
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    if (stored === null) return undefined;
    let streamFrom: string;
    try {
      streamFrom = await this.streamEnd(eventId);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    await this.serveEvent(JSON.parse(stored) as EventDefinition, streamFrom);
    return layout.event(eventId);
  }

  async requireEvent(eventId: string): Promise<EventDefinition> {
    const event = await this.findEvent(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return event;
  }

  /**
   * Makes an event at runtime (`createEvent`): the layout key decides, so of instances racing to
   * make the same event, one wins (false for the others).
   */
  async createEvent(definition: EventDefinition, deadline: number): Promise<boolean> {
    const { redis, keys } = this.options;
    await this.attachedAndConnected(deadline);
    if ((await redis.set(keys.layout(definition.id), JSON.stringify(definition), 'NX')) === null) return false;
    // An event removed earlier under this id left its changes in the stream: they are not ours.
    const streamFrom = await this.streamEnd(definition.id);
    await this.seed(definition, true);
    await redis.sadd(keys.eventIds(), definition.id);
    await this.outboxOnIfEndpoints(definition.id);
    await this.serveEvent(definition, streamFrom);
    return true;
  }

  /** Takes a removed event out of the registry and stops serving it here. */
  async removed(eventId: string): Promise<void> {
    this.forgetEvent(eventId);
    // Its keys are gone, so an event left in the registry (this call failing) is passed over.
    await this.options.redis.srem(this.options.keys.eventIds(), eventId).catch(() => undefined);
  }

  /** Stops serving a removed event here: its layout, stream and sweeps go, its subscriptions end. */
  forgetEvent(eventId: string): void {
    if (!this.options.layout.event(eventId)) return;
    this.options.layout.remove(eventId);
    this.seenVersions.delete(eventId);
    this.options.served.forget(eventId);
  }

  /** The ids in the registry (every event of the store). */
  async registeredIds(deadline: number): Promise<string[]> {
    await this.attachedAndConnected(deadline);
    try {
      return await this.options.client.withinDeadline(this.options.redis.smembers(this.options.keys.eventIds()), deadline);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /** Attaches without waiting for a request, and again every half second while it cannot. */
  attachInBackground(delayMs: number): void {
    if (this.closed || this.attachRetry !== undefined) return;
    this.attachRetry = setTimeout(() => {
      this.attachRetry = undefined;
      if (this.closed || this.isAttached) return;
      this.attached().catch(() => this.attachInBackground(ATTACH_RETRY_MS));
    }, delayMs);
    this.attachRetry.unref();
  }

  /** Waits at most `waitMs` for the first attach. */
  async opened(waitMs: number): Promise<void> {
    await waitAtMost(this.firstAttach, waitMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.attachRetry);
  }

  /** Attaches again before the next operation (after a reconnect, or once the store was lost). */
  private detach(): void {
    this.initialized = undefined;
    this.isAttached = false;
    this.attachments++;
  }

  /**
   * Makes sure this instance talks to its own store, then that Redis knows every event and seat
   * (idempotent, so instances may race on it). Runs again after every reconnect.
   */
  private attached(): Promise<void> {
    if (this.initialized) return this.initialized;
    const generation = ++this.attachments;
    const { redis, keys, layout, start } = this.options;
    this.initialized = (async () => {
      let current = await redis.get(keys.identity());
      if (this.storeId === undefined) {
        // A first start: an empty Redis becomes a new store (with the demo event, or the file's),
        // one with data is joined.
        current ??= await this.makeStore();
        this.adopt(current);
      }
      if (current !== this.storeId) {
        throw this.storeLost(current === null ? 'its data is gone (restarted empty or flushed)' : `it is now another store (${current})`);
      }
      await this.checkNotRolledBack();
      if (this.lostReason !== null) {
        this.options.log(`seatlock: the Redis store ${this.storeId} is back; selling again`);
        this.lostReason = null;
      }
      // The file's events, at every start; the registry then tells which events exist.
      if (start.source === 'file') for (const event of start.events) await this.ensureEvent(event);
      const registered = new Set(await redis.smembers(keys.eventIds()));
      for (const id of registered) {
        if (layout.event(id)) continue;
        const stored = await redis.get(keys.layout(id));
        if (stored !== null) await this.serveEvent(JSON.parse(stored) as EventDefinition, await this.streamEnd(id));
      }
      // Removed by another instance while this one was away (or before it read the news), or
      // the demo event of a store made before this start, which no longer has it.
      for (const event of layout.definitions) {
        if (!registered.has(event.id) || !(await redis.exists(keys.layout(event.id)))) this.forgetEvent(event.id);
      }
      // Unless a reconnect asked for another attach meanwhile.
      if (generation === this.attachments) {
        this.isAttached = true;
        this.resolveFirstAttach();
      }
    })().catch((error: unknown) => {
      if (generation === this.attachments) this.detach();
      throw error;
    });
    return this.initialized;
  }

  private adopt(id: string | undefined): void {
    this.storeId = id;
    this.options.client.storeId = id;
  }

  /**
   * Makes a new store in an empty Redis: its start events (the demo event, or the file's), then
   * its id, so that another instance never joins a store half made. Instances starting together
   * take turns: the one holding the claim makes it, the others wait (and retry) until its id is there.
   * @returns the new store's id
   */
  private async makeStore(): Promise<string> {
    const { redis, keys, start, log } = this.options;
    const claim = `${keys.identity()}:claim`;
    if ((await redis.set(claim, String(process.pid), 'PX', MAKE_STORE_CLAIM_MS, 'NX')) === null) throw new StoreBeingMadeError();
    const id = randomBytes(12).toString('base64url');
    // The events' seats record the id of the store that made them.
    this.adopt(id);
    try {
      for (const event of start.events) await this.ensureEvent(event);
      if ((await redis.set(keys.identity(), id, 'NX')) === null) throw new StoreUnavailableError(new Error('another store was made in this Redis meanwhile'));
      log(`seatlock: made a new store ${id} in Redis, with ${start.events.map((event) => `"${event.id}"`).join(', ') || 'no events'}`);
      return id;
    } catch (error) {
      this.adopt(undefined);
      throw error;
    } finally {
      await redis.del(claim).catch(() => undefined);
    }
  }

  /**
   * Makes sure Redis has the event: its layout (the first one written stays), every seat, and
   * only then its place in the registry, so other instances never serve it half made.
   */
  private async ensureEvent(event: EventDefinition): Promise<void> {
    const { redis, keys } = this.options;
    await redis.set(keys.layout(event.id), JSON.stringify(event), 'NX');
    await this.seed(event, false);
    await redis.sadd(keys.eventIds(), event.id);
    await this.outboxOnIfEndpoints(event.id);
  }

  /**
   * Turns the event's outbox on if a webhook endpoint exists. Asked again after the event joined
   * the registry: createWebhook adds its endpoint and then turns on every registered event, so
   * of an endpoint and an event made at the same time, one of the two sees the other.
   */
  private async outboxOnIfEndpoints(eventId: string): Promise<void> {
    if ((await this.options.redis.hlen(this.options.keys.webhookEndpoints())) === 0) return;
    await this.options.client.call(ops.webhooksOn, eventId, {}, { deadline: Number.POSITIVE_INFINITY });
  }

  /** Makes Redis know the event and every seat (idempotent: instances may race on it). */
  /** `announce`: made by createEvent, so its last batch tells webhooks (event.created). */
  private async seed(event: EventDefinition, announce: boolean): Promise<void> {
    const ids = event.seats.map((seat) => seat.id);
    const webhooks = (await this.options.redis.hlen(this.options.keys.webhookEndpoints())) > 0 ? true : undefined;
    for (let start = 0; start < ids.length; start += INIT_BATCH) {
      const last = start + INIT_BATCH >= ids.length;
      try {
        await this.options.client.call(
          ops.init,
          event.id,
          {
            name: event.name,
            seatIds: ids.slice(start, start + INIT_BATCH),
            areas: (event.areas ?? []).map((area) => [area.id, area.capacity] as const),
            webhooks,
            announce: announce && last ? ids.length : undefined,
          },
          { deadline: Number.POSITIVE_INFINITY },
        );
      } catch (error) {
        if (error instanceof StoreChangedRefusal) throw this.storeLost(`event "${event.id}" was made by another store`);
        throw error;
      }
    }
  }

  /**
   * Refuses a Redis whose events are at versions below those this instance saw: it was rolled
   * back, and selling from it would sell again seats it sold since (and forget the bookings).
   */
  private async checkNotRolledBack(): Promise<void> {
    const { redis, keys } = this.options;
    for (const [eventId, seen] of this.seenVersions) {
      const stored = Number((await redis.hget(`${keys.event(eventId)}:meta`, 'version')) ?? 0);
      if (stored < seen) {
        throw this.storeLost(
          `it was rolled back: event "${eventId}" is at version ${stored} there, and this instance saw version ${seen} ` +
            '(restored from an older snapshot, or failed over to a replica that lagged)',
        );
      }
    }
  }

  /** Stops selling, saying why once; selling resumes when the store's id is back. */
  private storeLost(reason: string): StoreUnavailableError {
    this.detach();
    if (this.lostReason === null) {
      this.lostReason = reason;
      this.options.log(
        `seatlock: STOPPED SELLING: the Redis store ${this.storeId ?? ''} at this REDIS_URL is not the one this instance sold from: ${reason}. ` +
          'Holds and bookings may be lost, so no seat is sold until an operator acts: restore the Redis data ' +
          '(this instance resumes by itself), or restart the instances to start afresh from what Redis holds now.',
      );
    }
    this.attachInBackground(ATTACH_RETRY_MS);
    return new StoreUnavailableError(new Error(reason));
  }

  /**
   * Where an event's change stream ends now: changes before it are history to this instance's
   * subscribers (who subscribe later), and so are those of an event removed under the same id.
   */
  private async streamEnd(eventId: string): Promise<string> {
    const last = (await this.options.redis.xrevrange(this.options.keys.changes(eventId), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last[0]?.[0] ?? '0-0';
  }

  /** Serves an event from now on: its layout, its change stream and its expiry sweeps. */
  private async serveEvent(definition: EventDefinition, streamFrom: string): Promise<void> {
    if (this.options.layout.event(definition.id)) return;
    this.options.layout.add(definition);
    await this.options.served.serve(definition, streamFrom);
  }
}
