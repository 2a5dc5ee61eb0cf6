import type { WaitingRooms } from './waiting-room.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import type { ERROR_ORDER } from './error-order.js';
import type {
  Area,
  Booking,
  EventChange,
  EventDefinition,
  EventSummary,
  EventUpdate,
  Hold,
  Seat,
  SeatBlock,
  SeatRelease,
  SeatStatus,
} from '../domain/model.js';

/** Limits every store applies to holds. */
export interface HoldPolicy {
  /** How long a lock lasts, and how far `extendHold` pushes `expiresAt`. */
  readonly lockTtlMs: number;
  /** The lifetime cap of a hold, from its creation. */
  readonly holdMaxMs: number;
  /** Most seats one hold may have, counting seats added later and places of areas. */
  readonly maxSeatsPerHold: number;
  /** Most seats (and places) of one event one client may hold locked at once, across its holds; 0: no cap. */
  readonly maxSeatsPerClient: number;
}

export interface LockSeatsInput {
  readonly eventId: string;
  readonly seatIds: readonly string[];
  /** Adds the seats to this hold; without it a new hold is made. */
  readonly holdToken?: string | null | undefined;
  /** Who asks: a new hold belongs to this client, for the per-client cap. */
  readonly clientId?: string | null | undefined;
  /** Whether the caller showed a valid admission to the event (checked above the store); needed while its waiting room is on. */
  readonly admitted?: boolean | undefined;
}

export interface LockBestAvailableInput {
  readonly eventId: string;
  /** How many seats: 1 to `maxSeatsPerHold`. */
  readonly count: number;
  /** Only seats of the section of this name. */
  readonly section?: string | null | undefined;
  /** Only seats of these price categories (keys). */
  readonly categories?: readonly string[] | null | undefined;
  /** How many of the seats must be wheelchair spaces (0 to count). */
  readonly accessible?: number | null | undefined;
  /** Adds the seats to this hold; without it a new hold is made. */
  readonly holdToken?: string | null | undefined;
  readonly clientId?: string | null | undefined;
  readonly admitted?: boolean | undefined;
}

export interface LockAreaPlacesInput {
  readonly eventId: string;
  readonly areaId: string;
  /** How many places: 1 to `maxSeatsPerHold`; each call adds this many (a retry is not a no-op). */
  readonly quantity: number;
  /** Adds the places to this hold; without it a new hold is made. */
  readonly holdToken?: string | null | undefined;
  readonly clientId?: string | null | undefined;
  readonly admitted?: boolean | undefined;
}

/** How many places of an area the box office holds back (off sale). */
export interface AreaBlockInput {
  readonly eventId: string;
  readonly areaId: string;
  /** 0 to the area's capacity: the places held back after the call, whatever they were before. */
  readonly blocked: number;
}

export interface HoldSeatInput {
  readonly eventId: string;
  readonly seatId: string;
  readonly holdToken: string;
}

export interface ConfirmSeatInput extends HoldSeatInput {
  /** The host application's order reference, kept on the booking (1 to 200 characters). */
  readonly orderId?: string | null | undefined;
}

/** Seats of one event, for the admin operations. */
export interface EventSeatsInput {
  readonly eventId: string;
  readonly seatIds: readonly string[];
}

export interface ConfirmHoldInput {
  readonly holdToken: string;
  /** The host application's order reference, kept on the booking (1 to 200 characters). */
  readonly orderId?: string | null | undefined;
}

/**
 * The state of every event, seat, hold and booking. Every mutation is atomic and either applies
 * completely or throws a {@link SeatlockError} subclass having changed nothing; every applied
 * seat change is published on the store's PubSub after the mutation, in version order.
 *
 * Checks run in the one documented order, so exactly one error is chosen when several apply:
 * {@link ERROR_ORDER} (src/store/error-order.ts), which every store follows and the model test
 * holds them to.
 */
export interface SeatStore {
  listEvents(): Promise<EventSummary[]>;
  getEvent(eventId: string): Promise<EventSummary | null>;
  /** @throws EventNotFoundError */
  listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]>;
  /** A hold for its bearer; null for a token never issued (or forgotten). */
  getHold(holdToken: string): Promise<Hold | null>;
  /** A booking by its id (kept for good); null for an id never issued. */
  getBooking(bookingId: string): Promise<Booking | null>;
  /**
   * Every change of the event above `afterVersion`, in version order: the replay of a
   * subscriber that resumes. Every store keeps at least the last `CHANGE_LOG_SIZE` changes of
   * each event. Changes published after this call began may be in it too (subscribers drop
   * versions they have). @throws EventNotFoundError, ChangesUnavailableError
   */
  changesSince(eventId: string, afterVersion: number): Promise<EventChange[]>;

  lockSeats(input: LockSeatsInput): Promise<Hold>;
  /**
   * Locks the `count` best available seats (see `chooseBestSeats`) like `lockSeats` would, with
   * its checks and limits. @throws NotEnoughSeatsError when fewer are available.
   */
  lockBestAvailable(input: LockBestAvailableInput): Promise<Hold>;
  /**
   * Locks `quantity` places of a general admission area into a new hold or the one given, with
   * the checks and limits of `lockSeats` (places count as seats). One change of the area.
   * @throws AreaNotFoundError, NotEnoughPlacesError when fewer are available.
   */
  lockAreaPlaces(input: LockAreaPlacesInput): Promise<Hold>;
  /** A retry returns the booking that already holds the seat, with the first `orderId`. */
  confirmSeat(input: ConfirmSeatInput): Promise<Booking>;
  /** A retry returns the same booking, with the first `orderId`. */
  confirmHold(input: ConfirmHoldInput): Promise<Booking>;
  releaseSeat(input: HoldSeatInput): Promise<SeatRelease>;
  releaseHold(holdToken: string): Promise<SeatRelease>;
  extendHold(holdToken: string): Promise<Hold>;

  // The admin API (the box office); the schema lets only the admin token reach these.

  /** Makes an event from a checked layout, with every seat AVAILABLE. @throws EventExistsError */
  createEvent(definition: EventDefinition): Promise<EventSummary>;
  /**
   * Renames the event or opens and closes its sales; a name given here outlives a restart (it
   * wins over the event's name in EVENTS_FILE). @throws EventNotFoundError
   */
  updateEvent(eventId: string, update: EventUpdate): Promise<EventSummary>;
  /**
   * Forgets an event that never had a booking and has no locked seat, with its layout and ended
   * holds; its subscriptions end. Events the store was started with (EVENTS_FILE) are refused,
   * as the next start would make them again. Answers the event as it was.
   * @throws EventNotFoundError, EventNotRemovableError
   */
  removeEvent(eventId: string): Promise<EventSummary>;
  /**
   * AVAILABLE seats become BLOCKED (off sale), all or nothing; seats already BLOCKED stay so.
   * @throws SeatUnavailableError naming the LOCKED and BOOKED seats among them.
   */
  blockSeats(input: EventSeatsInput): Promise<SeatBlock>;
  /** BLOCKED seats become AVAILABLE; the others are left as they are (a retry changes nothing). */
  unblockSeats(input: EventSeatsInput): Promise<SeatBlock>;
  /**
   * Holds back `blocked` places of the area (an absolute number: a retry changes nothing); one
   * change of the area when the number moves. Answers the area.
   * @throws AreaNotFoundError, InvalidSeatSelectionError (blocked outside 0..capacity),
   * NotEnoughPlacesError when more would be held back than are not locked or booked.
   */
  setAreaBlocked(input: AreaBlockInput): Promise<Area>;
  /**
   * The booking becomes CANCELLED and its seats and places available; a retry answers the same booking.
   * @throws BookingNotFoundError
   */
  cancelBooking(bookingId: string): Promise<Booking>;
  /** The bookings of an event, or of one order of it, oldest first. @throws EventNotFoundError */
  listBookings(eventId: string, orderId?: string | null): Promise<Booking[]>;

  /** Webhook endpoints and their outbox, written in the same commit as each change it tells of. */
  readonly webhooks: WebhookOutbox;

  /** Waiting rooms and their tickets; the store publishes `queueProgress`. */
  readonly waitingRooms: WaitingRooms;

  /** Active holds by event id (events without any are left out), for `/metrics`. */
  activeHoldCounts(): Promise<Map<string, number>>;

  /** Readiness: false while the store cannot serve (a lost connection). */
  isReady(): Promise<boolean>;
  /**
   * Settles once the store can serve all it was opened for (Redis: connected, and its change
   * feed reading from where the streams end, so no change published later is missed), or after
   * `waitMs` when it cannot yet: the server then starts anyway and `/ready` answers 503 until
   * it can. Never rejects.
   */
  opened(waitMs: number): Promise<void>;
  /** Stops timers and connections; the store serves nothing afterwards. */
  close(): Promise<void>;
}
