import { MIN_ADMIN_TOKEN_LENGTH } from './auth/admin-token.js';
import type { ClientIdentity } from './limits/client-identity.js';
import type { RateLimit } from './limits/rate-limiter.js';
import { LOG_LEVELS, type LogLevel } from './observability/logger.js';
import type { DataSync } from './store/embedded/sqlite-file.js';
import type { RedisNode } from './lib/redis-connection.js';

/** The origins whose pages may call the API cross-site (`CORS_ORIGINS`): a list, or any (`*`). */
export type AllowedOrigins = '*' | readonly string[];

/** Everything seatlock reads from the environment, validated. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly lockTtlSeconds: number;
  readonly holdMaxSeconds: number;
  readonly maxSeatsPerHold: number;
  /** Seats of one event one client may hold locked at once (`MAX_SEATS_PER_CLIENT`); 0: no cap. */
  readonly maxSeatsPerClient: number;
  /** Changes of each event kept for subscribers that resume (`CHANGE_LOG_SIZE`). */
  readonly changeLogSize: number;
  /** Path of a JSON seat layout; null serves the demo event. */
  readonly eventsFile: string | null;
  /** Redis connection; null: the embedded store. */
  readonly redisUrl: string | null;
  /** `REDIS_CLUSTER_NODES`: some nodes of a Redis Cluster (the rest are found from them); null: not a cluster. */
  readonly redisClusterNodes: readonly RedisNode[] | null;
  /** The embedded store's SQLite file (`DATA_FILE`); `:memory:` keeps nothing on disk. */
  readonly dataFile: string;
  /** `DATA_SYNC`: `full` flushes every commit to disk, so not even a power cut loses a step. */
  readonly dataSync: DataSync;
  /** Prefix of every Redis key, so deployments can share one Redis. */
  readonly redisKeyPrefix: string;
  /** `REDIS_TIMEOUT_SECONDS`: how long a Redis command may go unanswered before the call fails. */
  readonly redisTimeoutMs: number;
  /** `NODE_ENV=production`: terse logs, and GraphiQL and introspection off unless asked for. */
  readonly production: boolean;
  /** Serve GraphiQL at the endpoint for browsers (`GRAPHIQL`; default: not in production). */
  readonly graphiql: boolean;
  /** Answer introspection queries (`INTROSPECTION`; default: not in production). */
  readonly introspection: boolean;
  readonly documentLimits: DocumentLimits;
  /** Lock attempts per client (`LOCK_BURST`, `LOCKS_PER_MINUTE`); null when `LOCKS_PER_MINUTE=0`. */
  readonly lockRate: RateLimit | null;
  /** How a client is recognised for per-client limits (`CLIENT_IDENTITY`). */
  readonly clientIdentity: ClientIdentity;
  /** Open WebSockets one client may have (`MAX_SOCKETS_PER_CLIENT`). */
  readonly maxSocketsPerClient: number;
  /** Operations one WebSocket may run at once (`MAX_SUBSCRIPTIONS_PER_SOCKET`). */
  readonly maxSubscriptionsPerSocket: number;
  /**
   * Bytes of documents and variables one client's running subscriptions may add up to, over
   * every socket and event stream (`MAX_SUBSCRIPTION_BYTES_PER_CLIENT`): what it can make the
   * server keep in memory for as long as they run.
   */
  readonly maxSubscriptionBytesPerClient: number;
  /** Resumes (replays of logged changes) one client may have running at once (`MAX_REPLAYS_PER_CLIENT`). */
  readonly maxReplaysPerClient: number;
  /** Replayed changes one client is sent per second, over all its resumes (`REPLAY_MESSAGES_PER_SECOND`). */
  readonly replayMessagesPerSecond: number;
  /** Seats one event may have, in `EVENTS_FILE` and `createEvent` (`MAX_EVENT_SEATS`). */
  readonly maxEventSeats: number;
  /** Origins whose pages may call the API cross-site (`CORS_ORIGINS`); none by default. */
  readonly corsOrigins: AllowedOrigins;
  /** How long a client has to send a request's headers, and the whole request, and keep-alive. */
  readonly httpTimeouts: HttpTimeouts;
  /** `ADMIN_TOKEN`: the bearer token of the admin API; null: no admin operation is allowed. */
  readonly adminToken: string | null;
  /** `METRICS_PUBLIC=true`: `/metrics` answers without the admin token (sales figures are in it). */
  readonly metricsPublic: boolean;
  /** `WEBHOOKS_ALLOW_PRIVATE`: webhook endpoints may be http:// and on loopback, private or link-local addresses. */
  readonly webhooksAllowPrivate: boolean;
  /** `LOG_LEVEL` (default info); logs are JSON lines in production, readable lines otherwise. */
  readonly logLevel: LogLevel;
}

/** Deadlines for slow clients, in milliseconds; they bound how long a connection can tie up. */
export interface HttpTimeouts {
  /** `HEADERS_TIMEOUT_SECONDS`: from connecting (or the last request) to the end of the headers. */
  readonly headersMs: number;
  /** `REQUEST_TIMEOUT_SECONDS`: to receive a whole request, headers and body. */
  readonly requestMs: number;
  /** `KEEP_ALIVE_TIMEOUT_SECONDS`: how long an idle keep-alive connection is kept open. */
  readonly keepAliveMs: number;
}

/** Limits on a GraphQL document, checked before it runs (over HTTP and WebSocket alike). */
export interface DocumentLimits {
  /** `MAX_DEPTH`: nesting of selections. */
  readonly maxDepth: number;
  /** `MAX_ALIASES`: aliased fields in one operation (each aliased lock is still a lock). */
  readonly maxAliases: number;
  /** `MAX_TOKENS`: lexical tokens of the document. */
  readonly maxTokens: number;
  /** `MAX_COST`: graphql-armor's static cost (objects 2, scalars 1, deeper costs more). */
  readonly maxCost: number;
  /** `MAX_DIRECTIVES`: directives in one document. */
  readonly maxDirectives: number;
}

/** A bad environment value; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const defaultConfig: Config = {
  port: 4000,
  host: '127.0.0.1',
  lockTtlSeconds: 60,
  holdMaxSeconds: 600,
  maxSeatsPerHold: 10,
  maxSeatsPerClient: 20,
  changeLogSize: 10_000,
  eventsFile: null,
  redisUrl: null,
  redisClusterNodes: null,
  dataFile: 'data/seatlock.db',
  dataSync: 'normal',
  redisKeyPrefix: 'seatlock',
  redisTimeoutMs: 2_000,
  production: false,
  graphiql: true,
  introspection: true,
  documentLimits: { maxDepth: 10, maxAliases: 30, maxTokens: 2_000, maxCost: 5_000, maxDirectives: 20 },
  lockRate: { burst: 60, perMinute: 600 },
  clientIdentity: { kind: 'ip' },
  maxSocketsPerClient: 50,
  maxSubscriptionsPerSocket: 20,
  maxSubscriptionBytesPerClient: 256 * 1024,
  maxReplaysPerClient: 2,
  replayMessagesPerSecond: 2_000,
  maxEventSeats: 200_000,
  corsOrigins: [],
  httpTimeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 },
  adminToken: null,
  metricsPublic: false,
  webhooksAllowPrivate: false,
  logLevel: 'info',
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the configuration from environment variables; an empty variable counts as unset.
 * @throws ConfigError naming the first bad variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const production = read('NODE_ENV') === 'production';
  const limits = defaultConfig.documentLimits;
  const lockTtlSeconds = positiveSeconds(read('LOCK_TTL_SECONDS'), 'LOCK_TTL_SECONDS', defaultConfig.lockTtlSeconds);
  const holdMaxSeconds = positiveSeconds(read('HOLD_MAX_SECONDS'), 'HOLD_MAX_SECONDS', defaultConfig.holdMaxSeconds);
  if (holdMaxSeconds < lockTtlSeconds) {
    throw new ConfigError(`HOLD_MAX_SECONDS (${holdMaxSeconds}) must be at least LOCK_TTL_SECONDS (${lockTtlSeconds})`);
  }
  const timeouts = defaultConfig.httpTimeouts;
  const headersMs = positiveSeconds(read('HEADERS_TIMEOUT_SECONDS'), 'HEADERS_TIMEOUT_SECONDS', timeouts.headersMs / 1000) * 1000;
  const requestMs = positiveSeconds(read('REQUEST_TIMEOUT_SECONDS'), 'REQUEST_TIMEOUT_SECONDS', timeouts.requestMs / 1000) * 1000;
  if (requestMs < headersMs) {
    throw new ConfigError(`REQUEST_TIMEOUT_SECONDS (${requestMs / 1000}) must be at least HEADERS_TIMEOUT_SECONDS (${headersMs / 1000})`);
  }
  if (read('REDIS_URL') !== undefined && read('REDIS_CLUSTER_NODES') !== undefined) {
    throw new ConfigError('REDIS_URL and REDIS_CLUSTER_NODES are both set: one Redis or one Redis Cluster; set one of them');
  }
  if (read('DATA_FILE') !== undefined && read('REDIS_CLUSTER_NODES') !== undefined) {
    throw new ConfigError('DATA_FILE and REDIS_CLUSTER_NODES are both set: the embedded store keeps DATA_FILE, the Redis store the cluster; set one of them');
  }
  if (read('DATA_FILE') !== undefined && read('REDIS_URL') !== undefined) {
    throw new ConfigError('DATA_FILE and REDIS_URL are both set: the embedded store keeps DATA_FILE, the Redis store REDIS_URL; set one of them');
  }
  return {
    port: integer(read('PORT'), 'PORT', defaultConfig.port, 0, 65_535),
    host: read('HOST') ?? defaultConfig.host,
    lockTtlSeconds,
    holdMaxSeconds,
    maxSeatsPerHold: integer(read('MAX_SEATS_PER_HOLD'), 'MAX_SEATS_PER_HOLD', defaultConfig.maxSeatsPerHold, 1, 10_000),
    maxSeatsPerClient: integer(read('MAX_SEATS_PER_CLIENT'), 'MAX_SEATS_PER_CLIENT', defaultConfig.maxSeatsPerClient, 0, 1_000_000),
    changeLogSize: integer(read('CHANGE_LOG_SIZE'), 'CHANGE_LOG_SIZE', defaultConfig.changeLogSize, 1, 1_000_000),
    eventsFile: read('EVENTS_FILE') ?? null,
    redisUrl: redisUrl(read('REDIS_URL')),
    redisClusterNodes: redisClusterNodes(read('REDIS_CLUSTER_NODES')),
    dataFile: read('DATA_FILE') ?? defaultConfig.dataFile,
    dataSync: dataSync(read('DATA_SYNC')),
    redisKeyPrefix: keyPrefix(read('REDIS_KEY_PREFIX')),
    redisTimeoutMs: positiveSeconds(read('REDIS_TIMEOUT_SECONDS'), 'REDIS_TIMEOUT_SECONDS', defaultConfig.redisTimeoutMs / 1000) * 1000,
    production,
    graphiql: flag(read('GRAPHIQL'), 'GRAPHIQL', !production),
    introspection: flag(read('INTROSPECTION'), 'INTROSPECTION', !production),
    documentLimits: {
      maxDepth: integer(read('MAX_DEPTH'), 'MAX_DEPTH', limits.maxDepth, 1, 1_000),
      maxAliases: integer(read('MAX_ALIASES'), 'MAX_ALIASES', limits.maxAliases, 0, 100_000),
      maxTokens: integer(read('MAX_TOKENS'), 'MAX_TOKENS', limits.maxTokens, 10, 1_000_000),
      maxCost: integer(read('MAX_COST'), 'MAX_COST', limits.maxCost, 1, 100_000_000),
      maxDirectives: integer(read('MAX_DIRECTIVES'), 'MAX_DIRECTIVES', limits.maxDirectives, 0, 10_000),
    },
    lockRate: lockRate(read('LOCK_BURST'), read('LOCKS_PER_MINUTE')),
    clientIdentity: clientIdentity(read('CLIENT_IDENTITY'), read('TRUSTED_PROXY_HOPS')),
    maxSocketsPerClient: integer(read('MAX_SOCKETS_PER_CLIENT'), 'MAX_SOCKETS_PER_CLIENT', defaultConfig.maxSocketsPerClient, 1, 1_000_000),
    maxSubscriptionsPerSocket: integer(
      read('MAX_SUBSCRIPTIONS_PER_SOCKET'),
      'MAX_SUBSCRIPTIONS_PER_SOCKET',
      defaultConfig.maxSubscriptionsPerSocket,
      1,
      10_000,
    ),
    maxSubscriptionBytesPerClient: integer(
      read('MAX_SUBSCRIPTION_BYTES_PER_CLIENT'),
      'MAX_SUBSCRIPTION_BYTES_PER_CLIENT',
      defaultConfig.maxSubscriptionBytesPerClient,
      1_024,
      1_073_741_824,
    ),
    maxReplaysPerClient: integer(read('MAX_REPLAYS_PER_CLIENT'), 'MAX_REPLAYS_PER_CLIENT', defaultConfig.maxReplaysPerClient, 1, 1_000),
    replayMessagesPerSecond: integer(read('REPLAY_MESSAGES_PER_SECOND'), 'REPLAY_MESSAGES_PER_SECOND', defaultConfig.replayMessagesPerSecond, 1, 10_000_000),
    maxEventSeats: integer(read('MAX_EVENT_SEATS'), 'MAX_EVENT_SEATS', defaultConfig.maxEventSeats, 1, 5_000_000),
    corsOrigins: corsOrigins(read('CORS_ORIGINS')),
    adminToken: adminToken(read('ADMIN_TOKEN')),
    metricsPublic: flag(read('METRICS_PUBLIC'), 'METRICS_PUBLIC', defaultConfig.metricsPublic),
    webhooksAllowPrivate: flag(read('WEBHOOKS_ALLOW_PRIVATE'), 'WEBHOOKS_ALLOW_PRIVATE', defaultConfig.webhooksAllowPrivate),
    logLevel: logLevel(read('LOG_LEVEL')),
    httpTimeouts: {
      headersMs,
      requestMs,
      keepAliveMs: positiveSeconds(read('KEEP_ALIVE_TIMEOUT_SECONDS'), 'KEEP_ALIVE_TIMEOUT_SECONDS', timeouts.keepAliveMs / 1000) * 1000,
    },
  };
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function positiveSeconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  // A day is far past any sensible lock; beyond it a typo (ms for s) is likelier than intent.
  if (!/^\d+(\.\d+)?$/.test(value) || parsed <= 0 || parsed > 86_400) {
    throw new ConfigError(`${name} must be a number of seconds above 0 and at most 86400, got "${value}"`);
  }
  return parsed;
}

function redisClusterNodes(value: string | undefined): RedisNode[] | null {
  if (value === undefined) return null;
  return value.split(',').map((entry) => {
    const node = entry.trim();
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(node);
    const port = Number(match?.[2]);
    if (!match?.[1] || port < 1 || port > 65_535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES must be host:port entries separated by commas (10.0.0.1:7000,10.0.0.2:7000), got "${node}"`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

function redisUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`REDIS_URL must be a URL such as redis://127.0.0.1:6379, got "${value}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${value}"`);
  }
  return value;
}

function dataSync(value: string | undefined): DataSync {
  if (value === undefined) return defaultConfig.dataSync;
  if (value === 'normal' || value === 'full') return value;
  throw new ConfigError(`DATA_SYNC must be normal or full, got "${value}"`);
}

function keyPrefix(value: string | undefined): string {
  if (value === undefined) return defaultConfig.redisKeyPrefix;
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(value)) {
    throw new ConfigError(`REDIS_KEY_PREFIX must be 1 to 64 letters, digits, ':', '_' or '-', got "${value}"`);
  }
  return value;
}

function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function lockRate(burst: string | undefined, perMinute: string | undefined): RateLimit | null {
  const fallback = defaultConfig.lockRate ?? { burst: 60, perMinute: 600 };
  const rate = integer(perMinute, 'LOCKS_PER_MINUTE', fallback.perMinute, 0, 100_000_000);
  if (rate === 0) return null;
  return { burst: integer(burst, 'LOCK_BURST', fallback.burst, 1, 100_000_000), perMinute: rate };
}

function adminToken(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(value)) {
    // The token itself is never printed: it may be a real secret with a typo.
    throw new ConfigError(
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces (it has ${value.length}); make one with: openssl rand -base64 32`,
    );
  }
  return value;
}

function corsOrigins(value: string | undefined): AllowedOrigins {
  if (value === undefined) return defaultConfig.corsOrigins;
  if (value === '*') return '*';
  return value.split(',').map((entry) => {
    const origin = entry.trim();
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      // Reported below.
    }
    // An origin is scheme, host and port, exactly as browsers send it in the Origin header.
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError(
        `CORS_ORIGINS must be * or origins such as https://tickets.example.com separated by commas (scheme, host and port only, no path or trailing slash), got "${origin}"`,
      );
    }
    return origin;
  });
}

function logLevel(value: string | undefined): LogLevel {
  if (value === undefined) return defaultConfig.logLevel;
  const level = LOG_LEVELS.find((known) => known === value);
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

/** How many proxies at most stand in front of seatlock (a CDN, then a load balancer: 2). */
const MAX_TRUSTED_PROXY_HOPS = 10;

function clientIdentity(value: string | undefined, hops: string | undefined): ClientIdentity {
  if (value === 'forwarded-for') {
    return { kind: 'forwarded-for', trustedHops: integer(hops, 'TRUSTED_PROXY_HOPS', 1, 1, MAX_TRUSTED_PROXY_HOPS) };
  }
  // Set without forwarded-for it would change nothing, which its writer surely did not mean.
  if (hops !== undefined) throw new ConfigError('TRUSTED_PROXY_HOPS applies only with CLIENT_IDENTITY=forwarded-for');
  if (value === undefined || value === 'ip') return { kind: 'ip' };
  const name = /^header:([A-Za-z0-9-]+)$/.exec(value)?.[1];
  if (name) return { kind: 'header', name: name.toLowerCase() };
  throw new ConfigError(`CLIENT_IDENTITY must be ip, forwarded-for or header:<name>, got "${value}"`);
}
