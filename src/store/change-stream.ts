import type { EventChange } from '../domain/model.js';

export interface ChangeStreamParts<Change extends EventChange> {
  /** Logged changes to yield first, in version order (a resume's replay). */
  readonly replay: readonly EventChange[];
  /**
   * Live changes, subscribed to before the replay was read, so that together they miss
   * nothing; changes the replay already had are dropped by version. Null: the replay only.
   */
  readonly live: AsyncIterator<Change> | null;
  /** Yields only changes above this version. */
  readonly afterVersion: number;
  /** Yields only the changes this keeps (the replay has seat and area changes alike). */
  readonly keep: (change: EventChange) => change is Change;
  /** Told the version of every change just before it is yielded. */
  readonly onYield?: (version: number) => void;
}

/**
 * One subscriber's changes of an event (of its seats, or of its areas): the replay, then the live changes, in version order,
 * with no gap and no duplicate at the hand-over. Unlike an async generator, `return()` ends it
 * at once even while it waits for the next live change (a client that leaves a quiet event).
 */
export class ChangeStream<Change extends EventChange> implements AsyncIterableIterator<Change> {
  private index = 0;
  private last: number;
  private done = false;

  constructor(private readonly parts: ChangeStreamParts<Change>) {
    this.last = parts.afterVersion;
  }

  async next(): Promise<IteratorResult<Change>> {
    const { replay, live } = this.parts;
    while (!this.done && this.index < replay.length) {
      const change = replay[this.index++] as EventChange;
      if (this.wants(change)) return this.yield(change);
    }
    while (!this.done && live) {
      const step = await live.next();
      if (step.done) break;
      if (this.wants(step.value)) return this.yield(step.value);
    }
    return this.finish();
  }

  async return(): Promise<IteratorResult<Change>> {
    return this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Change> {
    return this;
  }

  private wants(change: EventChange): change is Change {
    if (change.version <= this.last) return false;
    // Every version counts as seen, filtered out or not.
    this.last = change.version;
    return this.parts.keep(change);
  }

  private yield(change: Change): IteratorResult<Change> {
    this.parts.onYield?.(change.version);
    return { value: change, done: false };
  }

  private async finish(): Promise<IteratorResult<Change>> {
    if (!this.done) {
      this.done = true;
      await this.parts.live?.return?.();
    }
    return { value: undefined, done: true };
  }
}
