import { isAreaChange, type EventChange, type SeatStatus } from '../../domain/model.js';
import { waitAtMost } from '../../lib/wait.js';
import { seatingPlan, type SeatingPlan } from '../best-available.js';
import type { LayoutIndex } from './layout-index.js';

/** An event's seat states as Redis had them at `version`. */
export interface SeatSnapshot {
  readonly version: number;
  readonly statuses: ReadonlyMap<string, SeatStatus>;
}

/** One event as this instance sees it: which seats are available, at which version. */
export interface MirroredEvent {
  readonly plan: SeatingPlan;
  /** 1 where the seat (by layout index) is AVAILABLE. */
  readonly available: Uint8Array;
  readonly indexOf: ReadonlyMap<string, number>;
  version: number;
}

interface Entry {
  event: MirroredEvent | null;
  loading: Promise<MirroredEvent> | null;
  /** Changes that came while the snapshot loaded. */
  held: EventChange[] | null;
  waiters: { version: number; resolve: () => void }[];
}

/** How long a choice waits for the change feed to bring the mirror up to date before reading Redis afresh. */
const CATCH_UP_MS = 250;

/**
 * What this instance knows of each event's seats, for best available: loaded from Redis once,
 * then kept up by the change feed. It is a hint, not the truth: the choice it allows is locked by
 * the atomic script, which refuses seats taken meanwhile; a choice waits until the mirror has
 * caught up with the event's version, so it is the best at that moment.
 */
export class SeatMirror {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly layout: LayoutIndex,
    private readonly readSeats: (eventId: string) => Promise<SeatSnapshot>,
  ) {}

  /** Every change the feed publishes, in version order per event (area changes move the version only). */
  observe(change: EventChange): void {
    const entry = this.entries.get(change.eventId);
    if (!entry) return;
    if (entry.held) entry.held.push(change);
    else if (entry.event) this.apply(entry, entry.event, change);
  }

  /** The event's mirror at `version` or later (read afresh if the feed does not bring it there soon). */
  async at(eventId: string, version: number): Promise<MirroredEvent> {
    const entry = this.entries.get(eventId) ?? { event: null, loading: null, held: null, waiters: [] };
    this.entries.set(eventId, entry);
    let event = entry.event ?? (await this.load(eventId, entry));
    if (event.version >= version) return event;
    await waitAtMost(new Promise<void>((resolve) => entry.waiters.push({ version, resolve })), CATCH_UP_MS);
    event = entry.event ?? event;
    if (event.version >= version) return event;
    entry.event = null;
    return this.load(eventId, entry);
  }

  /** Seats found taken by a refused lock: not chosen again before the feed says otherwise. */
  taken(eventId: string, seatIds: readonly string[]): void {
    const event = this.entries.get(eventId)?.event;
    if (!event) return;
    for (const seatId of seatIds) {
      const index = event.indexOf.get(seatId);
      if (index !== undefined) event.available[index] = 0;
    }
  }

  forget(eventId: string): void {
    this.entries.delete(eventId);
  }

  private load(eventId: string, entry: Entry): Promise<MirroredEvent> {
    entry.loading ??= (async () => {
      entry.held = [];
      try {
        const definition = this.layout.event(eventId);
        if (!definition) throw new Error(`event ${eventId} is not known here`);
        const snapshot = await this.readSeats(eventId);
        const available = new Uint8Array(definition.seats.length);
        definition.seats.forEach((seat, index) => {
          available[index] = (snapshot.statuses.get(seat.id) ?? 'AVAILABLE') === 'AVAILABLE' ? 1 : 0;
        });
        const event: MirroredEvent = {
          plan: seatingPlan(definition),
          available,
          indexOf: new Map(definition.seats.map((seat, index) => [seat.id, index])),
          version: snapshot.version,
        };
        const held = entry.held;
        entry.held = null;
        entry.event = event;
        for (const change of held) this.apply(entry, event, change);
        return event;
      } finally {
        entry.held = null;
        entry.loading = null;
      }
    })();
    return entry.loading;
  }

  private apply(entry: Entry, event: MirroredEvent, change: EventChange): void {
    if (change.version <= event.version) return;
    if (!isAreaChange(change)) {
      const index = event.indexOf.get(change.seat.id);
      if (index !== undefined) event.available[index] = change.seat.status === 'AVAILABLE' ? 1 : 0;
    }
    event.version = change.version;
    entry.waiters = entry.waiters.filter((waiter) => {
      if (waiter.version > event.version) return true;
      waiter.resolve();
      return false;
    });
  }
}
