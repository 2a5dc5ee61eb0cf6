import type { BookingStatus, HoldStatus } from '../../domain/model.js';
import type { RoomSettings, RoomState } from '../queue-schedule.js';
import type { LuaScript } from './lua-script.js';
import { loadScript } from './script-loader.js';
import type { SeatState } from './script-errors.js';

/** An area's counts as the scripts answer them (areaView in scripts/includes/areas.lua). */
export type AreaState = [areaId: string, available: number, locked: number, booked: number, blocked: number];

/** Places of an area in a hold or booking as the scripts answer them (placesView). */
export type PlacesState = [areaId: string, quantity: number, available: number, locked: number, booked: number, blocked: number];

/** A hold as the scripts answer it. */
export interface HoldReply {
  readonly token: string;
  readonly status: HoldStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxExpiresAt: number;
  readonly seats: List<SeatState>;
  readonly areaPlaces: List<PlacesState>;
}

/** A booking as the scripts answer it. */
export interface BookingReply {
  readonly id: string;
  readonly seats: List<string>;
  readonly areaPlaces: List<PlacesState>;
  readonly confirmedAt: number;
  readonly orderId: string | false;
  readonly status: BookingStatus;
}

/** An event's version, counts, name and sales. */
export interface EventReply {
  readonly version: number;
  readonly available: number;
  readonly locked: number;
  readonly booked: number;
  readonly blocked: number;
  readonly name: string;
  readonly salesOpen: boolean;
  /** Its waiting room is on: locks need an admission. */
  readonly admissionRequired: boolean;
  /** Its areas' counts, in no order. */
  readonly areas: List<AreaState>;
}

/** A waiting room as a script answers it (false: none), with the script's time. */
export interface RoomReply {
  readonly room: RoomState | false;
  readonly now: number;
}

/**
 * What every lock script takes of the hold it locks into (see the scripts' locking include): the
 * hold named, or the token of a new one, its buyer and their cap, and the admission.
 */
export interface HoldArgs {
  readonly requestedEventId: string;
  readonly token?: string;
  readonly newToken: string;
  readonly client?: string;
  readonly perClient: number;
  /** The caller showed a valid admission (checked by the instance); needed while the event's waiting room is on. */
  readonly admitted?: true;
}

/** cjson answers an empty list as an empty object. */
export type List<T> = readonly T[] | Record<string, never>;

/**
 * One operation's script, with the shape of its arguments and of its `ok` answer: the one place
 * both sides of the boundary are written down (each script's header says the same in Lua).
 * Optional arguments are left out of the JSON, so the script sees nil, never cjson's null.
 */
export interface ScriptOp<TArgs, TOk> {
  readonly name: string;
  readonly script: LuaScript;
  /** Whether it changes state: a call sent that got no answer has an unknown outcome. */
  readonly changes: boolean;
  /** Never set: carries the argument and answer types. */
  readonly types?: { readonly args: TArgs; readonly ok: TOk };
}

function op<TArgs, TOk>(name: string, changes: boolean): ScriptOp<TArgs, TOk> {
  return { name, script: loadScript(name), changes };
}

type NoArgs = Readonly<Record<string, never>>;

/** Every script a Redis store runs, loaded once. */
export const ops = {
  init: op<{ name: string; seatIds: readonly string[]; areas: readonly (readonly [string, number])[]; webhooks?: true; announce?: number }, number>(
    'init',
    true,
  ),
  sweep: op<NoArgs, true>('sweep', true),
  event: op<NoArgs, EventReply>('read-event', false),
  /** Answers a flat array, not JSON (see read-seats.lua). */
  seats: op<NoArgs, never>('read-seats', false),
  changes: op<{ afterVersion: number }, List<string[]>>('read-changes', false),
  booking: op<{ bookingId: string }, BookingReply | false>('read-booking', false),
  hold: op<{ token: string }, HoldReply | false>('read-hold', false),
  bookings: op<{ orderId?: string }, List<BookingReply>>('read-bookings', false),
  lock: op<HoldArgs & { needed: number; seatIds: readonly string[] }, HoldReply>('lock', true),
  lockArea: op<HoldArgs & { areaId: string; quantity: number }, HoldReply>('lock-area', true),
  areaBlock: op<{ areaId: string; blocked: number }, AreaState>('area-block', true),
  confirmSeat: op<{ requestedEventId: string; token: string; seatId: string; bookingId: string; orderId?: string }, BookingReply>('confirm-seat', true),
  confirmHold: op<{ token: string; bookingId: string; orderId?: string }, BookingReply>('confirm-hold', true),
  releaseSeat: op<{ requestedEventId: string; token: string; seatId: string }, List<string>>('release-seat', true),
  releaseHold: op<{ token: string }, { seats: List<string>; areaPlaces: List<PlacesState> }>('release-hold', true),
  extend: op<{ token: string }, HoldReply>('extend', true),
  update: op<{ name?: string; salesOpen?: boolean }, EventReply>('update', true),
  remove: op<NoArgs, EventReply>('remove', true),
  block: op<{ seatIds: readonly string[] }, List<SeatState>>('block', true),
  unblock: op<{ seatIds: readonly string[] }, List<SeatState>>('unblock', true),
  cancel: op<{ bookingId: string }, BookingReply>('cancel', true),
  webhooksOn: op<NoArgs, boolean>('webhooks-on', true),
  roomConfigure: op<{ settings: RoomSettings; seed: string; defaultAdmissionSeconds: number }, RoomReply>('room-configure', true),
  roomJoin: op<{ client: string; replace?: number }, RoomReply & { serial: number; held: boolean }>('room-join', true),
  roomRead: op<NoArgs, RoomReply>('room-read', false),
} as const;

/** The elements of a list a script answered (an empty one comes as `{}`). */
export function listOf<T>(list: List<T>): readonly T[] {
  return Array.isArray(list) ? list : [];
}
