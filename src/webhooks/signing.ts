import { createHmac, randomBytes } from 'node:crypto';

/** The prefix Standard Webhooks secrets carry, before the base64 of the key. */
const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` and the base64 of 32 random bytes (the spec asks for at least 24). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** Whether a string has the shape of a secret this server issues (kept by stores, never answered). */
export function isWebhookSecret(value: string): boolean {
  return value.startsWith(SECRET_PREFIX) && Buffer.from(value.slice(SECRET_PREFIX.length), 'base64').length >= 24;
}

/** The headers of one signed request, as Standard Webhooks defines them. */
export interface SignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs `body` for `messageId` at `timestampSeconds`: `v1,` and the base64 HMAC-SHA256, keyed by
 * the secret's bytes, of `id.timestamp.body`. The `standardwebhooks` package verifies it.
 */
export function signatureHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): SignatureHeaders {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}
