import type { WebhookMessage, WebhookMessageType } from '../../domain/webhook-message.js';
import {
  endpointWants,
  type DueDelivery,
  type NewWebhookEndpoint,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
} from '../webhook-outbox.js';
import { DeadlineQueue } from './deadline-queue.js';

/** An endpoint with its deliveries. */
export interface EndpointRecord {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly types: readonly WebhookMessageType[] | null;
  readonly eventIds: readonly string[] | null;
  readonly description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  readonly createdAt: number;
  /** By message id, oldest first (insertion order: messages are made in time order). */
  readonly deliveries: Map<string, DeliveryRecord>;
  /** How many of them are finished (DELIVERED or GIVEN_UP), kept as they change. */
  finished: number;
  /** Its deliveries to try, by when (PENDING and FAILED ones; a leased one by its lease's end). */
  readonly due: DeadlineQueue<DeliveryRecord>;
}

/** A message's body, kept while a delivery of it is. */
export interface MessageRecord {
  readonly id: string;
  readonly type: WebhookMessageType;
  readonly eventId: string;
  readonly body: string;
  readonly createdAt: number;
  deliveries: number;
}

export interface DeliveryRecord {
  readonly endpoint: EndpointRecord;
  readonly message: MessageRecord;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** When it is tried next; null once it is DELIVERED or GIVEN_UP. */
  nextAttemptAt: number | null;
  readonly createdAt: number;
  /** In memory only: a lease a deliverer holds until then (a restart lets every lease go). */
  leasedUntil: number;
  deadline: number;
  queueIndex: number;
}

/** What a step changed of the webhooks, for the persistence layer to write in the same transaction. */
export interface WebhookEffects {
  readonly endpoints: Set<EndpointRecord>;
  readonly deletedEndpoints: Set<EndpointRecord>;
  /** Messages made in the step: their deliveries' rows are new, and carry them. */
  readonly messages: Set<MessageRecord>;
  readonly deliveries: Set<DeliveryRecord>;
  readonly forgottenDeliveries: Set<DeliveryRecord>;
}

export function newWebhookEffects(): WebhookEffects {
  return {
    endpoints: new Set(),
    deletedEndpoints: new Set(),
    messages: new Set(),
    deliveries: new Set(),
    forgottenDeliveries: new Set(),
  };
}

/** Whether a step changed nothing of the webhooks: checked at every commit, so without building a list. */
export function noWebhookEffects(effects: WebhookEffects): boolean {
  return (
    effects.endpoints.size === 0 &&
    effects.deletedEndpoints.size === 0 &&
    effects.messages.size === 0 &&
    effects.deliveries.size === 0 &&
    effects.forgottenDeliveries.size === 0
  );
}

/** Finished deliveries kept per endpoint for webhookDeliveries; older ones are forgotten with their messages. */
export const FINISHED_DELIVERIES_KEPT = 1_000;

/** Endpoints and deliveries as stored, for a restart. */
export interface StoredWebhooks {
  readonly endpoints: readonly Omit<EndpointRecord, 'deliveries' | 'due' | 'finished'>[];
  readonly messages: readonly Omit<MessageRecord, 'deliveries'>[];
  readonly deliveries: readonly (Pick<DeliveryRecord, 'status' | 'attempts' | 'lastStatusCode' | 'lastError' | 'nextAttemptAt' | 'createdAt'> & {
    readonly endpointId: string;
    readonly messageId: string;
  })[];
}

/**
 * The embedded store's webhook endpoints and outbox. Every method runs inside a store step, so
 * what it changes is written with the step's other effects, in one transaction.
 */
export class EmbeddedWebhooks {
  readonly endpoints = new Map<string, EndpointRecord>();

  constructor(private readonly effects: WebhookEffects) {}

  static restore(stored: StoredWebhooks, effects: WebhookEffects): EmbeddedWebhooks {
    const webhooks = new EmbeddedWebhooks(effects);
    for (const endpoint of stored.endpoints) webhooks.endpoints.set(endpoint.id, { ...endpoint, deliveries: new Map(), finished: 0, due: new DeadlineQueue() });
    const messages = new Map(stored.messages.map((message) => [message.id, { ...message, deliveries: 0 }]));
    for (const delivery of [...stored.deliveries].sort((a, b) => a.createdAt - b.createdAt)) {
      const endpoint = webhooks.endpoints.get(delivery.endpointId);
      const message = messages.get(delivery.messageId);
      if (!endpoint || !message) continue;
      const { endpointId: _endpointId, messageId: _messageId, ...state } = delivery;
      const record: DeliveryRecord = { ...state, endpoint, message, leasedUntil: 0, deadline: 0, queueIndex: -1 };
      message.deliveries += 1;
      endpoint.deliveries.set(message.id, record);
      if (record.nextAttemptAt === null) endpoint.finished += 1;
      else endpoint.due.schedule(record, record.nextAttemptAt);
    }
    return webhooks;
  }

  /** Whether any endpoint is there at all: without one, no message is made. */
  get any(): boolean {
    return this.endpoints.size > 0;
  }

  /** Writes a delivery of `message` for every endpoint that wants it; nothing if none does. */
  publish(message: WebhookMessage): void {
    let record: MessageRecord | null = null;
    for (const endpoint of this.endpoints.values()) {
      if (!endpointWants(endpoint, message)) continue;
      if (record === null) {
        // Written out rather than spread: every record gets the one shape.
        record = { id: message.id, type: message.type, eventId: message.eventId, body: message.body, createdAt: message.createdAt, deliveries: 0 };
        this.effects.messages.add(record);
      }
      const delivery: DeliveryRecord = {
        endpoint,
        message: record,
        status: 'PENDING',
        attempts: 0,
        lastStatusCode: null,
        lastError: null,
        nextAttemptAt: message.createdAt,
        createdAt: message.createdAt,
        leasedUntil: 0,
        deadline: 0,
        queueIndex: -1,
      };
      record.deliveries += 1;
      endpoint.deliveries.set(record.id, delivery);
      endpoint.due.schedule(delivery, message.createdAt);
      this.effects.deliveries.add(delivery);
    }
  }

  create(id: string, input: NewWebhookEndpoint, now: number): WebhookEndpoint {
    const endpoint: EndpointRecord = {
      id,
      ...input,
      enabled: true,
      disabledReason: null,
      createdAt: now,
      deliveries: new Map(),
      finished: 0,
      due: new DeadlineQueue(),
    };
    this.endpoints.set(id, endpoint);
    this.effects.endpoints.add(endpoint);
    return toEndpoint(endpoint);
  }

  list(): WebhookEndpoint[] {
    return [...this.endpoints.values()].map(toEndpoint);
  }

  delete(id: string): WebhookEndpoint | null {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return null;
    this.endpoints.delete(id);
    for (const delivery of endpoint.deliveries.values()) this.forget(delivery);
    endpoint.deliveries.clear();
    endpoint.finished = 0;
    this.effects.deletedEndpoints.add(endpoint);
    return toEndpoint(endpoint);
  }

  deliveriesOf(endpointId: string, limit: number): WebhookDelivery[] | null {
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) return null;
    return [...endpoint.deliveries.values()].slice(-limit).reverse().map(toDelivery);
  }

  redeliver(endpointId: string, messageId: string, now: number): WebhookDelivery | null {
    const delivery = this.endpoints.get(endpointId)?.deliveries.get(messageId);
    if (!delivery) return null;
    if (delivery.nextAttemptAt === null) delivery.endpoint.finished -= 1;
    delivery.status = delivery.attempts === 0 ? 'PENDING' : 'FAILED';
    delivery.nextAttemptAt = now;
    delivery.leasedUntil = 0;
    delivery.endpoint.due.schedule(delivery, now);
    this.effects.deliveries.add(delivery);
    return toDelivery(delivery);
  }

  /** Leases are memory only: a lease taken changes nothing stored. */
  claim(now: number, room: (endpointId: string) => number, leaseMs: number): DueDelivery[] {
    const claimed: DueDelivery[] = [];
    for (const endpoint of this.endpoints.values()) {
      if (!endpoint.enabled) continue;
      for (let left = room(endpoint.id); left > 0; left--) {
        const delivery = endpoint.due.popDue(now);
        if (!delivery) break;
        delivery.leasedUntil = now + leaseMs;
        // Taken again once the lease runs out, should its attempt never be recorded.
        endpoint.due.schedule(delivery, delivery.leasedUntil);
        claimed.push({
          endpointId: endpoint.id,
          url: endpoint.url,
          secret: endpoint.secret,
          messageId: delivery.message.id,
          body: delivery.message.body,
          attempts: delivery.attempts,
        });
      }
    }
    return claimed;
  }

  record(attempt: WebhookAttempt): void {
    const endpoint = this.endpoints.get(attempt.endpointId);
    const delivery = endpoint?.deliveries.get(attempt.messageId);
    if (!endpoint || !delivery) return; // deleted meanwhile: nothing to keep
    const wasFinished = delivery.nextAttemptAt === null;
    delivery.attempts += 1;
    delivery.status = attempt.status;
    delivery.lastStatusCode = attempt.statusCode;
    delivery.lastError = attempt.error;
    delivery.nextAttemptAt = attempt.status === 'FAILED' ? attempt.nextAttemptAt : null;
    delivery.leasedUntil = 0;
    if (delivery.nextAttemptAt === null) endpoint.due.remove(delivery);
    else endpoint.due.schedule(delivery, delivery.nextAttemptAt);
    endpoint.finished += (delivery.nextAttemptAt === null ? 1 : 0) - (wasFinished ? 1 : 0);
    this.effects.deliveries.add(delivery);
    if (attempt.disableEndpoint !== null && endpoint.enabled) {
      endpoint.enabled = false;
      endpoint.disabledReason = attempt.disableEndpoint;
      this.effects.endpoints.add(endpoint);
    }
    this.trim(endpoint);
  }

  /** Counted, not scanned: an endpoint's unfinished deliveries are its size less its finished ones. */
  pending(): { count: number; oldestCreatedAt: number | null } {
    let count = 0;
    let oldest: number | null = null;
    for (const endpoint of this.endpoints.values()) {
      count += endpoint.deliveries.size - endpoint.finished;
      // Oldest first, and only the kept finished ones can come before the first unfinished one.
      for (const delivery of endpoint.deliveries.values()) {
        if (delivery.nextAttemptAt === null) continue;
        if (oldest === null || delivery.createdAt < oldest) oldest = delivery.createdAt;
        break;
      }
    }
    return { count, oldestCreatedAt: oldest };
  }

  /** Forgets the oldest finished deliveries beyond the newest FINISHED_DELIVERIES_KEPT. */
  private trim(endpoint: EndpointRecord): void {
    if (endpoint.finished <= FINISHED_DELIVERIES_KEPT) return;
    for (const delivery of endpoint.deliveries.values()) {
      if (endpoint.finished <= FINISHED_DELIVERIES_KEPT) break;
      if (delivery.nextAttemptAt !== null) continue;
      endpoint.deliveries.delete(delivery.message.id);
      endpoint.finished -= 1;
      this.forget(delivery);
    }
  }

  private forget(delivery: DeliveryRecord): void {
    delivery.endpoint.due.remove(delivery);
    this.effects.forgottenDeliveries.add(delivery);
    this.effects.deliveries.delete(delivery);
    delivery.message.deliveries -= 1;
    // A message goes with its last delivery's row.
    if (delivery.message.deliveries === 0) this.effects.messages.delete(delivery.message);
  }
}

function toEndpoint(endpoint: EndpointRecord): WebhookEndpoint {
  const { deliveries: _deliveries, finished: _finished, due: _due, createdAt, ...rest } = endpoint;
  return { ...rest, createdAt: new Date(createdAt) };
}

function toDelivery(delivery: DeliveryRecord): WebhookDelivery {
  return {
    endpointId: delivery.endpoint.id,
    messageId: delivery.message.id,
    type: delivery.message.type,
    eventId: delivery.message.eventId,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt === null ? null : new Date(delivery.nextAttemptAt),
    createdAt: new Date(delivery.createdAt),
  };
}
