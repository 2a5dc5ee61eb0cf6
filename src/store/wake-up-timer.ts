import type { Clock } from '../lib/clock.js';

// setTimeout overflows past 2^31-1 ms and fires at once; waking early just re-arms.
const MAX_DELAY_MS = 2 ** 31 - 1;

/** One `setTimeout` for a whole deadline queue, armed for its earliest deadline. */
export class WakeUpTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: () => void,
  ) {}

  /** Arms the timer for `deadline`, or stops it when there is none. */
  armFor(deadline: number | undefined): void {
    if (deadline === this.armedFor) return;
    this.stop();
    if (deadline === undefined) return;
    this.armedFor = deadline;
    const delay = Math.min(Math.max(0, deadline - this.clock.now()), MAX_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedFor = undefined;
      this.onWake();
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }
}
