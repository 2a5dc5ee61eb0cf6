import { WakeUpTimer } from '../wake-up-timer.js';

const SAFETY_SWEEP_MS = 1_000;

/**
 * Runs the sweep script for an event when one of its holds is due. It learns deadlines from
 * every script reply (the event's earliest deadline, in Redis time) and from LOCKED changes of
 * other instances, so expiry needs no instance in particular: if the one that took a lock dies,
 * the others sweep it on time, and the script makes sure each expiry happens once. A sweep of
 * every event each second catches anything the hints missed.
 */
export class ExpirySweeper {
  /** Earliest known deadline per event, in Redis milliseconds. */
  private readonly hints = new Map<string, number>();
  /** Redis time minus local time, from the latest reply. */
  private offset = 0;
  private readonly timer: WakeUpTimer;
  private readonly safety: NodeJS.Timeout;
  private sweeping = false;

  private readonly eventIds: Set<string>;

  constructor(
    eventIds: readonly string[],
    private readonly sweep: (eventId: string) => Promise<void>,
  ) {
    this.eventIds = new Set(eventIds);
    this.timer = new WakeUpTimer({ now: () => Date.now() + this.offset }, () => void this.sweepDue());
    this.safety = setInterval(() => void this.sweepAll(), SAFETY_SWEEP_MS);
    this.safety.unref();
  }

  /** Records what a script reply said: Redis's time and the event's earliest deadline. */
  observe(eventId: string, redisNow: number, next: number | null): void {
    this.offset = redisNow - Date.now();
    if (next === null) this.hints.delete(eventId);
    else this.hints.set(eventId, next);
    this.rearm();
  }

  /** A deadline learned elsewhere (another instance's lock); only ever brings a sweep forward. */
  expect(eventId: string, deadline: number): void {
    const known = this.hints.get(eventId);
    if (known === undefined || deadline < known) {
      this.hints.set(eventId, deadline);
      this.rearm();
    }
  }

  /** An event learned at runtime: the safety sweep covers it too. */
  addEvent(eventId: string): void {
    this.eventIds.add(eventId);
  }

  /** A removed event: nothing of it is left to sweep. */
  removeEvent(eventId: string): void {
    this.eventIds.delete(eventId);
    this.hints.delete(eventId);
  }

  stop(): void {
    this.timer.stop();
    clearInterval(this.safety);
  }

  private rearm(): void {
    let earliest: number | undefined;
    for (const deadline of this.hints.values()) if (earliest === undefined || deadline < earliest) earliest = deadline;
    this.timer.armFor(earliest);
  }

  private async sweepDue(): Promise<void> {
    const now = Date.now() + this.offset;
    const due = [...this.hints].filter(([, deadline]) => deadline <= now).map(([eventId]) => eventId);
    await this.sweepEvents(due);
  }

  private sweepAll(): Promise<void> {
    return this.sweepEvents([...this.eventIds]);
  }

  private async sweepEvents(eventIds: readonly string[]): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const eventId of eventIds) {
        // Redis away: forget the hint rather than retry in a loop; the safety sweep comes back.
        await this.sweep(eventId).catch(() => this.hints.delete(eventId));
      }
    } finally {
      this.sweeping = false;
      this.rearm();
    }
  }
}
