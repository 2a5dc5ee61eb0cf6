import { readWaitingRooms, waitingRoomWriter } from './sqlite-waiting-rooms.js';
import { readWebhooks, webhookWriter } from './sqlite-webhooks.js';
import { linkSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  isAreaChange,
  type AreaDefinition,
  type BookingStatus,
  type EventChange,
  type EventDefinition,
  type HoldStatus,
  type SeatChangeReason,
  type SeatStatus,
} from '../../domain/model.js';
import { areaView } from '../../venue/area-view.js';
import { categoriesOf } from '../../venue/seat-view.js';
import { placeStoredSeats } from '../../venue/layout-geometry.js';
import { Checkpointer } from './checkpointer.js';
import { LockedFile } from './file-lock.js';
import { APPLICATION_ID, prepare, SCHEMA, SCHEMA_VERSION, type DataSync } from './sqlite-schema.js';
import type { PlacesRecord } from './records.js';

export type { DataSync } from './sqlite-schema.js';
import {
  DataFileError,
  DataFileGoneError,
  type EmbeddedPersistence,
  type StepEffects,
  type StoredBooking,
  type StoredEvent,
  type StoredArea,
  type StoredHold,
  type StoredPlaces,
  type StoredSeat,
  type StoredState,
} from './persistence.js';

export { DataFileError } from './persistence.js';

export interface SqliteFileOptions {
  readonly path: string;
  readonly sync: DataSync;
}

/** The change log is trimmed when an event's version passes a multiple of this. */
const TRIM_CHANGES_EVERY = 512;

/**
 * Opens (or creates) the SQLite data file of the embedded store, in WAL mode so an operator
 * can read it (reports, `.backup`) while the server writes. A file that is not seatlock's, or
 * from a newer seatlock, or empty, is refused untouched; a second process on the same file, by
 * whatever path, is refused.
 * @throws DataFileError
 */
export function openSqliteFile({ path, sync }: SqliteFileOptions): EmbeddedPersistence {
  if (path === ':memory:') {
    const db = new Database(path);
    prepare(db, path, sync);
    return new SqliteFile(db, null, null, true);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: its directory cannot be created (${describe(error)})`);
  }
  const createdNow = ensureDataFile(path);
  const file = lockDataFile(path);
  const fallbackLock = file.locked ? null : takeLockFile(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: 5_000, fileMustExist: true });
    if (!file.isFileAt(path)) throw new DataFileError(`DATA_FILE ${path}: was replaced by another file while it was being opened; start again`);
    prepare(db, path, sync);
    return new SqliteFile(db, { file, fallbackLock }, path, createdNow);
  } catch (error) {
    db?.close();
    fallbackLock?.close();
    file.close();
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(`DATA_FILE ${path}: cannot be opened (${describe(error)})`);
  }
}

/**
 * A data file that is there but empty is refused: it is what a truncated file or a failed copy
 * leaves, and taking it for a new store would sell again every seat the real one sold. A new
 * store is made whole under another name and then linked into place, so seatlock itself never
 * leaves an empty file at DATA_FILE, however it is stopped.
 */
function ensureDataFile(path: string): boolean {
  let size: number | null = null;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataFileError(`DATA_FILE ${path}: cannot be read (${describe(error)})`);
  }
  if (size === 0) {
    throw new DataFileError(
      `DATA_FILE ${path}: the file is empty (0 bytes), which is not a seatlock data file but what a truncated file or a failed copy leaves; ` +
        'it was not changed. Restore it from a backup, or delete it to start a new, empty store',
    );
  }
  if (size !== null) return false;
  return createDataFile(path);
}

/** Makes a new store at `path`; false when another process made one there first. */
function createDataFile(path: string): boolean {
  const fresh = `${path}.new-${process.pid}`;
  for (const leftover of [fresh, `${fresh}-wal`, `${fresh}-shm`]) rmSync(leftover, { force: true });
  try {
    const db = new Database(fresh);
    try {
      db.pragma('journal_mode = WAL');
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    } finally {
      db.close();
    }
    try {
      // A link, not a rename: a file another process made at `path` meanwhile is kept, not replaced.
      linkSync(fresh, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      // A file system without hard links.
      renameSync(fresh, path);
      return true;
    }
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: cannot be created (${describe(error)})`);
  } finally {
    rmSync(fresh, { force: true });
  }
}

function lockDataFile(path: string): LockedFile {
  let file: LockedFile | 'busy';
  try {
    file = LockedFile.open(path);
  } catch (error) {
    throw new DataFileError(`DATA_FILE ${path}: cannot be opened (${describe(error)})`);
  }
  if (file === 'busy') {
    throw new DataFileError(`DATA_FILE ${path}: another seatlock process is using this file (by this path or another); stop that one first`);
  }
  const names = file.links();
  if (names > 1) {
    file.close();
    throw new DataFileError(
      `DATA_FILE ${path}: the file has ${names} names (hard links). SQLite finds the write-ahead log of a file by its name, so after a crash a ` +
        'start by another name would not see the last steps; remove the other names (make copies with sqlite3 .backup), then start again',
    );
  }
  return file;
}

/**
 * Where the operating system has no `flock` program (macOS): a lock on a file beside the data
 * file's real path, held by SQLite and dropped by the operating system when the process dies.
 * Weaker than the lock on the data file itself: a hard link from elsewhere escapes it.
 */
function takeLockFile(path: string): Database.Database {
  const lockPath = `${realpathSync(path)}.lock`;
  let lock: Database.Database | undefined;
  try {
    lock = new Database(lockPath, { timeout: 2_000 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('journal_mode = MEMORY');
    lock.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL); DELETE FROM owner;');
    lock.prepare('INSERT INTO owner (pid) VALUES (?)').run(process.pid);
    return lock;
  } catch (error) {
    lock?.close();
    const busy = error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY');
    throw new DataFileError(
      busy
        ? `DATA_FILE ${path}: another seatlock process is using it (its lock ${lockPath} is held); stop that one first`
        : `DATA_FILE ${path}: its lock file ${lockPath} cannot be used (${describe(error)})`,
    );
  }
}

interface EventRow {
  id: string;
  name: string;
  version: number | null;
  sales_open: number;
  name_from_admin: number;
  layout: string | null;
}

interface SeatRow {
  event_id: string;
  seat_id: string;
  label: string;
  section: string | null;
  row_name: string | null;
  number: number | null;
  rank: number | null;
  status: SeatStatus;
  hold_token: string | null;
  booking_id: string | null;
}

interface HoldRow {
  token: string;
  event_id: string;
  client: string | null;
  status: HoldStatus;
  created_at: number;
  expires_at: number;
  max_expires_at: number;
  ended_at: number | null;
  seat_ids: string;
  released_seat_ids: string;
  hold_booking_id: string | null;
  area_places: string;
}

interface AreaRow {
  event_id: string;
  area_id: string;
  locked: number;
  booked: number;
  blocked: number;
}

interface ChangeRow {
  version: number;
  seat_id: string;
  previous_status: SeatStatus;
  status: SeatStatus;
  reason: SeatChangeReason;
  at: number;
  lock_expires_at: number | null;
  area: string | null;
}

interface BookingRow {
  id: string;
  event_id: string;
  hold_token: string;
  seat_ids: string;
  confirmed_at: number;
  order_id: string | null;
  status: BookingStatus;
  area_places: string;
}

/** Steps written before checkpoints move to their own thread (most test stores never get there). */
const BACKGROUND_CHECKPOINTS_AFTER = 200;
/** Pages of log after which the writer checkpoints by itself, should the thread fall behind. */
const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/** The data file's hold on disk: the file itself (locked, and watched), and a lock file where flock is missing. */
interface DataFileHold {
  readonly file: LockedFile;
  readonly fallbackLock: Database.Database | null;
}

class SqliteFile implements EmbeddedPersistence {
  private readonly statements;
  private readonly writeStep: (effects: StepEffects) => void;
  private readonly writeWebhooks: (effects: StepEffects['webhooks']) => void;
  private readonly writeWaitingRooms: (effects: StepEffects['waitingRooms']) => void;
  /** Changes kept per event: what `load` was asked for. */
  private changeLogSize = Number.POSITIVE_INFINITY;
  private writes = 0;
  private checkpointer: Checkpointer | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly hold: DataFileHold | null,
    /** The file, when it is on disk: its checkpoints can run on another thread. */
    private readonly path: string | null,
    readonly createdNow: boolean,
  ) {
    this.statements = {
      insertEvent: db.prepare<[string, string, number, string]>('INSERT INTO events (id, name, created_at, layout) VALUES (?, ?, ?, ?)'),
      relayEvent: db.prepare<[string, string]>('UPDATE events SET layout = ? WHERE id = ?'),
      updateEvent: db.prepare<[string, number, number, string]>('UPDATE events SET name = ?, sales_open = ?, name_from_admin = ? WHERE id = ?'),
      insertChange: db.prepare<[string, number, string, string, string, string, number, number | null, string | null]>(
        'INSERT INTO changes (event_id, version, seat_id, previous_status, status, reason, at, lock_expires_at, area) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertArea: db.prepare<[string, string, number]>('INSERT INTO areas (event_id, area_id, position, event_version) VALUES (?, ?, ?, 0)'),
      updateArea: db.prepare<[number, number, number, number, string, string]>(
        'UPDATE areas SET locked = ?, booked = ?, blocked = ?, event_version = ? WHERE event_id = ? AND area_id = ?',
      ),
      rankSeat: db.prepare<[number | null, string, string]>('UPDATE seats SET rank = ? WHERE event_id = ? AND seat_id = ?'),
      trimChanges: db.prepare<[string, number]>('DELETE FROM changes WHERE event_id = ? AND version <= ?'),
      removeEvent: ['holds', 'bookings', 'seats', 'areas', 'changes']
        .map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE event_id = ?`))
        .concat(db.prepare<[string]>('DELETE FROM events WHERE id = ?')),
      insertSeat: db.prepare<[string, string, number, string, string | null, string | null, number | null, number | null, string, number]>(
        'INSERT INTO seats (event_id, seat_id, position, label, section, row_name, number, rank, status, event_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateSeat: db.prepare<[string, string | null, string | null, number, string, string]>(
        'UPDATE seats SET status = ?, hold_token = ?, booking_id = ?, event_version = ? WHERE event_id = ? AND seat_id = ?',
      ),
      upsertHold: db.prepare<[string, string, string | null, string, number, number, number, number | null, string, string, string | null, string]>(
        `INSERT INTO holds (token, event_id, client, status, created_at, expires_at, max_expires_at, ended_at, seat_ids, released_seat_ids, hold_booking_id, area_places)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (token) DO UPDATE SET status = excluded.status, expires_at = excluded.expires_at, ended_at = excluded.ended_at,
           seat_ids = excluded.seat_ids, released_seat_ids = excluded.released_seat_ids, hold_booking_id = excluded.hold_booking_id,
           area_places = excluded.area_places`,
      ),
      deleteHold: db.prepare<[string]>('DELETE FROM holds WHERE token = ?'),
      upsertBooking: db.prepare<[string, string, string, string, number, string | null, string, string]>(
        `INSERT INTO bookings (id, event_id, hold_token, seat_ids, confirmed_at, order_id, status, area_places) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status`,
      ),
    };
    this.writeWebhooks = webhookWriter(db);
    this.writeWaitingRooms = waitingRoomWriter(db);
    this.writeStep = db.transaction((effects: StepEffects) => this.apply(effects));
  }

  load(changeLogSize: number): StoredState {
    try {
      return this.read(changeLogSize);
    } catch (error) {
      // A damaged page, or a file that went bad since it was opened: named, never a bare SqliteError.
      throw new DataFileError(
        `DATA_FILE ${this.path ?? ':memory:'}: cannot be read (${describe(error)}); it was not changed. Restore it from a backup (docs/operating.md "Your data")`,
      );
    }
  }

  private read(changeLogSize: number): StoredState {
    this.changeLogSize = changeLogSize;
    const lastChanges = this.db.prepare<[string, number]>(
      'SELECT version, seat_id, previous_status, status, reason, at, lock_expires_at, area FROM changes WHERE event_id = ? ORDER BY version DESC LIMIT ?',
    );
    const events = this.db
      .prepare(
        'SELECT id, name, sales_open, name_from_admin, layout, max(coalesce((SELECT max(event_version) FROM seats WHERE event_id = events.id), 0), coalesce((SELECT max(event_version) FROM areas WHERE event_id = events.id), 0)) AS version FROM events ORDER BY rowid',
      )
      .all() as EventRow[];
    const seatRows = this.db
      .prepare('SELECT event_id, seat_id, label, section, row_name, number, rank, status, hold_token, booking_id FROM seats ORDER BY event_id, position')
      .all() as SeatRow[];
    const seatsByEvent = new Map<string, SeatRow[]>();
    for (const row of seatRows) {
      const list = seatsByEvent.get(row.event_id) ?? [];
      list.push(row);
      seatsByEvent.set(row.event_id, list);
    }
    const areasByEvent = new Map<string, StoredArea[]>();
    for (const row of this.db.prepare('SELECT event_id, area_id, locked, booked, blocked FROM areas ORDER BY event_id, position').all() as AreaRow[]) {
      const list = areasByEvent.get(row.event_id) ?? [];
      list.push({ id: row.area_id, locked: row.locked, booked: row.booked, blocked: row.blocked });
      areasByEvent.set(row.event_id, list);
    }
    const storedEvents: StoredEvent[] = events.map((event) => {
      const rows = seatsByEvent.get(event.id) ?? [];
      // Files from before format 5 have only the seat columns: their seats are placed afresh.
      const definition: EventDefinition =
        event.layout === null
          ? {
              id: event.id,
              name: event.name,
              seats: placeStoredSeats(
                rows.map((row) => {
                  const seat = { id: row.seat_id, label: row.label, section: row.section, row: row.row_name, number: row.number };
                  return row.rank === null ? seat : { ...seat, rank: row.rank };
                }),
              ),
            }
          : { ...(JSON.parse(event.layout) as Omit<EventDefinition, 'name'>), id: event.id, name: event.name };
      const seatsById = new Map(definition.seats.map((seat) => [seat.id, seat]));
      const areasById = new Map((definition.areas ?? []).map((area) => [area.id, area]));
      const categories = categoriesOf(definition);
      const changes = (lastChanges.all(event.id, changeLogSize) as ChangeRow[]).reverse().flatMap((row): EventChange[] => {
        if (row.area !== null) return areaChangeOfRow(event.id, row, areasById, categories);
        const seat = seatsById.get(row.seat_id);
        if (!seat) return [];
        return [
          {
            eventId: event.id,
            // Read back into the change log, which keeps only the seat's index and state.
            seat: {
              ...seat,
              eventId: event.id,
              category: null,
              status: row.status,
              lockExpiresAt: row.lock_expires_at === null ? null : new Date(row.lock_expires_at),
            },
            previousStatus: row.previous_status,
            reason: row.reason,
            version: row.version,
            at: new Date(row.at),
          },
        ];
      });
      return {
        definition,
        changes,
        nameFromAdmin: event.name_from_admin === 1,
        salesOpen: event.sales_open === 1,
        version: event.version ?? 0,
        areas: areasByEvent.get(event.id) ?? [],
        seats: rows.map((row): StoredSeat => ({ id: row.seat_id, status: row.status, holdToken: row.hold_token, bookingId: row.booking_id })),
      };
    });
    const holds = (this.db.prepare('SELECT * FROM holds').all() as HoldRow[]).map(
      (row): StoredHold => ({
        token: row.token,
        eventId: row.event_id,
        client: row.client,
        status: row.status,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        maxExpiresAt: row.max_expires_at,
        endedAt: row.ended_at,
        seatIds: JSON.parse(row.seat_ids) as string[],
        releasedSeatIds: JSON.parse(row.released_seat_ids) as string[],
        holdBookingId: row.hold_booking_id,
        areaPlaces: JSON.parse(row.area_places) as StoredPlaces,
      }),
    );
    const bookings = (this.db.prepare('SELECT * FROM bookings ORDER BY rowid').all() as BookingRow[]).map(
      (row): StoredBooking => ({
        id: row.id,
        eventId: row.event_id,
        holdToken: row.hold_token,
        seatIds: JSON.parse(row.seat_ids) as string[],
        confirmedAt: row.confirmed_at,
        orderId: row.order_id,
        status: row.status,
        areaPlaces: JSON.parse(row.area_places) as StoredPlaces,
      }),
    );
    return { events: storedEvents, holds, bookings, webhooks: readWebhooks(this.db), waitingRooms: readWaitingRooms(this.db) };
  }

  write(effects: StepEffects): void {
    // Before every commit: a step written to a file that is no longer at DATA_FILE would be
    // answered and then lost at the next start.
    if (this.hold && !this.hold.file.stillAtPath()) throw new DataFileGoneError(this.hold.file.path);
    try {
      this.writeStep(effects);
    } catch (error) {
      throw new DataFileError(`DATA_FILE ${this.path ?? ':memory:'}: cannot be written (${describe(error)})`);
    }
    if (++this.writes === BACKGROUND_CHECKPOINTS_AFTER && this.path !== null) {
      this.checkpointer = new Checkpointer(this.path);
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    }
  }

  probeWrite(): void {
    if (this.hold && !this.hold.file.stillAtPath()) throw new DataFileGoneError(this.hold.file.path);
    // Rewrites page 1 (a frame appended to the log): it fails where a step would.
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  async rescue(): Promise<string | null> {
    if (this.path === null || !this.db.open) return null;
    const copy = `${this.path}.rescued-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Read from the connection, which still holds the file open even when it was deleted.
    await this.db.backup(copy);
    return copy;
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (this.db.open) this.db.close();
    if (this.hold?.fallbackLock?.open) this.hold.fallbackLock.close();
    this.hold?.file.close();
  }

  private apply(effects: StepEffects): void {
    const s = this.statements;
    const { removedEvents } = effects;
    // First, so that an event removed and made again with the same id in one commit is the new one.
    for (const event of removedEvents) {
      if (!effects.createdEvents.has(event)) for (const statement of s.removeEvent) statement.run(event.definition.id);
    }
    for (const event of effects.createdEvents) {
      if (removedEvents.has(event)) continue;
      const { id, name, seats } = event.definition;
      s.insertEvent.run(id, name, Date.now(), layoutJson(event.definition));
      seats.forEach((seat, position) => {
        s.insertSeat.run(id, seat.id, position, seat.label, seat.section, seat.row, seat.number, seat.rank ?? null, 'AVAILABLE', 0);
      });
      event.definition.areas?.forEach((area, position) => {
        s.insertArea.run(id, area.id, position);
      });
    }
    for (const event of effects.updatedEvents) {
      if (removedEvents.has(event)) continue;
      s.updateEvent.run(event.definition.name, event.salesOpen ? 1 : 0, event.nameFromAdmin ? 1 : 0, event.definition.id);
    }
    for (const event of effects.relaidEvents) {
      s.relayEvent.run(layoutJson(event.definition), event.definition.id);
      for (const seat of event.definition.seats) s.rankSeat.run(seat.rank ?? null, event.definition.id, seat.id);
    }
    for (const seat of effects.seats) {
      const { event } = seat;
      if (removedEvents.has(event)) continue;
      s.updateSeat.run(seat.status, seat.hold?.token ?? null, seat.booking?.id ?? null, event.version, event.definition.id, seat.definition.id);
    }
    for (const area of effects.areas) {
      const { event } = area;
      if (removedEvents.has(event)) continue;
      s.updateArea.run(area.locked, area.booked, area.blocked, event.version, event.definition.id, area.definition.id);
    }
    for (const booking of effects.bookings) {
      if (removedEvents.has(booking.event)) continue;
      s.upsertBooking.run(
        booking.id,
        booking.event.definition.id,
        booking.holdToken,
        JSON.stringify(booking.seats.map((seat) => seat.definition.id)),
        booking.confirmedAt,
        booking.orderId,
        booking.status,
        placesJson(booking.places),
      );
    }
    for (const hold of effects.holds) {
      if (effects.forgottenHolds.has(hold) || removedEvents.has(hold.event)) continue;
      s.upsertHold.run(
        hold.token,
        hold.event.definition.id,
        hold.client,
        hold.status,
        hold.createdAt,
        hold.expiresAt,
        hold.maxExpiresAt,
        hold.endedAt,
        JSON.stringify(hold.seats.map((seat) => seat.definition.id)),
        JSON.stringify(hold.releasedSeatIds ?? []),
        hold.holdBooking?.id ?? null,
        placesJson(hold.places),
      );
    }
    for (const hold of effects.forgottenHolds) s.deleteHold.run(hold.token);
    this.writeWebhooks(effects.webhooks);
    this.writeWaitingRooms(effects.waitingRooms);
    this.logChanges(effects);
  }

  private logChanges({ changes, removedEvents }: StepEffects): void {
    const s = this.statements;
    const removedIds = new Set([...removedEvents].map((event) => event.definition.id));
    const trimAt = new Map<string, number>();
    for (const change of changes) {
      const { eventId, version } = change;
      if (removedIds.has(eventId)) continue;
      if (isAreaChange(change)) {
        const { area, quantity } = change;
        const counts = `${quantity}|${area.available}|${area.locked}|${area.booked}|${area.blocked}`;
        s.insertChange.run(eventId, version, area.id, '', '', change.reason, change.at.getTime(), null, counts);
      } else {
        const { seat } = change;
        const lockExpiresAt = seat.lockExpiresAt?.getTime() ?? null;
        s.insertChange.run(eventId, version, seat.id, change.previousStatus, seat.status, change.reason, change.at.getTime(), lockExpiresAt, null);
      }
      if (version % TRIM_CHANGES_EVERY === 0) trimAt.set(eventId, version);
    }
    for (const [eventId, version] of trimAt) s.trimChanges.run(eventId, version - this.changeLogSize);
  }
}

/** Places as the holds and bookings tables keep them. */
function placesJson(places: readonly PlacesRecord[]): string {
  return JSON.stringify(places.map(({ area, quantity }) => [area.definition.id, quantity]));
}

/**
 * An area change as the change log keeps it (`seat_id` the area's id, `area` the quantity and the
 * area's counts after it, "quantity|available|locked|booked|blocked"); none for an area the
 * layout no longer has.
 */
function areaChangeOfRow(
  eventId: string,
  row: ChangeRow,
  areas: ReadonlyMap<string, AreaDefinition>,
  categories: ReturnType<typeof categoriesOf>,
): EventChange[] {
  const [quantity, available, locked, booked, blocked] = (row.area as string).split('|').map(Number) as [number, number, number, number, number];
  const definition = areas.get(row.seat_id);
  if (!definition) return [];
  const area = areaView(definition, eventId, categories, { available, locked, booked, blocked });
  return [{ eventId, area, quantity, reason: row.reason, version: row.version, at: new Date(row.at) }];
}

/** The layout column: everything of the definition but its name (kept in its own column). */
function layoutJson({ name: _name, ...layout }: EventDefinition): string {
  return JSON.stringify(layout);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
