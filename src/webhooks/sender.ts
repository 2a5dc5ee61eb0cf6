import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress } from './address-policy.js';
import { parseRetryAfter } from './retry-schedule.js';
import { signatureHeaders } from './signing.js';

/** How long one attempt may take, connection to last byte of the answer's head (SPEC: 10 s). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** What one attempt came to. */
export type AttemptOutcome =
  /** A 2xx answer. */
  | { readonly kind: 'delivered'; readonly statusCode: number }
  /** 410 Gone: the receiver wants no more; the endpoint is disabled. */
  | { readonly kind: 'gone'; readonly statusCode: 410 }
  /** Anything else: another answer, a timeout, a refused or failed connection. */
  | { readonly kind: 'failed'; readonly statusCode: number | null; readonly retryAfterMs: number | null; readonly error: string };

/** One message to one endpoint. */
export interface Attempt {
  readonly url: string;
  readonly secret: string;
  /** The `webhook-id`: the same on every retry and redelivery of the message. */
  readonly messageId: string;
  readonly body: string;
  /** Epoch milliseconds now, for `webhook-timestamp` and `Retry-After` dates. */
  readonly now: number;
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  /** Connections kept open between attempts (see `keepAliveAgents`); a new connection each time without. */
  readonly agents?: KeepAliveAgents;
}

export interface KeepAliveAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/**
 * Agents that keep connections to receivers open between attempts: a connection per message
 * cost the deliverer more than the message. New connections still go through the guarded
 * lookup, as the lookup is given with each request.
 */
export function keepAliveAgents(maxSocketsPerHost: number): KeepAliveAgents {
  const options = { keepAlive: true, maxSockets: maxSocketsPerHost, maxFreeSockets: maxSocketsPerHost, timeout: WEBHOOK_TIMEOUT_MS };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

/** The most of an answer's body read (and thrown away): receivers are asked for a status, not content. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a signed message once. Never throws: every way it can go is an outcome. Redirects are
 * not followed (a 3xx fails), so a receiver cannot send the request on to another address.
 */
export function sendWebhook(attempt: Attempt): Promise<AttemptOutcome> {
  const timestampSeconds = Math.floor(attempt.now / 1000);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(attempt.body)),
    'user-agent': 'seatlock-webhooks/1',
    ...signatureHeaders(attempt.secret, attempt.messageId, timestampSeconds, attempt.body),
  };
  let url: URL;
  try {
    url = new URL(attempt.url);
  } catch {
    return Promise.resolve(failed(null, `not a URL: ${attempt.url}`));
  }
  // An IP literal is connected to without a lookup, so the guard is applied here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!attempt.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.resolve(failed(null, `${host} is a loopback, private or link-local address; allowed only with WEBHOOKS_ALLOW_PRIVATE=true`));
  }
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const agent = attempt.agents ? (secure ? attempt.agents.https : attempt.agents.http) : false;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = send(url, { method: 'POST', headers, lookup: guardedLookup(attempt.allowPrivate), agent }, (answer) => {
      settle(outcomeOf(answer, attempt.now));
      drain(answer);
    });
    const timeoutMs = attempt.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    const timer = setTimeout(() => {
      settle(failed(null, `no answer within ${timeoutMs / 1000} s`));
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => settle(failed(null, error.message)));
    request.end(attempt.body);
  });
}

function outcomeOf(answer: IncomingMessage, now: number): AttemptOutcome {
  const statusCode = answer.statusCode ?? 0;
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  if (statusCode === 410) return { kind: 'gone', statusCode };
  const retryAfter = statusCode === 429 || statusCode === 503 ? parseRetryAfter(answer.headers['retry-after'], now) : null;
  return { kind: 'failed', statusCode, retryAfterMs: retryAfter, error: `answered ${statusCode}` };
}

function failed(statusCode: number | null, error: string): AttemptOutcome {
  return { kind: 'failed', statusCode, retryAfterMs: null, error };
}

/** Reads and drops a bounded part of the answer, so the socket closes cleanly. */
function drain(answer: IncomingMessage): void {
  let read = 0;
  answer.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_ANSWER_BYTES) answer.destroy();
  });
  answer.on('error', () => undefined);
  answer.resume();
}
