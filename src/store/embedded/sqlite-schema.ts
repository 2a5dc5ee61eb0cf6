import type Database from 'better-sqlite3';
import { DataFileError } from './persistence.js';
import { WAITING_ROOM_TABLES } from './sqlite-waiting-rooms.js';
import { WEBHOOK_MESSAGES_INTO_DELIVERIES, WEBHOOK_TABLES, WEBHOOK_TABLES_6 } from './sqlite-webhooks.js';

/**
 * How hard a commit waits for the disk. `normal`: the step is in the operating system's hands
 * when it is answered, so a crashed or killed process loses nothing, but a power cut can lose
 * the last steps. `full`: every commit is flushed to the disk first (slower), so nothing is lost.
 */
export type DataSync = 'normal' | 'full';

// "seatlock" in the file header (PRAGMA application_id), so no other database is taken for ours.
export const APPLICATION_ID = 0x5ea71c0c;
export const SCHEMA_VERSION = 9;

/** Each event's change log (format 3 on): in a new file's schema and in the upgrade to 3. */
const CHANGES_TABLE = `CREATE TABLE changes (
  event_id        TEXT NOT NULL,
  version         INTEGER NOT NULL,
  seat_id         TEXT NOT NULL,
  previous_status TEXT NOT NULL,
  status          TEXT NOT NULL,
  reason          TEXT NOT NULL,
  at              INTEGER NOT NULL,
  lock_expires_at INTEGER,
  PRIMARY KEY (event_id, version)
) WITHOUT ROWID;`;

/**
 * General admission areas (format 9 on): each area's places by status, and the places of holds
 * and bookings; an area change is a `changes` row with the area's id in `seat_id`, and in `area`
 * its quantity and the area's counts after it ("quantity|available|locked|booked|blocked").
 */
const AREA_TABLE = `CREATE TABLE areas (
  event_id      TEXT NOT NULL REFERENCES events (id),
  area_id       TEXT NOT NULL,
  position      INTEGER NOT NULL,
  locked        INTEGER NOT NULL DEFAULT 0,
  booked        INTEGER NOT NULL DEFAULT 0,
  blocked       INTEGER NOT NULL DEFAULT 0,
  event_version INTEGER NOT NULL,
  PRIMARY KEY (event_id, area_id)
) WITHOUT ROWID;`;

// Times are epoch milliseconds; seat, hold and booking statuses are the GraphQL enum names.
// events.layout is the event's whole layout as JSON (EventDefinition without its name); the seat
// columns repeat what reports need. `changes` is each event's change log (the last CHANGE_LOG_SIZE changes, trimmed in batches).
// Lists of seat ids are JSON arrays (read them with json_each); places are JSON arrays of
// [area id, quantity]. An event's version is the highest event_version of its seats and areas:
// every change is a seat or area change, so a step writes one row less than it would keeping the
// version on the event.
export const SCHEMA = `
CREATE TABLE events (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  sales_open      INTEGER NOT NULL DEFAULT 1,
  name_from_admin INTEGER NOT NULL DEFAULT 0,
  layout          TEXT
);
CREATE TABLE seats (
  event_id      TEXT NOT NULL REFERENCES events (id),
  seat_id       TEXT NOT NULL,
  position      INTEGER NOT NULL,
  label         TEXT NOT NULL,
  section       TEXT,
  row_name      TEXT,
  number        INTEGER,
  rank          INTEGER,
  status        TEXT NOT NULL,
  hold_token    TEXT,
  booking_id    TEXT,
  event_version INTEGER NOT NULL,
  PRIMARY KEY (event_id, seat_id)
) WITHOUT ROWID;
CREATE TABLE holds (
  token             TEXT PRIMARY KEY,
  event_id          TEXT NOT NULL REFERENCES events (id),
  client            TEXT,
  status            TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  max_expires_at    INTEGER NOT NULL,
  ended_at          INTEGER,
  seat_ids          TEXT NOT NULL,
  released_seat_ids TEXT NOT NULL,
  hold_booking_id   TEXT,
  area_places       TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE TABLE bookings (
  id           TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES events (id),
  hold_token   TEXT NOT NULL,
  seat_ids     TEXT NOT NULL,
  confirmed_at INTEGER NOT NULL,
  order_id     TEXT,
  status       TEXT NOT NULL,
  area_places  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX bookings_by_order ON bookings (event_id, order_id);
${CHANGES_TABLE}
ALTER TABLE changes ADD COLUMN area TEXT;
${AREA_TABLE}
${WEBHOOK_TABLES}
${WAITING_ROOM_TABLES}
`;

/**
 * Upgrades of a file written by an earlier seatlock: `MIGRATIONS[n - 1]` takes data format n to
 * n + 1. Each runs in the transaction that also sets the new format, so a file is either
 * upgraded whole or left as it was.
 */
const MIGRATIONS: readonly string[] = [
  // 2: the admin API opens and closes sales and renames events.
  `ALTER TABLE events ADD COLUMN sales_open INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE events ADD COLUMN name_from_admin INTEGER NOT NULL DEFAULT 0;`,
  // 3: subscribers resume after a version, across restarts too.
  CHANGES_TABLE,
  // 4: rows carry the rank best available orders them by.
  'ALTER TABLE seats ADD COLUMN rank INTEGER;',
  // 5: the whole layout (categories, stage, seat flags, geometry) as JSON.
  'ALTER TABLE events ADD COLUMN layout TEXT;',
  // 6: webhook endpoints and the outbox of their deliveries.
  WEBHOOK_TABLES_6,
  // 7: a message's body on its delivery rows, not in a table of its own.
  WEBHOOK_MESSAGES_INTO_DELIVERIES,
  // 8: waiting rooms, their tickets, and the key tickets are signed with.
  WAITING_ROOM_TABLES,
  // 9: general admission areas, and the places of holds, bookings and changes.
  `${AREA_TABLE}
   ALTER TABLE holds ADD COLUMN area_places TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE bookings ADD COLUMN area_places TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE changes ADD COLUMN area TEXT;`,
];

/**
 * Makes an open file ready for the store: refuses one that is not seatlock's or is from a newer
 * seatlock (unchanged), sets WAL mode and the sync level, makes the tables of an empty one and
 * upgrades an older one, in one transaction.
 * @throws DataFileError
 */
export function prepare(db: Database.Database, path: string, sync: DataSync): void {
  let applicationId: number;
  let schemaVersion: number;
  let objects: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    schemaVersion = db.pragma('user_version', { simple: true }) as number;
    objects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: not a readable seatlock database (${describe(error)}); it was not changed`);
  }
  if (objects > 0 && applicationId !== APPLICATION_ID) {
    throw new DataFileError(`DATA_FILE ${path}: a database of another application, not seatlock's; it was not changed`);
  }
  if (schemaVersion > SCHEMA_VERSION) {
    throw new DataFileError(
      `DATA_FILE ${path}: written by a newer seatlock (data format ${schemaVersion}, this one knows up to ${SCHEMA_VERSION}); it was not changed`,
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    if (objects === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    }
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: cannot be prepared for writing (${describe(error)})`);
  }
  if (objects > 0 && schemaVersion < SCHEMA_VERSION) upgrade(db, path, schemaVersion);
}

function upgrade(db: Database.Database, path: string, from: number): void {
  try {
    db.transaction(() => {
      for (let version = from; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version - 1] as string);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: cannot be upgraded from data format ${from} to ${SCHEMA_VERSION} (${describe(error)}); it was not changed`);
  }
  console.info(`seatlock: DATA_FILE ${path} upgraded from data format ${from} to ${SCHEMA_VERSION}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
