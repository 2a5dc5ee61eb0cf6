import type Database from 'better-sqlite3';
import type { RoomState } from '../queue-schedule.js';
import type { StoredWaitingRooms, WaitingRoomEffects } from './waiting-rooms.js';

/**
 * The waiting rooms (data format 8 on): each room's schedule as JSON (the shape of RoomState, as
 * Redis keeps it too), one row per ticket (its serial and the client's key: its number follows
 * from the room), and the key tickets and admission tokens are signed with.
 */
export const WAITING_ROOM_TABLES = `CREATE TABLE waiting_rooms (
  event_id TEXT PRIMARY KEY,
  state    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE queue_tickets (
  event_id TEXT NOT NULL,
  serial   INTEGER NOT NULL,
  client   TEXT NOT NULL,
  PRIMARY KEY (event_id, serial)
) WITHOUT ROWID;
CREATE TABLE store_keys (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;`;

const QUEUE_KEY = 'queue';
/** Tickets read at a time when the store opens. */
const TICKET_PAGE = 50_000;

export function readWaitingRooms(db: Database.Database): StoredWaitingRooms {
  const key = db.prepare('SELECT value FROM store_keys WHERE name = ?').pluck().get(QUEUE_KEY) as string | undefined;
  const rows = db.prepare('SELECT event_id, state FROM waiting_rooms').all() as { event_id: string; state: string }[];
  return {
    key: key ?? null,
    rooms: rows.map((row) => ({ eventId: row.event_id, state: JSON.parse(row.state) as RoomState })),
    forEachTicket: (visit) => {
      // In serial order, so a later ticket of a client wins; read a page at a time, as raw rows (a
      // million tickets load in about two seconds, where one statement stepped row by row took more).
      const page = db.prepare('SELECT serial, client FROM queue_tickets WHERE event_id = ? AND serial > ? ORDER BY serial LIMIT ?').raw();
      for (const { eventId } of rows.map((row) => ({ eventId: row.event_id }))) {
        for (let after = 0; ; ) {
          const tickets = page.all(eventId, after, TICKET_PAGE) as [number, string][];
          for (const [serial, client] of tickets) visit(eventId, client, serial);
          if (tickets.length < TICKET_PAGE) break;
          after = (tickets.at(-1) as [number, string])[0];
        }
      }
    },
  };
}

export function waitingRoomWriter(db: Database.Database): (effects: WaitingRoomEffects) => void {
  const putKey = db.prepare('INSERT OR REPLACE INTO store_keys (name, value) VALUES (?, ?)');
  const putRoom = db.prepare('INSERT OR REPLACE INTO waiting_rooms (event_id, state) VALUES (?, ?)');
  const putTicket = db.prepare('INSERT INTO queue_tickets (event_id, serial, client) VALUES (?, ?, ?)');
  const dropRoom = db.prepare('DELETE FROM waiting_rooms WHERE event_id = ?');
  const dropTickets = db.prepare('DELETE FROM queue_tickets WHERE event_id = ?');
  return (effects) => {
    if (effects.key !== null) putKey.run(QUEUE_KEY, effects.key);
    for (const eventId of effects.removed) {
      dropRoom.run(eventId);
      dropTickets.run(eventId);
    }
    for (const room of effects.rooms) putRoom.run(room.eventId, JSON.stringify(room.state));
    for (const ticket of effects.tickets) putTicket.run(ticket.eventId, ticket.serial, ticket.client);
  };
}
