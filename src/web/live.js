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
 * The graphql-ws client of the page: it reconnects for ever (backing off up to 3 s), shows its
 * state in `connection`, and calls `onReconnected` after a reconnect, as changes made meanwhile
 * never reached the page (the server may even have restarted).
 */
export function connectLive(connection, onReconnected) {
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
        disconnected = true;
        show(false);
      },
    },
  });
}

/**
 * Keeps an event's map in version order: changes that arrive while a snapshot loads wait for
 * it, changes the snapshot already has are dropped, and a gap (a change lost in a reconnect)
 * reads the map again. `load()` reads and draws the map and answers its version; `apply(change)`
 * draws one change.
 */
export class VersionedMap {
  constructor(load, apply) {
    this.load = load;
    this.apply = apply;
    this.eventId = null;
    this.version = -1;
    this.buffer = null;
  }

  async reload() {
    this.buffer = [];
    try {
      this.version = await this.load();
    } finally {
      const buffered = this.buffer ?? [];
      this.buffer = null;
      for (const change of buffered) this.offer(change);
    }
  }

  offer(change) {
    if (this.buffer) {
      this.buffer.push(change);
      return;
    }
    if (change.eventId !== this.eventId || change.version <= this.version) return;
    if (change.version > this.version + 1) {
      void this.reload();
      return;
    }
    this.version = change.version;
    this.apply(change);
  }
}
