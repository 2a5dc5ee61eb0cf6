import type { Clock } from '../../src/lib/clock.js';

/** A clock that only moves when told to; what sleeps on it wakes when it has moved far enough. */
export class ManualClock implements Clock {
  private sleepers: { until: number; wake: () => void }[] = [];

  constructor(private current = Date.parse('2026-12-01T19:00:00.000Z')) {}

  now(): number {
    return this.current;
  }

  /** Resolves once the clock has been advanced by `ms` (a `Sleep` for code that waits on time). */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ until: this.current + ms, wake });
    });

  /** How many are asleep on this clock now. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= this.current);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > this.current);
    for (const sleeper of due) sleeper.wake();
  }
}
