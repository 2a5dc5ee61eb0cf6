import { newWebhookMessageId, publicHoldId } from './ids.js';
import type { Booking, Hold } from './model.js';

/** Every message type a webhook endpoint can receive (SPEC "Webhooks"); endpoints filter by them. */
export const WEBHOOK_MESSAGE_TYPES = [
  'booking.confirmed',
  'booking.cancelled',
  'hold.created',
  'hold.released',
  'hold.expired',
  'seats.blocked',
  'seats.unblocked',
  'event.created',
] as const;

export type WebhookMessageType = (typeof WEBHOOK_MESSAGE_TYPES)[number];

export function isWebhookMessageType(value: string): value is WebhookMessageType {
  return (WEBHOOK_MESSAGE_TYPES as readonly string[]).includes(value);
}

/** What happened, as one webhook message: written in the same commit as the change it tells of. */
export interface WebhookMessage {
  /** The `webhook-id` of every request that carries it: the receiver's idempotency key. */
  readonly id: string;
  readonly type: WebhookMessageType;
  readonly eventId: string;
  /** The JSON body sent: `{ type, timestamp, data: { eventId, version, … } }`. */
  readonly body: string;
  readonly createdAt: number;
}

function message(type: WebhookMessageType, eventId: string, version: number, at: number, data: Record<string, unknown>, id: string): WebhookMessage {
  return {
    id,
    type,
    eventId,
    createdAt: at,
    body: JSON.stringify({ type, timestamp: new Date(at).toISOString(), data: { eventId, version, ...data } }),
  };
}

/** What a booking message tells of a booking. */
export type BookingFacts = Pick<Booking, 'id' | 'eventId' | 'orderId' | 'status'> & {
  readonly seats: readonly { readonly id: string }[];
  readonly areaPlaces: readonly { readonly area: { readonly id: string }; readonly quantity: number }[];
};

/** Places of an area as a message gives them. */
export interface PlacesFacts {
  readonly areaId: string;
  readonly quantity: number;
}

/** The seats and places a hold message is about. */
export interface HeldFacts {
  readonly seatIds: readonly string[];
  readonly areaPlaces: readonly PlacesFacts[];
}

/**
 * `booking.confirmed` or `booking.cancelled`, with the booking as the receiver needs it. Each
 * builder takes the message's id: a new one by default; a store that builds the body after the
 * commit (Redis) passes the one it derived from the commit, so every build is the same message.
 */
export function bookingMessage(
  type: 'booking.confirmed' | 'booking.cancelled',
  booking: BookingFacts,
  version: number,
  at: number,
  id = newWebhookMessageId(at),
): WebhookMessage {
  return message(
    type,
    booking.eventId,
    version,
    at,
    {
      booking: {
        id: booking.id,
        orderId: booking.orderId,
        status: booking.status,
        seatIds: booking.seats.map((seat) => seat.id),
        areaPlaces: booking.areaPlaces.map(({ area, quantity }) => ({ areaId: area.id, quantity })),
      },
    },
    id,
  );
}

/**
 * `hold.created`, `hold.released` or `hold.expired`: the hold by its public id, never its token,
 * with the seats and places it took or gave back.
 */
export function holdMessage(
  type: 'hold.created' | 'hold.released' | 'hold.expired',
  hold: Pick<Hold, 'token' | 'eventId' | 'status' | 'expiresAt'>,
  { seatIds, areaPlaces }: HeldFacts,
  version: number,
  at: number,
  id = newWebhookMessageId(at),
): WebhookMessage {
  return message(
    type,
    hold.eventId,
    version,
    at,
    { hold: { id: publicHoldId(hold.token), seatIds, areaPlaces, expiresAt: hold.expiresAt.toISOString(), status: hold.status } },
    id,
  );
}

/** `seats.blocked` or `seats.unblocked`: the seats the call changed. */
export function seatsMessage(
  type: 'seats.blocked' | 'seats.unblocked',
  eventId: string,
  seatIds: readonly string[],
  version: number,
  at: number,
  id = newWebhookMessageId(at),
): WebhookMessage {
  return message(type, eventId, version, at, { seatIds }, id);
}

/** `event.created`: an event made by the box office. */
export function eventCreatedMessage(
  event: { id: string; name: string; seats: number },
  version: number,
  at: number,
  id = newWebhookMessageId(at),
): WebhookMessage {
  return message('event.created', event.id, version, at, { name: event.name, seats: event.seats }, id);
}
