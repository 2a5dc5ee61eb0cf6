import type { EventDefinition, SeatDefinition } from '../domain/model.js';

/** A seat layout that breaks the `EVENTS_FILE` format; the message names the bad entry. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

const EVENT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ROW_NAME = /^[A-Za-z0-9]{1,8}$/;
const SEAT_ID_PREFIX = /^[A-Za-z0-9-]{0,16}$/;
const MAX_SEATS_PER_ROW = 10_000;
const MAX_ROWS_PER_SECTION = 1_000;
const MAX_EVENT_NAME_LENGTH = 200;
const MAX_RANK = 1_000;

type Json = Record<string, unknown>;

/**
 * Reads events from the `EVENTS_FILE` document:
 * `{ "events": [{ "id", "name", "sections": [{ "name", "seatIdPrefix"?, "rank"?, "rows": [{ "row", "seats", "firstNumber"?, "rank"? }] }] }] }`.
 * A rank (1 to 1,000, lower is better) orders rows for best available; a row without one takes its section's.
 * A row `{ "row": "A", "seats": 3 }` makes seats `A-1`, `A-2`, `A-3` labelled `A1`…`A3`.
 * @throws LayoutError naming the first bad entry.
 */
export function parseEventLayouts(document: unknown): EventDefinition[] {
  const root = object(document, '(top level)', ['events']);
  const events = nonEmptyArray(root.events, 'events');
  const ids = new Set<string>();
  return events.map((entry, index) => {
    const event = parseEvent(entry, `events[${index}]`);
    if (ids.has(event.id)) throw new LayoutError(`events[${index}].id "${event.id}" is used twice`);
    ids.add(event.id);
    return event;
  });
}

/**
 * Reads one event in the shape of an `EVENTS_FILE` entry (`createEvent`'s input); absent and null
 * optional fields are the same.
 * @throws LayoutError naming the first bad entry, under `path`.
 */
export function parseEventLayout(value: unknown, path = 'input'): EventDefinition {
  return parseEvent(withoutNulls(value), path);
}

/**
 * An event's name, from a layout or a rename: not blank, at most 200 characters.
 * @throws LayoutError naming `path`.
 */
export function parseEventName(value: unknown, path: string): string {
  const name = string(value, path);
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw new LayoutError(`${path} must be at most ${MAX_EVENT_NAME_LENGTH} characters (got ${name.length})`);
  }
  return name;
}

/** GraphQL input objects carry null for optional fields left out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field != null).map(([key, field]) => [key, withoutNulls(field)]));
}

function parseEvent(value: unknown, path: string): EventDefinition {
  const entry = object(value, path, ['id', 'name', 'sections']);
  const id = string(entry.id, `${path}.id`);
  if (!EVENT_ID.test(id) || id.length > 64) {
    throw new LayoutError(
      `${path}.id "${id}" must be a slug of at most 64 lowercase letters, digits and single hyphens`,
    );
  }
  const name = parseEventName(entry.name, `${path}.name`);
  const seats: SeatDefinition[] = [];
  const seatIds = new Set<string>();
  nonEmptyArray(entry.sections, `${path}.sections`).forEach((section, index) => {
    const sectionPath = `${path}.sections[${index}]`;
    for (const seat of parseSection(section, sectionPath)) {
      if (seatIds.has(seat.id)) {
        throw new LayoutError(
          `${sectionPath} makes seat id "${seat.id}" a second time; give the section a distinct "seatIdPrefix"`,
        );
      }
      seatIds.add(seat.id);
      seats.push(seat);
    }
  });
  return { id, name, seats };
}

function parseSection(value: unknown, path: string): SeatDefinition[] {
  const entry = object(value, path, ['name', 'seatIdPrefix', 'rank', 'rows']);
  const section = string(entry.name, `${path}.name`);
  const rank = entry.rank === undefined ? undefined : wholeNumber(entry.rank, `${path}.rank`, 1, MAX_RANK);
  const prefix = entry.seatIdPrefix === undefined ? '' : string(entry.seatIdPrefix, `${path}.seatIdPrefix`, true);
  if (!SEAT_ID_PREFIX.test(prefix)) {
    throw new LayoutError(`${path}.seatIdPrefix must be at most 16 letters, digits or hyphens`);
  }
  const rows = nonEmptyArray(entry.rows, `${path}.rows`);
  if (rows.length > MAX_ROWS_PER_SECTION) {
    throw new LayoutError(`${path}.rows has ${rows.length} rows; at most ${MAX_ROWS_PER_SECTION}`);
  }
  return rows.flatMap((row, index) => parseRow(row, `${path}.rows[${index}]`, section, prefix, rank));
}

function parseRow(value: unknown, path: string, section: string, prefix: string, sectionRank: number | undefined): SeatDefinition[] {
  const entry = object(value, path, ['row', 'seats', 'firstNumber', 'rank']);
  const row = string(entry.row, `${path}.row`);
  if (!ROW_NAME.test(row)) throw new LayoutError(`${path}.row "${row}" must be 1 to 8 letters or digits`);
  const count = wholeNumber(entry.seats, `${path}.seats`, 1, MAX_SEATS_PER_ROW);
  const first = entry.firstNumber === undefined ? 1 : wholeNumber(entry.firstNumber, `${path}.firstNumber`, 0, 1_000_000);
  const rank = entry.rank === undefined ? sectionRank : wholeNumber(entry.rank, `${path}.rank`, 1, MAX_RANK);
  return Array.from({ length: count }, (_, offset) => {
    const number = first + offset;
    const seat: SeatDefinition = { id: `${prefix}${row}-${number}`, label: `${row}${number}`, section, row, number };
    return rank === undefined ? seat : { ...seat, rank };
  });
}

function object(value: unknown, path: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LayoutError(`${path} must be an object`);
  }
  const unknownKey = Object.keys(value).find((key) => !keys.includes(key));
  if (unknownKey !== undefined) {
    throw new LayoutError(`${path} has an unknown key "${unknownKey}" (allowed: ${keys.join(', ')})`);
  }
  return value as Json;
}

function nonEmptyArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new LayoutError(`${path} must be a non-empty array`);
  return value;
}

function string(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) {
    throw new LayoutError(`${path} must be a non-empty string`);
  }
  return value;
}

function wholeNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LayoutError(`${path} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}
