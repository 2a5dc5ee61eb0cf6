/**
 * How long to wait after each failed attempt before the next: the steps Svix and Standard
 * Webhooks receivers know (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) and one more 10 h, 37 h 35 min
 * in all and at least 30 h with every step jittered short, so a receiver down for a day still
 * gets every message. After the last, the message is given up.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, 36_000_000];

/** Each delay moves by up to this share either way, so receivers that failed together are not retried together. */
export const RETRY_JITTER = 0.2;

/** The longest `Retry-After` honoured: a receiver cannot park a message longer than the schedule's longest step. */
export const MAX_RETRY_AFTER_MS = 36_000_000;

/**
 * The wait before attempt `failedAttempts + 1`, or null when the message is to be given up.
 * A `Retry-After` (429, 503) replaces the schedule's delay for this step, within bounds.
 */
export function nextRetryDelay(failedAttempts: number, random: () => number = Math.random, retryAfterMs: number | null = null): number | null {
  const base = RETRY_DELAYS_MS[failedAttempts - 1];
  if (base === undefined) return null;
  if (retryAfterMs !== null) return Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

/**
 * A `Retry-After` header in milliseconds: seconds or an HTTP date (RFC 9110); null when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
