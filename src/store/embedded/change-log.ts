import { ChangesUnavailableError } from '../../domain/errors.js';
import { isAreaChange, SEAT_STATUSES, type AreaChange, type EventChange, type Seat, type SeatChangeReason, type SeatStatus } from '../../domain/model.js';

const REASONS: readonly SeatChangeReason[] = ['LOCKED', 'RELEASED', 'EXPIRED', 'BOOKED', 'BLOCKED', 'UNBLOCKED', 'CANCELLED'];
const STATUS_CODE = new Map(SEAT_STATUSES.map((status, code) => [status, code]));
const REASON_CODE = new Map(REASONS.map((reason, code) => [reason, code]));

/** What the ring holds in place of a seat's index for an area change. */
const AREA_CHANGE = -2;

/** An event's seats, by their index in the layout: what a logged change names. */
export interface LoggedSeats {
  readonly eventId: string;
  indexOf(seatId: string): number | undefined;
  /** The seat at a layout index, in the state a change left it. */
  seatAt(index: number, status: SeatStatus, lockExpiresAt: Date | null): Seat;
}

/**
 * The last changes of one event, for subscribers that resume after a version: a ring of at
 * most `capacity` changes, oldest first. It knows from which version on it is complete (its
 * floor): changes at or below it were trimmed, or happened before the log began.
 *
 * Kept compact, as every event of a busy house keeps 10,000 changes: per change its seat's
 * layout index (Int32), status, previous status and reason (a byte each, as indexes into
 * SEAT_STATUSES and REASONS), when it happened and the lock's expiry (Float64, NaN for none):
 * 27 bytes instead of a few hundred for the objects it is read back into. Area changes are rare
 * (one per area an operation touches, where a seat change is one per seat) and are kept as they
 * are, beside the ring, under their version.
 */
export class ChangeLog {
  private seat = new Int32Array(0);
  private codes = new Uint8Array(0);
  private times = new Float64Array(0);
  private start = 0;
  private count = 0;
  private readonly areaChanges = new Map<number, AreaChange>();

  /**
   * @param capacity how many changes are kept (`CHANGE_LOG_SIZE`).
   * @param floor the event's version when the log begins: changes after it are all logged.
   */
  constructor(
    private readonly seats: LoggedSeats,
    private readonly capacity: number,
    private floor: number,
  ) {}

  /** Logs the change of the next version; the oldest goes once the log is full. */
  append(change: EventChange): void {
    if (this.count === this.capacity) {
      this.floor++;
      this.areaChanges.delete(this.floor);
      this.start = (this.start + 1) % this.seat.length;
      this.count--;
    } else if (this.count === this.seat.length) {
      this.grow();
    }
    const slot = (this.start + this.count) % this.seat.length;
    this.count++;
    if (isAreaChange(change)) {
      this.seat[slot] = AREA_CHANGE;
      this.areaChanges.set(change.version, change);
      return;
    }
    this.seat[slot] = this.seats.indexOf(change.seat.id) ?? -1;
    this.codes[slot * 3] = STATUS_CODE.get(change.seat.status) ?? 0;
    this.codes[slot * 3 + 1] = STATUS_CODE.get(change.previousStatus) ?? 0;
    this.codes[slot * 3 + 2] = REASON_CODE.get(change.reason) ?? 0;
    this.times[slot * 2] = change.at.getTime();
    this.times[slot * 2 + 1] = change.seat.lockExpiresAt?.getTime() ?? Number.NaN;
  }

  /**
   * Every change above `afterVersion`, oldest first, given the event is at `version` now.
   * @throws ChangesUnavailableError when the log no longer reaches back to it, or it is ahead of `version`.
   */
  since(afterVersion: number, version: number): EventChange[] {
    const { eventId } = this.seats;
    if (afterVersion > version || afterVersion < this.floor) {
      throw new ChangesUnavailableError(eventId, afterVersion, version, this.floor);
    }
    const changes: EventChange[] = [];
    for (let position = afterVersion - this.floor; position < this.count; position++) {
      const slot = (this.start + position) % this.seat.length;
      const areaChange = this.seat[slot] === AREA_CHANGE ? this.areaChanges.get(this.floor + position + 1) : undefined;
      if (areaChange) {
        changes.push(areaChange);
        continue;
      }
      const expiresAt = this.times[slot * 2 + 1] as number;
      changes.push({
        eventId,
        seat: this.seats.seatAt(
          this.seat[slot] as number,
          SEAT_STATUSES[this.codes[slot * 3] as number] as SeatStatus,
          Number.isNaN(expiresAt) ? null : new Date(expiresAt),
        ),
        previousStatus: SEAT_STATUSES[this.codes[slot * 3 + 1] as number] as SeatStatus,
        reason: REASONS[this.codes[slot * 3 + 2] as number] as SeatChangeReason,
        version: this.floor + position + 1,
        at: new Date(this.times[slot * 2] as number),
      });
    }
    return changes;
  }

  private grow(): void {
    const size = Math.min(this.capacity, Math.max(64, this.seat.length * 2));
    const seat = new Int32Array(size);
    const codes = new Uint8Array(size * 3);
    const times = new Float64Array(size * 2);
    for (let position = 0; position < this.count; position++) {
      const from = (this.start + position) % this.seat.length;
      seat[position] = this.seat[from] as number;
      codes.set(this.codes.subarray(from * 3, from * 3 + 3), position * 3);
      times.set(this.times.subarray(from * 2, from * 2 + 2), position * 2);
    }
    this.seat = seat;
    this.codes = codes;
    this.times = times;
    this.start = 0;
  }
}
