import { InvalidWaitingRoomError } from '../../domain/errors.js';
import { newQueueKey, QueueCredentials } from '../queue-credentials.js';
import { ClientTicketIndex } from './client-ticket-index.js';
import { configure, join, newRoom, settingsProblem, settle, type RoomSettings, type RoomState } from '../queue-schedule.js';
import { EarlyArrivalNumbers, roomView, ticketView, ticketWithoutRoom, type QueueTicket, type WaitingRoomView } from '../waiting-room.js';

/** An event's room, and each client's latest ticket of it (by client key). */
export interface RoomRecord {
  readonly eventId: string;
  state: RoomState;
  /** Client key -> serial of its latest ticket. */
  readonly tickets: ClientTicketIndex;
}

/** What a step changed of the waiting rooms, for the persistence layer to write in the same transaction. */
export interface WaitingRoomEffects {
  /** A signing key made in this step (the store's first start with rooms). */
  key: string | null;
  readonly rooms: Set<RoomRecord>;
  readonly removed: Set<string>;
  readonly tickets: { eventId: string; serial: number; client: string }[];
}

export function newWaitingRoomEffects(): WaitingRoomEffects {
  return { key: null, rooms: new Set(), removed: new Set(), tickets: [] };
}

export function noWaitingRoomEffects(effects: WaitingRoomEffects): boolean {
  return effects.key === null && effects.rooms.size === 0 && effects.removed.size === 0 && effects.tickets.length === 0;
}

/** The waiting rooms as stored. */
export interface StoredWaitingRooms {
  readonly key: string | null;
  readonly rooms: readonly { readonly eventId: string; readonly state: RoomState }[];
  /** Visits every ticket, each event's in serial order. */
  forEachTicket(visit: (eventId: string, client: string, serial: number) => void): void;
}

/**
 * The embedded store's waiting rooms, in memory and written through with its steps. Every
 * method runs inside a step of the store (at its `now`), on an event the store checked exists.
 */
export class WaitingRoomBook {
  private readonly rooms = new Map<string, RoomRecord>();
  private readonly numbers = new EarlyArrivalNumbers();
  readonly credentials: QueueCredentials;

  constructor(
    private readonly effects: WaitingRoomEffects,
    stored: StoredWaitingRooms | null,
  ) {
    let key = stored?.key ?? null;
    if (key === null) {
      key = newQueueKey();
      effects.key = key;
    }
    this.credentials = new QueueCredentials(key);
    if (!stored) return;
    for (const { eventId, state } of stored.rooms) this.rooms.set(eventId, { eventId, state, tickets: new ClientTicketIndex(state.joined) });
    stored.forEachTicket((eventId, client, serial) => this.rooms.get(eventId)?.tickets.set(client, serial));
  }

  /** Whether locks of the event need an admission now. */
  requiresAdmission(eventId: string): boolean {
    return this.rooms.get(eventId)?.state.enabled === true;
  }

  configure(eventId: string, settings: RoomSettings, now: number): WaitingRoomView {
    const record = this.rooms.get(eventId);
    if (record) settle(record.state, now);
    const problem = settingsProblem(settings, record?.state ?? null);
    if (problem !== null) throw new InvalidWaitingRoomError(problem);
    const room = record ?? { eventId, state: newRoom(settings, now, newQueueKey()), tickets: new ClientTicketIndex() };
    if (record) configure(room.state, settings, now);
    else settle(room.state, now);
    this.rooms.set(eventId, room);
    this.effects.rooms.add(room);
    return roomView(eventId, room.state, now);
  }

  view(eventId: string, now: number): WaitingRoomView | null {
    const record = this.rooms.get(eventId);
    if (!record) return null;
    settle(record.state, now);
    return roomView(eventId, record.state, now);
  }

  views(now: number): WaitingRoomView[] {
    return [...this.rooms.keys()].map((eventId) => this.view(eventId, now) as WaitingRoomView);
  }

  state(eventId: string, now: number): RoomState | null {
    const record = this.rooms.get(eventId);
    if (!record) return null;
    settle(record.state, now);
    return record.state;
  }

  join(eventId: string, client: string, now: number): QueueTicket {
    const record = this.rooms.get(eventId);
    if (!record?.state.enabled) return ticketWithoutRoom(eventId, this.credentials, now, record?.state ?? null);
    const room = record.state;
    settle(room, now);
    const held = record.tickets.get(client);
    if (held !== undefined) {
      const ticket = ticketView(eventId, held, room, this.credentials, this.numbers, now);
      if (ticket.status !== 'LAPSED') return ticket;
    }
    const serial = join(room, now);
    record.tickets.set(client, serial);
    this.effects.rooms.add(record);
    this.effects.tickets.push({ eventId, serial, client });
    return ticketView(eventId, serial, room, this.credentials, this.numbers, now);
  }

  /** A ticket by its id; null for one never issued (or of a room since removed). */
  ticket(id: string, now: number): QueueTicket | null {
    const ref = this.credentials.ticketOf(id);
    if (ref === null) return null;
    const record = this.rooms.get(ref.eventId);
    if (record && ref.serial > record.state.joined) return null;
    if (!record && ref.serial > 0) return null;
    if (record) settle(record.state, now);
    return ticketView(ref.eventId, ref.serial, record?.state ?? null, this.credentials, this.numbers, now);
  }

  remove(eventId: string): void {
    const record = this.rooms.get(eventId);
    if (!record) return;
    this.rooms.delete(eventId);
    this.numbers.forget(record.state);
    this.effects.rooms.delete(record);
    this.effects.removed.add(eventId);
  }
}
