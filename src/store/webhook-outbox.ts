import type { WebhookMessage, WebhookMessageType } from '../domain/webhook-message.js';

/** A receiver of webhook messages, as the store keeps it. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** Standard Webhooks secret (`whsec_…`): answered once, by createWebhook, never again. */
  readonly secret: string;
  /** The message types it gets; null: all. */
  readonly types: readonly WebhookMessageType[] | null;
  /** The events whose messages it gets; null: all. */
  readonly eventIds: readonly string[] | null;
  readonly description: string | null;
  readonly enabled: boolean;
  /** Why it was disabled (a 410 from the receiver); null while enabled. */
  readonly disabledReason: string | null;
  readonly createdAt: Date;
}

export type NewWebhookEndpoint = Pick<WebhookEndpoint, 'url' | 'secret' | 'types' | 'eventIds' | 'description'>;

/** PENDING: not tried yet; FAILED: the last try failed and another is due at nextAttemptAt; GIVEN_UP: no more tries. */
export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'GIVEN_UP';

/** One message to one endpoint, and how its delivery stands. */
export interface WebhookDelivery {
  readonly endpointId: string;
  readonly messageId: string;
  readonly type: WebhookMessageType;
  readonly eventId: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  /** When it is tried next; null once DELIVERED or GIVEN_UP. */
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
}

/** A delivery taken by a deliverer to try now, with what the request needs. */
export interface DueDelivery {
  readonly endpointId: string;
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly body: string;
  /** Attempts made before this one. */
  readonly attempts: number;
}

/** What one attempt came to, for the store to keep. */
export interface WebhookAttempt {
  readonly endpointId: string;
  readonly messageId: string;
  readonly status: Exclude<WebhookDeliveryStatus, 'PENDING'>;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** For FAILED: when to try again. */
  readonly nextAttemptAt: number | null;
  /** Set when the receiver asked for no more (410): the endpoint is disabled with this reason. */
  readonly disableEndpoint: string | null;
}

/**
 * Webhook endpoints and the outbox of their deliveries. A store writes a message's deliveries in
 * the same commit as the change it tells of, so a change that was answered is never without its
 * message, whatever happens to the process after.
 */
export interface WebhookOutbox {
  createWebhookEndpoint(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  /** Every endpoint, oldest first. */
  listWebhookEndpoints(): Promise<WebhookEndpoint[]>;
  /** Removes the endpoint and its deliveries at once; answers it as it was, or null if unknown. */
  deleteWebhookEndpoint(id: string): Promise<WebhookEndpoint | null>;
  /** The endpoint's deliveries, newest first; null if the endpoint is unknown. */
  listWebhookDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[] | null>;
  /** Makes a delivery due now again (same message id); null if there is no such delivery. */
  redeliverWebhookMessage(endpointId: string, messageId: string): Promise<WebhookDelivery | null>;
  /**
   * Takes deliveries due by `now` for one deliverer, oldest first, at most `room(endpointId)` of
   * each endpoint (what the deliverer can start at once: a slow receiver's backlog stays in the
   * store, not in memory), each for `leaseMs`: no other deliverer takes them in that time (a dead
   * deliverer's are taken again once it passes).
   */
  claimDueDeliveries(now: number, room: (endpointId: string) => number, leaseMs: number): Promise<DueDelivery[]>;
  recordWebhookAttempt(attempt: WebhookAttempt): Promise<void>;
  /** Calls `listener` when deliveries may have become due (a commit wrote some); answers a function that stops it. */
  onWebhooksDue(listener: () => void): () => void;
  /** Deliveries not yet DELIVERED or GIVEN_UP, and when the oldest of them was made (for metrics). */
  pendingWebhooks(): Promise<{ count: number; oldestCreatedAt: number | null }>;
}

/** Whether an endpoint gets a message: enabled, and its type and event filters let it through. */
export function endpointWants(endpoint: Pick<WebhookEndpoint, 'enabled' | 'types' | 'eventIds'>, message: Pick<WebhookMessage, 'type' | 'eventId'>): boolean {
  return (
    endpoint.enabled &&
    (endpoint.types === null || endpoint.types.includes(message.type)) &&
    (endpoint.eventIds === null || endpoint.eventIds.includes(message.eventId))
  );
}
