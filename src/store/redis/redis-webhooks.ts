import { createHash, randomBytes } from 'node:crypto';
import { StoreUnavailableError } from '../../domain/errors.js';
import { newWebhookEndpointId } from '../../domain/ids.js';
import type { BookingStatus, HoldStatus } from '../../domain/model.js';
import {
  bookingMessage,
  eventCreatedMessage,
  holdMessage,
  isWebhookMessageType,
  seatsMessage,
  type WebhookMessage,
  type WebhookMessageType,
} from '../../domain/webhook-message.js';
import type { Clock } from '../../lib/clock.js';
import type { RedisClient } from '../../lib/redis-connection.js';
import { endpointWants, type DueDelivery, type WebhookDelivery, type WebhookEndpoint, type WebhookOutbox } from '../webhook-outbox.js';
import type { RedisKeys } from './keys.js';
import type { LuaScript } from './lua-script.js';
import { loadScript } from './script-loader.js';

/** The consumer group every instance reads the outboxes with: each message goes to one of them. */
const GROUP = 'webhooks';
/** Messages read from one outbox per call. */
const BATCH = 200;
/**
 * A message read by an instance that has not dispatched it after this long is taken by another:
 * dispatching takes milliseconds, so its reader died (or lost Redis) meanwhile.
 */
const ABANDONED_AFTER_MS = 5_000;

const scripts = {
  add: loadScript('webhook-add'),
  claim: loadScript('webhook-claim'),
  record: loadScript('webhook-record'),
  redeliver: loadScript('webhook-redeliver'),
  list: loadScript('webhook-list'),
  disable: loadScript('webhook-disable'),
} satisfies Record<string, LuaScript>;

/** An endpoint as the registry keeps it: `since` is Redis's time when it was made. */
interface StoredEndpoint extends Omit<WebhookEndpoint, 'createdAt'> {
  readonly createdAt: number;
  readonly since: number;
}

/** A delivery as the endpoint scripts answer it (cjson writes a missing value as false). */
interface DeliveryReply {
  readonly messageId: string;
  readonly type: WebhookMessageType;
  readonly eventId: string;
  readonly status: WebhookDelivery['status'];
  readonly attempts: number;
  readonly lastStatusCode: number | false;
  readonly lastError: string | false;
  readonly nextAttemptAt: number | false;
  readonly createdAt: number;
}

/** cjson writes an empty list as `{}`. */
function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function toDelivery(endpointId: string, reply: DeliveryReply): WebhookDelivery {
  return {
    endpointId,
    messageId: reply.messageId,
    type: reply.type,
    eventId: reply.eventId,
    status: reply.status,
    attempts: reply.attempts,
    lastStatusCode: reply.lastStatusCode === false ? null : reply.lastStatusCode,
    lastError: reply.lastError === false ? null : reply.lastError,
    nextAttemptAt: reply.nextAttemptAt === false ? null : new Date(reply.nextAttemptAt),
    createdAt: new Date(reply.createdAt),
  };
}

function parseEndpoint(raw: string): StoredEndpoint {
  const stored = JSON.parse(raw) as StoredEndpoint;
  // Written back by a script (disable), an empty list comes as {}.
  const list = <T>(value: readonly T[] | null): readonly T[] | null => (value === null ? null : listOf<T>(value));
  return { ...stored, types: list(stored.types), eventIds: list(stored.eventIds) };
}

function toEndpoint({ since: _since, createdAt, ...endpoint }: StoredEndpoint): WebhookEndpoint {
  return { ...endpoint, createdAt: new Date(createdAt) };
}

/** The facts an outbox entry's `d` field holds, by message kind (see the scripts' outbox include). */
/** Places as an outbox entry holds them: [[areaId, quantity], …]. */
type PlacesFacts = readonly (readonly [string, number])[] | Record<string, never>;

interface HoldFacts {
  readonly token: string;
  readonly seats: readonly string[] | Record<string, never>;
  readonly ap: PlacesFacts;
  readonly e: number;
  readonly s: HoldStatus;
}
interface BookingFacts {
  readonly id: string;
  readonly seats: readonly string[] | Record<string, never>;
  readonly ap: PlacesFacts;
  readonly order: string | false;
  readonly s: BookingStatus;
}

/**
 * The message an outbox entry tells of, with an id derived from the entry: whichever instance
 * dispatches it, and however often, it is the same message (the same `webhook-id`).
 */
function messageOfOutboxEntry(keyPrefix: string, eventId: string, entryId: string, fields: readonly string[]): WebhookMessage | null {
  const field = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) field.set(fields[index] as string, fields[index + 1] as string);
  const type = field.get('t') ?? '';
  if (!isWebhookMessageType(type)) return null;
  const version = Number(field.get('v'));
  const at = Number(field.get('a'));
  const facts: unknown = JSON.parse(field.get('d') ?? '{}');
  const id = `msg_${createHash('sha256').update(`${keyPrefix}\n${eventId}\n${entryId}`).digest('base64url').slice(0, 22)}`;
  switch (type) {
    case 'hold.created':
    case 'hold.released':
    case 'hold.expired': {
      const hold = facts as HoldFacts;
      const held = {
        seatIds: listOf<string>(hold.seats),
        areaPlaces: listOf<readonly [string, number]>(hold.ap).map(([areaId, quantity]) => ({ areaId, quantity })),
      };
      return holdMessage(type, { token: hold.token, eventId, status: hold.s, expiresAt: new Date(hold.e) }, held, version, at, id);
    }
    case 'booking.confirmed':
    case 'booking.cancelled': {
      const booking = facts as BookingFacts;
      const seats = listOf<string>(booking.seats).map((seatId) => ({ id: seatId }));
      return bookingMessage(
        type,
        {
          id: booking.id,
          eventId,
          orderId: booking.order === false ? null : booking.order,
          status: booking.s,
          seats,
          areaPlaces: listOf<readonly [string, number]>(booking.ap).map(([areaId, quantity]) => ({ area: { id: areaId }, quantity })),
        },
        version,
        at,
        id,
      );
    }
    case 'seats.blocked':
    case 'seats.unblocked':
      return seatsMessage(type, eventId, listOf<string>((facts as { seats: unknown }).seats), version, at, id);
    case 'event.created': {
      const event = facts as { name: string; seats: number };
      return eventCreatedMessage({ id: eventId, name: event.name, seats: event.seats }, version, at, id);
    }
  }
}

type StreamEntry = [id: string, fields: string[]];

export interface RedisWebhooksOptions {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /** The key prefix (part of every message id, so deployments sharing a Redis never share one). */
  readonly keyPrefix: string;
  readonly clock: Clock;
  /** The events whose outboxes are read: every registered one. */
  readonly eventIds: () => Promise<readonly string[]>;
  /** Turns an event's outbox on (createWebhook does it for every event). */
  readonly outboxOn: (eventId: string) => Promise<void>;
  /** Settles once attached to the store and connected (or throws StoreUnavailableError). */
  readonly connected: () => Promise<void>;
  /** Bounds a call by the operation's deadline. */
  readonly within: <T>(promise: Promise<T>) => Promise<T>;
}

/**
 * The Redis store's webhook endpoints and outbox. The seat scripts write each message into the
 * event's outbox stream in the same call as the change. Every instance reads the outboxes through
 * one consumer group, so each message is dispatched by one of them, and a message read by an
 * instance that died before dispatching it is taken over by another (XAUTOCLAIM). Dispatching
 * writes a delivery per endpoint that wants the message into the endpoint's keys (each once,
 * whoever writes it), then acknowledges and deletes the entry. Deliveries are taken for an attempt
 * with a lease by one script call, so one instance at a time tries each of them.
 */
export class RedisWebhooks implements WebhookOutbox {
  private readonly consumer = `${process.pid}-${randomBytes(6).toString('base64url')}`;
  private readonly listeners = new Set<() => void>();
  private readonly lastTakeover = new Map<string, number>();
  /** Removed events whose outbox is read until it is empty. */
  private readonly draining = new Set<string>();
  private dispatching: Promise<void> | null = null;
  private nextPass: Promise<void> | null = null;
  /** Whether any endpoint existed at the last look: without one, changes wake no deliverer. */
  private endpointsSeen = false;
  private notifyScheduled = false;

  constructor(private readonly options: RedisWebhooksOptions) {}

  async createWebhookEndpoint(input: Parameters<WebhookOutbox['createWebhookEndpoint']>[0]): Promise<WebhookEndpoint> {
    const { redis, keys, clock } = this.options;
    return this.unavailableOnError(async () => {
      const [seconds, micros] = await redis.time();
      const endpoint: StoredEndpoint = {
        id: newWebhookEndpointId(),
        ...input,
        enabled: true,
        disabledReason: null,
        createdAt: clock.now(),
        since: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000),
      };
      await redis.set(`${keys.webhookEndpoint(endpoint.id)}:alive`, '1');
      await redis.hset(keys.webhookEndpoints(), endpoint.id, JSON.stringify(endpoint));
      this.endpointsSeen = true;
      // Every event writes its messages from now on (events made meanwhile see the endpoint).
      for (const eventId of await this.options.eventIds()) await this.options.outboxOn(eventId);
      return toEndpoint(endpoint);
    });
  }

  async listWebhookEndpoints(): Promise<WebhookEndpoint[]> {
    return (await this.endpoints()).map(toEndpoint);
  }

  async deleteWebhookEndpoint(id: string): Promise<WebhookEndpoint | null> {
    const { redis, keys } = this.options;
    return this.unavailableOnError(async () => {
      const raw = await redis.hget(keys.webhookEndpoints(), id);
      if (raw === null) return null;
      const prefix = keys.webhookEndpoint(id);
      // Not alive first: a dispatcher writes no delivery to it from here on.
      await redis.del(`${prefix}:alive`);
      await redis.hdel(keys.webhookEndpoints(), id);
      await redis.del(`${prefix}:deliveries`, `${prefix}:due`, `${prefix}:pending`, `${prefix}:recent`, `${prefix}:finished`);
      return toEndpoint(parseEndpoint(raw));
    });
  }

  async listWebhookDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[] | null> {
    if (!(await this.endpointExists(endpointId))) return null;
    const reply = await this.endpointCall<{ deliveries: unknown }>(scripts.list, endpointId, { limit });
    return listOf<DeliveryReply>(reply.deliveries).map((delivery) => toDelivery(endpointId, delivery));
  }

  async redeliverWebhookMessage(endpointId: string, messageId: string): Promise<WebhookDelivery | null> {
    if (!(await this.endpointExists(endpointId))) return null;
    // A Lua false comes as a null reply.
    const reply = await this.endpointCall<DeliveryReply | null>(scripts.redeliver, endpointId, { messageId, now: this.options.clock.now() });
    if (reply === null) return null;
    this.notify();
    return toDelivery(endpointId, reply);
  }

  async claimDueDeliveries(now: number, room: (endpointId: string) => number, leaseMs: number): Promise<DueDelivery[]> {
    await this.dispatch();
    const claimed: DueDelivery[] = [];
    for (const endpoint of await this.endpoints()) {
      const free = room(endpoint.id);
      if (!endpoint.enabled || free <= 0) continue;
      const taken = await this.endpointCall<unknown>(scripts.claim, endpoint.id, { now, room: free, leaseMs });
      for (const { messageId, body, attempts } of listOf<{ messageId: string; body: string; attempts: number }>(taken)) {
        claimed.push({ endpointId: endpoint.id, url: endpoint.url, secret: endpoint.secret, messageId, body, attempts });
      }
    }
    return claimed;
  }

  async recordWebhookAttempt(attempt: Parameters<WebhookOutbox['recordWebhookAttempt']>[0]): Promise<void> {
    const { endpointId, messageId, status, statusCode, error, nextAttemptAt, disableEndpoint } = attempt;
    await this.endpointCall(scripts.record, endpointId, {
      messageId,
      status,
      statusCode: statusCode ?? false,
      error: error ?? false,
      nextAttemptAt: nextAttemptAt ?? false,
    });
    if (disableEndpoint !== null) {
      const { redis, keys } = this.options;
      await this.unavailableOnError(() => scripts.disable.run(redis, [keys.webhookEndpoints()], [JSON.stringify({ id: endpointId, reason: disableEndpoint })]));
    }
  }

  onWebhooksDue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async pendingWebhooks(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const { redis, keys } = this.options;
    let count = 0;
    let oldest: number | null = null;
    const older = (at: number) => {
      if (oldest === null || at < oldest) oldest = at;
    };
    for (const endpoint of await this.endpoints()) {
      const reply = await this.endpointCall<{ pending: number; oldest: number | false }>(scripts.list, endpoint.id, { limit: 0 });
      count += reply.pending;
      if (reply.oldest !== false) older(reply.oldest);
    }
    // Messages not yet dispatched are pending too (for each endpoint that will want them: at least one).
    if (this.endpointsSeen) {
      for (const eventId of await this.options.eventIds()) {
        const key = keys.outbox(eventId);
        const [length, first] = await this.unavailableOnError(() => Promise.all([redis.xlen(key), redis.xrange(key, '-', '+', 'COUNT', 1)]));
        count += length;
        const firstId = first[0]?.[0];
        if (firstId !== undefined) older(Number(firstId.split('-')[0]));
      }
    }
    return { count, oldestCreatedAt: oldest };
  }

  /**
   * Wakes the deliverers after changes of an event (the change feed saw them): its outbox may
   * hold new messages. Once per tick, however many changes came, and only while endpoints exist.
   */
  changed(): void {
    if (!this.endpointsSeen || this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.notify();
    });
  }

  /** A removed event's outbox is read until it is empty: messages written before its removal go out. */
  eventRemoved(eventId: string): void {
    this.draining.add(eventId);
  }

  /**
   * Dispatches what the outboxes hold now: one pass at a time. A call during a pass waits for the
   * next pass, which every call made during that pass shares.
   */
  dispatch(): Promise<void> {
    if (this.dispatching === null) return this.startPass();
    this.nextPass ??= this.dispatching
      .catch(() => undefined)
      .then(() => {
        this.nextPass = null;
        return this.startPass();
      });
    return this.nextPass;
  }

  private startPass(): Promise<void> {
    const pass = this.dispatchAll().finally(() => {
      if (this.dispatching === pass) this.dispatching = null;
    });
    this.dispatching = pass;
    return pass;
  }

  private async dispatchAll(): Promise<void> {
    const eventIds = new Set([...(await this.unavailableOnError(() => this.options.eventIds())), ...this.draining]);
    let added = 0;
    for (const eventId of eventIds) {
      for (;;) {
        const { entries, empty } = await this.read(eventId);
        if (entries.length > 0) added += await this.dispatchEntries(eventId, entries);
        if (empty && this.draining.has(eventId)) this.draining.delete(eventId);
        if (entries.length < BATCH) break;
      }
    }
    if (added > 0) this.notify();
  }

  /** New entries of an event's outbox, and those another instance read and then abandoned. */
  private async read(eventId: string): Promise<{ entries: StreamEntry[]; empty: boolean }> {
    const { redis, keys } = this.options;
    const key = keys.outbox(eventId);
    const readNew = async (): Promise<StreamEntry[]> => {
      const reply = (await redis.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', BATCH, 'STREAMS', key, '>')) as [string, StreamEntry[]][] | null;
      return reply?.[0]?.[1] ?? [];
    };
    return this.unavailableOnError(async () => {
      let entries: StreamEntry[];
      try {
        entries = await readNew();
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOGROUP')) throw error;
        // From the first entry: the group is made when the first message may already be there.
        await redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch((made: unknown) => {
          if (!(made instanceof Error) || !made.message.startsWith('BUSYGROUP')) throw made;
        });
        entries = await readNew();
      }
      const now = Date.now();
      if (now - (this.lastTakeover.get(eventId) ?? 0) >= ABANDONED_AFTER_MS) {
        this.lastTakeover.set(eventId, now);
        const [, abandoned] = (await redis.xautoclaim(key, GROUP, this.consumer, ABANDONED_AFTER_MS, '0-0', 'COUNT', BATCH)) as [string, StreamEntry[]];
        entries = [...abandoned.filter((entry): entry is StreamEntry => Array.isArray(entry?.[1])), ...entries];
      }
      // Asked only of a removed event's outbox, read until it is empty.
      const empty = entries.length === 0 && this.draining.has(eventId) && (await redis.xlen(key)) === 0;
      return { entries, empty };
    });
  }

  /** Writes each entry's deliveries, then acknowledges and deletes the entries: answers how many were written. */
  private async dispatchEntries(eventId: string, entries: readonly StreamEntry[]): Promise<number> {
    const { redis, keys, keyPrefix } = this.options;
    // Read after the entries: an endpoint made before any of them was written is in it.
    const endpoints = await this.endpoints();
    const byEndpoint = new Map<string, { id: string; type: string; eventId: string; body: string; createdAt: number }[]>();
    for (const [entryId, fields] of entries) {
      const message = messageOfOutboxEntry(keyPrefix, eventId, entryId, fields);
      if (message === null) continue;
      const writtenAt = Number(entryId.split('-')[0]);
      for (const endpoint of endpoints) {
        if (endpoint.since > writtenAt || !endpointWants(endpoint, message)) continue;
        let batch = byEndpoint.get(endpoint.id);
        if (!batch) byEndpoint.set(endpoint.id, (batch = []));
        batch.push({ id: message.id, type: message.type, eventId, body: message.body, createdAt: message.createdAt });
      }
    }
    let added = 0;
    for (const [endpointId, messages] of byEndpoint) added += await this.endpointCall<number>(scripts.add, endpointId, { messages }, false);
    const ids = entries.map(([entryId]) => entryId);
    const key = keys.outbox(eventId);
    await this.unavailableOnError(() => Promise.all([redis.xack(key, GROUP, ...ids), redis.xdel(key, ...ids)]));
    return added;
  }

  private async endpoints(): Promise<StoredEndpoint[]> {
    const { redis, keys } = this.options;
    const all = await this.unavailableOnError(() => redis.hgetall(keys.webhookEndpoints()));
    const endpoints = Object.values(all)
      .map(parseEndpoint)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    this.endpointsSeen = endpoints.length > 0;
    return endpoints;
  }

  private async endpointExists(id: string): Promise<boolean> {
    const { redis, keys } = this.options;
    return (await this.unavailableOnError(() => redis.hexists(keys.webhookEndpoints(), id))) === 1;
  }

  /** Runs an endpoint script; its JSON answer parsed, unless `json` is false. */
  private async endpointCall<T>(script: LuaScript, endpointId: string, args: object, json = true): Promise<T> {
    const { redis, keys } = this.options;
    const reply = await this.unavailableOnError(() => script.run(redis, [keys.webhookEndpoint(endpointId)], [JSON.stringify(args)]));
    return (json && typeof reply === 'string' ? JSON.parse(reply) : reply) as T;
  }

  private async unavailableOnError<T>(call: () => Promise<T>): Promise<T> {
    try {
      await this.options.connected();
      return await this.options.within(call());
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
