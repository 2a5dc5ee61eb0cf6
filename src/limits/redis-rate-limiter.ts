import { RateLimitedError } from '../domain/errors.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../lib/redis-connection.js';
import type { Clock } from '../lib/clock.js';
import type { LockRateLimiter, OnRefused, RateLimit } from './rate-limiter.js';

/**
 * The token bucket of `MemoryLockRateLimiter`, in Redis: one hash per client with `t` (tokens
 * left, a decimal) and `a` (when they were counted, ms on Redis's clock, so instances with
 * skewed clocks agree; ARGV[3] gives the time instead where tests move a clock). It answers { 1 } when a token was taken, else { 0, ms until the next
 * token, 1 if this is the client's first refusal since it last had a token }. A bucket is
 * deleted once it would be full again: idle clients cost nothing.
 */
const TAKE_SCRIPT = `
local burst, perMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local now
if ARGV[3] ~= '' then
  now = tonumber(ARGV[3])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local bucket = redis.call('HMGET', KEYS[1], 't', 'a', 'r')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local fullInMs = math.ceil((burst - tokens) / perMs) + 1
if tokens < 1 then
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', now, 'r', 1)
  redis.call('PEXPIRE', KEYS[1], fullInMs)
  return { 0, math.ceil((1 - tokens) / perMs), bucket[3] and 0 or 1 }
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', now)
redis.call('HDEL', KEYS[1], 'r')
redis.call('PEXPIRE', KEYS[1], fullInMs + math.ceil(1 / perMs))
return { 1 }
`;

type TakeReply = [1] | [0, number, 0 | 1];

/**
 * How long a lock waits for its count before it goes ahead uncounted: a hung Redis must cost a
 * lock its own timeout once (the lock's script), not twice.
 */
const COUNT_WAIT_MS = 500;

/**
 * Lock attempts per client counted in Redis, shared by every instance of a deployment (the
 * same Redis and `REDIS_KEY_PREFIX`): a client's budget is the limit, however many instances
 * the load balancer sends it to. One round trip per lock attempt. While Redis cannot be reached
 * attempts are let through: the lock itself then fails with STORE_UNAVAILABLE anyway, and a
 * limiter must not turn a short outage into refusals after it.
 */
export class RedisLockRateLimiter implements LockRateLimiter {
  private readonly redis: RedisClient;
  private readonly args: [string, string];

  constructor(
    target: RedisTarget,
    private readonly keyPrefix: string,
    limit: RateLimit,
    private readonly onRefused: OnRefused = () => undefined,
    commandTimeoutMs = 2_000,
    /** Judges time by this clock instead of Redis's (tests that step time). */
    private readonly clock?: Clock,
  ) {
    this.redis = connectRedis(target, {
      // Unlike the store's mutations, a count sent twice does no harm: the first attempts after
      // a start wait for the connection instead of going uncounted.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
      enableAutoPipelining: true,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 2_000),
    });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('seatlockTakeLock', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.args = [String(limit.burst), String(limit.perMinute / 60_000)];
  }

  async take(clientId: string): Promise<void> {
    let reply: TakeReply;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The client id in a hash tag of its own: on a cluster each bucket is one key, one slot.
      const take = (this.redis as unknown as { seatlockTakeLock(key: string, ...args: string[]): Promise<TakeReply> }).seatlockTakeLock;
      const counted = take.call(this.redis, `${this.keyPrefix}:lock-rate:{${clientId}}`, ...this.args, this.clock ? String(this.clock.now()) : '');
      const gaveUp = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), COUNT_WAIT_MS);
      });
      const answer = await Promise.race([counted, gaveUp]);
      if (answer === null) {
        counted.catch(() => undefined);
        return;
      }
      reply = answer;
    } catch {
      return;
    } finally {
      clearTimeout(timer);
    }
    if (reply[0] === 1) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(reply[1] / 1000));
    if (reply[2] === 1) this.onRefused(clientId, retryAfterSeconds);
    throw new RateLimitedError(retryAfterSeconds);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
