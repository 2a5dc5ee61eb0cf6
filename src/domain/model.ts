/** Status of one seat, as every client sees it. BLOCKED: kept off sale by the box office. */
export type SeatStatus = 'AVAILABLE' | 'LOCKED' | 'BOOKED' | 'BLOCKED';

export const SEAT_STATUSES: readonly SeatStatus[] = ['AVAILABLE', 'LOCKED', 'BOOKED', 'BLOCKED'];

/** Why a seat changed. BLOCKED, UNBLOCKED and CANCELLED come from the admin API. */
export type SeatChangeReason = 'LOCKED' | 'RELEASED' | 'EXPIRED' | 'BOOKED' | 'BLOCKED' | 'UNBLOCKED' | 'CANCELLED';

/** Lifecycle of a hold: only an ACTIVE hold can gain, lose or book seats. */
export type HoldStatus = 'ACTIVE' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';

/** An amount of money: a decimal string (e.g. "45.00") and an ISO 4217 currency code. */
export interface Money {
  readonly amount: string;
  readonly currencyCode: string;
}

/** A price band of an event: seats of one category cost the same. */
export interface Category {
  readonly key: string;
  readonly label: string;
  /** `#rrggbb`, for maps and legends. */
  readonly color: string;
  readonly price: Money | null;
}

/** A seat of the layout, before any booking state is attached. */
export interface SeatDefinition {
  readonly id: string;
  readonly label: string;
  readonly section: string | null;
  readonly row: string | null;
  readonly number: number | null;
  /** Best available takes rows of a lower rank first; absent: after every ranked row, in layout order. */
  readonly rank?: number;
  /** The key of its price category, of the event's categories. */
  readonly categoryKey?: string;
  /** A wheelchair space. */
  readonly accessible?: boolean;
  /** A seat for the companion of someone in a wheelchair space. */
  readonly companion?: boolean;
  readonly restrictedView?: boolean;
  /**
   * Where to draw it, in seat widths: x from the venue's left edge, y from the stage (rows are
   * 1 apart, sections 1.5 apart; aisles are gaps of 1 in x). Set by the layout parser.
   */
  readonly x?: number;
  readonly y?: number;
}

/**
 * A general admission area of the layout (a standing floor, a lawn, a pit): places sold by
 * quantity, not by seat.
 */
export interface AreaDefinition {
  /** A slug, unique in the event. */
  readonly id: string;
  readonly name: string;
  /** How many places it has. */
  readonly capacity: number;
  /** The key of its price category, of the event's categories. */
  readonly categoryKey?: string;
  /** Where to draw it, in seat widths like a seat's x and y: its top left corner, width and height. Set by the layout parser. */
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
}

/** An event and its seat layout, as loaded from `EVENTS_FILE` or the demo. */
export interface EventDefinition {
  readonly id: string;
  readonly name: string;
  readonly seats: readonly SeatDefinition[];
  /** Its general admission areas, in layout order; none when absent. */
  readonly areas?: readonly AreaDefinition[];
  /** Its price categories; none: every seat has no category. */
  readonly categories?: readonly Category[];
  /** What the seats face (drawn above the first row), e.g. "Stage"; absent: nothing drawn. */
  readonly stage?: string;
}

/** A seat with its state at one moment. */
export interface Seat extends SeatDefinition {
  readonly eventId: string;
  /** Its price category, resolved from `categoryKey`; null when it has none. */
  readonly category: Category | null;
  readonly status: SeatStatus;
  /** When the lock on a LOCKED seat runs out; null otherwise. */
  readonly lockExpiresAt: Date | null;
}

/** Places of an area by status: `available` is the capacity less the others. */
export interface AreaCounts {
  readonly available: number;
  readonly locked: number;
  readonly booked: number;
  /** Held back by the box office. */
  readonly blocked: number;
}

/** An area with its counts at one moment. */
export interface Area extends AreaDefinition, AreaCounts {
  readonly eventId: string;
  /** Its price category, resolved from `categoryKey`; null when it has none. */
  readonly category: Category | null;
}

/** Places of one area in a hold or a booking. */
export interface AreaPlaces {
  /** The area, with its counts now. */
  readonly area: Area;
  readonly quantity: number;
}

/** Number of seats of an event by status. */
export interface SeatCounts {
  readonly available: number;
  readonly locked: number;
  readonly booked: number;
  readonly blocked: number;
  readonly total: number;
}

/** An event with its current version and counts (seats are read separately). */
export interface EventSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly counts: SeatCounts;
  /** False once the box office closed sales: no seat can be locked (holds made before may still be confirmed). */
  readonly salesOpen: boolean;
  readonly categories: readonly Category[];
  /** What the seats face, drawn above the first row; null: nothing. */
  readonly stage: string | null;
  /** Its general admission areas with their counts, in layout order. */
  readonly areas: readonly Area[];
}

/** What the box office may change of an event while it runs; a field left out stays as it is. */
export interface EventUpdate {
  readonly name?: string | null | undefined;
  readonly salesOpen?: boolean | null | undefined;
}

/** Why an event cannot be removed. */
export type EventRemovalBlocker = 'HAS_BOOKINGS' | 'HAS_LOCKED_SEATS' | 'IN_EVENTS_FILE';

/** What the bearer of a hold token sees of the hold. */
export interface Hold {
  readonly token: string;
  readonly eventId: string;
  readonly status: HoldStatus;
  /** Seats locked by the hold or booked from it, in the order they were added. */
  readonly seats: readonly Seat[];
  /** Places locked by the hold or booked from it, by area in layout order. */
  readonly areaPlaces: readonly AreaPlaces[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** The lifetime cap: `extendHold` never moves `expiresAt` past it. */
  readonly maxExpiresAt: Date;
}

/** A booking is CONFIRMED when made; CANCELLED gives its seats back (the admin API). */
export type BookingStatus = 'CONFIRMED' | 'CANCELLED';

/** The confirmed result of a hold (or of one seat of it); kept for good. */
export interface Booking {
  /** Unguessable: the buyer's receipt, enough to read the booking back. */
  readonly id: string;
  readonly eventId: string;
  readonly seats: readonly Seat[];
  /** Its places, by area in layout order. */
  readonly areaPlaces: readonly AreaPlaces[];
  readonly confirmedAt: Date;
  readonly status: BookingStatus;
  /** The host application's order or payment reference, from the first confirm. */
  readonly orderId: string | null;
}

/** The seats an admin blocked or unblocked, each as it is after the call. */
export interface SeatBlock {
  readonly eventId: string;
  readonly seats: readonly Seat[];
}

/** Seats and places given back by a release; empty when a retried release found nothing left. */
export interface SeatRelease {
  readonly eventId: string;
  readonly seats: readonly Seat[];
  /** Places given back, by area (releaseHold). */
  readonly areaPlaces: readonly AreaPlaces[];
}

/** One applied seat change, as published to subscribers. */
export interface SeatChange {
  readonly eventId: string;
  readonly seat: Seat;
  readonly previousStatus: SeatStatus;
  readonly reason: SeatChangeReason;
  /** The event version this change produced. */
  readonly version: number;
  readonly at: Date;
}

/** One applied change of an area's places, as published to subscribers: one per area an operation touches. */
export interface AreaChange {
  readonly eventId: string;
  /** The area right after the change. */
  readonly area: Area;
  /** How many places changed. */
  readonly quantity: number;
  readonly reason: SeatChangeReason;
  /** The event version this change produced (seat and area changes share the counter). */
  readonly version: number;
  readonly at: Date;
}

/** A change of an event: of one seat, or of one area's places. */
export type EventChange = SeatChange | AreaChange;

export function isAreaChange(change: EventChange): change is AreaChange {
  return 'area' in change;
}
