import type { SeatChange } from '../domain/model.js';

export interface ChangeStreamParts {
  /** Logged changes to yield first, in version order (a resume's replay). */
  readonly replay: readonly SeatChange[];
  /**
   * Live changes, subscribed to before the replay was read, so that together they miss
   * nothing; changes the replay already had are dropped by version. Null: the replay only.
   */
  readonly live: AsyncIterator<SeatChange> | null;
  /** Yields only changes above this version. */
  readonly afterVersion: number;
  /** Yields only changes of these seats; null: every seat. */
  readonly seatIds: ReadonlySet<string> | null;
  /** Told the version of every change just before it is yielded. */
  readonly onYield?: (version: number) => void;
}

/**
 * One subscriber's changes of an event: the replay, then the live changes, in version order,
 * with no gap and no duplicate at the hand-over. Unlike an async generator, `return()` ends it
 * at once even while it waits for the next live change (a client that leaves a quiet event).
 */
export class ChangeStream implements AsyncIterableIterator<SeatChange> {
  private index = 0;
  private last: number;
  private done = false;

  constructor(private readonly parts: ChangeStreamParts) {
    this.last = parts.afterVersion;
  }

  async next(): Promise<IteratorResult<SeatChange>> {
    const { replay, live } = this.parts;
    while (!this.done && this.index < replay.length) {
      const change = replay[this.index++] as SeatChange;
      if (this.wants(change)) return this.yield(change);
    }
    while (!this.done && live) {
      const step = await live.next();
      if (step.done) break;
      if (this.wants(step.value)) return this.yield(step.value);
    }
    return this.finish();
  }

  async return(): Promise<IteratorResult<SeatChange>> {
    return this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SeatChange> {
    return this;
  }

  private wants(change: SeatChange): boolean {
    if (change.version <= this.last) return false;
    // Every version counts as seen, filtered out or not.
    this.last = change.version;
    return this.parts.seatIds === null || this.parts.seatIds.has(change.seat.id);
  }

  private yield(change: SeatChange): IteratorResult<SeatChange> {
    this.parts.onYield?.(change.version);
    return { value: change, done: false };
  }

  private async finish(): Promise<IteratorResult<SeatChange>> {
    if (!this.done) {
      this.done = true;
      await this.parts.live?.return?.();
    }
    return { value: undefined, done: true };
  }
}
