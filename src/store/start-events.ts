import type { EventDefinition } from '../domain/model.js';

/**
 * The events a store serves from its start, and the one policy every store applies to them
 * (decided in `createApp`, never inside a store):
 *
 * - `file` (EVENTS_FILE, or events an embedder passes): each is made when the store lacks it,
 *   takes the file's name unless the admin API renamed it, must keep its stored seat layout, and
 *   cannot be removed (the next start would make it again).
 * - `demo` (no EVENTS_FILE): the demo event is made only in a store this start creates (a new data
 *   file, an empty Redis); from then on it is an event like one made with `createEvent`, which
 *   the box office may rename or remove for good.
 *
 * Events stored before (made with `createEvent`, or by an earlier file) are served either way. A
 * store answers ready only once it serves all of them.
 */
export interface StartEvents {
  readonly events: readonly EventDefinition[];
  readonly source: 'file' | 'demo';
}

/** The file's events: ensured at every start, and pinned. */
export function fileEvents(events: readonly EventDefinition[]): StartEvents {
  return { events, source: 'file' };
}

/** The demo event: made in a new store only. */
export function demoEvents(events: readonly EventDefinition[]): StartEvents {
  return { events, source: 'demo' };
}

/** The events a store must make now, given whether this start created it. */
export function eventsToMake(start: StartEvents, storeIsNew: boolean): readonly EventDefinition[] {
  return start.source === 'file' || storeIsNew ? start.events : [];
}

/** The events that may not be removed: those the next start would make again. */
export function pinnedEventIds(start: StartEvents): ReadonlySet<string> {
  return new Set(start.source === 'file' ? start.events.map((event) => event.id) : []);
}
