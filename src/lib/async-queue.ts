/**
 * A bounded queue read as an async iterator: producers `push` without waiting, one consumer
 * pulls. When more than `limit` values wait, the queue stops, drops them and calls
 * `onOverflow`; when the consumer returns early, `onReturn` is called. Either way it ends once.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private head = 0;
  private waiting: ((step: IteratorResult<T>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onReturn: () => void,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
    } else if (this.values.length - this.head >= this.limit) {
      this.stop();
      this.onOverflow();
    } else {
      this.values.push(value);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.values.length) {
      const value = this.values[this.head] as T;
      this.head++;
      // Compact now and then instead of shifting on every read.
      if (this.head > 1024 && this.head * 2 > this.values.length) {
        this.values.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.stop();
      this.onReturn();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the queue once the values waiting now are read; later pushes are dropped. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private stop(): void {
    this.ended = true;
    this.values.length = 0;
    this.head = 0;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }
}
