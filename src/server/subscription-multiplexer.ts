import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';

type Result = ExecutionResult;
type Source = AsyncIterable<Result> | Result;

const TEXT_FRAME = { binary: false, compress: false, fin: true } as const;

function isAsyncIterable(value: Source): value is AsyncIterable<Result> {
  return typeof (value as AsyncIterable<Result>)[Symbol.asyncIterator] === 'function';
}

/** One graphql-ws subscription of one socket: where its `next` messages go. */
export interface Subscriber {
  readonly socket: WebSocket;
  /** The graphql-ws operation id the client chose. */
  readonly id: string;
}

export interface MultiplexerOptions {
  /** A socket with more than this many bytes not yet sent is too slow and gets closed. */
  readonly maxBufferedBytes: number;
  /** Called for a socket that fell behind; it should close it. */
  readonly onSlowSocket: (socket: WebSocket) => void;
}

/**
 * Executes each distinct subscription once, however many sockets subscribe to it, serializes
 * each result once and writes it to every subscriber's socket: with thousands of watchers of one
 * seat map, a change costs one execution and one `JSON.stringify`, then one socket write per
 * watcher. Subscriptions are shared by a key the caller builds from the document, operation name
 * and variables; their results must not depend on who asks.
 *
 * graphql-ws keeps owning the protocol: it gets an iterator per subscriber that yields nothing
 * and finishes when the shared subscription does (so it sends `complete`), while `return()`
 * (the client's `complete`, or a closed socket) takes the subscriber out. A socket whose unsent
 * bytes pass `maxBufferedBytes` is handed to `onSlowSocket` instead of buffering without bound.
 */
export class SubscriptionMultiplexer {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly options: MultiplexerOptions) {}

  /**
   * Joins the subscription `key`, starting it with `start` if no one has it yet. A start that
   * answers a single result (an error) is given to this subscriber alone and not shared.
   */
  async subscribe(key: string, subscriber: Subscriber, start: () => Promise<Source>): Promise<Source> {
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(start(), this.options, () => this.channels.delete(key));
      this.channels.set(key, channel);
    }
    return channel.join(subscriber);
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
    private readonly started: Promise<Source>,
    private readonly options: MultiplexerOptions,
    private readonly onClose: () => void,
  ) {}

  async join(subscriber: Subscriber): Promise<Source> {
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
    const member: Member = new Member(subscriber, () => this.leave(member));
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
        this.broadcast(JSON.stringify(next.value));
      }
    } catch (error) {
      this.broadcast(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : 'Subscription failed' }] }));
    } finally {
      for (const member of this.members) member.end();
      this.close();
    }
  }

  private broadcast(payload: string): void {
    const { maxBufferedBytes, onSlowSocket } = this.options;
    // Clients that chose the same operation id get the very same bytes, encoded once.
    const messages = new Map<string, Buffer>();
    for (const member of this.members) {
      const { socket, id } = member.subscriber;
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > maxBufferedBytes) {
        member.end();
        onSlowSocket(socket);
        continue;
      }
      let message = messages.get(id);
      if (!message) {
        message = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
        messages.set(id, message);
      }
      socket.send(message, TEXT_FRAME);
    }
  }

  private leave(member: Member): void {
    this.members.delete(member);
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
 * What graphql-ws iterates for one subscriber: it yields nothing (results are written to the
 * socket directly) and is done once the shared subscription ends or the subscriber leaves.
 */
class Member implements AsyncIterableIterator<Result> {
  private ended = false;
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
