import type { ExecutionResult } from 'graphql';
import { AsyncQueue } from '../lib/async-queue.js';

type Result = ExecutionResult;
type Source = AsyncIterable<Result> | Result;

function isAsyncIterable(value: Source): value is AsyncIterable<Result> {
  return typeof (value as AsyncIterable<Result>)[Symbol.asyncIterator] === 'function';
}

/**
 * Executes each distinct subscription once, however many sockets subscribe to it, and hands
 * every result to all of them: with thousands of watchers of one seat map, a change is resolved
 * once instead of once per watcher. Subscriptions are shared by a key the caller builds from
 * the document, operation name and variables; their results must not depend on who asks.
 *
 * Each subscriber has a bounded queue: one that stops reading is cut off (its iterator ends and
 * `onOverflow` is called, to close its socket) instead of growing the server's memory.
 */
export class SubscriptionMultiplexer {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly maxQueuedResults: number) {}

  /**
   * Joins the subscription `key`, starting it with `start` if no one has it yet. A start that
   * answers a single result (an error) is given to this subscriber alone and not shared.
   */
  async subscribe(key: string, start: () => Promise<Source>, onOverflow: () => void): Promise<Source> {
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(start(), () => this.channels.delete(key));
      this.channels.set(key, channel);
    }
    return channel.join(this.maxQueuedResults, onOverflow);
  }

  /** How many distinct subscriptions run now. */
  get size(): number {
    return this.channels.size;
  }
}

class Channel {
  private readonly members = new Set<AsyncQueue<Result>>();
  private source: AsyncIterator<Result> | undefined;
  private closed = false;

  constructor(
    private readonly started: Promise<Source>,
    private readonly onEmpty: () => void,
  ) {}

  async join(limit: number, onOverflow: () => void): Promise<Source> {
    let source: Source;
    try {
      source = await this.started;
    } catch (error) {
      this.close();
      throw error;
    }
    if (!isAsyncIterable(source)) {
      this.close();
      return source;
    }
    if (this.closed) return source;
    const member: AsyncQueue<Result> = new AsyncQueue<Result>(
      limit,
      () => {
        this.leave(member);
        onOverflow();
      },
      () => this.leave(member),
    );
    this.members.add(member);
    if (!this.source) {
      this.source = source[Symbol.asyncIterator]();
      void this.pump(this.source);
    }
    return member;
  }

  private async pump(source: AsyncIterator<Result>): Promise<void> {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done) break;
        for (const member of this.members) member.push(next.value);
      }
      for (const member of this.members) member.end();
    } catch (error) {
      for (const member of this.members) member.fail(error);
    } finally {
      this.close();
    }
  }

  private leave(member: AsyncQueue<Result>): void {
    this.members.delete(member);
    if (this.members.size === 0) {
      this.close();
      void this.source?.return?.();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onEmpty();
  }
}
