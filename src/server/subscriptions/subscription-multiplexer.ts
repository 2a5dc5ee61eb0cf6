import { setImmediate as turnOfTheLoop, setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionResult } from 'graphql';
import type { ReplayBudget, ReplaySlot } from '../../limits/replay-budget.js';
import type { ChangeStreamProbe } from '../../schema/context.js';

type Result = ExecutionResult;
type Source = AsyncIterable<Result> | Result;

/** A started execution, and where it stands (the version behind its last result). */
export interface Execution {
  readonly source: Source;
  readonly probe: ChangeStreamProbe;
}

/** A live buffer past this many results means the subscriber cannot catch up: it is cut off. */
const MAX_CATCH_UP_BUFFER = 20_000;
/** A replay lets every other request of the server run after this many of its messages. */
const REPLAY_MESSAGES_PER_TURN = 64;
/** A replay whose subscriber has this share of its unsent-bytes limit waiting pauses until it reads. */
const REPLAY_PAUSE_AT_BUFFERED = 0.5;
/** How often a paused replay looks whether its subscriber has read, and how long it waits in all. */
const DRAIN_POLL_MS = 20;
const DRAIN_DEADLINE_MS = 30_000;

function isAsyncIterable(value: Source): value is AsyncIterable<Result> {
  return typeof (value as AsyncIterable<Result>)[Symbol.asyncIterator] === 'function';
}

/**
 * One subscriber of a shared subscription, whatever carries it (a graphql-ws operation on a
 * WebSocket, an SSE stream): how a result is framed for it and written to it.
 */
export interface Subscriber {
  /** Who the subscriber is (`CLIENT_IDENTITY`): its replays count against that client's budget. */
  readonly client: string;
  /**
   * Subscribers with equal frame keys get the very same bytes, framed once per result (every
   * SSE stream; WebSocket operations with the same operation id).
   */
  readonly frameKey: string;
  /** The bytes that carry one result, given as JSON text, and the version of its change (or null). */
  frame(payload: string, version: number | null): Buffer;
  /** False once its connection is closing: results are no longer written to it. */
  readonly writable: boolean;
  /** Bytes written to it that its connection has not sent yet. */
  readonly bufferedBytes: number;
  write(frame: Buffer): void;
  /** It fell behind: close its connection, freeing what waits to be sent. */
  cutOff(): void;
}

export interface MultiplexerOptions {
  /** A subscriber with more than this many bytes not yet sent is too slow and is cut off. */
  readonly maxBufferedBytes: number;
  /** How many replays each client runs at once, and how fast they are sent. */
  readonly replays: ReplayBudget;
}

/** What the multiplexer has done since it started, for `/metrics`. */
export interface MultiplexerCounters {
  /** Subscribers joined to a shared subscription now. */
  subscribers: number;
  /** Results written to subscribers. */
  delivered: number;
  /** Subscribers cut off for falling too far behind. */
  cutOff: number;
  /** Replays paused now until their subscriber reads what it was sent. */
  replaysPaused: number;
}

/**
 * The key under which operations share one execution: equal document, operation name and
 * variables (the same for every transport).
 */
export function sharingKey(params: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }): string {
  return `${params.operationName ?? ''}\n${JSON.stringify(params.variables ?? null)}\n${params.query}`;
}

/**
 * Executes each distinct subscription once, however many clients subscribe to it over WebSocket
 * or SSE, serializes each result once and writes it to every subscriber: with thousands of
 * watchers of one seat map, a change costs one execution and one `JSON.stringify`, then one write
 * per watcher. Subscriptions are shared by {@link sharingKey}; their results must not depend on
 * who asks.
 *
 * The transport keeps owning its protocol: it gets an iterator per subscriber that yields
 * nothing and finishes when the shared subscription does (so it can say `complete`), while
 * `return()` (the client's `complete`, or a closed connection) takes the subscriber out. A
 * subscriber whose unsent bytes pass `maxBufferedBytes` is cut off instead of buffering without
 * bound.
 */
export class SubscriptionMultiplexer {
  private readonly channels = new Map<string, Channel>();
  readonly counters: MultiplexerCounters = { subscribers: 0, delivered: 0, cutOff: 0, replaysPaused: 0 };

  constructor(private readonly options: MultiplexerOptions) {}

  /**
   * Joins the subscription `key`, starting it with `start` if no one has it yet. A start that
   * answers a single result (an error) is given to this subscriber alone and not shared.
   *
   * A subscriber that resumes after a version also gives `replay`: its own execution of the
   * replay alone. It joins the shared execution first, holding back what that yields, then
   * gets the replay, then what was held back above the replay's last version: no gap, no
   * duplicate, and the live part stays shared. A replay that answers a single result (an
   * error) is given to this subscriber alone, which leaves the shared execution. Replays are
   * paced by their client's budget (`replays`): they wait their turn, are sent at the client's
   * rate, let the rest of the server run between batches, and pause while their subscriber
   * has not read what it was sent.
   */
  async subscribe(key: string, subscriber: Subscriber, start: () => Promise<Execution>, replay?: () => Promise<Execution>): Promise<Source> {
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(start(), this.options, this.counters, () => this.channels.delete(key));
      this.channels.set(key, channel);
    }
    return channel.join(subscriber, replay);
  }

  /** How many distinct subscriptions run now. */
  get size(): number {
    return this.channels.size;
  }
}

class Channel {
  private readonly members = new Set<Member>();
  private source: AsyncIterator<Result> | undefined;
  private closed = false;

  constructor(
    private readonly started: Promise<Execution>,
    private readonly options: MultiplexerOptions,
    private readonly counters: MultiplexerCounters,
    private readonly onClose: () => void,
  ) {}

  async join(subscriber: Subscriber, replay?: () => Promise<Execution>): Promise<Source> {
    let execution: Execution;
    try {
      execution = await this.started;
    } catch (error) {
      this.close();
      throw error;
    }
    const { source, probe } = execution;
    if (!isAsyncIterable(source)) {
      this.close();
      return source;
    }
    if (this.closed) return source;
    const member: Member = new Member(subscriber, () => this.leave(member));
    this.members.add(member);
    this.counters.subscribers++;
    if (!this.source) {
      this.source = source[Symbol.asyncIterator]();
      void this.pump(this.source, probe);
    }
    if (!replay) return member;

    member.held = [];
    // Its turn first: the replay's changes are read from the store only when it can be sent.
    const slot = await this.options.replays.start(subscriber.client);
    if (member.ended || !subscriber.writable) {
      slot.release();
      member.end();
      return member;
    }
    let replayed: Execution;
    try {
      replayed = await replay();
    } catch (error) {
      slot.release();
      member.end();
      throw error;
    }
    if (!isAsyncIterable(replayed.source)) {
      slot.release();
      member.end();
      return replayed.source;
    }
    void this.catchUp(member, replayed.source, replayed.probe, slot);
    return member;
  }

  /** Writes the member's replay at its client's pace, then what the shared execution yielded meanwhile and after it. */
  private async catchUp(member: Member, replay: AsyncIterable<Result>, probe: ChangeStreamProbe, slot: ReplaySlot): Promise<void> {
    const { subscriber } = member;
    let last = -1;
    let sent = 0;
    try {
      for await (const result of replay) {
        const version = probe.lastVersion;
        if (member.ended) return;
        last = version ?? last;
        const frame = subscriber.frame(JSON.stringify(result), version);
        const paced = slot.take();
        if (paced) await paced;
        if (++sent % REPLAY_MESSAGES_PER_TURN === 0) await turnOfTheLoop();
        if (subscriber.bufferedBytes > this.options.maxBufferedBytes * REPLAY_PAUSE_AT_BUFFERED && !(await this.readBy(member))) return;
        if (!this.deliver(member, frame)) return;
      }
    } catch (error) {
      this.deliver(member, subscriber.frame(errorPayload(error), null));
      member.end();
      return;
    } finally {
      slot.release();
    }
    const held = member.held ?? [];
    member.held = null;
    for (const { payload, version } of held) {
      if (version !== null && version <= last) continue;
      if (!this.deliver(member, subscriber.frame(payload, version))) return;
    }
  }

  /**
   * Waits until the member's subscriber has read most of what it was sent: true, or false once
   * it left, or was cut off for not reading in time.
   */
  private async readBy(member: Member): Promise<boolean> {
    const { subscriber } = member;
    const deadline = Date.now() + DRAIN_DEADLINE_MS;
    this.counters.replaysPaused++;
    try {
      while (subscriber.bufferedBytes > (this.options.maxBufferedBytes * REPLAY_PAUSE_AT_BUFFERED) / 2) {
        if (member.ended || !subscriber.writable) return false;
        if (Date.now() > deadline) {
          member.end();
          this.counters.cutOff++;
          subscriber.cutOff();
          return false;
        }
        await sleep(DRAIN_POLL_MS);
      }
      return !member.ended;
    } finally {
      this.counters.replaysPaused--;
    }
  }

  private async pump(source: AsyncIterator<Result>, probe: ChangeStreamProbe): Promise<void> {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done) break;
        this.broadcast(JSON.stringify(next.value), probe.lastVersion);
      }
    } catch (error) {
      this.broadcast(errorPayload(error), null);
    } finally {
      for (const member of this.members) member.end();
      this.close();
    }
  }

  private broadcast(payload: string, version: number | null): void {
    const frames = new Map<string, Buffer>();
    for (const member of this.members) {
      const { subscriber } = member;
      if (member.held) {
        // Catching up: kept until its replay is written.
        if (member.held.push({ payload, version }) > MAX_CATCH_UP_BUFFER) {
          member.end();
          this.counters.cutOff++;
          subscriber.cutOff();
        }
        continue;
      }
      let frame = frames.get(subscriber.frameKey);
      if (!frame) {
        frame = subscriber.frame(payload, version);
        frames.set(subscriber.frameKey, frame);
      }
      this.deliver(member, frame);
    }
  }

  /** Writes a frame, or cuts the subscriber off when it is too far behind; false once it is gone. */
  private deliver(member: Member, frame: Buffer): boolean {
    const { subscriber } = member;
    if (member.ended || !subscriber.writable) return false;
    if (subscriber.bufferedBytes > this.options.maxBufferedBytes) {
      member.end();
      this.counters.cutOff++;
      subscriber.cutOff();
      return false;
    }
    subscriber.write(frame);
    this.counters.delivered++;
    return true;
  }

  private leave(member: Member): void {
    if (this.members.delete(member)) this.counters.subscribers--;
    if (this.members.size === 0 && !this.closed) {
      this.close();
      void this.source?.return?.();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/**
 * What the transport iterates for one subscriber: it yields nothing (results are written to
 * the connection directly) and is done once the shared subscription ends or the subscriber leaves.
 */
class Member implements AsyncIterableIterator<Result> {
  ended = false;
  /** While it catches up after a resume: the shared results held back, with their versions. */
  held: { payload: string; version: number | null }[] | null = null;
  private finish: ((step: IteratorResult<Result>) => void) | undefined;

  constructor(
    readonly subscriber: Subscriber,
    private readonly onLeave: () => void,
  ) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onLeave();
    this.finish?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<Result>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.finish = resolve));
  }

  return(): Promise<IteratorResult<Result>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Result> {
    return this;
  }
}

function errorPayload(error: unknown): string {
  return JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : 'Subscription failed' }] });
}
