import { randomBytes } from 'node:crypto';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../domain/errors.js';
import { headerValue, type RequestHeaders } from '../lib/headers.js';

export type { DestinationStream, Logger } from 'pino';

/** The levels `LOG_LEVEL` takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the server logs. */
export interface LogOptions {
  readonly level: LogLevel;
  /** One JSON object per line (for log shippers); otherwise readable lines for a terminal. */
  readonly json: boolean;
}

/**
 * Whatever might carry a secret is never written: the admin token and hold tokens travel in
 * these headers and variables, and a logged request carries none of them.
 */
const REDACTED_PATHS = ['authorization', 'holdToken', 'token', 'req.headers.authorization', 'req.headers.cookie', '*.authorization', '*.holdToken', '*.token'];

/**
 * The server's logger: JSON lines in production (`NODE_ENV=production`), readable coloured
 * lines in development, at `LOG_LEVEL` (default info). `destination` is for tests.
 */
export function createLogger(options: LogOptions, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: options.level,
    base: { service: 'seatlock' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (destination) return pino(settings, destination);
  if (options.json) return pino(settings);
  // Synchronous, in process: a worker-thread transport would outlive a crash's last lines.
  return pino(settings, pinoPretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l' }));
}

/** The header a client (or its proxy) may send its own request id in. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** A request id a client sent is used only when it is this plain: it goes into every log line. */
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;
const requestIds = new WeakMap<object, string>();
/**
 * New ids are this process's random prefix and a counter: unique across instances and restarts
 * without a random UUID per request (ids are made only for requests that are logged).
 */
const PROCESS_PREFIX = randomBytes(5).toString('hex');
let issuedIds = 0;

/** Gives `request` the id another object of the same request already has. */
export function keepRequestId(request: object, id: string): void {
  requestIds.set(request, id);
}

/**
 * The id of an HTTP request or WebSocket connection: the client's `X-Request-Id` when it is a
 * plain token, else a new one (`<process prefix>-<counter>`). Made on first use and kept per
 * request object, so every log line about a request (and the `X-Request-Id` of a refusal)
 * carries the same one.
 */
export function requestIdOf(request: { readonly headers: RequestHeaders }): string {
  const known = requestIds.get(request);
  if (known) return known;
  const sent = headerValue(request.headers, REQUEST_ID_HEADER);
  const id = sent !== undefined && SAFE_REQUEST_ID.test(sent) ? sent : `${PROCESS_PREFIX}-${(++issuedIds).toString(36)}`;
  requestIds.set(request, id);
  return id;
}

/** The log lines of one request: what resolvers write (admin actions, refusals). */
export interface RequestLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * A request's log, its lines carrying `bindings()` (its id and client): worked out only when
 * a line is written, as most requests write none and a pino child per request would cost
 * every lock a few microseconds.
 */
export function requestLog(logger: Logger, bindings: () => Record<string, unknown>): RequestLog {
  return {
    info: (details, message) => logger.info({ ...bindings(), ...details }, message),
    warn: (details, message) => logger.warn({ ...bindings(), ...details }, message),
  };
}

/** yoga's logger on ours: yoga logs one value or several; a lone one is logged as it is. */
export function yogaLogging(logger: Logger): Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      logger[level](args.length === 1 ? args[0] : args);
  const error = at('error');
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    // yoga logs every error it rewords; a store outage is reworded for each request it fails,
    // and the store says once what is wrong. A change of unknown outcome is worth a line.
    error: (...args: unknown[]) => {
      const original = args.length === 1 ? (args[0] as { originalError?: unknown } | null)?.originalError : undefined;
      if (original instanceof StoreUnavailableError) logger.debug({ path: (args[0] as { path?: unknown }).path }, original.message);
      else if (original instanceof StoreOutcomeUnknownError) logger.warn({ path: (args[0] as { path?: unknown }).path, ...original.made }, original.message);
      else error(...args);
    },
  };
}
