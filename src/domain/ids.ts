import { randomBytes } from 'node:crypto';

/**
 * A hold token: the event id, a dot, then 192 random bits in URL-safe base64. The event id
 * lets a store find the hold's event (and, in Redis, its hash slot) from the token alone.
 */
export function newHoldToken(eventId: string): string {
  return `${eventId}.${randomBytes(24).toString('base64url')}`;
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
  return `${eventId}.${randomBytes(24).toString('base64url')}`;
}

/** The event id a booking id was issued for; null for a string no store could have issued. */
export const eventIdOfBookingId = eventIdOfToken;
