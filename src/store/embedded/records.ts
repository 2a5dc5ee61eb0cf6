import { areaView } from '../../venue/area-view.js';
import { categoriesOf, seatView } from '../../venue/seat-view.js';
import { bookedSeatStatus } from '../booking-seats.js';
import type {
  Area,
  AreaDefinition,
  AreaPlaces,
  Booking,
  Category,
  BookingStatus,
  EventDefinition,
  EventSummary,
  Hold,
  HoldStatus,
  Seat,
  SeatDefinition,
  SeatStatus,
} from '../../domain/model.js';
import { seatingPlan, type SeatingPlan } from '../best-available.js';
import { ChangeLog, type LoggedSeats } from './change-log.js';
import type { Deadlined } from './deadline-queue.js';

/** An event as the embedded store keeps it: its layout, every seat's state and its version. */
export interface EventRecord {
  /** Replaced, never changed in place, when the event is renamed. */
  definition: EventDefinition;
  /** Its price categories by key (they come with the layout). */
  categories: ReadonlyMap<string, Category>;
  /** Renamed through the admin API: the name in EVENTS_FILE no longer applies. */
  nameFromAdmin: boolean;
  salesOpen: boolean;
  readonly seats: ReadonlyMap<string, SeatRecord>;
  readonly counts: Record<SeatStatus, number>;
  /** Its general admission areas, in layout order. */
  readonly areas: ReadonlyMap<string, AreaRecord>;
  /** Seats and places each client holds locked now, for the per-client cap. */
  readonly lockedByClient: Map<string, number>;
  /** Its bookings, oldest first, and those of each order id: `bookings(eventId, orderId)`. */
  readonly bookings: BookingRecord[];
  readonly bookingsByOrder: Map<string, BookingRecord[]>;
  version: number;
  /** Its last changes, for subscribers that resume after a version. */
  changes: ChangeLog;
  /** Its rows for best available, made when first needed; seats by layout index beside it. */
  plan: { readonly rows: SeatingPlan; readonly seats: readonly SeatRecord[] } | null;
}

export interface SeatRecord {
  readonly definition: SeatDefinition;
  /** Its position in the layout. */
  readonly index: number;
  readonly event: EventRecord;
  status: SeatStatus;
  /** The hold that locks the seat; set only while LOCKED. */
  hold: HoldRecord | null;
  /** The booking that holds the seat; set only while BOOKED. */
  booking: BookingRecord | null;
  /**
   * What clients see of it now, made once and shared until the seat changes: a 100,000-seat map
   * is read over and over between changes at on-sale time. Kept only while the seat is not
   * locked (see `toSeat`); whoever changes the seat's state sets it to null.
   */
  view: Seat | null;
}

/** A general admission area: its places by status (available is what is left of the capacity). */
export interface AreaRecord {
  readonly definition: AreaDefinition;
  /** Its position among the event's areas. */
  readonly index: number;
  readonly event: EventRecord;
  locked: number;
  booked: number;
  blocked: number;
}

/** Places of one area in a hold or a booking. */
export interface PlacesRecord {
  readonly area: AreaRecord;
  quantity: number;
}

export interface BookingRecord {
  readonly id: string;
  readonly event: EventRecord;
  /** The hold it was confirmed from. */
  readonly holdToken: string;
  readonly seats: readonly SeatRecord[];
  /** Its places, by area in layout order. */
  readonly places: readonly PlacesRecord[];
  readonly confirmedAt: number;
  readonly orderId: string | null;
  status: BookingStatus;
}

export interface HoldRecord extends Deadlined {
  readonly token: string;
  readonly event: EventRecord;
  /** The client that made the hold (as `clientKey` keeps it); its seats count against its cap. */
  readonly client: string | null;
  readonly createdAt: number;
  readonly maxExpiresAt: number;
  status: HoldStatus;
  expiresAt: number;
  /** When the hold stopped being ACTIVE; its token is remembered `holdMaxMs` after that. */
  endedAt: number | null;
  /**
   * Seats locked by the hold or booked from it, in the order they were added. An array, not a
   * Map by id: a hold has a handful of seats, and at on-sale time 100,000 live holds each
   * carrying a Map's hash table are megabytes the garbage collector walks on every major pause.
   */
  readonly seats: SeatRecord[];
  /**
   * Places locked by the hold (while ACTIVE) or booked from it (once CONFIRMED), by area in
   * layout order; a release or expiry empties it.
   */
  places: PlacesRecord[];
  /** Seats given back by a release, so that a retried release succeeds (made on first use:
   * most holds never need it; an expired hold never does). */
  releasedSeatIds: string[] | null;
  bookingsBySeatId: Map<string, BookingRecord> | null;
  /** The booking `confirmHold` made, returned again on a retry. */
  holdBooking: BookingRecord | null;
}

/** A new event: every seat AVAILABLE, at version 0, logging its changes from the first. */
export function createEventRecord(definition: EventDefinition, changeLogSize: number): EventRecord {
  const seats = new Map<string, SeatRecord>();
  const event: EventRecord = {
    definition,
    categories: categoriesOf(definition),
    nameFromAdmin: false,
    salesOpen: true,
    seats,
    counts: { AVAILABLE: definition.seats.length, LOCKED: 0, BOOKED: 0, BLOCKED: 0 },
    areas: new Map(),
    lockedByClient: new Map(),
    bookings: [],
    bookingsByOrder: new Map(),
    version: 0,
    changes: new ChangeLog(
      loggedSeats(definition.id, () => event),
      changeLogSize,
      0,
    ),
    plan: null,
  };
  definition.seats.forEach((seat, index) => {
    seats.set(seat.id, { definition: seat, index, event, status: 'AVAILABLE', hold: null, booking: null, view: null });
  });
  const areas = event.areas as Map<string, AreaRecord>;
  definition.areas?.forEach((area, index) => {
    areas.set(area.id, { definition: area, index, event, locked: 0, booked: 0, blocked: 0 });
  });
  return event;
}

/** An event's seats as its change log names them (read when the log is, so the record may come later). */
export function loggedSeats(eventId: string, record: () => EventRecord): LoggedSeats {
  return {
    eventId,
    indexOf: (seatId) => record().seats.get(seatId)?.index,
    seatAt: (index, status, lockExpiresAt) => {
      const event = record();
      return seatView(event.definition.seats[index] as SeatDefinition, eventId, event.categories, status, lockExpiresAt);
    },
  };
}

/** The event's seating plan, made on first use (the layout never changes). */
export function planOf(event: EventRecord): NonNullable<EventRecord['plan']> {
  event.plan ??= {
    rows: seatingPlan(event.definition),
    seats: [...event.seats.values()],
  };
  return event.plan;
}

/** Counts seats or places a client's hold gains (+n) or loses (-n), for the per-client cap. */
export function countClientSeat(event: EventRecord, client: string | null, delta: number): void {
  if (client === null) return;
  const seats = (event.lockedByClient.get(client) ?? 0) + delta;
  if (seats > 0) event.lockedByClient.set(client, seats);
  else event.lockedByClient.delete(client);
}

/** Files a booking under its event and order, for `bookings(eventId, orderId)`. */
export function indexBooking(booking: BookingRecord): void {
  const { event, orderId } = booking;
  event.bookings.push(booking);
  if (orderId === null) return;
  const ofOrder = event.bookingsByOrder.get(orderId);
  if (ofOrder) ofOrder.push(booking);
  else event.bookingsByOrder.set(orderId, [booking]);
}

/** Seats of the hold that it still locks (not those booked or given back since). */
export function lockedSeatsOf(hold: HoldRecord): SeatRecord[] {
  return hold.seats.filter((seat) => seat.hold === hold);
}

/** Places of the area not locked, booked or held back. */
export function availablePlaces(area: AreaRecord): number {
  return area.definition.capacity - area.locked - area.booked - area.blocked;
}

/** Adds places of an area to a list kept in layout order. */
export function addPlaces(places: PlacesRecord[], area: AreaRecord, quantity: number): void {
  const existing = places.find((entry) => entry.area === area);
  if (existing) {
    existing.quantity += quantity;
    return;
  }
  const at = places.findIndex((entry) => entry.area.index > area.index);
  places.splice(at === -1 ? places.length : at, 0, { area, quantity });
}

/** Places the hold has (locked, or booked from it), all areas together. */
export function placesOf(hold: HoldRecord): number {
  let places = 0;
  for (const { quantity } of hold.places) places += quantity;
  return places;
}

export function toArea(area: AreaRecord): Area {
  const { event } = area;
  return areaView(area.definition, event.definition.id, event.categories, {
    available: availablePlaces(area),
    locked: area.locked,
    booked: area.booked,
    blocked: area.blocked,
  });
}

export function toAreaPlaces(places: readonly PlacesRecord[]): AreaPlaces[] {
  return places.map(({ area, quantity }) => ({ area: toArea(area), quantity }));
}

export function toEventSummary(event: EventRecord): EventSummary {
  const { counts } = event;
  return {
    id: event.definition.id,
    name: event.definition.name,
    version: event.version,
    counts: {
      available: counts.AVAILABLE,
      locked: counts.LOCKED,
      booked: counts.BOOKED,
      blocked: counts.BLOCKED,
      total: event.seats.size,
    },
    salesOpen: event.salesOpen,
    categories: event.definition.categories ?? [],
    stage: event.definition.stage ?? null,
    areas: [...event.areas.values()].map(toArea),
  };
}

export function toSeat(seat: SeatRecord): Seat {
  const { event } = seat;
  // A locked seat's view is made anew each time: kept, 100,000 live holds would each carry a
  // view and a Date through every major GC (the expiry tail), for a view that changes with
  // every extend and lasts only as long as the lock.
  if (seat.hold) return seatView(seat.definition, event.definition.id, event.categories, seat.status, new Date(seat.hold.expiresAt));
  seat.view ??= seatView(seat.definition, event.definition.id, event.categories, seat.status, null);
  return seat.view;
}

export function toHold(hold: HoldRecord): Hold {
  return {
    token: hold.token,
    eventId: hold.event.definition.id,
    status: hold.status,
    seats: hold.seats.map(toSeat),
    areaPlaces: toAreaPlaces(hold.places),
    createdAt: new Date(hold.createdAt),
    expiresAt: new Date(hold.expiresAt),
    maxExpiresAt: new Date(hold.maxExpiresAt),
  };
}

export function toBooking(booking: BookingRecord): Booking {
  const { event } = booking;
  const status = bookedSeatStatus(booking.status);
  return {
    id: booking.id,
    eventId: event.definition.id,
    seats: booking.seats.map((seat) => seatView(seat.definition, event.definition.id, event.categories, status, null)),
    areaPlaces: toAreaPlaces(booking.places),
    confirmedAt: new Date(booking.confirmedAt),
    status: booking.status,
    orderId: booking.orderId,
  };
}
