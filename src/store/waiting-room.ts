import type { QueueCredentials } from './queue-credentials.js';
import { earlyArrivalNumbers } from './queue-shuffle.js';
import {
  admittedCount,
  DEFAULT_ADMISSION_SECONDS,
  lapsedCount,
  nowServing,
  standing,
  waitingCount,
  type RoomSettings,
  type RoomState,
  type TicketStatus,
} from './queue-schedule.js';

/** An event's waiting room as the API shows it, at the time it was read. */
export interface WaitingRoomView {
  readonly eventId: string;
  readonly enabled: boolean;
  readonly opensAt: Date;
  readonly admitPerMinute: number;
  readonly admissionSeconds: number;
  readonly paused: boolean;
  /** Tickets WAITING, numbered or not. */
  readonly waiting: number;
  readonly nowServing: number;
  /** Admissions running now. */
  readonly admitted: number;
  /** Admissions that ended. */
  readonly lapsed: number;
}

/** A buyer's place in an event's line: its id is the bearer's key to it. */
export interface QueueTicket {
  readonly id: string;
  readonly eventId: string;
  readonly status: TicketStatus;
  readonly number: number | null;
  readonly position: number | null;
  readonly estimatedWaitSeconds: number | null;
  /** The bearer's key to the event's locks while ADMITTED. */
  readonly admissionToken: string | null;
  readonly admittedUntil: Date | null;
}

/** One step of a room, for everyone watching it. */
export interface QueueProgress {
  readonly eventId: string;
  readonly nowServing: number;
  readonly waiting: number;
  readonly paused: boolean;
  readonly admitPerMinute: number;
  readonly at: Date;
}

/**
 * The waiting rooms of a store's events. Tickets and the schedule are the store's state: kept
 * across restarts (embedded) and shared by every instance (Redis); the rules are those of
 * queue-schedule.ts. The store publishes `queueProgress` (see {@link QueueProgressTicker}).
 */
export interface WaitingRooms {
  /** Makes or changes the room; fields left out stay. @throws EventNotFoundError, InvalidWaitingRoomError */
  configure(eventId: string, settings: RoomSettings): Promise<WaitingRoomView>;
  /** Null when the event never had a room configured. @throws EventNotFoundError */
  room(eventId: string): Promise<WaitingRoomView | null>;
  /** Every room, for metrics. */
  rooms(): Promise<WaitingRoomView[]>;
  /**
   * The ticket of this client for the event: its ticket again while WAITING or ADMITTED, a new
   * one at the end of the line once it LAPSED; ADMITTED at once when the room is not on.
   * @throws EventNotFoundError
   */
  join(eventId: string, clientKey: string): Promise<QueueTicket>;
  /** A ticket by its id; null for an id this store never issued. */
  ticket(id: string): Promise<QueueTicket | null>;
  /** The keys tickets and admission tokens are signed with (read once). */
  credentials(): Promise<QueueCredentials>;
  /** The room's state as stored, for the progress ticker; null when there is none. */
  roomState(eventId: string): Promise<RoomState | null>;
}

/** A room's view from its settled state. */
export function roomView(eventId: string, room: RoomState, now: number): WaitingRoomView {
  const served = nowServing(room, now);
  return {
    eventId,
    enabled: room.enabled,
    opensAt: new Date(room.opensAt),
    admitPerMinute: room.admitPerMinute,
    admissionSeconds: Math.round(room.admissionMs / 1000),
    paused: room.paused,
    waiting: waitingCount(room, now),
    nowServing: served,
    admitted: admittedCount(room, now),
    lapsed: lapsedCount(room, now),
  };
}

/** A room's progress message from its settled state. */
export function progressOf(eventId: string, room: RoomState, now: number): QueueProgress {
  return {
    eventId,
    nowServing: nowServing(room, now),
    waiting: waitingCount(room, now),
    paused: room.paused || !room.enabled,
    admitPerMinute: room.admitPerMinute,
    at: new Date(now),
  };
}

/** The ticket answered where the room is not on: admitted at once, for one flow on every event. */
export function ticketWithoutRoom(eventId: string, credentials: QueueCredentials, now: number, room: RoomState | null): QueueTicket {
  const until = now + (room ? room.admissionMs : DEFAULT_ADMISSION_SECONDS * 1000);
  return {
    id: credentials.ticketId(eventId, 0),
    eventId,
    status: 'ADMITTED',
    number: null,
    position: null,
    estimatedWaitSeconds: 0,
    admissionToken: credentials.admissionToken(eventId, 0, until),
    admittedUntil: new Date(until),
  };
}

/** A ticket's answer from its settled room; serial 0 is a ticket of a room that was not on. */
export function ticketView(
  eventId: string,
  serial: number,
  room: RoomState | null,
  credentials: QueueCredentials,
  numbers: EarlyArrivalNumbers,
  now: number,
): QueueTicket {
  if (serial === 0 || room === null) {
    if (room === null || !room.enabled) return ticketWithoutRoom(eventId, credentials, now, room);
    return { ...ticketWithoutRoom(eventId, credentials, now, room), status: 'LAPSED', estimatedWaitSeconds: null, admissionToken: null, admittedUntil: null };
  }
  const place = standing(room, numbers.numberOf(room, serial), now);
  return {
    id: credentials.ticketId(eventId, serial),
    eventId,
    status: place.status,
    number: place.number,
    position: place.position,
    estimatedWaitSeconds: place.estimatedWaitSeconds,
    admissionToken: place.admittedUntil === null ? null : credentials.admissionToken(eventId, serial, place.admittedUntil),
    admittedUntil: place.admittedUntil === null ? null : new Date(place.admittedUntil),
  };
}

/** The shuffles of early arrivals a process derived, by seed: one per room, made once. */
export class EarlyArrivalNumbers {
  private readonly shuffles = new Map<string, Int32Array>();

  /** A serial's number: drawn for the early arrivals, its own serial after; null before the opening. */
  numberOf(room: RoomState, serial: number): number | null {
    if (room.shuffled === null) return null;
    if (serial > room.shuffled) return serial;
    let numbers = this.shuffles.get(room.seed);
    if (numbers === undefined || numbers.length !== room.shuffled) {
      numbers = earlyArrivalNumbers(room.seed, room.shuffled);
      this.shuffles.set(room.seed, numbers);
    }
    return numbers[serial - 1] ?? null;
  }

  forget(room: RoomState): void {
    this.shuffles.delete(room.seed);
  }
}
