import { RateLimitedError } from '../domain/errors.js';
import { systemClock, type Clock } from '../lib/clock.js';

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
  /** Refused since it last had a token: its refusal has been logged. */
  refusing: boolean;
}

/** Buckets idle this long are full again and can be forgotten. */
const FORGET_CHECK_EVERY = 1_000;

/**
 * Lock attempts per client: a token bucket each, `burst` tokens full, refilled at `perMinute`.
 * Each lock attempt (each `lockSeat`, `lockSeats` or `lockBestAvailable` field, so aliased fields
 * count one by one) takes a token; an empty bucket answers {@link RateLimitedError} with the
 * seconds until the next token.
 */
export interface LockRateLimiter {
  /** @throws RateLimitedError when `clientId` has no lock left for now. */
  take(clientId: string): Promise<void>;
  /** Lets go of what it holds (a Redis connection). */
  close(): Promise<void>;
}

/** Says when a client first runs out of locks (not on every refusal after: a bot would flood the log). */
export type OnRefused = (clientId: string, retryAfterSeconds: number) => void;

/**
 * The buckets in this process, for one instance (the embedded store). With several instances
 * the buckets are kept in Redis (see `RedisLockRateLimiter`), so that a client's budget is the
 * limit, not the limit times the instances it reaches.
 */
export class MemoryLockRateLimiter implements LockRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private takes = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly onRefused: OnRefused = () => undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  async take(clientId: string): Promise<void> {
    const now = this.clock.now();
    if (++this.takes % FORGET_CHECK_EVERY === 0) this.forgetFull(now);
    const bucket = this.buckets.get(clientId) ?? { tokens: this.limit.burst, updatedAt: now, refusing: false };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    this.buckets.set(clientId, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
      if (!bucket.refusing) this.onRefused(clientId, retryAfterSeconds);
      bucket.refusing = true;
      throw new RateLimitedError(retryAfterSeconds);
    }
    bucket.tokens -= 1;
    bucket.refusing = false;
  }

  async close(): Promise<void> {}

  private forgetFull(now: number): void {
    for (const [clientId, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs >= this.limit.burst) this.buckets.delete(clientId);
    }
  }
}
