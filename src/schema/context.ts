import type { Clock } from '../lib/clock.js';
import type { LockRateLimiter } from '../limits/rate-limiter.js';
import type { RequestLog } from '../observability/logger.js';
import type { SeatlockSubscriber } from '../store/pubsub.js';
import type { SeatStore } from '../store/store.js';
import type { LayoutLimits } from '../venue/layout.js';

/**
 * Set by the transports on the subscriptions they share (see the subscription multiplexer):
 * the resolver records the version of each change it yields (SSE event ids; where a resuming
 * subscriber joins the shared execution), and `replayOnly` asks for a resume's replay alone,
 * the shared execution carrying the live part.
 */
export interface ChangeStreamProbe {
  lastVersion: number | null;
  readonly replayOnly: boolean;
}

/** What every resolver may use: the store and PubSub, and who asks for per-client limits. */
// A type alias, not an interface: yoga's context generics need an indexable type.
export type Context = {
  readonly store: SeatStore;
  /** Subscribe-only: the store publishes every change, resolvers never do. */
  readonly pubsub: SeatlockSubscriber;
  /** Who is asking, as `CLIENT_IDENTITY` recognises clients. */
  readonly clientId: string;
  /** Counts lock attempts per client; null when unlimited. */
  readonly lockRateLimiter: LockRateLimiter | null;
  /** Counts a lock refused for want of an admission (the event's waiting room is on), for `/metrics`. */
  readonly admissionRefused: (eventId: string) => void;
  /** The time the stores go by (sales per minute are counted up to its now). */
  readonly clock: Clock;
  /** How large a layout `createEvent` takes (as `EVENTS_FILE`). */
  readonly layoutLimits: LayoutLimits;
  /** `WEBHOOKS_ALLOW_PRIVATE`: endpoints on loopback, private and link-local addresses are allowed. */
  readonly webhooksAllowPrivate: boolean;
  /** Whether the request carries the admin token (the `admin` auth scope). */
  readonly isAdmin: boolean;
  /** Writes what an admin operation changed to the log (never the token). */
  readonly audit: (action: string, details: Record<string, unknown>) => void;
  /** The log, its lines carrying the request's id (`reqId`) and client. */
  readonly log: RequestLog;
  /** Present on subscriptions the transports share. */
  readonly changeStream?: ChangeStreamProbe;
};
