import type Database from 'better-sqlite3';
import type { WebhookMessageType } from '../../domain/webhook-message.js';
import type { WebhookDeliveryStatus } from '../webhook-outbox.js';
import type { StoredWebhooks, WebhookEffects } from './webhooks.js';

const ENDPOINTS_TABLE = `CREATE TABLE webhook_endpoints (
  id              TEXT PRIMARY KEY,
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,
  types           TEXT,
  event_ids       TEXT,
  description     TEXT,
  enabled         INTEGER NOT NULL,
  disabled_reason TEXT,
  created_at      INTEGER NOT NULL
) WITHOUT ROWID;`;

/**
 * One row per message and endpoint, with the message: written in the same transaction as the
 * change the message tells of (data format 7 on). Message ids grow with time, so rows are added
 * at the end of each endpoint's part of the table.
 */
const DELIVERIES_TABLE = `CREATE TABLE webhook_deliveries (
  endpoint_id      TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  type             TEXT NOT NULL,
  event_id         TEXT NOT NULL,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL,
  attempts         INTEGER NOT NULL,
  last_status_code INTEGER,
  last_error       TEXT,
  next_attempt_at  INTEGER,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (endpoint_id, message_id)
) WITHOUT ROWID;`;

/** The webhook tables: endpoints and the outbox of their deliveries. Times are epoch milliseconds; lists are JSON arrays. */
export const WEBHOOK_TABLES = `${ENDPOINTS_TABLE}\n${DELIVERIES_TABLE}`;

/** Data format 6 kept a message's body in a table of its own, apart from its deliveries. */
export const WEBHOOK_TABLES_6 = `${ENDPOINTS_TABLE}
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
) WITHOUT ROWID;`;

/**
 * 6 to 7: one row per delivery with its message (one row written per message and endpoint
 * instead of two, the lock storm's commits smaller).
 */
export const WEBHOOK_MESSAGES_INTO_DELIVERIES = `ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_6;
${DELIVERIES_TABLE}
INSERT INTO webhook_deliveries
  SELECT d.endpoint_id, d.message_id, m.type, m.event_id, m.body, d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, d.created_at
  FROM webhook_deliveries_6 d JOIN webhook_messages m ON m.id = d.message_id;
DROP TABLE webhook_deliveries_6;
DROP TABLE webhook_messages;`;

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

interface DeliveryRow {
  endpoint_id: string;
  message_id: string;
  type: WebhookMessageType;
  event_id: string;
  body: string;
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
  const rows = db.prepare('SELECT * FROM webhook_deliveries').all() as DeliveryRow[];
  // A message sent to several endpoints is on each of their rows: one message of them.
  const messages = new Map<string, StoredWebhooks['messages'][number]>();
  for (const row of rows) {
    if (!messages.has(row.message_id)) {
      messages.set(row.message_id, { id: row.message_id, type: row.type, eventId: row.event_id, body: row.body, createdAt: row.created_at });
    }
  }
  const deliveries = rows.map((row) => ({
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  }));
  return { endpoints, messages: [...messages.values()], deliveries };
}

/** The statements that write a step's webhook effects, prepared once. */
export function webhookWriter(db: Database.Database): (effects: WebhookEffects) => void {
  const upsertEndpoint = db.prepare<[string, string, string, string | null, string | null, string | null, number, string | null, number]>(
    `INSERT INTO webhook_endpoints (id, url, secret, types, event_ids, description, enabled, disabled_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, disabled_reason = excluded.disabled_reason`,
  );
  const deleteEndpoint = db.prepare<[string]>('DELETE FROM webhook_endpoints WHERE id = ?');
  const deleteEndpointDeliveries = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE endpoint_id = ?');
  type DeliveryState = [status: string, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: number | null];
  const insertDelivery = db.prepare<[string, string, string, string, string, ...DeliveryState, number]>(
    `INSERT INTO webhook_deliveries (endpoint_id, message_id, type, event_id, body, status, attempts, last_status_code, last_error, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Not an upsert: the message is written once, with its delivery's first row, and never again.
  const updateDelivery = db.prepare<[string, number, number | null, string | null, number | null, string, string]>(
    `UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?
     WHERE endpoint_id = ? AND message_id = ?`,
  );
  const deleteDelivery = db.prepare<[string, string]>('DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND message_id = ?');
  const json = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

  return (effects) => {
    for (const endpoint of effects.endpoints) {
      if (effects.deletedEndpoints.has(endpoint)) continue;
      const { id, url, secret, types, eventIds, description, enabled, disabledReason, createdAt } = endpoint;
      upsertEndpoint.run(id, url, secret, json(types), json(eventIds), description, enabled ? 1 : 0, disabledReason, createdAt);
    }
    for (const delivery of effects.deliveries) {
      const { endpoint, message } = delivery;
      if (effects.deletedEndpoints.has(endpoint)) continue;
      const state: DeliveryState = [delivery.status, delivery.attempts, delivery.lastStatusCode, delivery.lastError, delivery.nextAttemptAt];
      // Made in this step (with its message): a new row; otherwise its row is brought up to date.
      if (effects.messages.has(message)) insertDelivery.run(endpoint.id, message.id, message.type, message.eventId, message.body, ...state, delivery.createdAt);
      else updateDelivery.run(...state, endpoint.id, message.id);
    }
    for (const delivery of effects.forgottenDeliveries) deleteDelivery.run(delivery.endpoint.id, delivery.message.id);
    for (const endpoint of effects.deletedEndpoints) {
      deleteEndpointDeliveries.run(endpoint.id);
      deleteEndpoint.run(endpoint.id);
    }
  };
}
