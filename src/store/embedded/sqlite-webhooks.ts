import type Database from 'better-sqlite3';
import type { WebhookMessageType } from '../../domain/webhook-message.js';
import type { WebhookDeliveryStatus } from '../webhook-outbox.js';
import type { StoredWebhooks, WebhookEffects } from './webhooks.js';

/**
 * The webhook tables (data format 6 on): endpoints, the bodies of messages still delivered or
 * listed, and one row per message and endpoint. A message's rows are written in the same
 * transaction as the change it tells of. Times are epoch milliseconds; lists are JSON arrays.
 */
export const WEBHOOK_TABLES = `
CREATE TABLE webhook_endpoints (
  id              TEXT PRIMARY KEY,
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,
  types           TEXT,
  event_ids       TEXT,
  description     TEXT,
  enabled         INTEGER NOT NULL,
  disabled_reason TEXT,
  created_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE webhook_messages (
  id         TEXT PRIMARY KEY,
  type       TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE webhook_deliveries (
  endpoint_id      TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  status           TEXT NOT NULL,
  attempts         INTEGER NOT NULL,
  last_status_code INTEGER,
  last_error       TEXT,
  next_attempt_at  INTEGER,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (endpoint_id, message_id)
) WITHOUT ROWID;
`;

interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  types: string | null;
  event_ids: string | null;
  description: string | null;
  enabled: number;
  disabled_reason: string | null;
  created_at: number;
}

interface MessageRow {
  id: string;
  type: WebhookMessageType;
  event_id: string;
  body: string;
  created_at: number;
}

interface DeliveryRow {
  endpoint_id: string;
  message_id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
}

export function readWebhooks(db: Database.Database): StoredWebhooks {
  const endpoints = (db.prepare('SELECT * FROM webhook_endpoints ORDER BY created_at, id').all() as EndpointRow[]).map((row) => ({
    id: row.id,
    url: row.url,
    secret: row.secret,
    types: row.types === null ? null : (JSON.parse(row.types) as WebhookMessageType[]),
    eventIds: row.event_ids === null ? null : (JSON.parse(row.event_ids) as string[]),
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
  }));
  const messages = (db.prepare('SELECT * FROM webhook_messages').all() as MessageRow[]).map((row) => ({
    id: row.id,
    type: row.type,
    eventId: row.event_id,
    body: row.body,
    createdAt: row.created_at,
  }));
  const deliveries = (db.prepare('SELECT * FROM webhook_deliveries').all() as DeliveryRow[]).map((row) => ({
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  }));
  return { endpoints, messages, deliveries };
}

/** The statements that write a step's webhook effects, prepared once. */
export function webhookWriter(db: Database.Database): (effects: WebhookEffects) => void {
  const upsertEndpoint = db.prepare<[string, string, string, string | null, string | null, string | null, number, string | null, number]>(
    `INSERT INTO webhook_endpoints (id, url, secret, types, event_ids, description, enabled, disabled_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, disabled_reason = excluded.disabled_reason`,
  );
  const deleteEndpoint = db.prepare<[string]>('DELETE FROM webhook_endpoints WHERE id = ?');
  const deleteEndpointDeliveries = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE endpoint_id = ?');
  const insertMessage = db.prepare<[string, string, string, string, number]>(
    'INSERT OR IGNORE INTO webhook_messages (id, type, event_id, body, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteMessage = db.prepare<[string]>('DELETE FROM webhook_messages WHERE id = ?');
  const upsertDelivery = db.prepare<[string, string, string, number, number | null, string | null, number | null, number]>(
    `INSERT INTO webhook_deliveries (endpoint_id, message_id, status, attempts, last_status_code, last_error, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (endpoint_id, message_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
       last_status_code = excluded.last_status_code, last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at`,
  );
  const deleteDelivery = db.prepare<[string, string]>('DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND message_id = ?');
  const json = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

  return (effects) => {
    for (const endpoint of effects.endpoints) {
      if (effects.deletedEndpoints.has(endpoint)) continue;
      const { id, url, secret, types, eventIds, description, enabled, disabledReason, createdAt } = endpoint;
      upsertEndpoint.run(id, url, secret, json(types), json(eventIds), description, enabled ? 1 : 0, disabledReason, createdAt);
    }
    for (const message of effects.messages) insertMessage.run(message.id, message.type, message.eventId, message.body, message.createdAt);
    for (const delivery of effects.deliveries) {
      if (effects.deletedEndpoints.has(delivery.endpoint)) continue;
      upsertDelivery.run(
        delivery.endpoint.id,
        delivery.message.id,
        delivery.status,
        delivery.attempts,
        delivery.lastStatusCode,
        delivery.lastError,
        delivery.nextAttemptAt,
        delivery.createdAt,
      );
    }
    for (const delivery of effects.forgottenDeliveries) deleteDelivery.run(delivery.endpoint.id, delivery.message.id);
    for (const message of effects.forgottenMessages) deleteMessage.run(message.id);
    for (const endpoint of effects.deletedEndpoints) {
      deleteEndpointDeliveries.run(endpoint.id);
      deleteEndpoint.run(endpoint.id);
    }
  };
}
