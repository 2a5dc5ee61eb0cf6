import type { AreaDefinition, Category, EventDefinition, SeatDefinition } from '../domain/model.js';
import { categoryKey, parseCategories } from './layout-categories.js';
import { placeLayout, type RowPlan, type SectionPlan } from './layout-geometry.js';
import { finiteNumber, LayoutError, nonEmptyArray, object, seatNumbers, string, wholeNumber } from './layout-values.js';

export { LayoutError } from './layout-values.js';

const EVENT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ROW_NAME = /^[A-Za-z0-9]{1,8}$/;
const SEAT_ID_PREFIX = /^[A-Za-z0-9-]{0,16}$/;
const MAX_SEATS_PER_ROW = 10_000;
const MAX_ROWS_PER_SECTION = 1_000;
const MAX_EVENT_NAME_LENGTH = 200;
const MAX_RANK = 1_000;
const AREA_ID = EVENT_ID;
const MAX_AREA_CAPACITY = 1_000_000;
const MAX_AREAS = 100;
const MAX_AREA_NAME_LENGTH = 100;

/** How large a layout may be; beyond it a layout costs more memory and time than it can be served with. */
export interface LayoutLimits {
  /** Seats of one event (`MAX_EVENT_SEATS`). */
  readonly maxSeats: number;
}

/** What a server serves well: 100,000-seat stadiums with room to spare (docs/operating.md "Security and limits"). */
export const DEFAULT_LAYOUT_LIMITS: LayoutLimits = { maxSeats: 200_000 };

/**
 * Reads events from the `EVENTS_FILE` document:
 * `{ "events": [{ "id", "name", "sections": [{ "name", "seatIdPrefix"?, "rank"?, "rows": [{ "row", "seats", "firstNumber"?, "rank"? }] }] }] }`;
 * a general admission area is a section `{ "id", "name", "generalAdmission": { "capacity" }, "category"? }` instead.
 * A rank (1 to 1,000, lower is better) orders rows for best available; a row without one takes its section's.
 * A row `{ "row": "A", "seats": 3 }` makes seats `A-1`, `A-2`, `A-3` labelled `A1`…`A3`.
 * @throws LayoutError naming the first bad entry.
 */
export function parseEventLayouts(document: unknown, limits: LayoutLimits = DEFAULT_LAYOUT_LIMITS): EventDefinition[] {
  const root = object(document, '(top level)', ['events']);
  const events = nonEmptyArray(root.events, 'events');
  const ids = new Set<string>();
  return events.map((entry, index) => {
    const event = parseEvent(entry, `events[${index}]`, limits);
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
export function parseEventLayout(value: unknown, path = 'input', limits: LayoutLimits = DEFAULT_LAYOUT_LIMITS): EventDefinition {
  return parseEvent(withoutNulls(value), path, limits);
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
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field != null)
      .map(([key, field]) => [key, withoutNulls(field)]),
  );
}

function parseEvent(value: unknown, path: string, limits: LayoutLimits): EventDefinition {
  const entry = object(value, path, ['id', 'name', 'stage', 'categories', 'sections']);
  const id = string(entry.id, `${path}.id`);
  if (!EVENT_ID.test(id) || id.length > 64) {
    throw new LayoutError(`${path}.id "${id}" must be a slug of at most 64 lowercase letters, digits and single hyphens`);
  }
  const name = parseEventName(entry.name, `${path}.name`);
  const stage = entry.stage === undefined ? undefined : string(entry.stage, `${path}.stage`);
  if (stage !== undefined && stage.length > 100) throw new LayoutError(`${path}.stage must be at most 100 characters`);
  const categories = entry.categories === undefined ? [] : parseCategories(entry.categories, `${path}.categories`);
  const categoryByKey = new Map(categories.map((category) => [category.key, category]));
  const seatIds = new Set<string>();
  const areaIds = new Set<string>();
  // Counted row by row before a row's seats are made: an 11 KB layout can ask for millions.
  const seatsLeft = { count: limits.maxSeats, max: limits.maxSeats };
  const sections = nonEmptyArray(entry.sections, `${path}.sections`).map((section, index): SectionPlan => {
    const sectionPath = `${path}.sections[${index}]`;
    if (isAreaSection(section)) {
      const area = parseArea(section, sectionPath, categoryByKey);
      if (areaIds.has(area.id)) throw new LayoutError(`${sectionPath}.id "${area.id}" is used twice`);
      areaIds.add(area.id);
      if (areaIds.size > MAX_AREAS) throw new LayoutError(`${sectionPath} makes the event's area ${areaIds.size}; at most ${MAX_AREAS}`);
      return { area };
    }
    const rows = parseSection(section, sectionPath, categoryByKey, seatsLeft);
    for (const seat of rows.flatMap((row) => row.seats)) {
      if (seatIds.has(seat.id)) {
        throw new LayoutError(`${sectionPath} makes seat id "${seat.id}" a second time; give the section a distinct "seatIdPrefix"`);
      }
      seatIds.add(seat.id);
    }
    return { rows };
  });
  const { seats, areas } = placeLayout(sections);
  return {
    id,
    name,
    seats,
    ...(areas.length > 0 ? { areas } : {}),
    ...(categories.length > 0 ? { categories } : {}),
    ...(stage !== undefined ? { stage } : {}),
  };
}

function isAreaSection(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'generalAdmission' in value;
}

/** A general admission section: `{ "id", "name", "generalAdmission": { "capacity" }, "category"? }`. */
function parseArea(value: unknown, path: string, categories: ReadonlyMap<string, Category>): AreaDefinition {
  const entry = object(value, path, ['id', 'name', 'generalAdmission', 'category']);
  const id = string(entry.id, `${path}.id`);
  if (!AREA_ID.test(id) || id.length > 64) {
    throw new LayoutError(`${path}.id "${id}" must be a slug of at most 64 lowercase letters, digits and single hyphens`);
  }
  const name = string(entry.name, `${path}.name`);
  if (name.length > MAX_AREA_NAME_LENGTH) throw new LayoutError(`${path}.name must be at most ${MAX_AREA_NAME_LENGTH} characters`);
  const generalAdmission = object(entry.generalAdmission, `${path}.generalAdmission`, ['capacity']);
  const capacity = wholeNumber(generalAdmission.capacity, `${path}.generalAdmission.capacity`, 1, MAX_AREA_CAPACITY);
  const category = entry.category === undefined ? undefined : categoryKey(entry.category, `${path}.category`, categories);
  return { id, name, capacity, ...(category !== undefined ? { categoryKey: category } : {}) };
}

/** What a section passes down to its rows: its name, prefix, rank and category. */
interface SectionDefaults {
  readonly section: string;
  readonly prefix: string;
  readonly rank: number | undefined;
  readonly categoryKey: string | undefined;
  readonly categories: ReadonlyMap<string, Category>;
  /** Seats the event may still have, of `max`. */
  readonly seatsLeft: { count: number; readonly max: number };
}

function parseSection(value: unknown, path: string, categories: ReadonlyMap<string, Category>, seatsLeft: SectionDefaults['seatsLeft']): RowPlan[] {
  const entry = object(value, path, ['name', 'seatIdPrefix', 'rank', 'category', 'rows']);
  const section = string(entry.name, `${path}.name`);
  const rank = entry.rank === undefined ? undefined : wholeNumber(entry.rank, `${path}.rank`, 1, MAX_RANK);
  const prefix = entry.seatIdPrefix === undefined ? '' : string(entry.seatIdPrefix, `${path}.seatIdPrefix`, true);
  if (!SEAT_ID_PREFIX.test(prefix)) {
    throw new LayoutError(`${path}.seatIdPrefix must be at most 16 letters, digits or hyphens`);
  }
  const category = entry.category === undefined ? undefined : categoryKey(entry.category, `${path}.category`, categories);
  const rows = nonEmptyArray(entry.rows, `${path}.rows`);
  if (rows.length > MAX_ROWS_PER_SECTION) {
    throw new LayoutError(`${path}.rows has ${rows.length} rows; at most ${MAX_ROWS_PER_SECTION}`);
  }
  const defaults: SectionDefaults = { section, prefix, rank, categoryKey: category, categories, seatsLeft };
  return rows.map((row, index) => parseRow(row, `${path}.rows[${index}]`, defaults));
}

const ROW_KEYS = ['row', 'seats', 'firstNumber', 'rank', 'category', 'seatCategories', 'accessible', 'companion', 'restrictedView', 'aisleAfter', 'offset'];

function parseRow(value: unknown, path: string, defaults: SectionDefaults): RowPlan {
  const entry = object(value, path, ROW_KEYS);
  const row = string(entry.row, `${path}.row`);
  if (!ROW_NAME.test(row)) throw new LayoutError(`${path}.row "${row}" must be 1 to 8 letters or digits`);
  const count = wholeNumber(entry.seats, `${path}.seats`, 1, MAX_SEATS_PER_ROW);
  if (count > defaults.seatsLeft.count) {
    throw new LayoutError(
      `${path}.seats takes the event past ${defaults.seatsLeft.max.toLocaleString('en')} seats, the most one event may have (MAX_EVENT_SEATS)`,
    );
  }
  defaults.seatsLeft.count -= count;
  const first = entry.firstNumber === undefined ? 1 : wholeNumber(entry.firstNumber, `${path}.firstNumber`, 0, 1_000_000);
  const last = first + count - 1;
  const rank = entry.rank === undefined ? defaults.rank : wholeNumber(entry.rank, `${path}.rank`, 1, MAX_RANK);
  const rowCategory = entry.category === undefined ? defaults.categoryKey : categoryKey(entry.category, `${path}.category`, defaults.categories);
  const numbersOf = (key: string) => (entry[key] === undefined ? new Set<number>() : seatNumbers(entry[key], `${path}.${key}`, row, first, last));
  const accessible = numbersOf('accessible');
  const companion = numbersOf('companion');
  const restrictedView = numbersOf('restrictedView');
  const aisleAfter = numbersOf('aisleAfter');
  if (aisleAfter.has(last)) throw new LayoutError(`${path}.aisleAfter names the row's last seat ${last}: an aisle runs between two seats`);
  const seatCategory = new Map<number, string>();
  if (entry.seatCategories !== undefined) {
    const byCategory = object(entry.seatCategories, `${path}.seatCategories`, [...defaults.categories.keys()]);
    for (const [key, numbers] of Object.entries(byCategory)) {
      for (const number of seatNumbers(numbers, `${path}.seatCategories.${key}`, row, first, last)) seatCategory.set(number, key);
    }
  }
  const offset = entry.offset === undefined ? 0 : finiteNumber(entry.offset, `${path}.offset`, -1_000, 1_000);
  const seats = Array.from({ length: count }, (_, index): SeatDefinition => {
    const number = first + index;
    const category = seatCategory.get(number) ?? rowCategory;
    return {
      id: `${defaults.prefix}${row}-${number}`,
      label: `${row}${number}`,
      section: defaults.section,
      row,
      number,
      ...(rank !== undefined ? { rank } : {}),
      ...(category !== undefined ? { categoryKey: category } : {}),
      ...(accessible.has(number) ? { accessible: true } : {}),
      ...(companion.has(number) ? { companion: true } : {}),
      ...(restrictedView.has(number) ? { restrictedView: true } : {}),
    };
  });
  return { seats, aisleAfter: new Set([...aisleAfter].map((number) => number - first)), offset };
}
