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

/**
 * An event's seat map kept live: it reads the map with its version, then subscribes after that
 * version, so the server replays anything in between and nothing is missed. After a lost
 * connection it resumes after the version it has (the server replays what it missed); it reads
 * the map again only when the server no longer has those changes (CHANGES_UNAVAILABLE), or if a
 * version were ever skipped. `load()` reads and draws the map and answers its version;
 * `apply(change)` draws one change; `subscription` is the page's seatChanged document, taking
 * `$eventId` and `$afterVersion` (operations/pages/).
 */
export class LiveMap {
  constructor({ load, apply, subscription, onError = () => {} }) {
    this.load = load;
    this.apply = apply;
    this.subscription = subscription;
    this.onError = onError;
    this.client = null;
    this.eventId = null;
    this.version = -1;
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
    this.unsubscribe = this.client.subscribe(
      {
        query: this.subscription,
        variables: { eventId, afterVersion: this.version },
      },
      {
        next: ({ data, errors }) => {
          if (errors?.some((error) => error.extensions?.code === 'CHANGES_UNAVAILABLE')) void this.restart().catch(this.onError);
          else if (errors?.length) this.onError(new Error(errors[0].message));
          else if (data && eventId === this.eventId) this.offer(data.seatChanged);
        },
        error: (error) => {
          if (Array.isArray(error) && error.some((e) => e.extensions?.code === 'CHANGES_UNAVAILABLE')) void this.restart().catch(this.onError);
        },
        complete: () => {},
      },
    );
  }

  stop() {
    this.unsubscribe();
    this.unsubscribe = () => {};
  }

  offer(change) {
    if (change.version <= this.version) return;
    if (change.version > this.version + 1) {
      void this.restart().catch(this.onError);
      return;
    }
    this.version = change.version;
    this.apply(change);
  }
}
