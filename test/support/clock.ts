import type { Clock } from '../../src/store/clock.js';

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-12-01T19:00:00.000Z')) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
