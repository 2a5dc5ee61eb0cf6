/**
 * Key names. Every key of an event carries the hash tag `{event:<id>}`, so one script call
 * touches one hash slot and the layout works on Redis Cluster.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** The prefix of all keys of one event; the Lua script derives the rest from it. */
  event(eventId: string): string {
    return `${this.prefix}:{event:${eventId}}`;
  }

  /** The id of the store these keys make up, written when it was first seeded. */
  identity(): string {
    return `${this.prefix}:store`;
  }

  /** An event's ACTIVE holds, scored by when each expires (the script names it DEADLINES). */
  deadlines(eventId: string): string {
    return `${this.event(eventId)}:deadlines`;
  }

  changes(eventId: string): string {
    return `${this.event(eventId)}:changes`;
  }

  /** An event's layout (JSON of its EventDefinition), written once, when it is made. */
  layout(eventId: string): string {
    return `${this.event(eventId)}:layout`;
  }

  /** An event's webhook messages not yet dispatched (see the scripts' outbox include). */
  outbox(eventId: string): string {
    return `${this.event(eventId)}:outbox`;
  }

  /** Every webhook endpoint: id -> its JSON (secret included: Redis is as trusted as the data file). */
  webhookEndpoints(): string {
    return `${this.prefix}:webhooks`;
  }

  /** The prefix of one endpoint's keys (its deliveries; see the scripts' endpoint include), in a slot of its own. */
  webhookEndpoint(endpointId: string): string {
    return `${this.prefix}:{webhook:${endpointId}}`;
  }

  /** The key queue tickets and admission tokens are signed with (hex), made once for the store. */
  queueKey(): string {
    return `${this.prefix}:queue-key`;
  }

  /** The ids of the events that have a waiting room (an index for metrics: a room's own keys are in its event's slot). */
  rooms(): string {
    return `${this.prefix}:rooms`;
  }

  /** The registry: the id of every event of this store, from EVENTS_FILE or createEvent. */
  eventIds(): string {
    return `${this.prefix}:events`;
  }
}
