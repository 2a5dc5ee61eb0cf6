import { ChangesUnavailableError } from '../domain/errors.js';
import type { SeatChange } from '../domain/model.js';

/**
 * The last changes of one event, for subscribers that resume after a version: a ring of at
 * most `capacity` changes, oldest first. It knows from which version on it is complete (its
 * floor): changes at or below it were trimmed, or happened before the log began.
 */
export class ChangeLog {
  private ring: (SeatChange | undefined)[];
  private start = 0;
  private count = 0;

  /**
   * @param capacity how many changes are kept (`CHANGE_LOG_SIZE`).
   * @param floor the event's version when the log begins: changes after it are all logged.
   */
  constructor(
    private readonly capacity: number,
    private floor: number,
  ) {
    this.ring = new Array<SeatChange | undefined>(Math.min(capacity, 1024));
  }

  /** Logs the change of the next version; the oldest goes once the log is full. */
  append(change: SeatChange): void {
    if (this.count === this.capacity) {
      this.floor = (this.ring[this.start] as SeatChange).version;
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.ring.length;
      this.count--;
    } else if (this.count === this.ring.length) {
      this.grow();
    }
    this.ring[(this.start + this.count) % this.ring.length] = change;
    this.count++;
  }

  /**
   * Every change above `afterVersion`, oldest first, given the event is at `version` now.
   * @throws ChangesUnavailableError when the log no longer reaches back to it, or it is ahead of `version`.
   */
  since(eventId: string, afterVersion: number, version: number): SeatChange[] {
    if (afterVersion > version || afterVersion < this.floor) {
      throw new ChangesUnavailableError(eventId, afterVersion, version, this.floor);
    }
    const changes: SeatChange[] = [];
    const skip = afterVersion - this.floor;
    for (let index = skip; index < this.count; index++) {
      changes.push(this.ring[(this.start + index) % this.ring.length] as SeatChange);
    }
    return changes;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.ring.length * 2);
    const grown = new Array<SeatChange | undefined>(size);
    for (let index = 0; index < this.count; index++) grown[index] = this.ring[(this.start + index) % this.ring.length];
    this.ring = grown;
    this.start = 0;
  }
}
