import { isAreaChange, type EventChange, type SeatChangeReason, type SeatStatus } from '../../domain/model.js';
import type { LayoutIndex } from './layout-index.js';
import type { SeatlockPubSub } from '../pubsub.js';
import type { RedisClient } from '../../lib/redis-connection.js';
import type { RedisKeys } from './keys.js';

type StreamEntry = [id: string, fields: string[]];

/** Where a feed begins reading an event's stream: its end when the feed starts, or after an entry. */
export interface FeedStart {
  readonly eventId: string;
  /** Read the entries after this id; absent: from the stream's end when the feed first connects. */
  readonly after?: string;
}

/** What the Redis store needs of its change feed, on one Redis or on a cluster. */
export interface SeatChangeFeed {
  /** False until the feed has found where every stream ends, and again after an error. */
  readonly healthy: boolean;
  /** Whether the feed has found where the streams end: every change after that is published. */
  readonly positioned: boolean;
  /** Settles once `positioned`: a change made before could be missed by a subscriber. */
  readonly whenPositioned: Promise<void>;
  start(): void;
  /** Reads an event learned at runtime from `fromId`, its stream's end when it was learned. */
  addEvent(eventId: string, fromId: string, control: RedisClient): Promise<void>;
  /** Stops reading a removed event's stream. */
  removeEvent(eventId: string): void;
  stop(): Promise<void>;
}

/** Tells the feed's owner of changes and removals as they are read. */
export interface FeedListener {
  /**
   * Told of every change before it is published, with the expiry of the hold that locked (so
   * this instance sweeps it on time).
   */
  readonly observe: (change: EventChange, lockExpiresAt: number | null) => void;
  /** Told when an instance removed an event (the entry that says so), after its last change. */
  readonly onRemoved: (eventId: string) => void;
}

/**
 * Reads events' change streams from Redis on a connection of its own and republishes each
 * entry on this instance's PubSub, in stream (= version) order. It remembers the last entry id
 * per stream, so after a lost connection it resumes where it stopped and loses nothing the
 * stream still holds. One XREAD reads every stream: on one Redis; on a cluster, where one
 * command may only name keys of one slot, each event gets a feed of its own (see
 * {@link ClusterChangeFeed}).
 */
export class ChangeFeed implements SeatChangeFeed {
  private readonly positions = new Map<string, string>();
  private readonly eventIdByStream = new Map<string, string>();
  private closed = false;
  private running: Promise<void> | undefined;
  /** False until the feed has found where every stream ends, and again after an error. */
  healthy = false;
  /** Whether the feed has found where the streams end: every change after that is published. */
  positioned = false;
  /** Settles once `positioned`: a change made before could be missed by a subscriber. */
  readonly whenPositioned: Promise<void>;
  private onPositioned: () => void = () => undefined;

  constructor(
    private readonly reader: RedisClient,
    private readonly keys: RedisKeys,
    private readonly layout: LayoutIndex,
    private readonly pubsub: SeatlockPubSub,
    /** How long one XREAD waits for new entries. */
    private readonly blockMs: number,
    private readonly listener: FeedListener,
    starts: readonly FeedStart[],
  ) {
    for (const { eventId, after } of starts) {
      this.eventIdByStream.set(keys.changes(eventId), eventId);
      if (after !== undefined) this.positions.set(keys.changes(eventId), after);
    }
    // A new connection has a new client id.
    reader.on('ready', () => (this.readerId = null));
    this.whenPositioned = new Promise((resolve) => (this.onPositioned = resolve));
  }

  start(): void {
    this.running ??= this.loop();
  }

  /**
   * Reads an event learned at runtime from `fromId` (its stream's end when it was learned: what
   * came before is history to this instance's subscribers, who subscribe after). The reader is
   * woken from the XREAD it blocks in (CLIENT UNBLOCK, sent on `control`) so the stream is read
   * at once, not after the block runs out.
   */
  async addEvent(eventId: string, fromId: string, control: RedisClient): Promise<void> {
    const stream = this.keys.changes(eventId);
    if (this.eventIdByStream.has(stream)) return;
    this.eventIdByStream.set(stream, eventId);
    if (this.positioned) this.positions.set(stream, fromId);
    // An UNBLOCK that comes before the XREAD it means to wake is lost: repeat it until an XREAD
    // that reads the new stream has been sent (a few milliseconds; the block's length at most).
    const deadline = Date.now() + this.blockMs;
    while (!this.closed && !this.reading.has(stream) && Date.now() < deadline) {
      if (this.readerId !== null) await control.client('UNBLOCK', this.readerId).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops reading a removed event's stream. */
  removeEvent(eventId: string): void {
    const stream = this.keys.changes(eventId);
    this.eventIdByStream.delete(stream);
    this.positions.delete(stream);
  }

  /** The streams of the XREAD under way. */
  private reading: ReadonlySet<string> = new Set();

  async stop(): Promise<void> {
    this.closed = true;
    this.reader.disconnect();
    // A cluster told to disconnect while it connects connects all the same: it is told again.
    this.reader.once('ready', () => this.reader.disconnect());
    // A reader that never connected would otherwise be waited for until a block's length passed.
    this.wake?.();
    await this.running;
  }

  /** Ends the wait for the reader's connection (at stop). */
  private wake: (() => void) | null = null;

  /** The reader connection's id, for CLIENT UNBLOCK; null until known. */
  private readerId: number | null = null;

  private async loop(): Promise<void> {
    while (!this.closed) {
      const streams = [...this.eventIdByStream.keys()];
      this.reading = new Set(streams);
      try {
        // Where the streams end first, as soon as possible: changes before it are not published,
        // and subscribers wait for it. So no waiting out a retry pause for the first connection.
        if (this.reader.status !== 'ready') await this.connected();
        if (this.closed) return;
        if (!this.positioned) await this.findEnds(streams.filter((stream) => !this.positions.has(stream)));
        if (!this.positioned) {
          this.positioned = true;
          this.onPositioned();
        }
        this.readerId ??= Number(await this.reader.client('ID'));
        this.healthy = true;
        const ids = streams.map((stream) => this.positions.get(stream) ?? '0-0');
        const reply = (await this.reader.xread('COUNT', 1000, 'BLOCK', this.blockMs, 'STREAMS', ...streams, ...ids)) as [string, StreamEntry[]][] | null;
        for (const [stream, entries] of reply ?? []) this.publish(stream, entries);
      } catch {
        if (this.closed) return;
        this.healthy = false;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Until the reader is connected, or a block's length has passed. */
  private connected(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.reader.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.blockMs);
      this.reader.once('ready', done);
      this.wake = done;
    });
  }

  /** At start, changes already in the streams are history: read only what comes next. */
  private async findEnds(streams: readonly string[]): Promise<void> {
    const ends = new Map<string, string>();
    for (const stream of streams) {
      const last = (await this.reader.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
      ends.set(stream, last[0]?.[0] ?? '0-0');
    }
    for (const [stream, id] of ends) this.positions.set(stream, id);
  }

  private publish(stream: string, entries: readonly StreamEntry[]): void {
    const eventId = this.eventIdByStream.get(stream);
    if (eventId === undefined) return;
    for (const [id, fields] of entries) {
      if (fields[0] === 'removed') {
        this.listener.onRemoved(eventId);
        return;
      }
      this.positions.set(stream, id);
      const { change, lockExpiresAt } = changeOfStreamEntry(this.layout, eventId, fields);
      this.listener.observe(change, lockExpiresAt);
      if (isAreaChange(change)) this.pubsub.publish('areaChanged', eventId, change);
      else this.pubsub.publish('seatChanged', eventId, change);
    }
  }
}

/**
 * The change feed on a Redis Cluster: a {@link ChangeFeed} per event, each on a connection of
 * its own, since one XREAD may not name streams of several slots and a blocking XREAD holds its
 * connection. An instance thus keeps a cluster connection per event it serves (a box office's
 * tens of events, not thousands).
 */
export class ClusterChangeFeed implements SeatChangeFeed {
  private readonly feeds = new Map<string, ChangeFeed>();
  private started = false;
  readonly whenPositioned: Promise<void>;

  constructor(
    /** A new connection, for one event's feed. */
    private readonly connect: () => RedisClient,
    private readonly feedOf: (reader: RedisClient, start: FeedStart) => ChangeFeed,
    starts: readonly FeedStart[],
  ) {
    for (const start of starts) this.feeds.set(start.eventId, feedOf(connect(), start));
    this.whenPositioned = Promise.all([...this.feeds.values()].map((feed) => feed.whenPositioned)).then(() => undefined);
  }

  /** While any event's stream is read: a master that is down stops its own events, not the instance. */
  get healthy(): boolean {
    const feeds = [...this.feeds.values()];
    return feeds.length === 0 || feeds.some((feed) => feed.healthy);
  }

  get positioned(): boolean {
    return [...this.feeds.values()].every((feed) => feed.positioned);
  }

  start(): void {
    this.started = true;
    for (const feed of this.feeds.values()) feed.start();
  }

  async addEvent(eventId: string, fromId: string): Promise<void> {
    if (this.feeds.has(eventId)) return;
    const feed = this.feedOf(this.connect(), { eventId, after: fromId });
    this.feeds.set(eventId, feed);
    if (this.started) feed.start();
  }

  removeEvent(eventId: string): void {
    const feed = this.feeds.get(eventId);
    this.feeds.delete(eventId);
    void feed?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((feed) => feed.stop()));
  }
}

/**
 * A change as its stream entry holds it (see `apply` in scripts/includes/seats.lua and
 * `movePlaces` in scripts/includes/areas.lua), and the expiry of the lock it made, if any.
 */
export function changeOfStreamEntry(layout: LayoutIndex, eventId: string, fields: readonly string[]): { change: EventChange; lockExpiresAt: number | null } {
  const entry = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) entry.set(fields[index] as string, fields[index + 1] as string);
  const expiresAt = entry.get('x');
  const lockExpiresAt = expiresAt ? Number(expiresAt) : null;
  const reason = entry.get('r') as SeatChangeReason;
  const version = Number(entry.get('v'));
  const at = new Date(Number(entry.get('a')));
  const areaId = entry.get('ar');
  if (areaId !== undefined) {
    const [available, locked, booked, blocked] = (entry.get('c') ?? '').split('|').map(Number) as [number, number, number, number];
    const area = layout.area(eventId, areaId, { available, locked, booked, blocked });
    return { change: { eventId, area, quantity: Number(entry.get('q')), reason, version, at }, lockExpiresAt };
  }
  return {
    change: {
      eventId,
      seat: layout.seat(eventId, entry.get('s') ?? '', entry.get('n') as SeatStatus, lockExpiresAt),
      previousStatus: entry.get('p') as SeatStatus,
      reason,
      version,
      at,
    },
    lockExpiresAt,
  };
}
