import { ChangeLog } from './change-log.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { StoredState } from './persistence.js';
import {
  addPlaces,
  countClientSeat,
  createEventRecord,
  loggedSeats,
  indexBooking,
  type AreaRecord,
  type BookingRecord,
  type EventRecord,
  type PlacesRecord,
  type HoldRecord,
  type SeatRecord,
} from './records.js';

/** The whole state of the embedded store: what a restart rebuilds from the data file. */
export class EmbeddedState {
  readonly events = new Map<string, EventRecord>();
  /** Active holds, and ended ones until their tokens are forgotten. */
  readonly holds = new Map<string, HoldRecord>();
  /** Every booking, kept for good. */
  readonly bookings = new Map<string, BookingRecord>();
  /** ACTIVE holds by `expiresAt`, ended ones by when their tokens are forgotten. */
  readonly deadlines = new DeadlineQueue<HoldRecord>();

  /**
   * Rebuilds the records from what was stored; `forgetAfterMs` is how long an ended hold's token
   * is remembered. Holds due by now are left in the deadline queue: the store's first step
   * expires them (and publishes it) as if its timer had fired while it was down.
   */
  static restore(snapshot: StoredState, forgetAfterMs: number, changeLogSize: number): EmbeddedState {
    const state = new EmbeddedState();
    const seatOf = (event: EventRecord, seatId: string): SeatRecord => {
      const seat = event.seats.get(seatId);
      if (!seat) throw new Error(`stored record names seat ${event.definition.id}/${seatId}, which is not in its layout`);
      return seat;
    };
    const seatStates = new Map<SeatRecord, { holdToken: string | null; bookingId: string | null }>();
    for (const storedEvent of snapshot.events) {
      const event = createEventRecord(storedEvent.definition, changeLogSize);
      event.version = storedEvent.version;
      // Complete from the oldest stored change on (the log began when the data file learned to keep it).
      const logged = storedEvent.changes.at(-1)?.version === storedEvent.version ? storedEvent.changes : [];
      event.changes = new ChangeLog(
        loggedSeats(event.definition.id, () => event),
        changeLogSize,
        (logged[0]?.version ?? storedEvent.version + 1) - 1,
      );
      for (const change of logged) event.changes.append(change);
      event.nameFromAdmin = storedEvent.nameFromAdmin;
      event.salesOpen = storedEvent.salesOpen;
      for (const storedSeat of storedEvent.seats) {
        const seat = seatOf(event, storedSeat.id);
        event.counts[seat.status] -= 1;
        event.counts[storedSeat.status] += 1;
        seat.status = storedSeat.status;
        seatStates.set(seat, storedSeat);
      }
      for (const storedArea of storedEvent.areas) {
        const area = event.areas.get(storedArea.id);
        if (!area) throw new Error(`stored record names area ${event.definition.id}/${storedArea.id}, which is not in its layout`);
        area.locked = storedArea.locked;
        area.booked = storedArea.booked;
        area.blocked = storedArea.blocked;
      }
      state.events.set(event.definition.id, event);
    }
    const eventOf = (eventId: string): EventRecord => {
      const event = state.events.get(eventId);
      if (!event) throw new Error(`stored record names event ${eventId}, which is not stored`);
      return event;
    };

    const placesOf = (event: EventRecord, stored: readonly (readonly [string, number])[]): PlacesRecord[] => {
      const places: PlacesRecord[] = [];
      for (const [areaId, quantity] of stored) {
        const area = event.areas.get(areaId);
        if (!area) throw new Error(`stored record names area ${event.definition.id}/${areaId}, which is not in its layout`);
        addPlaces(places, area as AreaRecord, quantity);
      }
      return places;
    };

    // Stored in the order they were made, so each event's list is oldest first.
    for (const stored of snapshot.bookings) {
      const event = eventOf(stored.eventId);
      const booking: BookingRecord = {
        id: stored.id,
        event,
        holdToken: stored.holdToken,
        seats: stored.seatIds.map((seatId) => seatOf(event, seatId)),
        places: placesOf(event, stored.areaPlaces),
        confirmedAt: stored.confirmedAt,
        orderId: stored.orderId,
        status: stored.status,
      };
      state.bookings.set(booking.id, booking);
      indexBooking(booking);
    }
    for (const stored of snapshot.holds) {
      const event = eventOf(stored.eventId);
      const hold: HoldRecord = {
        token: stored.token,
        event,
        client: stored.client,
        createdAt: stored.createdAt,
        maxExpiresAt: stored.maxExpiresAt,
        status: stored.status,
        expiresAt: stored.expiresAt,
        endedAt: stored.endedAt,
        seats: stored.seatIds.map((seatId) => seatOf(event, seatId)),
        places: placesOf(event, stored.areaPlaces),
        releasedSeatIds: stored.releasedSeatIds.length > 0 ? [...stored.releasedSeatIds] : null,
        bookingsBySeatId: null,
        holdBooking: stored.holdBookingId === null ? null : (state.bookings.get(stored.holdBookingId) ?? null),
        deadline: 0,
        queueIndex: -1,
      };
      state.holds.set(hold.token, hold);
      if (hold.status === 'ACTIVE') for (const { quantity } of hold.places) countClientSeat(event, hold.client, quantity);
      state.deadlines.schedule(hold, hold.status === 'ACTIVE' ? hold.expiresAt : (hold.endedAt ?? hold.expiresAt) + forgetAfterMs);
    }
    for (const booking of state.bookings.values()) {
      const hold = state.holds.get(booking.holdToken);
      if (hold) for (const seat of booking.seats) (hold.bookingsBySeatId ??= new Map()).set(seat.definition.id, booking);
    }
    for (const [seat, { holdToken, bookingId }] of seatStates) {
      seat.hold = holdToken === null ? null : (state.holds.get(holdToken) ?? null);
      seat.booking = bookingId === null ? null : (state.bookings.get(bookingId) ?? null);
      if (seat.status === 'LOCKED' && seat.hold === null) {
        throw new Error(`stored seat ${seat.event.definition.id}/${seat.definition.id} is LOCKED by hold that is not stored`);
      }
      if (seat.status === 'LOCKED') countClientSeat(seat.event, seat.hold?.client ?? null, 1);
    }
    return state;
  }
}
