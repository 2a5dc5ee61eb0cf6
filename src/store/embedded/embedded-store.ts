import { newBookingId, newHoldToken, newWebhookEndpointId } from '../../domain/ids.js';
import { bookingMessage, eventCreatedMessage, holdMessage, seatsMessage, type HeldFacts, type WebhookMessage } from '../../domain/webhook-message.js';
import {
  AdmissionRequiredError,
  BookingNotFoundError,
  NotEnoughPlacesError,
  ClientSeatLimitError,
  EmptyHoldError,
  EventExistsError,
  EventNotFoundError,
  EventNotRemovableError,
  HoldClosedError,
  HoldEventMismatchError,
  HoldExpiredError,
  HoldLimitError,
  HoldNotFoundError,
  NotEnoughSeatsError,
  SalesClosedError,
  SeatNotFoundError,
  SeatNotInHoldError,
  SeatUnavailableError,
} from '../../domain/errors.js';
import type {
  Area,
  AreaChange,
  Booking,
  EventChange,
  EventDefinition,
  EventSummary,
  EventUpdate,
  Hold,
  HoldStatus,
  Seat,
  SeatBlock,
  SeatChange,
  SeatChangeReason,
  SeatRelease,
  SeatStatus,
} from '../../domain/model.js';
import { layoutDifference } from '../../venue/layout-compare.js';
import { LayoutError } from '../../venue/layout.js';
import { clientKey } from '../client-key.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { chooseBestSeats, countAvailable } from '../best-available.js';
import { PLACE_MOVES } from '../area-places.js';
import { checkAdminSeatSelection, checkAreaBlock, checkAreaPlaces, checkBestAvailable, checkOrderId, checkSeatSelection } from '../input-checks.js';
import type { SeatlockPubSub } from '../pubsub.js';
import type {
  AreaBlockInput,
  ConfirmHoldInput,
  ConfirmSeatInput,
  EventSeatsInput,
  HoldPolicy,
  HoldSeatInput,
  LockAreaPlacesInput,
  LockBestAvailableInput,
  LockSeatsInput,
  SeatStore,
} from '../store.js';
import { eventsToMake, pinnedEventIds, type StartEvents } from '../start-events.js';
import { QueueProgressTicker } from '../queue-progress.js';
import { WakeUpTimer } from '../wake-up-timer.js';
import type { WaitingRooms } from '../waiting-room.js';
import type { WebhookOutbox } from '../webhook-outbox.js';
import { DataFileError, type EmbeddedPersistence, type StoredState } from './persistence.js';
import { WaitingRoomBook } from './waiting-rooms.js';
import { EmbeddedWebhooks } from './webhooks.js';
import type { Effects } from './step-effects.js';
import { Transactor } from './transactor.js';
import {
  addPlaces,
  availablePlaces,
  countClientSeat,
  createEventRecord,
  indexBooking,
  lockedSeatsOf,
  placesOf,
  planOf,
  toArea,
  toAreaPlaces,
  toBooking,
  toEventSummary,
  toHold,
  toSeat,
  type AreaRecord,
  type BookingRecord,
  type EventRecord,
  type HoldRecord,
  type PlacesRecord,
  type SeatRecord,
} from './records.js';
import { EmbeddedState } from './state.js';

export interface EmbeddedStoreOptions {
  /**
   * The events it starts with, and how (see {@link StartEvents}); a stored one keeps its state,
   * and must have the same seat layout (else the store refuses to open).
   */
  readonly start: StartEvents;
  readonly pubsub: SeatlockPubSub;
  readonly policy: HoldPolicy;
  /** Changes of each event kept for subscribers that resume (`CHANGE_LOG_SIZE`). */
  readonly changeLogSize: number;
  readonly clock?: Clock;
  /**
   * Where every step is written before it is answered; the store loads its state from it when
   * it opens, and owns it from then on. Without it nothing outlives the process.
   */
  readonly persistence?: EmbeddedPersistence | null;
  /** Where it says that the data file failed (default: standard error). */
  readonly log?: (message: string) => void;
}

/**
 * The embedded store: all state in process, served from memory, and written through to
 * `persistence` (the SQLite data file) in the same synchronous step that applies it. One
 * deadline queue and one timer drive every hold's expiry; every operation also sweeps what is
 * due first, so a late timer is never seen.
 * @throws LayoutError when a stored event's layout differs from the one given for it.
 */
export function createEmbeddedStore(options: EmbeddedStoreOptions): SeatStore {
  try {
    return new EmbeddedStore(options);
  } catch (error) {
    void options.persistence?.close();
    throw error;
  }
}

class EmbeddedStore implements SeatStore {
  private state: EmbeddedState;
  private readonly steps: Transactor;
  /** What the steps since the last commit changed (the transactor's, written at the commit). */
  private readonly effects: Effects;
  private readonly timer: WakeUpTimer;
  private readonly policy: HoldPolicy;
  private readonly changeLogSize: number;
  private readonly persistence: EmbeddedPersistence | null;
  private closed = false;
  /** The events the store was started with: the next start would make them again. */
  private readonly startEventIds: ReadonlySet<string>;
  private webhookBook: EmbeddedWebhooks;
  private roomBook: WaitingRoomBook;
  private readonly progress: QueueProgressTicker;
  private readonly clock: Clock;
  private readonly webhookListeners = new Set<() => void>();
  /** Set when a step wrote deliveries to try: the listeners hear of it after the commit. */
  private webhooksDue = false;

  constructor({
    start,
    pubsub,
    policy,
    changeLogSize,
    clock = systemClock,
    persistence = null,
    log = (message) => console.error(message),
  }: EmbeddedStoreOptions) {
    this.policy = policy;
    this.clock = clock;
    this.changeLogSize = changeLogSize;
    this.persistence = persistence;
    const { events } = start;
    const stored = persistence ? withLayoutsOf(events, persistence.load(changeLogSize)) : null;
    this.state = stored ? EmbeddedState.restore(stored.state, policy.holdMaxMs, changeLogSize) : new EmbeddedState();
    this.timer = new WakeUpTimer(clock, () => this.sweep());
    this.steps = new Transactor({
      persistence,
      pubsub,
      clock,
      log,
      beforeEachStep: (now, changes) => this.expireDue(now, changes),
      afterCommit: () => {
        this.timer.armFor(this.state.deadlines.peek()?.deadline);
        if (this.webhooksDue) {
          this.webhooksDue = false;
          for (const listener of this.webhookListeners) listener();
        }
      },
      reload: () => {
        const reloaded = (persistence as EmbeddedPersistence).load(changeLogSize);
        this.state = EmbeddedState.restore(reloaded, policy.holdMaxMs, changeLogSize);
        this.webhookBook = EmbeddedWebhooks.restore(reloaded.webhooks, this.steps.effects.webhooks);
        this.roomBook = new WaitingRoomBook(this.steps.effects.waitingRooms, reloaded.waitingRooms);
        this.timer.armFor(this.state.deadlines.peek()?.deadline);
      },
      onStop: () => this.timer.stop(),
    });
    this.effects = this.steps.effects;
    this.webhookBook = stored ? EmbeddedWebhooks.restore(stored.state.webhooks, this.effects.webhooks) : new EmbeddedWebhooks(this.effects.webhooks);
    this.roomBook = new WaitingRoomBook(this.effects.waitingRooms, stored ? stored.state.waitingRooms : null);
    this.progress = new QueueProgressTicker({ clock, pubsub, log, roomState: (eventId) => this.waitingRooms.roomState(eventId) });
    this.progress.poke();
    this.startEventIds = pinnedEventIds(start);
    const toMake = new Set(eventsToMake(start, persistence?.createdNow ?? true));
    const created: EventDefinition[] = [];
    for (const definition of events) {
      const stored = this.state.events.get(definition.id);
      if (!stored) {
        if (toMake.has(definition)) created.push(definition);
        continue;
      }
      const difference = layoutDifference(stored.definition, definition);
      if (difference !== null) {
        throw new LayoutError(
          `event "${definition.id}" is stored with another seat layout (${difference}). A stored event keeps ` +
            'its layout: restore its entry, or give the new layout a new event id.',
        );
      }
    }
    // The first step also expires every hold that ran out while the server was down; it is
    // written at once, so a data file that cannot take it stops the start.
    this.steps
      .run(() => {
        for (const definition of created) this.addEvent(definition);
        if (start.source === 'file') for (const definition of events) this.rename(definition);
        for (const eventId of stored?.relaid ?? []) {
          const event = this.state.events.get(eventId);
          if (event) this.effects.relaidEvents.add(event);
        }
      })
      .catch(() => undefined);
    const writeError = this.steps.commit();
    if (writeError instanceof DataFileError) throw writeError;
    if (writeError !== null) throw new DataFileError(`the data file cannot be written (${String(writeError)})`);
  }

  async listEvents(): Promise<EventSummary[]> {
    return this.steps.run(() => [...this.state.events.values()].map(toEventSummary));
  }

  /** Loaded from its data file in the constructor: it serves from the start. */
  async opened(): Promise<void> {}

  async activeHoldCounts(): Promise<Map<string, number>> {
    return this.steps.run(() => {
      const counts = new Map<string, number>();
      for (const hold of this.state.holds.values()) {
        if (hold.status === 'ACTIVE') counts.set(hold.event.definition.id, (counts.get(hold.event.definition.id) ?? 0) + 1);
      }
      return counts;
    });
  }

  async getEvent(eventId: string): Promise<EventSummary | null> {
    return this.steps.run(() => {
      const event = this.state.events.get(eventId);
      return event ? toEventSummary(event) : null;
    });
  }

  async listSeats(eventId: string, status?: SeatStatus | null): Promise<Seat[]> {
    return this.steps.run(() => {
      const event = this.requireEvent(eventId);
      const seats: Seat[] = [];
      for (const seat of event.seats.values()) {
        if (status == null || seat.status === status) seats.push(toSeat(seat));
      }
      return seats;
    });
  }

  async getHold(holdToken: string): Promise<Hold | null> {
    return this.steps.run(() => {
      const hold = this.state.holds.get(holdToken);
      return hold ? toHold(hold) : null;
    });
  }

  async getBooking(bookingId: string): Promise<Booking | null> {
    return this.steps.run(() => {
      const booking = this.state.bookings.get(bookingId);
      return booking ? toBooking(booking) : null;
    });
  }

  async changesSince(eventId: string, afterVersion: number): Promise<EventChange[]> {
    return this.steps.run(() => {
      const event = this.requireEvent(eventId);
      return event.changes.since(afterVersion, event.version);
    });
  }

  async lockSeats({ eventId, seatIds, holdToken, clientId = null, admitted = false }: LockSeatsInput): Promise<Hold> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const seats = this.requireSeatSelection(event, seatIds);
      if (!event.salesOpen) throw new SalesClosedError(eventId);
      if (!admitted && this.roomBook.requiresAdmission(eventId)) throw new AdmissionRequiredError(eventId);
      const existing = holdToken == null ? null : this.requireActiveHold(holdToken, event);
      const added = existing ? seats.filter((seat) => !existing.seats.includes(seat)) : seats;
      const owner = this.checkLimits(event, existing, clientId, added.length);
      const taken = added.filter((seat) => seat.status !== 'AVAILABLE');
      if (taken.length > 0) throw new SeatUnavailableError(taken.map(toSeat));
      return toHold(this.lock(event, existing, owner, added, now, changes));
    });
  }

  async lockBestAvailable(input: LockBestAvailableInput): Promise<Hold> {
    const { eventId, count, holdToken, clientId = null, admitted = false } = input;
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const plan = planOf(event);
      checkBestAvailable(event.definition, input, this.policy.maxSeatsPerHold);
      if (!event.salesOpen) throw new SalesClosedError(eventId);
      if (!admitted && this.roomBook.requiresAdmission(eventId)) throw new AdmissionRequiredError(eventId);
      const existing = holdToken == null ? null : this.requireActiveHold(holdToken, event);
      const owner = this.checkLimits(event, existing, clientId, count);
      const available = (index: number) => (plan.seats[index] as SeatRecord).status === 'AVAILABLE';
      const best = chooseBestSeats(plan.rows, available, count, input);
      if (!best) throw new NotEnoughSeatsError(count, countAvailable(plan.rows, available, input));
      const seats = best.seatIds.map((seatId) => event.seats.get(seatId) as SeatRecord);
      return toHold(this.lock(event, existing, owner, seats, now, changes));
    });
  }

  async lockAreaPlaces({ eventId, areaId, quantity, holdToken, clientId = null, admitted = false }: LockAreaPlacesInput): Promise<Hold> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const area = event.areas.get(checkAreaPlaces(event.definition, areaId, quantity, this.policy.maxSeatsPerHold).id) as AreaRecord;
      if (!event.salesOpen) throw new SalesClosedError(eventId);
      if (!admitted && this.roomBook.requiresAdmission(eventId)) throw new AdmissionRequiredError(eventId);
      const existing = holdToken == null ? null : this.requireActiveHold(holdToken, event);
      const owner = this.checkLimits(event, existing, clientId, quantity);
      const available = availablePlaces(area);
      if (quantity > available) throw new NotEnoughPlacesError(areaId, quantity, available);
      const hold = existing ?? this.openHold(event, now, owner);
      addPlaces(hold.places, area, quantity);
      changes.push(this.movePlaces(area, 'LOCKED', quantity, hold.client, now));
      this.effects.holds.add(hold);
      if (existing === null) this.tell(() => holdMessage('hold.created', holdHead(hold), heldFacts(hold.seats, hold.places), event.version, now));
      return toHold(hold);
    });
  }

  /** The hold and per-client seat limits of adding `adding` seats or places; answers the hold's owner. */
  private checkLimits(event: EventRecord, existing: HoldRecord | null, clientId: string | null, adding: number): string | null {
    const total = (existing ? existing.seats.length + placesOf(existing) : 0) + adding;
    if (total > this.policy.maxSeatsPerHold) throw new HoldLimitError(this.policy.maxSeatsPerHold, total);
    const owner = existing ? existing.client : clientId === null ? null : clientKey(clientId);
    if (owner !== null && this.policy.maxSeatsPerClient > 0) {
      const held = (event.lockedByClient.get(owner) ?? 0) + adding;
      if (held > this.policy.maxSeatsPerClient) throw new ClientSeatLimitError(this.policy.maxSeatsPerClient, held);
    }
    return owner;
  }

  /** Locks available seats into the hold, or into a new one of `owner`. */
  private lock(
    event: EventRecord,
    existing: HoldRecord | null,
    owner: string | null,
    seats: readonly SeatRecord[],
    now: number,
    changes: EventChange[],
  ): HoldRecord {
    const hold = existing ?? this.openHold(event, now, owner);
    for (const seat of seats) {
      hold.seats.push(seat);
      changes.push(this.applyChange(seat, 'LOCKED', 'LOCKED', hold, now));
    }
    this.effects.holds.add(hold);
    if (existing === null) this.tell(() => holdMessage('hold.created', holdHead(hold), heldFacts(hold.seats, hold.places), event.version, now));
    return hold;
  }

  async confirmSeat({ eventId, seatId, holdToken, orderId }: ConfirmSeatInput): Promise<Booking> {
    const order = checkOrderId(orderId);
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const seat = this.requireSeat(event, seatId);
      const hold = this.requireHoldOfEvent(holdToken, event);
      const earlier = hold.bookingsBySeatId?.get(seatId);
      if (earlier) return toBooking(earlier);
      requireActive(hold);
      if (seat.hold !== hold) throw new SeatNotInHoldError(seatId);
      const booking = toBooking(this.book(hold, [seat], order, now, changes));
      this.tell(() => bookingMessage('booking.confirmed', booking, event.version, now));
      return booking;
    });
  }

  async confirmHold({ holdToken, orderId }: ConfirmHoldInput): Promise<Booking> {
    const order = checkOrderId(orderId);
    return this.steps.run((now, changes) => {
      const hold = this.requireHold(holdToken);
      if (hold.holdBooking) return toBooking(hold.holdBooking);
      requireActive(hold);
      const locked = lockedSeatsOf(hold);
      if (locked.length === 0 && hold.places.length === 0) throw new EmptyHoldError();
      const booking = this.book(hold, locked, order, now, changes, hold.places);
      hold.holdBooking = booking;
      this.endHold(hold, 'CONFIRMED', now);
      const answer = toBooking(booking);
      this.tell(() => bookingMessage('booking.confirmed', answer, hold.event.version, now));
      return answer;
    });
  }

  async releaseSeat({ eventId, seatId, holdToken }: HoldSeatInput): Promise<SeatRelease> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const seat = this.requireSeat(event, seatId);
      const hold = this.requireHoldOfEvent(holdToken, event);
      if (hold.status === 'EXPIRED') throw new HoldExpiredError(new Date(hold.expiresAt));
      if (seat.hold !== hold) {
        if (hold.releasedSeatIds?.includes(seatId)) return { eventId, seats: [], areaPlaces: [] };
        requireActive(hold);
        throw new SeatNotInHoldError(seatId);
      }
      changes.push(this.release(hold, seat, 'RELEASED', now));
      this.tell(() => holdMessage('hold.released', holdHead(hold), { seatIds: [seatId], areaPlaces: [] }, event.version, now));
      return { eventId, seats: [toSeat(seat)], areaPlaces: [] };
    });
  }

  async releaseHold(holdToken: string): Promise<SeatRelease> {
    return this.steps.run((now, changes) => {
      const hold = this.requireHold(holdToken);
      const eventId = hold.event.definition.id;
      if (hold.status === 'RELEASED') return { eventId, seats: [], areaPlaces: [] };
      requireActive(hold);
      const released = lockedSeatsOf(hold);
      for (const seat of released) changes.push(this.release(hold, seat, 'RELEASED', now));
      const places = this.releasePlaces(hold, 'RELEASED', now, changes);
      this.endHold(hold, 'RELEASED', now);
      this.tell(() => holdMessage('hold.released', holdHead(hold), heldFacts(released, places), hold.event.version, now));
      return { eventId, seats: released.map(toSeat), areaPlaces: toAreaPlaces(places) };
    });
  }

  async extendHold(holdToken: string): Promise<Hold> {
    return this.steps.run((now) => {
      const hold = this.requireHold(holdToken);
      requireActive(hold);
      const extended = Math.min(now + this.policy.lockTtlMs, hold.maxExpiresAt);
      if (extended > hold.expiresAt) {
        hold.expiresAt = extended;
        for (const seat of lockedSeatsOf(hold)) seat.view = null;
        this.state.deadlines.schedule(hold, extended);
        this.effects.holds.add(hold);
      }
      return toHold(hold);
    });
  }

  async createEvent(definition: EventDefinition): Promise<EventSummary> {
    return this.steps.run((now) => {
      if (this.state.events.has(definition.id)) throw new EventExistsError(definition.id);
      this.addEvent(definition);
      const event = toEventSummary(this.requireEvent(definition.id));
      this.tell(() => eventCreatedMessage({ id: event.id, name: event.name, seats: event.counts.total }, event.version, now));
      return event;
    });
  }

  async updateEvent(eventId: string, { name, salesOpen }: EventUpdate): Promise<EventSummary> {
    return this.steps.run(() => {
      const event = this.requireEvent(eventId);
      if (name != null && name !== event.definition.name) {
        event.definition = { ...event.definition, name };
        event.nameFromAdmin = true;
        this.effects.updatedEvents.add(event);
      }
      if (salesOpen != null && salesOpen !== event.salesOpen) {
        event.salesOpen = salesOpen;
        this.effects.updatedEvents.add(event);
      }
      return toEventSummary(event);
    });
  }

  async removeEvent(eventId: string): Promise<EventSummary> {
    return this.steps.run((_now, _changes, removedEventIds) => {
      const event = this.requireEvent(eventId);
      if (this.startEventIds.has(eventId)) throw new EventNotRemovableError(eventId, 'IN_EVENTS_FILE');
      if (event.bookings.length > 0) throw new EventNotRemovableError(eventId, 'HAS_BOOKINGS');
      if (event.counts.LOCKED > 0 || [...event.areas.values()].some((area) => area.locked > 0)) {
        throw new EventNotRemovableError(eventId, 'HAS_LOCKED_SEATS');
      }
      const summary = toEventSummary(event);
      // Ended holds (and active ones whose seats were all given back) go with it.
      for (const hold of this.state.holds.values()) {
        if (hold.event !== event) continue;
        this.state.holds.delete(hold.token);
        this.state.deadlines.remove(hold);
      }
      this.state.events.delete(eventId);
      this.roomBook.remove(eventId);
      this.effects.removedEvents.add(event);
      removedEventIds.push(eventId);
      return summary;
    });
  }

  async blockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const seats = this.requireAdminSelection(event, seatIds);
      const taken = seats.filter((seat) => seat.status === 'LOCKED' || seat.status === 'BOOKED');
      if (taken.length > 0) throw new SeatUnavailableError(taken.map(toSeat));
      const blocked = seats.filter((seat) => seat.status === 'AVAILABLE');
      for (const seat of blocked) changes.push(this.applyChange(seat, 'BLOCKED', 'BLOCKED', null, now));
      if (blocked.length > 0) this.tell(() => seatsMessage('seats.blocked', eventId, seatIdsOf(blocked), event.version, now));
      return { eventId, seats: seats.map(toSeat) };
    });
  }

  async unblockSeats({ eventId, seatIds }: EventSeatsInput): Promise<SeatBlock> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const seats = this.requireAdminSelection(event, seatIds);
      const unblocked = seats.filter((seat) => seat.status === 'BLOCKED');
      for (const seat of unblocked) changes.push(this.applyChange(seat, 'AVAILABLE', 'UNBLOCKED', null, now));
      if (unblocked.length > 0) this.tell(() => seatsMessage('seats.unblocked', eventId, seatIdsOf(unblocked), event.version, now));
      return { eventId, seats: seats.map(toSeat) };
    });
  }

  async setAreaBlocked({ eventId, areaId, blocked }: AreaBlockInput): Promise<Area> {
    return this.steps.run((now, changes) => {
      const event = this.requireEvent(eventId);
      const area = event.areas.get(checkAreaBlock(event.definition, areaId, blocked).id) as AreaRecord;
      const more = blocked - area.blocked;
      if (more > availablePlaces(area)) throw new NotEnoughPlacesError(areaId, more, availablePlaces(area), true);
      if (more !== 0) changes.push(this.movePlaces(area, more > 0 ? 'BLOCKED' : 'UNBLOCKED', Math.abs(more), null, now));
      return toArea(area);
    });
  }

  async cancelBooking(bookingId: string): Promise<Booking> {
    return this.steps.run((now, changes) => {
      const booking = this.state.bookings.get(bookingId);
      if (!booking) throw new BookingNotFoundError(bookingId);
      if (booking.status === 'CANCELLED') return toBooking(booking);
      booking.status = 'CANCELLED';
      this.effects.bookings.add(booking);
      for (const seat of booking.seats) {
        if (seat.booking === booking) changes.push(this.applyChange(seat, 'AVAILABLE', 'CANCELLED', null, now));
      }
      for (const { area, quantity } of booking.places) changes.push(this.movePlaces(area, 'CANCELLED', quantity, null, now));
      const answer = toBooking(booking);
      this.tell(() => bookingMessage('booking.cancelled', answer, booking.event.version, now));
      return answer;
    });
  }

  async listBookings(eventId: string, orderId?: string | null): Promise<Booking[]> {
    return this.steps.run(() => {
      const event = this.requireEvent(eventId);
      const bookings = orderId == null ? event.bookings : (event.bookingsByOrder.get(orderId) ?? []);
      return bookings.map(toBooking);
    });
  }

  /** Webhook endpoints and the outbox of their deliveries, written with the steps that make them. */
  readonly webhooks: WebhookOutbox = {
    createWebhookEndpoint: (input) => this.steps.run((now) => this.webhookBook.create(newWebhookEndpointId(), input, now)),
    listWebhookEndpoints: async () => this.webhookBook.list(),
    deleteWebhookEndpoint: (id) => this.steps.run(() => this.webhookBook.delete(id)),
    listWebhookDeliveries: async (endpointId, limit) => this.webhookBook.deliveriesOf(endpointId, limit),
    redeliverWebhookMessage: (endpointId, messageId) =>
      this.steps.run((now) => {
        const delivery = this.webhookBook.redeliver(endpointId, messageId, now);
        if (delivery) this.webhooksDue = true;
        return delivery;
      }),
    // Leases live in memory only (a restart lets them all go), so taking deliveries writes nothing.
    claimDueDeliveries: async (now, limit, leaseMs) => this.webhookBook.claim(now, limit, leaseMs),
    recordWebhookAttempt: (attempt) => this.steps.run(() => this.webhookBook.record(attempt)),
    onWebhooksDue: (listener) => {
      this.webhookListeners.add(listener);
      return () => this.webhookListeners.delete(listener);
    },
    pendingWebhooks: async () => this.webhookBook.pending(),
  };

  /** Waiting rooms: their tickets are written with the steps that issue them, like holds. */
  readonly waitingRooms: WaitingRooms = {
    configure: async (eventId, settings) => {
      const view = await this.steps.run((now) => {
        this.requireEvent(eventId);
        return this.roomBook.configure(eventId, settings, now);
      });
      this.progress.poke();
      return view;
    },
    room: (eventId) =>
      this.steps.run((now) => {
        this.requireEvent(eventId);
        return this.roomBook.view(eventId, now);
      }),
    rooms: () => this.steps.run((now) => this.roomBook.views(now)),
    join: (eventId, client) =>
      this.steps.run((now) => {
        this.requireEvent(eventId);
        return this.roomBook.join(eventId, client, now);
      }),
    ticket: (id) =>
      this.steps.run((now) => {
        const ticket = this.roomBook.ticket(id, now);
        return ticket && this.state.events.has(ticket.eventId) ? ticket : null;
      }),
    credentials: async () => this.roomBook.credentials,
    roomState: async (eventId) => this.roomBook.state(eventId, this.clock.now()),
  };

  /**
   * Writes a webhook message in the step that makes the change it tells of; built only when an
   * endpoint exists, so a store without any pays nothing for them.
   */
  private tell(message: () => WebhookMessage): void {
    if (!this.webhookBook.any) return;
    this.webhookBook.publish(message());
    this.webhooksDue = true;
  }

  /** False while writes fail (a full disk: /ready recovers with it) and once the store is broken. */
  async isReady(): Promise<boolean> {
    return !this.closed && this.steps.isReady();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.steps.close();
    this.closed = true;
    this.timer.stop();
    this.progress.close();
    await this.persistence?.close();
  }

  private sweep(): void {
    // A closed or broken store refuses the step; a failed write was reported when it failed.
    this.steps.run(() => undefined).catch(() => undefined);
  }

  private expireDue(now: number, changes: EventChange[]): void {
    const { deadlines, holds } = this.state;
    let ended: { hold: HoldRecord; seats: SeatRecord[]; places: PlacesRecord[] }[] | null = null;
    for (let hold = deadlines.popDue(now); hold; hold = deadlines.popDue(now)) {
      if (hold.status !== 'ACTIVE') {
        holds.delete(hold.token);
        this.effects.forgottenHolds.add(hold);
        continue;
      }
      const expired = lockedSeatsOf(hold);
      for (const seat of expired) changes.push(this.release(hold, seat, 'EXPIRED', hold.expiresAt));
      const places = this.releasePlaces(hold, 'EXPIRED', hold.expiresAt, changes);
      this.endHold(hold, 'EXPIRED', hold.expiresAt);
      (ended ??= []).push({ hold, seats: expired, places });
    }
    if (ended === null) return;
    // Told once every due hold expired: each message carries the version after the whole sweep,
    // whatever order holds due at the same moment were taken in (every store agrees).
    for (const { hold, seats, places } of ended)
      this.tell(() => holdMessage('hold.expired', holdHead(hold), heldFacts(seats, places), hold.event.version, now));
  }

  private addEvent(definition: EventDefinition): void {
    const event = createEventRecord(definition, this.changeLogSize);
    this.state.events.set(definition.id, event);
    this.effects.createdEvents.add(event);
  }

  /**
   * A stored event takes the name it is now given (a name is not seat state), unless the box
   * office renamed it: the admin API has the last word.
   */
  private rename(definition: EventDefinition): void {
    const event = this.state.events.get(definition.id);
    if (!event || event.definition.name === definition.name || event.nameFromAdmin) return;
    event.definition = { ...event.definition, name: definition.name };
    this.effects.updatedEvents.add(event);
  }

  private openHold(event: EventRecord, now: number, client: string | null): HoldRecord {
    const expiresAt = now + this.policy.lockTtlMs;
    const hold: HoldRecord = {
      token: newHoldToken(event.definition.id),
      event,
      client,
      createdAt: now,
      maxExpiresAt: Math.max(expiresAt, now + this.policy.holdMaxMs),
      status: 'ACTIVE',
      expiresAt,
      endedAt: null,
      seats: [],
      places: [],
      releasedSeatIds: null,
      bookingsBySeatId: null,
      holdBooking: null,
      deadline: expiresAt,
      queueIndex: -1,
    };
    this.state.holds.set(hold.token, hold);
    this.state.deadlines.schedule(hold, expiresAt);
    return hold;
  }

  /** Ends an ACTIVE hold; its token is remembered for `holdMaxMs` so retries get a real answer. */
  private endHold(hold: HoldRecord, status: Exclude<HoldStatus, 'ACTIVE'>, at: number): void {
    hold.status = status;
    hold.endedAt = at;
    this.state.deadlines.schedule(hold, at + this.policy.holdMaxMs);
    this.effects.holds.add(hold);
  }

  /** Books seats of the hold, and its places (confirmHold). */
  private book(
    hold: HoldRecord,
    seats: readonly SeatRecord[],
    orderId: string | null,
    now: number,
    changes: EventChange[],
    places: readonly PlacesRecord[] = [],
  ): BookingRecord {
    const booking: BookingRecord = {
      id: newBookingId(hold.event.definition.id),
      event: hold.event,
      holdToken: hold.token,
      seats,
      places: places.map(({ area, quantity }) => ({ area, quantity })),
      confirmedAt: now,
      orderId,
      status: 'CONFIRMED',
    };
    this.state.bookings.set(booking.id, booking);
    indexBooking(booking);
    for (const seat of seats) {
      (hold.bookingsBySeatId ??= new Map()).set(seat.definition.id, booking);
      changes.push(this.applyChange(seat, 'BOOKED', 'BOOKED', null, now, booking));
    }
    for (const { area, quantity } of places) changes.push(this.movePlaces(area, 'BOOKED', quantity, hold.client, now));
    this.effects.bookings.add(booking);
    this.effects.holds.add(hold);
    return booking;
  }

  private release(hold: HoldRecord, seat: SeatRecord, reason: 'RELEASED' | 'EXPIRED', at: number): SeatChange {
    hold.seats.splice(hold.seats.indexOf(seat), 1);
    // An expired hold answers every release with HoldExpiredError; only a released seat is asked again.
    if (reason === 'RELEASED') (hold.releasedSeatIds ??= []).push(seat.definition.id);
    this.effects.holds.add(hold);
    return this.applyChange(seat, 'AVAILABLE', reason, null, at);
  }

  /** Gives back every place the hold locks: one change per area. Answers what it gave back. */
  private releasePlaces(hold: HoldRecord, reason: 'RELEASED' | 'EXPIRED', at: number, changes: EventChange[]): PlacesRecord[] {
    const released = hold.places;
    hold.places = [];
    for (const { area, quantity } of released) changes.push(this.movePlaces(area, reason, quantity, hold.client, at));
    if (released.length > 0) this.effects.holds.add(hold);
    return released;
  }

  /** Every change of an area's places (see PLACE_MOVES): the counts, the holder's cap, the version. */
  private movePlaces(area: AreaRecord, reason: SeatChangeReason, quantity: number, client: string | null, at: number): AreaChange {
    const { event } = area;
    const move = PLACE_MOVES[reason];
    area.locked += move.locked * quantity;
    area.booked += move.booked * quantity;
    area.blocked += move.blocked * quantity;
    countClientSeat(event, client, move.client * quantity);
    event.version += 1;
    this.effects.areas.add(area);
    const change: AreaChange = { eventId: event.definition.id, area: toArea(area), quantity, reason, version: event.version, at: new Date(at) };
    event.changes.append(change);
    this.effects.changes.push(change);
    return change;
  }

  private applyChange(
    seat: SeatRecord,
    status: SeatStatus,
    reason: SeatChangeReason,
    hold: HoldRecord | null,
    at: number,
    booking: BookingRecord | null = null,
  ): SeatChange {
    const event = seat.event;
    const previousStatus = seat.status;
    event.counts[previousStatus] -= 1;
    event.counts[status] += 1;
    countClientSeat(event, seat.hold?.client ?? null, -1);
    countClientSeat(event, hold?.client ?? null, 1);
    seat.status = status;
    seat.hold = hold;
    seat.booking = booking;
    seat.view = null;
    event.version += 1;
    this.effects.seats.add(seat);
    const change: SeatChange = {
      eventId: event.definition.id,
      seat: toSeat(seat),
      previousStatus,
      reason,
      version: event.version,
      at: new Date(at),
    };
    event.changes.append(change);
    this.effects.changes.push(change);
    return change;
  }

  private requireEvent(eventId: string): EventRecord {
    const event = this.state.events.get(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return event;
  }

  private requireSeat(event: EventRecord, seatId: string): SeatRecord {
    const seat = event.seats.get(seatId);
    if (!seat) throw new SeatNotFoundError(event.definition.id, [seatId]);
    return seat;
  }

  private requireSeatSelection(event: EventRecord, seatIds: readonly string[]): SeatRecord[] {
    checkSeatSelection(event.definition.id, seatIds, this.policy.maxSeatsPerHold, (seatId) => event.seats.has(seatId));
    return seatIds.map((seatId) => event.seats.get(seatId) as SeatRecord);
  }

  private requireAdminSelection(event: EventRecord, seatIds: readonly string[]): SeatRecord[] {
    checkAdminSeatSelection(event.definition.id, seatIds, (seatId) => event.seats.has(seatId));
    return seatIds.map((seatId) => event.seats.get(seatId) as SeatRecord);
  }

  private requireHold(holdToken: string): HoldRecord {
    const hold = this.state.holds.get(holdToken);
    if (!hold) throw new HoldNotFoundError();
    return hold;
  }

  private requireHoldOfEvent(holdToken: string, event: EventRecord): HoldRecord {
    const hold = this.requireHold(holdToken);
    if (hold.event !== event) {
      throw new HoldEventMismatchError(event.definition.id, hold.event.definition.id);
    }
    return hold;
  }

  private requireActiveHold(holdToken: string, event: EventRecord): HoldRecord {
    const hold = this.requireHoldOfEvent(holdToken, event);
    requireActive(hold);
    return hold;
  }
}

/**
 * A stored event takes its layout from EVENTS_FILE when its seats are the same (ranks,
 * categories, seat flags, geometry, stage: not seat state, like its name); the start refuses
 * other differences later.
 */
function withLayoutsOf(events: readonly EventDefinition[], state: StoredState): { state: StoredState; relaid: string[] } {
  const relaid: string[] = [];
  const byId = new Map(events.map((definition) => [definition.id, definition]));
  const layoutOf = ({ name: _name, ...layout }: EventDefinition) => JSON.stringify(layout);
  const storedEvents = state.events.map((stored) => {
    const given = byId.get(stored.definition.id);
    if (!given || layoutDifference(stored.definition, given) !== null || layoutOf(given) === layoutOf(stored.definition)) return stored;
    relaid.push(given.id);
    return { ...stored, definition: { ...given, name: stored.definition.name } };
  });
  return { state: { ...state, events: storedEvents }, relaid };
}

/** What a hold message tells of a hold, without converting its seats as `toHold` does. */
function holdHead(hold: HoldRecord): Pick<Hold, 'token' | 'eventId' | 'status' | 'expiresAt'> {
  return { token: hold.token, eventId: hold.event.definition.id, status: hold.status, expiresAt: new Date(hold.expiresAt) };
}

function seatIdsOf(seats: readonly SeatRecord[]): string[] {
  return seats.map((seat) => seat.definition.id);
}

/** The seats and places a hold message is about. */
function heldFacts(seats: readonly SeatRecord[], places: readonly PlacesRecord[]): HeldFacts {
  return { seatIds: seatIdsOf(seats), areaPlaces: places.map(({ area, quantity }) => ({ areaId: area.definition.id, quantity })) };
}

function requireActive(hold: HoldRecord): void {
  switch (hold.status) {
    case 'ACTIVE':
      return;
    case 'EXPIRED':
      throw new HoldExpiredError(new Date(hold.expiresAt));
    default:
      throw new HoldClosedError(hold.status);
  }
}
