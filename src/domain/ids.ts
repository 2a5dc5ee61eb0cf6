import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';

// crypto.hash (Node 20.12 on) hashes in one call, four times as fast as createHash for a token.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
const sha256Base64Url = oneShotHash
  ? (data: string) => oneShotHash('sha256', data, 'base64url')
  : (data: string) => createHash('sha256').update(data).digest('base64url');

/**
 * A hold token: the event id, a dot, then 192 random bits in URL-safe base64. The event id
 * lets a store find the hold's event (and, in Redis, its hash slot) from the token alone.
 */
export function newHoldToken(eventId: string): string {
  return `${eventId}.${random192Bits()}`;
}

/**
 * Random bytes are drawn from the system 4 KiB at a time, as Node's own `randomUUID` does: one
 * `randomBytes` call per token cost a lock storm 2% of its CPU. Every token still gets 24 bytes
 * no other token gets.
 */
const POOL_BYTES = 24 * 170;
let pool = randomBytes(POOL_BYTES);
let poolOffset = 0;

/** 192 random bits in URL-safe base64 (32 characters). */
function random192Bits(): string {
  const at = takeFromPool(24);
  return pool.toString('base64url', at, at + 24);
}

/** Where in `pool` the next `count` bytes no one else gets begin. */
function takeFromPool(count: number): number {
  if (poolOffset + count > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += count;
  return at;
}

/** The event id a token was issued for; null for a string no store could have issued. */
export function eventIdOfToken(token: string): string | null {
  const dot = token.indexOf('.');
  return dot > 0 ? token.slice(0, dot) : null;
}

/**
 * A booking id, shaped like a hold token (`<eventId>.<192 random bits>`): unguessable, since it
 * is the buyer's receipt, and naming its event so a store can find it from the id alone.
 */
export function newBookingId(eventId: string): string {
  return `${eventId}.${random192Bits()}`;
}

/** The event id a booking id was issued for; null for a string no store could have issued. */
export const eventIdOfBookingId = eventIdOfToken;

/**
 * A hold's public id: `<eventId>.h` and 128 bits of the SHA-256 of its token. It names the hold in
 * webhook messages and logs without being a key to it (the token cannot be had from it), and
 * every store derives the same one without keeping it.
 */
export function publicHoldId(token: string): string {
  const eventId = eventIdOfToken(token) ?? '';
  return `${eventId}.h${sha256Base64Url(token).slice(0, 22)}`;
}

/** A webhook endpoint's id: `ep_` and 128 random bits. */
export function newWebhookEndpointId(): string {
  return prefixed128Bits('ep_');
}

const messageIdBytes = Buffer.alloc(16);

/**
 * A webhook message's id (its `webhook-id`), as Standard Webhooks suggests: `msg_` and 128 bits,
 * the time in milliseconds (48 bits) then 80 random ones. Ids made later sort later, so the
 * outbox's index grows at its end instead of splitting pages all over (and a receiver may sort
 * by them); 80 random bits keep two messages of one millisecond apart.
 */
export function newWebhookMessageId(now = Date.now()): string {
  messageIdBytes.writeUIntBE(now, 0, 6);
  const at = takeFromPool(10);
  pool.copy(messageIdBytes, 6, at, at + 10);
  return `msg_${messageIdBytes.toString('base64url')}`;
}

function prefixed128Bits(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}
