import type { Clock } from '../lib/clock.js';
import type { SeatlockPubSub } from './pubsub.js';
import { nextStepAt, settledCopy, type RoomState } from './queue-schedule.js';
import { progressOf } from './waiting-room.js';

/** Steps closer together than this go out as one message (a room admitting 6,000 a minute). */
const MIN_GAP_MS = 200;
/** A line that only grew is told at most this often; and how often a room is looked at at most. */
const QUIET_GAP_MS = 1_000;

export interface QueueProgressTickerOptions {
  readonly clock: Clock;
  readonly pubsub: SeatlockPubSub;
  /** The room as stored (Redis: read from it; every instance tells its own watchers). */
  readonly roomState: (eventId: string) => Promise<RoomState | null>;
  readonly log?: (message: string) => void;
}

/**
 * Publishes `queueProgress` for the rooms someone watches: one message per step for all of them,
 * never one per ticket. Steps follow from the schedule, so nothing announces them: the ticker
 * wakes at each room's next step (no sooner than every 200 ms, and at least every second, when
 * admins act or the line grows) and publishes what moved. On Redis each instance does this for
 * its own watchers from the shared state.
 */
export class QueueProgressTicker {
  private readonly told = new Map<string, { key: string; at: number; waiting: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private closed = false;

  constructor(private readonly options: QueueProgressTickerOptions) {}

  /** Looks at the rooms now (an admin changed one, or someone began to watch). */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    this.running = true;
    const { clock, pubsub, roomState } = this.options;
    let wake = QUIET_GAP_MS;
    const watched = pubsub.listening('queueProgress');
    for (const eventId of this.told.keys()) if (!watched.includes(eventId)) this.told.delete(eventId);
    for (const eventId of watched) {
      let stored: RoomState | null;
      try {
        stored = await roomState(eventId);
      } catch (error) {
        this.options.log?.(`seatlock: could not read the waiting room of ${eventId}: ${String(error)}`);
        continue;
      }
      if (stored === null || this.closed) continue;
      const now = clock.now();
      const room = settledCopy(stored, now);
      const progress = progressOf(eventId, room, now);
      const key = `${progress.nowServing}|${progress.paused}|${progress.admitPerMinute}`;
      const last = this.told.get(eventId);
      const moved = last?.key !== key;
      const grew = last !== undefined && last.waiting !== progress.waiting && now - last.at >= QUIET_GAP_MS;
      if (moved || grew) {
        pubsub.publish('queueProgress', eventId, progress);
        this.told.set(eventId, { key, at: now, waiting: progress.waiting });
      }
      const next = nextStepAt(room, now);
      if (next !== null) wake = Math.min(wake, Math.max(MIN_GAP_MS, next - now));
    }
    this.running = false;
    if (this.closed) return;
    if (this.again) {
      this.again = false;
      wake = 0;
    }
    this.timer = setTimeout(() => void this.tick(), wake);
    this.timer.unref();
  }
}
