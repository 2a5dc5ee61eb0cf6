import { RateLimitedError } from '../domain/errors.js';
import { systemClock, type Clock } from '../store/clock.js';

/** How fast one client may lock seats. */
export interface RateLimit {
  /** Locks one client may make in a burst. */
  readonly burst: number;
  /** Locks per minute a client earns back. */
  readonly perMinute: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const FORGET_CHECK_EVERY = 1_000;

/**
 * A token bucket per client. Each lock attempt (each `lockSeat` or `lockSeats` field, so aliased
 * fields count one by one) takes a token; an empty bucket answers {@link RateLimitedError} with
 * the seconds until the next token. Per instance: behind a load balancer a client's budget is
 * this limit times the instances it reaches.
 */
export class LockRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private takes = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /** @throws RateLimitedError when `clientId` has no lock left for now. */
  take(clientId: string): void {
    const now = this.clock.now();
    if (++this.takes % FORGET_CHECK_EVERY === 0) this.forgetFull(now);
    const bucket = this.buckets.get(clientId) ?? { tokens: this.limit.burst, updatedAt: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    this.buckets.set(clientId, bucket);
    if (bucket.tokens < 1) {
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)));
    }
    bucket.tokens -= 1;
  }

  private forgetFull(now: number): void {
    for (const [clientId, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs >= this.limit.burst) this.buckets.delete(clientId);
    }
  }
}
