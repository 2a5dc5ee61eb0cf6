// What both pages share to show seats live: the GraphQL POST, the graphql-ws connection, and
// keeping a map in version order.
import { createClient } from '/vendor/graphql-ws/client.js';

/** POSTs one operation to /graphql; answers the whole result ({ data, errors }). */
export async function postGraphQL(query, variables = {}, headers = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/**
 * The graphql-ws client of the page: it reconnects for ever (backing off up to 3 s) and shows
 * its state in `connection`. `onClosed` and `onReconnected` let a live map stop its
 * subscription while the socket is down and resume it after the version it has.
 */
export function connectLive(connection, { onClosed, onReconnected }) {
  const show = (live) => {
    connection.dataset.state = live ? 'live' : 'connecting';
    connection.textContent = live ? 'Live' : 'Reconnecting…';
  };
  let disconnected = false;
  return createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 3000))),
    on: {
      connected: () => {
        show(true);
        if (disconnected) {
          disconnected = false;
          onReconnected();
        }
      },
      closed: () => {
        if (!disconnected) onClosed();
        disconnected = true;
        show(false);
      },
    },
  });
}

/** How long a change may wait for the versions before it (on the other subscription) before the map is read again. */
const GAP_WAIT_MS = 3000;

/**
 * An event's map kept live: it reads the map with its version, then subscribes after that
 * version, so the server replays anything in between and nothing is missed. Seat and area
 * changes come on two subscriptions that share the event's versions: each change is applied in
 * version order, one that arrives ahead of the others waiting (at most GAP_WAIT_MS) for those
 * before it. After a lost connection it resumes after the version it has (the server replays
 * what it missed); it reads the map again only when the server no longer has those changes
 * (CHANGES_UNAVAILABLE), or if a version never came. `load()` reads and draws the map and
 * answers its version; `apply(change, field)` draws one change (`field`: its subscription's
 * root field, seatChanged or areaChanged); `subscriptions` are the page's documents taking
 * `$eventId` and `$afterVersion` (operations/pages/).
 */
export class LiveMap {
  constructor({ load, apply, subscriptions, onError = () => {} }) {
    this.load = load;
    this.apply = apply;
    this.subscriptions = subscriptions;
    this.onError = onError;
    this.client = null;
    this.eventId = null;
    this.version = -1;
    /** Changes ahead of the next version, by version: { change, field }. */
    this.ahead = new Map();
    this.gapTimer = null;
    this.unsubscribe = () => {};
  }

  /** Shows an event: reads its map, then follows it. */
  async show(eventId) {
    this.stop();
    this.eventId = eventId;
    await this.restart();
  }

  /** Reads the map again and subscribes after its version. */
  async restart() {
    this.stop();
    const eventId = this.eventId;
    const version = await this.load();
    if (eventId !== this.eventId) return;
    this.version = version;
    this.resume();
  }

  /** Subscribes after the version the map has. */
  resume() {
    this.stop();
    if (!this.client || this.eventId === null) return;
    const eventId = this.eventId;
    const unavailable = (errors) => Array.isArray(errors) && errors.some((error) => error.extensions?.code === 'CHANGES_UNAVAILABLE');
    const stops = this.subscriptions.map((query) =>
      this.client.subscribe(
        { query, variables: { eventId, afterVersion: this.version } },
        {
          next: ({ data, errors }) => {
            if (unavailable(errors)) void this.restart().catch(this.onError);
            else if (errors?.length) this.onError(new Error(errors[0].message));
            else if (data && eventId === this.eventId) {
              const [field] = Object.keys(data);
              this.offer(data[field], field);
            }
          },
          error: (error) => {
            if (unavailable(error)) void this.restart().catch(this.onError);
          },
          complete: () => {},
        },
      ),
    );
    this.unsubscribe = () => {
      for (const stop of stops) stop();
    };
  }

  stop() {
    this.unsubscribe();
    this.unsubscribe = () => {};
    this.ahead.clear();
    clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  offer(change, field) {
    if (change.version <= this.version) return;
    this.ahead.set(change.version, { change, field });
    for (let next = this.ahead.get(this.version + 1); next; next = this.ahead.get(this.version + 1)) {
      this.ahead.delete(this.version + 1);
      this.version = next.change.version;
      this.apply(next.change, next.field);
    }
    clearTimeout(this.gapTimer);
    this.gapTimer = null;
    // A version that never comes (it should not happen): the map is read again.
    if (this.ahead.size > 0) this.gapTimer = setTimeout(() => void this.restart().catch(this.onError), GAP_WAIT_MS);
  }
}
