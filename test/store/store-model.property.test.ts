import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicHoldId } from '../../src/domain/ids.js';
import { isAreaChange, type EventChange, type EventDefinition, type SeatChange, type SeatStatus } from '../../src/domain/model.js';
import { chooseBestSeats, seatingPlan } from '../../src/store/best-available.js';
import type { SeatlockPubSub } from '../../src/store/pubsub.js';
import { fileEvents } from '../../src/store/start-events.js';
import type { HoldPolicy, SeatStore } from '../../src/store/store.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { ManualClock } from '../support/clock.js';
import { prepareStoreKind, storeKindsDirect, type StoreKind } from '../support/store-harness.js';

/**
 * The seat rules in their plainest form, and every store held to them: after every step (and
 * after every batch of concurrent steps, in some order of them), what each store answers and
 * holds is what the model says, field by field. A rule broken in either store (in TypeScript or
 * in a Lua script) makes this fail; it is how the stores are kept one design.
 */

const policy: HoldPolicy = { lockTtlMs: 1_000, holdMaxMs: 2_500, maxSeatsPerHold: 3, maxSeatsPerClient: 4 };
const SEAT_IDS = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'];
const EVENT = 'show';
const FIRST_NAME = 'Show';
/** Two general admission areas, in layout order; `moat` is no area of the event. */
const AREAS = { pit: 4, lawn: 3 } as const;
type AreaId = keyof typeof AREAS;
const AREA_IDS = Object.keys(AREAS) as AreaId[];
const layoutNamed = (name: string) => ({
  events: [
    {
      id: EVENT,
      name,
      sections: [
        { id: 'pit', name: 'Pit', generalAdmission: { capacity: AREAS.pit } },
        { name: 'S', rows: [{ row: 'A', seats: 6 }] },
        { id: 'lawn', name: 'Lawn', generalAdmission: { capacity: AREAS.lawn } },
      ],
    },
  ],
});
const PLAN = seatingPlan(parseEventLayouts(layoutNamed(FIRST_NAME))[0] as EventDefinition);
const CLIENTS = ['client-a', 'client-b'] as const;
/** A hold or booking index that names nothing issued. */
const NEVER_ISSUED = 1_000;

type Client = (typeof CLIENTS)[number] | null;

type Command =
  /** `admitted`: the caller showed a valid admission (as the resolvers find it from an admission token). */
  | { kind: 'lock'; seatIds: string[]; hold: number | null; client: Client; admitted?: boolean }
  | { kind: 'best'; count: number; hold: number | null; client: Client; admitted?: boolean }
  /** lockAreaPlaces: `quantity` places of an area (or of one the event does not have). */
  | { kind: 'places'; areaId: string; quantity: number; hold: number | null; client: Client; admitted?: boolean }
  /** setAreaBlocked. */
  | { kind: 'areaBlock'; areaId: string; blocked: number }
  /** Turns the event's waiting room on or off: while on, locks need an admission. */
  | { kind: 'room'; on: boolean }
  | { kind: 'confirmSeat'; hold: number; seatId: string; orderId: string | null }
  | { kind: 'confirmHold'; hold: number; orderId: string | null }
  | { kind: 'releaseSeat'; hold: number; seatId: string }
  | { kind: 'releaseHold'; hold: number }
  | { kind: 'extend'; hold: number }
  | { kind: 'block'; seatIds: string[] }
  | { kind: 'unblock'; seatIds: string[] }
  | { kind: 'cancel'; booking: number }
  | { kind: 'update'; name: string | null; salesOpen: boolean | null }
  | { kind: 'advance'; ms: number }
  /** Closes the store and opens it again, with EVENTS_FILE naming the event `name`. */
  | { kind: 'reopen'; name: string };

type StoreCommand = Exclude<Command, { kind: 'advance' | 'reopen' }>;

/** What a command answered: a result type (an error's name), and for a confirm which booking. */
interface Outcome {
  readonly type: string;
  /** The model's booking number; the store's booking id for it must be the same every time. */
  readonly booking?: number;
}

/** Places by area, in layout order. */
type ModelPlaces = Map<AreaId, number>;

interface ModelBooking {
  readonly seats: readonly string[];
  readonly places: ModelPlaces;
  readonly orderId: string | null;
  readonly confirmedAt: number;
  status: 'CONFIRMED' | 'CANCELLED';
}

/** A webhook message as the model tells it: holds and bookings by their index, resolved to ids when compared. */
interface ModelMessage {
  readonly type: string;
  readonly at: number;
  readonly version: number;
  readonly hold?: {
    readonly index: number;
    readonly seatIds: readonly string[];
    readonly areaPlaces: readonly PlacesFacts[];
    readonly expiresAt: number;
    readonly status: string;
  };
  readonly booking?: {
    readonly index: number;
    readonly orderId: string | null;
    readonly status: string;
    readonly seatIds: readonly string[];
    readonly areaPlaces: readonly PlacesFacts[];
  };
  readonly seatIds?: readonly string[];
}

interface PlacesFacts {
  readonly areaId: string;
  readonly quantity: number;
}

/** Places as a message gives them, in layout order. */
function placesFacts(places: ModelPlaces): PlacesFacts[] {
  return AREA_IDS.filter((id) => places.has(id)).map((areaId) => ({ areaId, quantity: places.get(areaId) as number }));
}

interface ModelArea {
  locked: number;
  booked: number;
  blocked: number;
}

interface ModelHold {
  status: 'ACTIVE' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';
  readonly client: Client;
  /** Locked or booked from it, in the order they were added. */
  readonly seats: Set<string>;
  readonly released: Set<string>;
  /** Seat id -> the booking that holds it. */
  readonly booked: Map<string, number>;
  /** Places locked (while ACTIVE) or booked from it (CONFIRMED); a release or expiry empties it. */
  places: ModelPlaces;
  holdBooking: number | null;
  readonly createdAt: number;
  expiresAt: number;
  readonly maxExpiresAt: number;
  endedAt: number;
}

/** The contract in its plainest form: what each command answers and does to the seats. */
class Model {
  status = new Map<string, SeatStatus>(SEAT_IDS.map((id) => [id, 'AVAILABLE']));
  lockedBy = new Map<string, number>();
  /** Seat id -> the booking that holds it now. */
  bookedBy = new Map<string, number>();
  holds: ModelHold[] = [];
  bookings: ModelBooking[] = [];
  areas = new Map<AreaId, ModelArea>(AREA_IDS.map((id) => [id, { locked: 0, booked: 0, blocked: 0 }]));
  version = 0;
  name = FIRST_NAME;
  /** Whether the admin API named the event: EVENTS_FILE's name no longer wins. */
  renamed = false;
  salesOpen = true;
  /** Whether the event's waiting room is on. */
  roomOn = false;
  /** Every webhook message the commands so far made, in the order they were made. */
  messages: ModelMessage[] = [];

  clone(): Model {
    const copy = new Model();
    copy.status = new Map(this.status);
    copy.lockedBy = new Map(this.lockedBy);
    copy.bookedBy = new Map(this.bookedBy);
    copy.holds = this.holds.map((hold) => ({
      ...hold,
      seats: new Set(hold.seats),
      released: new Set(hold.released),
      booked: new Map(hold.booked),
      places: new Map(hold.places),
    }));
    copy.bookings = this.bookings.map((booking) => ({ ...booking }));
    copy.areas = new Map([...this.areas].map(([id, area]) => [id, { ...area }]));
    copy.messages = [...this.messages];
    Object.assign(copy, { version: this.version, name: this.name, renamed: this.renamed, salesOpen: this.salesOpen, roomOn: this.roomOn });
    return copy;
  }

  expire(now: number): void {
    const expired: { index: number; seatIds: string[]; places: ModelPlaces }[] = [];
    this.holds.forEach((hold, index) => {
      if (hold.status !== 'ACTIVE' || hold.expiresAt > now) return;
      const seatIds = [...hold.seats].filter((seatId) => this.lockedBy.get(seatId) === index);
      for (const seatId of seatIds) this.free(hold, seatId);
      const places = this.freePlaces(hold);
      hold.status = 'EXPIRED';
      hold.endedAt = hold.expiresAt;
      expired.push({ index, seatIds, places });
    });
    // Each carries the version after the whole sweep.
    for (const { index, seatIds, places } of expired) this.tellHold('hold.expired', index, seatIds, now, places);
  }

  private tellHold(type: string, index: number, seatIds: readonly string[], now: number, places: ModelPlaces = new Map()): void {
    const hold = this.holds[index] as ModelHold;
    this.messages.push({
      type,
      at: now,
      version: this.version,
      hold: { index, seatIds, areaPlaces: placesFacts(places), expiresAt: hold.expiresAt, status: hold.status },
    });
  }

  private tellBooking(type: string, index: number, now: number): void {
    const booking = this.bookings[index] as ModelBooking;
    this.messages.push({
      type,
      at: now,
      version: this.version,
      booking: { index, orderId: booking.orderId, status: booking.status, seatIds: booking.seats, areaPlaces: placesFacts(booking.places) },
    });
  }

  /** Moves places of an area between its counts, as each reason does: one change, one version. */
  private movePlaces(areaId: AreaId, from: keyof ModelArea | null, to: keyof ModelArea | null, quantity: number): void {
    const area = this.areas.get(areaId) as ModelArea;
    if (from) area[from] -= quantity;
    if (to) area[to] += quantity;
    this.version += 1;
  }

  /** Places of the area no one has. */
  available(areaId: AreaId): number {
    const area = this.areas.get(areaId) as ModelArea;
    return AREAS[areaId] - area.locked - area.booked - area.blocked;
  }

  /** Gives back every place the hold locks, area by area; answers what it gave back. */
  private freePlaces(hold: ModelHold): ModelPlaces {
    const freed = hold.places;
    for (const areaId of AREA_IDS) if (freed.has(areaId)) this.movePlaces(areaId, 'locked', null, freed.get(areaId) as number);
    hold.places = new Map();
    return freed;
  }

  /** A reopen with EVENTS_FILE naming the event `name`. */
  reopen(name: string): void {
    if (!this.renamed) this.name = name;
  }

  /** The hold at `index` as a token lookup sees it; undefined for unknown or forgotten tokens. */
  lookup(index: number, now: number): ModelHold | undefined {
    const hold = this.holds[index];
    if (!hold || (hold.status !== 'ACTIVE' && now >= hold.endedAt + policy.holdMaxMs)) return undefined;
    return hold;
  }

  /** Seats and places the client holds locked now, over its holds. */
  lockedByClient(client: Client): number {
    let count = 0;
    for (const index of this.lockedBy.values()) if (client !== null && this.holds[index]?.client === client) count++;
    for (const hold of this.holds) if (client !== null && hold.client === client && hold.status === 'ACTIVE') count += placesCount(hold.places);
    return count;
  }

  counts() {
    const count = (status: SeatStatus) => [...this.status.values()].filter((value) => value === status).length;
    return { available: count('AVAILABLE'), locked: count('LOCKED'), booked: count('BOOKED'), blocked: count('BLOCKED'), total: SEAT_IDS.length };
  }

  /** A seat as any view shows it: its status, and its lock's expiry. */
  seatView(seatId: string): [string, SeatStatus, number | null] {
    const status = this.status.get(seatId) as SeatStatus;
    const lockedBy = this.lockedBy.get(seatId);
    return [seatId, status, status === 'LOCKED' && lockedBy !== undefined ? (this.holds[lockedBy]?.expiresAt ?? null) : null];
  }

  run(command: StoreCommand, now: number): Outcome {
    this.expire(now);
    if (command.kind === 'lock') return { type: this.lock(command.seatIds, command.hold, command.client, now, command.admitted ?? false) };
    if (command.kind === 'best') return { type: this.best(command.count, command.hold, command.client, now, command.admitted ?? false) };
    if (command.kind === 'places') return { type: this.lockPlaces(command, now) };
    if (command.kind === 'areaBlock') return { type: this.blockPlaces(command.areaId, command.blocked) };
    if (command.kind === 'room') {
      this.roomOn = command.on;
      return { type: 'WaitingRoom' };
    }
    if (command.kind === 'block' || command.kind === 'unblock') return { type: this.block(command.seatIds, command.kind === 'block', now) };
    if (command.kind === 'cancel') return this.cancel(command.booking, now);
    if (command.kind === 'update') {
      if (command.name !== null && command.name !== this.name) {
        this.name = command.name;
        this.renamed = true;
      }
      this.salesOpen = command.salesOpen ?? this.salesOpen;
      return { type: 'Event' };
    }
    if ('seatId' in command && !this.status.has(command.seatId)) return { type: 'SeatNotFoundError' };
    const hold = this.lookup(command.hold, now);
    if (!hold) return { type: 'HoldNotFoundError' };
    const inactive = (): Outcome | null => (hold.status === 'ACTIVE' ? null : { type: hold.status === 'EXPIRED' ? 'HoldExpiredError' : 'HoldClosedError' });
    switch (command.kind) {
      case 'confirmSeat': {
        const earlier = hold.booked.get(command.seatId);
        if (earlier !== undefined) return { type: 'Booking', booking: earlier };
        const error = inactive();
        if (error) return error;
        if (this.lockedBy.get(command.seatId) !== command.hold) return { type: 'SeatNotInHoldError' };
        const booking = this.book(hold, [command.seatId], command.orderId, now);
        this.tellBooking('booking.confirmed', booking, now);
        return { type: 'Booking', booking };
      }
      case 'confirmHold': {
        if (hold.holdBooking !== null) return { type: 'Booking', booking: hold.holdBooking };
        const error = inactive();
        if (error) return error;
        const locked = [...hold.seats].filter((id) => this.lockedBy.get(id) === command.hold);
        if (locked.length === 0 && hold.places.size === 0) return { type: 'EmptyHoldError' };
        hold.holdBooking = this.book(hold, locked, command.orderId, now, hold.places);
        hold.status = 'CONFIRMED';
        hold.endedAt = now;
        this.tellBooking('booking.confirmed', hold.holdBooking, now);
        return { type: 'Booking', booking: hold.holdBooking };
      }
      case 'releaseSeat': {
        if (hold.status === 'EXPIRED') return { type: 'HoldExpiredError' };
        if (this.lockedBy.get(command.seatId) !== command.hold) {
          if (hold.released.has(command.seatId)) return { type: 'SeatRelease' };
          return inactive() ?? { type: 'SeatNotInHoldError' };
        }
        this.free(hold, command.seatId);
        this.tellHold('hold.released', command.hold, [command.seatId], now);
        return { type: 'SeatRelease' };
      }
      case 'releaseHold': {
        if (hold.status === 'RELEASED') return { type: 'SeatRelease' };
        const error = inactive();
        if (error) return error;
        const freed = [...hold.seats].filter((seatId) => this.lockedBy.get(seatId) === command.hold);
        for (const seatId of freed) this.free(hold, seatId);
        const places = this.freePlaces(hold);
        hold.status = 'RELEASED';
        hold.endedAt = now;
        this.tellHold('hold.released', command.hold, freed, now, places);
        return { type: 'SeatRelease' };
      }
      case 'extend': {
        const error = inactive();
        if (error) return error;
        hold.expiresAt = Math.max(hold.expiresAt, Math.min(now + policy.lockTtlMs, hold.maxExpiresAt));
        return { type: 'Hold' };
      }
    }
  }

  /** The hold and client checks of a lock, in the documented order; null when they pass. */
  private holdChecks(index: number | null, client: Client, adding: number, now: number): { error: string } | { hold: ModelHold | undefined } {
    let hold: ModelHold | undefined;
    if (index !== null) {
      hold = this.lookup(index, now);
      if (!hold) return { error: 'HoldNotFoundError' };
      if (hold.status === 'EXPIRED') return { error: 'HoldExpiredError' };
      if (hold.status !== 'ACTIVE') return { error: 'HoldClosedError' };
    }
    if ((hold ? hold.seats.size + placesCount(hold.places) : 0) + adding > policy.maxSeatsPerHold) return { error: 'HoldLimitError' };
    const owner = hold ? hold.client : client;
    if (owner !== null && this.lockedByClient(owner) + adding > policy.maxSeatsPerClient) return { error: 'ClientSeatLimitError' };
    return { hold };
  }

  /** Best available, by the shared ranking: what matters here is that every store applies it alike. */
  private best(count: number, index: number | null, client: Client, now: number, admitted: boolean): string {
    if (count < 1) return 'InvalidSeatSelectionError';
    if (count > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (!this.salesOpen) return 'SalesClosedError';
    if (this.roomOn && !admitted) return 'AdmissionRequiredError';
    const checked = this.holdChecks(index, client, count, now);
    if ('error' in checked) return checked.error;
    const chosen = chooseBestSeats(PLAN, (seat) => this.status.get(PLAN.seatIds[seat] as string) === 'AVAILABLE', count, null);
    if (!chosen) return 'NotEnoughSeatsError';
    return this.lock([...chosen.seatIds], index, client, now, admitted);
  }

  /** lockAreaPlaces, its checks in the documented order. */
  private lockPlaces({ areaId, quantity, hold: index, client, admitted = false }: Extract<StoreCommand, { kind: 'places' }>, now: number): string {
    if (quantity < 1) return 'InvalidSeatSelectionError';
    if (quantity > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (!isAreaId(areaId)) return 'AreaNotFoundError';
    if (!this.salesOpen) return 'SalesClosedError';
    if (this.roomOn && !admitted) return 'AdmissionRequiredError';
    const checked = this.holdChecks(index, client, quantity, now);
    if ('error' in checked) return checked.error;
    if (quantity > this.available(areaId)) return 'NotEnoughPlacesError';
    const { hold, index: at } = checked.hold ? { hold: checked.hold, index: index as number } : this.openHold(client, now);
    const places = new Map(hold.places).set(areaId, (hold.places.get(areaId) ?? 0) + quantity);
    hold.places = new Map(AREA_IDS.filter((id) => places.has(id)).map((id) => [id, places.get(id) as number]));
    this.movePlaces(areaId, null, 'locked', quantity);
    if (!checked.hold) this.tellHold('hold.created', at, [], now, hold.places);
    return 'Hold';
  }

  /** setAreaBlocked: an absolute number of places held back. */
  private blockPlaces(areaId: string, blocked: number): string {
    if (blocked < 0) return 'InvalidSeatSelectionError';
    if (!isAreaId(areaId)) return 'AreaNotFoundError';
    if (blocked > AREAS[areaId]) return 'InvalidSeatSelectionError';
    const area = this.areas.get(areaId) as ModelArea;
    const more = blocked - area.blocked;
    if (more > this.available(areaId)) return 'NotEnoughPlacesError';
    if (more > 0) this.movePlaces(areaId, null, 'blocked', more);
    if (more < 0) this.movePlaces(areaId, 'blocked', null, -more);
    return 'Area';
  }

  private openHold(client: Client, now: number): { hold: ModelHold; index: number } {
    const hold: ModelHold = {
      status: 'ACTIVE',
      client,
      seats: new Set(),
      released: new Set(),
      booked: new Map(),
      places: new Map(),
      holdBooking: null,
      createdAt: now,
      expiresAt: now + policy.lockTtlMs,
      maxExpiresAt: now + policy.holdMaxMs,
      endedAt: Number.POSITIVE_INFINITY,
    };
    return { hold, index: this.holds.push(hold) - 1 };
  }

  private lock(seatIds: string[], index: number | null, client: Client, now: number, admitted: boolean): string {
    if (seatIds.length === 0) return 'InvalidSeatSelectionError';
    if (seatIds.length > policy.maxSeatsPerHold) return 'HoldLimitError';
    if (new Set(seatIds).size !== seatIds.length) return 'InvalidSeatSelectionError';
    if (seatIds.some((id) => !this.status.has(id))) return 'SeatNotFoundError';
    if (!this.salesOpen) return 'SalesClosedError';
    if (this.roomOn && !admitted) return 'AdmissionRequiredError';
    const existing = index === null ? undefined : this.lookup(index, now);
    const added = seatIds.filter((id) => !existing?.seats.has(id));
    const checked = this.holdChecks(index, client, added.length, now);
    if ('error' in checked) return checked.error;
    if (added.some((id) => this.status.get(id) !== 'AVAILABLE')) return 'SeatUnavailableError';
    let hold = checked.hold;
    const created = !hold;
    if (!hold) ({ hold, index } = this.openHold(client, now));
    for (const id of added) {
      hold.seats.add(id);
      this.status.set(id, 'LOCKED');
      this.lockedBy.set(id, index as number);
      this.version += 1;
    }
    if (created) this.tellHold('hold.created', index as number, [...hold.seats], now);
    return 'Hold';
  }

  /** Admin: all or nothing; seats already in the wanted state stay as they are. */
  private block(seatIds: string[], block: boolean, now: number): string {
    if (seatIds.length === 0 || new Set(seatIds).size !== seatIds.length) return 'InvalidSeatSelectionError';
    if (seatIds.some((id) => !this.status.has(id))) return 'SeatNotFoundError';
    if (block && seatIds.some((id) => this.status.get(id) === 'LOCKED' || this.status.get(id) === 'BOOKED')) return 'SeatUnavailableError';
    const [from, to] = block ? (['AVAILABLE', 'BLOCKED'] as const) : (['BLOCKED', 'AVAILABLE'] as const);
    const changed = seatIds.filter((id) => this.status.get(id) === from);
    for (const id of changed) {
      this.status.set(id, to);
      this.version += 1;
    }
    if (changed.length > 0) this.messages.push({ type: block ? 'seats.blocked' : 'seats.unblocked', at: now, version: this.version, seatIds: changed });
    return 'SeatBlock';
  }

  private cancel(index: number, now: number): Outcome {
    const booking = this.bookings[index];
    if (!booking) return { type: 'BookingNotFoundError' };
    if (booking.status === 'CONFIRMED') {
      booking.status = 'CANCELLED';
      for (const id of booking.seats) {
        if (this.bookedBy.get(id) !== index) continue;
        this.bookedBy.delete(id);
        this.status.set(id, 'AVAILABLE');
        this.version += 1;
      }
      for (const [areaId, quantity] of booking.places) this.movePlaces(areaId, 'booked', null, quantity);
      this.tellBooking('booking.cancelled', index, now);
    }
    return { type: 'Booking', booking: index };
  }

  private book(hold: ModelHold, seatIds: string[], orderId: string | null, now: number, places: ModelPlaces = new Map()): number {
    const booking = this.bookings.push({ seats: seatIds, places: new Map(places), orderId, confirmedAt: now, status: 'CONFIRMED' }) - 1;
    for (const id of seatIds) {
      hold.booked.set(id, booking);
      this.bookedBy.set(id, booking);
      this.status.set(id, 'BOOKED');
      this.lockedBy.delete(id);
      this.version += 1;
    }
    for (const [areaId, quantity] of places) this.movePlaces(areaId, 'locked', 'booked', quantity);
    return booking;
  }

  private free(hold: ModelHold, seatId: string): void {
    hold.seats.delete(seatId);
    hold.released.add(seatId);
    this.status.set(seatId, 'AVAILABLE');
    this.lockedBy.delete(seatId);
    this.version += 1;
  }
}

function isAreaId(id: string): id is AreaId {
  return id in AREAS;
}

function placesCount(places: ModelPlaces): number {
  let count = 0;
  for (const quantity of places.values()) count += quantity;
  return count;
}

const seatId = fc.constantFrom(...SEAT_IDS, 'Z-9');
const areaId = fc.constantFrom<string>(...AREA_IDS, 'moat');
// Mostly the first few holds, so that sequences keep working on the same hold.
const holdIndex = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 7 }) });
const orderId = fc.option(fc.constantFrom('order-1', 'order-2'), { nil: null });
const client = fc.constantFrom<Client>(...CLIENTS, null);
const storeCommands: fc.WeightedArbitrary<StoreCommand>[] = [
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('lock' as const),
      seatIds: fc.array(seatId, { maxLength: 4 }),
      hold: fc.option(holdIndex, { nil: null }),
      client,
      admitted: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('best' as const),
      count: fc.integer({ min: 0, max: 4 }),
      hold: fc.option(holdIndex, { nil: null }),
      client,
      admitted: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('places' as const),
      areaId,
      quantity: fc.integer({ min: 0, max: 4 }),
      hold: fc.option(holdIndex, { nil: null }),
      client,
      admitted: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('areaBlock' as const), areaId, blocked: fc.integer({ min: -1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('room' as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirmSeat' as const), hold: holdIndex, seatId, orderId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirmHold' as const), hold: holdIndex, orderId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('releaseSeat' as const), hold: holdIndex, seatId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('releaseHold' as const), hold: holdIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extend' as const), hold: holdIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const), seatIds: fc.array(seatId, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unblock' as const), seatIds: fc.array(seatId, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), booking: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      name: fc.option(fc.constantFrom(FIRST_NAME, 'Show (late)'), { nil: null }),
      salesOpen: fc.option(fc.boolean(), { nil: null }),
    }),
  },
];
const advance: fc.WeightedArbitrary<Command> = {
  weight: 3,
  arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
};
const reopen: fc.WeightedArbitrary<Command> = {
  weight: 2,
  arbitrary: fc.record({ kind: fc.constant('reopen' as const), name: fc.constantFrom(FIRST_NAME, 'Show (revised)') }),
};

/** Commands for a store; a store that keeps its data also gets closed and opened again (renamed or not). */
function commandsFor(kind: StoreKind): fc.Arbitrary<Command> {
  return fc.oneof(...storeCommands, advance, ...(kind.reopens ? [reopen] : []));
}

/** A PubSub that only records what the store publishes. */
function recordingPubSub(published: EventChange[]): SeatlockPubSub {
  return {
    publish: (topic: string, _eventId: string, change: EventChange) => void ((topic === 'seatChanged' || topic === 'areaChanged') && published.push(change)),
    end: () => undefined,
    listening: () => [],
    subscribe: () => {
      throw new Error('not subscribed in this test');
    },
  } as unknown as SeatlockPubSub;
}

/** What a store answered: the result type, the booking's id, the new hold's token. */
interface StoreOutcome {
  readonly type: string;
  readonly bookingId?: string;
  readonly newToken?: string;
}

async function runStore(store: SeatStore, command: StoreCommand, tokens: readonly string[], bookingIds: ReadonlyMap<number, string>): Promise<StoreOutcome> {
  const token = 'hold' in command && command.hold !== null ? (tokens[command.hold] ?? `${EVENT}.unknown-${command.hold}`) : undefined;
  try {
    switch (command.kind) {
      case 'lock': {
        const hold = await store.lockSeats({
          eventId: EVENT,
          seatIds: command.seatIds,
          holdToken: token,
          clientId: command.client,
          admitted: command.admitted,
        });
        return { type: 'Hold', ...(command.hold === null ? { newToken: hold.token } : {}) };
      }
      case 'best': {
        const hold = await store.lockBestAvailable({
          eventId: EVENT,
          count: command.count,
          holdToken: token,
          clientId: command.client,
          admitted: command.admitted,
        });
        return { type: 'Hold', ...(command.hold === null ? { newToken: hold.token } : {}) };
      }
      case 'places': {
        const hold = await store.lockAreaPlaces({
          eventId: EVENT,
          areaId: command.areaId,
          quantity: command.quantity,
          holdToken: token,
          clientId: command.client,
          admitted: command.admitted,
        });
        return { type: 'Hold', ...(command.hold === null ? { newToken: hold.token } : {}) };
      }
      case 'areaBlock':
        await store.setAreaBlocked({ eventId: EVENT, areaId: command.areaId, blocked: command.blocked });
        return { type: 'Area' };
      case 'confirmSeat': {
        const booking = await store.confirmSeat({ eventId: EVENT, seatId: command.seatId, holdToken: token as string, orderId: command.orderId });
        return { type: 'Booking', bookingId: booking.id };
      }
      case 'confirmHold': {
        const booking = await store.confirmHold({ holdToken: token as string, orderId: command.orderId });
        return { type: 'Booking', bookingId: booking.id };
      }
      case 'releaseSeat':
        await store.releaseSeat({ eventId: EVENT, seatId: command.seatId, holdToken: token as string });
        return { type: 'SeatRelease' };
      case 'releaseHold':
        await store.releaseHold(token as string);
        return { type: 'SeatRelease' };
      case 'extend':
        await store.extendHold(token as string);
        return { type: 'Hold' };
      case 'block':
        await store.blockSeats({ eventId: EVENT, seatIds: command.seatIds });
        return { type: 'SeatBlock' };
      case 'unblock':
        await store.unblockSeats({ eventId: EVENT, seatIds: command.seatIds });
        return { type: 'SeatBlock' };
      case 'update':
        await store.updateEvent(EVENT, { name: command.name, salesOpen: command.salesOpen });
        return { type: 'Event' };
      case 'room':
        await store.waitingRooms.configure(EVENT, { enabled: command.on, admitPerMinute: 60 });
        return { type: 'WaitingRoom' };
      case 'cancel': {
        // A booking not made yet stands for an id nobody was given.
        const booking = await store.cancelBooking(bookingIds.get(command.booking) ?? `${EVENT}.never-issued-${command.booking}`);
        return { type: 'Booking', bookingId: booking.id };
      }
    }
  } catch (error) {
    return { type: (error as Error).name };
  }
}

/** Everything a store answers of the event: its seats, the event, holds by token and bookings by id, as plain data. */
interface Snapshot {
  readonly seats: readonly unknown[];
  readonly event: unknown;
  readonly holds: Readonly<Record<string, unknown>>;
  readonly bookings: Readonly<Record<string, unknown>>;
  readonly bookingsInOrder: readonly string[];
  readonly order1: readonly string[];
  /** Whether the event's waiting room is on (locks need an admission). */
  readonly roomOn: boolean;
}

async function storeSnapshot(store: SeatStore, tokens: readonly string[], bookingIds: readonly string[]): Promise<Snapshot> {
  const seats = await store.listSeats(EVENT);
  const event = await store.getEvent(EVENT);
  const holds: Record<string, unknown> = {};
  for (const token of tokens) {
    const hold = await store.getHold(token);
    holds[token] = hold && {
      status: hold.status,
      createdAt: hold.createdAt.getTime(),
      expiresAt: hold.expiresAt.getTime(),
      maxExpiresAt: hold.maxExpiresAt.getTime(),
      seats: hold.seats.map((seat) => [seat.id, seat.status, seat.lockExpiresAt?.getTime() ?? null]),
      places: hold.areaPlaces.map(({ area, quantity }) => [area.id, quantity]),
    };
  }
  const bookings: Record<string, unknown> = {};
  for (const id of bookingIds) {
    const booking = await store.getBooking(id);
    bookings[id] = booking && {
      status: booking.status,
      orderId: booking.orderId,
      confirmedAt: booking.confirmedAt.getTime(),
      seats: booking.seats.map((seat) => [seat.id, seat.status, seat.lockExpiresAt]),
      places: booking.areaPlaces.map(({ area, quantity }) => [area.id, quantity]),
    };
  }
  return {
    seats: seats.map((seat) => [seat.id, seat.status, seat.lockExpiresAt?.getTime() ?? null]),
    event: event && {
      version: event.version,
      name: event.name,
      salesOpen: event.salesOpen,
      counts: event.counts,
      areas: event.areas.map((area) => [area.id, area.available, area.locked, area.booked, area.blocked]),
    },
    holds: byKey(holds),
    bookings: byKey(bookings),
    bookingsInOrder: (await store.listBookings(EVENT)).map((booking) => booking.id),
    order1: (await store.listBookings(EVENT, 'order-1')).map((booking) => booking.id),
    roomOn: (await store.waitingRooms.room(EVENT))?.enabled ?? false,
  };
}

/** The entries in the order of their keys, so that snapshots compare as text whatever order they were made in. */
function byKey(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What the model says the store must answer, with the store's tokens and booking ids for its holds and bookings. */
function modelSnapshot(model: Model, now: number, tokens: readonly string[], bookingIds: ReadonlyMap<number, string>): Snapshot {
  model.expire(now);
  const holds: Record<string, unknown> = {};
  for (const [index, token] of tokens.entries()) {
    const hold = model.lookup(index, now) ?? null;
    holds[token] = hold && {
      status: hold.status,
      createdAt: hold.createdAt,
      expiresAt: hold.expiresAt,
      maxExpiresAt: hold.maxExpiresAt,
      seats: [...hold.seats].map((seatId) => model.seatView(seatId)),
      places: [...hold.places],
    };
  }
  const bookings: Record<string, unknown> = {};
  const madeInOrder = [...bookingIds.entries()].sort(([a], [b]) => a - b);
  for (const [index, id] of madeInOrder) {
    const booking = model.bookings[index] as ModelBooking;
    // A booking's seats as it holds them: BOOKED while it stands, AVAILABLE once cancelled.
    const seatStatus = booking.status === 'CONFIRMED' ? 'BOOKED' : 'AVAILABLE';
    bookings[id] = {
      status: booking.status,
      orderId: booking.orderId,
      confirmedAt: booking.confirmedAt,
      seats: booking.seats.map((seat) => [seat, seatStatus, null]),
      places: [...booking.places],
    };
  }
  return {
    seats: SEAT_IDS.map((id) => model.seatView(id)),
    event: {
      version: model.version,
      name: model.name,
      salesOpen: model.salesOpen,
      counts: model.counts(),
      areas: AREA_IDS.map((id) => {
        const area = model.areas.get(id) as ModelArea;
        return [id, model.available(id), area.locked, area.booked, area.blocked];
      }),
    },
    holds: byKey(holds),
    bookings: byKey(bookings),
    bookingsInOrder: madeInOrder.map(([, id]) => id),
    order1: madeInOrder.filter(([index]) => model.bookings[index]?.orderId === 'order-1').map(([, id]) => id),
    roomOn: model.roomOn,
  };
}

/** Holds the store to the model, field by field: seats, the event, every hold and every booking. */
async function expectAgrees(store: SeatStore, model: Model, now: number, tokens: readonly string[], bookingIds: ReadonlyMap<number, string>, step: string) {
  const expected = modelSnapshot(model, now, tokens, bookingIds);
  const actual = await storeSnapshot(store, tokens, expected.bookingsInOrder);
  expect(actual, step).toEqual(expected);
}

/** JSON with every object's keys sorted: messages compare as text whatever order their fields were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}

/** The body the model's message must have, with the store's tokens and booking ids; sorted, as canonical text. */
function expectedMessages(messages: readonly ModelMessage[], tokens: readonly string[], bookingIds: ReadonlyMap<number, string>): string[] {
  return messages
    .map(({ type, at, version, hold, booking, seatIds }) => {
      const data: Record<string, unknown> = { eventId: EVENT, version };
      if (hold) {
        const { index, expiresAt, ...rest } = hold;
        data.hold = { id: publicHoldId(tokens[index] ?? `unknown hold ${index}`), expiresAt: new Date(expiresAt).toISOString(), ...rest };
      }
      if (booking) {
        const { index, ...rest } = booking;
        data.booking = { id: bookingIds.get(index) ?? `unknown booking ${index}`, ...rest };
      }
      if (seatIds) data.seatIds = seatIds;
      return canonical({ type, timestamp: new Date(at).toISOString(), data });
    })
    .sort();
}

/** An endpoint for every message, never sent to: the test reads its deliveries to see each store's messages. */
const MODEL_ENDPOINT = {
  url: 'https://receiver.invalid/seatlock',
  secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
  types: null,
  eventIds: null,
  description: null,
};

/**
 * The webhook messages a store wrote, read from its outbox as a deliverer takes them (leased for
 * good, so each is read once); by message id, as a reopened store offers undelivered ones again,
 * which must be the very same messages.
 */
function messageReader() {
  const bodies = new Map<string, string>();
  return async (store: SeatStore, now: number): Promise<string[]> => {
    const fresh: string[] = [];
    for (const { messageId, body } of await store.webhooks.claimDueDeliveries(now, () => 1_000_000, 1e12)) {
      const known = bodies.get(messageId);
      if (known !== undefined) {
        expect(body, `message ${messageId} offered again`).toBe(known);
        continue;
      }
      bodies.set(messageId, body);
      fresh.push(canonical(JSON.parse(body)));
    }
    return fresh.sort();
  };
}

/** One store's data, opened (and opened again) as a test run goes, with its clock and what it published. */
function storeRun(kind: StoreKind) {
  // An hour ahead of real time, so no Redis key expires by Redis's own clock during a run.
  const clock = new ManualClock(Date.now() + 3_600_000);
  const published: EventChange[] = [];
  const harness = kind.harness();
  const open = (name: string) => harness.open({ start: fileEvents(parseEventLayouts(layoutNamed(name))), pubsub: recordingPubSub(published), policy, clock });
  return { clock, published, harness, open };
}

/**
 * Versions published one by one, seat and area changes alike, each seat booked at most once and
 * no area ever past its capacity (stores that publish in the step).
 */
function expectPublishedInOrder(kind: StoreKind, published: readonly EventChange[]) {
  if (!kind.publishesInStep) return;
  expect(published.map((change) => change.version)).toEqual(published.map((_, index) => index + 1));
  for (const change of published.filter(isAreaChange)) {
    const { area } = change;
    expect(area.available + area.locked + area.booked + area.blocked, `version ${change.version}`).toBe(area.capacity);
    expect(Math.min(area.available, area.locked, area.booked, area.blocked), `version ${change.version}`).toBeGreaterThanOrEqual(0);
  }
  const seatChanges = published.filter((change): change is SeatChange => !isAreaChange(change));
  const booked = seatChanges.filter((change) => change.reason === 'BOOKED').map((change) => change.seat.id);
  const cancelledOrBooked = seatChanges.filter((change) => change.reason === 'BOOKED' || change.reason === 'CANCELLED');
  // A seat is booked again only after its booking was cancelled.
  for (const seat of new Set(booked)) {
    const reasons = cancelledOrBooked.filter((change) => change.seat.id === seat).map((change) => change.reason);
    expect(
      reasons.every((reason, index) => reason === (index % 2 === 0 ? 'BOOKED' : 'CANCELLED')),
      seat,
    ).toBe(true);
  }
}

/** Every kind of state across a close and reopen (for stores that can reopen), with renames. */
const reopenExample: Command[] = [
  { kind: 'lock', seatIds: ['A-1', 'A-2', 'A-3'], hold: null, client: 'client-a' },
  { kind: 'lock', seatIds: ['A-4'], hold: null, client: 'client-a' },
  { kind: 'advance', ms: 500 },
  { kind: 'extend', hold: 0 },
  { kind: 'reopen', name: FIRST_NAME },
  { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-1' },
  { kind: 'releaseSeat', hold: 0, seatId: 'A-2' },
  { kind: 'reopen', name: 'Show (revised)' },
  { kind: 'lock', seatIds: ['A-5', 'A-6'], hold: null, client: 'client-a' },
  { kind: 'releaseSeat', hold: 0, seatId: 'A-2' },
  { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-2' },
  { kind: 'advance', ms: 700 },
  { kind: 'reopen', name: FIRST_NAME },
  { kind: 'confirmHold', hold: 0, orderId: null },
  { kind: 'confirmHold', hold: 1, orderId: null },
  { kind: 'update', name: FIRST_NAME, salesOpen: null },
  { kind: 'reopen', name: 'Show (revised)' },
  { kind: 'confirmHold', hold: 0, orderId: 'order-2' },
  { kind: 'advance', ms: 2_500 },
  { kind: 'reopen', name: FIRST_NAME },
  { kind: 'confirmHold', hold: 0, orderId: null },
  { kind: 'block', seatIds: ['A-5', 'A-6'] },
  { kind: 'cancel', booking: 0 },
  { kind: 'reopen', name: FIRST_NAME },
  { kind: 'lock', seatIds: ['A-1', 'A-5'], hold: null, client: null },
  { kind: 'update', name: 'Show (late)', salesOpen: false },
  { kind: 'reopen', name: 'Show (revised)' },
  { kind: 'lock', seatIds: ['A-2'], hold: null, client: null },
  { kind: 'update', name: null, salesOpen: true },
  { kind: 'unblock', seatIds: ['A-5'] },
  { kind: 'cancel', booking: 0 },
  { kind: 'reopen', name: FIRST_NAME },
  { kind: 'lock', seatIds: ['A-1', 'A-5'], hold: null, client: 'client-b' },
];

/** A client up to its cap over two holds, then over it; the cap counts places given back. */
const clientCapExample: Command[] = [
  { kind: 'lock', seatIds: ['A-1', 'A-2', 'A-3'], hold: null, client: 'client-a' },
  { kind: 'lock', seatIds: ['A-4', 'A-5'], hold: null, client: 'client-a' },
  { kind: 'best', count: 2, hold: null, client: 'client-a' },
  { kind: 'lock', seatIds: ['A-4'], hold: null, client: 'client-a' },
  { kind: 'lock', seatIds: ['A-6'], hold: 0, client: 'client-b' },
  { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: null },
  { kind: 'lock', seatIds: ['A-6'], hold: 1, client: null },
  { kind: 'cancel', booking: 0 },
  { kind: 'best', count: 1, hold: null, client: 'client-a' },
  { kind: 'best', count: 1, hold: null, client: 'client-b' },
];

/** Places through every way they end, with the client's cap counting only those still locked. */
const placesExample: Command[] = [
  { kind: 'places', areaId: 'pit', quantity: 3, hold: null, client: 'client-a' },
  { kind: 'lock', seatIds: ['A-1'], hold: 0, client: null },
  { kind: 'places', areaId: 'lawn', quantity: 1, hold: 0, client: null },
  { kind: 'confirmHold', hold: 0, orderId: 'order-1' },
  { kind: 'places', areaId: 'lawn', quantity: 3, hold: null, client: 'client-a' },
  { kind: 'places', areaId: 'pit', quantity: 2, hold: null, client: 'client-b' },
  { kind: 'releaseHold', hold: 1 },
  { kind: 'places', areaId: 'lawn', quantity: 3, hold: null, client: 'client-a' },
  { kind: 'areaBlock', areaId: 'pit', blocked: 1 },
  { kind: 'areaBlock', areaId: 'pit', blocked: 2 },
  { kind: 'advance', ms: 1_000 },
  { kind: 'places', areaId: 'lawn', quantity: 3, hold: null, client: 'client-a' },
  { kind: 'places', areaId: 'lawn', quantity: 1, hold: null, client: 'client-a' },
  { kind: 'cancel', booking: 0 },
  { kind: 'areaBlock', areaId: 'pit', blocked: 0 },
  { kind: 'places', areaId: 'pit', quantity: 3, hold: 4, client: null },
  { kind: 'confirmHold', hold: 4, orderId: null },
  { kind: 'cancel', booking: 1 },
];

const SEQUENTIAL_RUNS: Record<string, number> = { memory: 300, durable: 150, redis: 60, cluster: 25 };
const CONCURRENT_RUNS: Record<string, number> = { memory: 150, durable: 80, redis: 40, cluster: 15 };

describe.each(storeKindsDirect)('$name store against a reference model', (kind) => {
  prepareStoreKind(kind);

  it('agrees with the model after every step, field by field, books no seat twice and keeps every booking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandsFor(kind), { minLength: 1, maxLength: 60 }), async (commands) => {
        const { clock, published, harness, open } = storeRun(kind);
        let store = open(FIRST_NAME);
        const model = new Model();
        const tokens: string[] = [];
        const bookingIds = new Map<number, string>();
        const readMessages = messageReader();
        let told = 0;
        const expectMessages = async (where: string) => {
          expect(await readMessages(store, clock.now()), `${where}: webhook messages`).toEqual(
            expectedMessages(model.messages.slice(told), tokens, bookingIds),
          );
          told = model.messages.length;
        };
        try {
          await store.webhooks.createWebhookEndpoint(MODEL_ENDPOINT);
          for (const [index, step] of commands.entries()) {
            const where = `step ${index}: ${JSON.stringify(step)}`;
            if (step.kind === 'advance') {
              clock.advance(step.ms);
              continue;
            }
            if (step.kind === 'reopen') {
              await store.close();
              store = open(step.name);
              model.reopen(step.name);
              await expectAgrees(store, model, clock.now(), tokens, bookingIds, where);
              await expectMessages(where);
              continue;
            }
            const expected = model.run(step, clock.now());
            const actual = await runStore(store, step, tokens, bookingIds);
            expect(actual.type, where).toBe(expected.type);
            if (actual.newToken) tokens.push(actual.newToken);
            if (expected.booking !== undefined) {
              // A retried confirm answers the booking the first one made.
              const known = bookingIds.get(expected.booking) ?? (actual.bookingId as string);
              expect(actual.bookingId, where).toBe(known);
              bookingIds.set(expected.booking, known);
            }
            await expectAgrees(store, model, clock.now(), tokens, bookingIds, where);
            await expectMessages(where);
          }
          expectPublishedInOrder(kind, published);
        } finally {
          await store.close();
          harness.dispose();
        }
      }),
      {
        numRuns: SEQUENTIAL_RUNS[kind.name] ?? 100,
        // Paths random search reaches rarely: extending up to the cap, and expiry after it.
        examples: [
          [
            [
              { kind: 'lock', seatIds: ['A-1', 'A-2'], hold: null, client: null },
              { kind: 'advance', ms: 900 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 900 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 650 },
              { kind: 'extend', hold: 0 },
              { kind: 'advance', ms: 100 },
              { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: 'order-1' },
              { kind: 'advance', ms: 2_500 },
              { kind: 'confirmSeat', hold: 0, seatId: 'A-1', orderId: null },
              { kind: 'releaseHold', hold: 0 },
            ],
          ],
          [clientCapExample],
          [placesExample],
          ...(kind.reopens ? [[reopenExample] as [Command[]]] : []),
        ],
      },
    );
  }, 300_000);

  it('agrees with the model in some order of every batch of concurrent commands, and no seat is booked twice', async () => {
    const batch = fc.record({ commands: fc.array(fc.oneof(...storeCommands), { minLength: 2, maxLength: 4 }), advance: fc.integer({ min: 0, max: 1_200 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 12 }), fc.scheduler(), async (batches, scheduler) => {
        const { clock, published, harness, open } = storeRun(kind);
        const store = open(FIRST_NAME);
        let model = new Model();
        const tokens: string[] = [];
        const bookingIds = new Map<number, string>();
        const readMessages = messageReader();
        try {
          await store.webhooks.createWebhookEndpoint(MODEL_ENDPOINT);
          for (const [index, { commands, advance: ms }] of batches.entries()) {
            clock.advance(ms);
            // Within a batch, commands name only holds and bookings made before it.
            const batchCommands = commands.map((command) => withinBatch(command, tokens.length, bookingIds.size));
            // Started in an order the scheduler picks, all in flight together.
            const outcomes = await (async () => {
              const answers = batchCommands.map((command, position) =>
                scheduler.schedule(Promise.resolve(), `start ${position}: ${JSON.stringify(command)}`).then(() => runStore(store, command, tokens, bookingIds)),
              );
              await scheduler.waitIdle();
              return Promise.all(answers);
            })();
            const where = `batch ${index}: ${JSON.stringify(batchCommands)} answered ${JSON.stringify(outcomes.map((outcome) => outcome.type))}`;
            // What the store holds now, of every hold and booking there may be: one snapshot for every order tried.
            const allTokens = [...tokens, ...outcomes.flatMap((outcome) => (outcome.newToken ? [outcome.newToken] : []))];
            const allBookingIds = [...new Set([...bookingIds.values(), ...outcomes.flatMap((outcome) => (outcome.bookingId ? [outcome.bookingId] : []))])];
            const snapshot = await storeSnapshot(store, allTokens, allBookingIds);
            const actual = JSON.stringify(snapshot);
            const messages = await readMessages(store, clock.now());
            const actualMessages = JSON.stringify(messages);
            const order = linearize(model, batchCommands, outcomes, clock.now(), bookingIds, (candidate, newTokens, newBookings) => {
              const ids = new Map([...bookingIds, ...newBookings]);
              const expected = modelSnapshot(candidate, clock.now(), [...tokens, ...newTokens], ids);
              return (
                actual ===
                  JSON.stringify({ ...expected, bookings: byKey(Object.fromEntries(allBookingIds.map((id) => [id, expected.bookings[id] ?? null]))) }) &&
                actualMessages === JSON.stringify(expectedMessages(candidate.messages.slice(model.messages.length), [...tokens, ...newTokens], ids))
              );
            });
            if (!order) {
              // The diff against the commands in the order given, to show what differs.
              const inOrder = model.clone();
              const answers = batchCommands.map((command) => inOrder.run(command, clock.now()).type);
              expect({ answers, snapshot, messages }, `${where}: no order of the batch gives these answers, this state and these messages`).toEqual({
                answers: outcomes.map((outcome) => outcome.type),
                snapshot: modelSnapshot(inOrder, clock.now(), allTokens, new Map([...bookingIds])),
                messages: expectedMessages(inOrder.messages.slice(model.messages.length), allTokens, new Map([...bookingIds])),
              });
              return;
            }
            model = order.model;
            tokens.push(...order.newTokens);
            for (const [booking, id] of order.newBookings) bookingIds.set(booking, id);
            await expectAgrees(store, model, clock.now(), tokens, bookingIds, where);
          }
          expectPublishedInOrder(kind, published);
        } finally {
          await store.close();
          harness.dispose();
        }
      }),
      { numRuns: CONCURRENT_RUNS[kind.name] ?? 50 },
    );
  }, 300_000);
});

/** A command of a batch naming a hold or booking the batch makes stands for one never issued. */
function withinBatch(command: StoreCommand, holds: number, bookings: number): StoreCommand {
  if ('hold' in command && command.hold !== null && command.hold >= holds) return { ...command, hold: NEVER_ISSUED };
  if (command.kind === 'cancel' && command.booking >= bookings) return { ...command, booking: NEVER_ISSUED };
  return command;
}

/**
 * An order of the batch's commands in which the model answers what the store answered, and ends
 * where the store ended (`matches`): the store behaved as if the commands had come one at a time.
 */
function linearize(
  model: Model,
  commands: readonly StoreCommand[],
  outcomes: readonly StoreOutcome[],
  now: number,
  bookingIds: ReadonlyMap<number, string>,
  matches: (model: Model, newTokens: readonly string[], newBookings: ReadonlyMap<number, string>) => boolean,
): { model: Model; newTokens: string[]; newBookings: Map<number, string> } | null {
  for (const order of permutations(commands.length)) {
    const candidate = model.clone();
    const newTokens: string[] = [];
    const newBookings = new Map<number, string>();
    let agrees = true;
    for (const position of order) {
      const command = commands[position] as StoreCommand;
      const actual = outcomes[position] as StoreOutcome;
      const expected = candidate.run(command, now);
      if (expected.type !== actual.type) {
        agrees = false;
        break;
      }
      if (actual.newToken) newTokens.push(actual.newToken);
      if (expected.booking !== undefined) {
        const known = bookingIds.get(expected.booking) ?? newBookings.get(expected.booking);
        if (known !== undefined && known !== actual.bookingId) {
          agrees = false;
          break;
        }
        newBookings.set(expected.booking, actual.bookingId as string);
      }
    }
    for (const booking of bookingIds.keys()) newBookings.delete(booking);
    if (agrees && matches(candidate, newTokens, newBookings)) return { model: candidate, newTokens, newBookings };
  }
  return null;
}

function* permutations(count: number): Generator<number[]> {
  if (count <= 1) {
    yield Array.from({ length: count }, (_, index) => index);
    return;
  }
  for (const rest of permutations(count - 1)) {
    for (let at = 0; at <= rest.length; at++) yield [...rest.slice(0, at), count - 1, ...rest.slice(at)];
  }
}
