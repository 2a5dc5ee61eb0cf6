import type { StoredWaitingRooms, WaitingRoomEffects } from './waiting-rooms.js';
import type { StoredWebhooks, WebhookEffects } from './webhooks.js';
import type { BookingStatus, EventChange, EventDefinition, HoldStatus, SeatStatus } from '../../domain/model.js';
import type { AreaRecord, BookingRecord, EventRecord, HoldRecord, SeatRecord } from './records.js';

/** One seat's state as stored: what a restart needs to put it back. */
export interface StoredSeat {
  readonly id: string;
  readonly status: SeatStatus;
  readonly holdToken: string | null;
  readonly bookingId: string | null;
}

/** One area's places as stored (its capacity is in the layout). */
export interface StoredArea {
  readonly id: string;
  readonly locked: number;
  readonly booked: number;
  readonly blocked: number;
}

/** Places of areas, as `[areaId, quantity]` pairs in layout order. */
export type StoredPlaces = readonly (readonly [areaId: string, quantity: number])[];

export interface StoredEvent {
  readonly definition: EventDefinition;
  readonly nameFromAdmin: boolean;
  readonly salesOpen: boolean;
  readonly version: number;
  /** Every seat of the layout, in layout order. */
  readonly seats: readonly StoredSeat[];
  /** Its areas' places (areas never stored have none taken). */
  readonly areas: readonly StoredArea[];
  /** Its last changes (up to the change log's size), oldest first, ending at `version`. */
  readonly changes: readonly EventChange[];
}

export interface StoredHold {
  readonly token: string;
  readonly eventId: string;
  readonly client: string | null;
  readonly status: HoldStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxExpiresAt: number;
  readonly endedAt: number | null;
  /** Seats locked by the hold or booked from it, in the order they were added. */
  readonly seatIds: readonly string[];
  readonly releasedSeatIds: readonly string[];
  readonly areaPlaces: StoredPlaces;
  /** The booking `confirmHold` made. */
  readonly holdBookingId: string | null;
}

export interface StoredBooking {
  readonly id: string;
  readonly eventId: string;
  readonly holdToken: string;
  readonly seatIds: readonly string[];
  readonly areaPlaces: StoredPlaces;
  readonly confirmedAt: number;
  readonly orderId: string | null;
  readonly status: BookingStatus;
}

/** Everything a persistence layer keeps; the embedded store rebuilds its state from it. */
export interface StoredState {
  readonly events: readonly StoredEvent[];
  readonly holds: readonly StoredHold[];
  readonly bookings: readonly StoredBooking[];
  readonly webhooks: StoredWebhooks;
  readonly waitingRooms: StoredWaitingRooms;
}

/** What one atomic step of the embedded store changed, to be written as one transaction. */
export interface StepEffects {
  /** Events new in this step: their layout and every seat are written. */
  readonly createdEvents: ReadonlySet<EventRecord>;
  /** Events renamed, or whose sales opened or closed. */
  readonly updatedEvents: ReadonlySet<EventRecord>;
  /** Events that took a new layout of the same seats (ranks, categories, geometry: from EVENTS_FILE, at start). */
  readonly relaidEvents: ReadonlySet<EventRecord>;
  /** Events removed: their rows go, and no other effect of theirs is written. */
  readonly removedEvents: ReadonlySet<EventRecord>;
  /** Seats that changed; their events' versions are kept with them. */
  readonly seats: ReadonlySet<SeatRecord>;
  /** Areas whose places changed; their events' versions are kept with them too. */
  readonly areas: ReadonlySet<AreaRecord>;
  readonly holds: ReadonlySet<HoldRecord>;
  /** Ended holds whose tokens are now forgotten. */
  readonly forgottenHolds: ReadonlySet<HoldRecord>;
  readonly bookings: ReadonlySet<BookingRecord>;
  /** The seat and area changes of the step, in version order, for the change log. */
  readonly changes: readonly EventChange[];
  /** Webhook endpoints, messages and deliveries: a message is written with the change it tells of. */
  readonly webhooks: WebhookEffects;
  /** Waiting rooms and their tickets: a ticket is answered once it is written. */
  readonly waitingRooms: WaitingRoomEffects;
}

/**
 * Where the embedded store keeps its state durably. Every call is synchronous, so a step is
 * written in the same turn of the event loop that applied it, before anyone is answered.
 */
export interface EmbeddedPersistence {
  /** Whether this start made the store (a new data file): the demo event goes only into such a one. */
  readonly createdNow: boolean;
  /**
   * Everything stored, read once when the store opens (and again after a failed write), with
   * the last `changeLogSize` changes of each event.
   */
  load(changeLogSize: number): StoredState;
  /** Writes one step's effects atomically; throws having written nothing if it cannot. */
  write(effects: StepEffects): void;
  /** Writes something that changes nothing, to learn whether writes work again (after a full disk); throws if not. */
  probeWrite(): void;
  /**
   * Saves a copy of what is stored beside where the data file was, when it was taken away
   * under the running server; answers its path (null: nowhere to keep one).
   */
  rescue(): Promise<string | null>;
  close(): Promise<void>;
}

/** A data file that cannot be used; the message names the file and says it was not changed. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

/**
 * The data file was deleted, moved away or replaced while the server ran: what it would write
 * now would be gone at the next start, so nothing more may be answered.
 */
export class DataFileGoneError extends DataFileError {
  constructor(readonly path: string) {
    super(`DATA_FILE ${path} was deleted, moved or replaced while the server ran`);
  }
}
