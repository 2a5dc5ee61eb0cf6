import type { IncomingMessage } from 'node:http';
import type { Config } from './config.js';
import type { EventDefinition } from './domain/model.js';
import { ClientQuota } from './limits/client-quota.js';
import { ReplayBudget } from './limits/replay-budget.js';
import { createClientIdentifier } from './limits/client-identity.js';
import { MemoryLockRateLimiter, type LockRateLimiter } from './limits/rate-limiter.js';
import { RedisLockRateLimiter } from './limits/redis-rate-limiter.js';
import { adminTokenCheck } from './auth/admin-token.js';
import { createLogger, type DestinationStream, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { CorsPolicy } from './server/http/cors.js';
import { attachGraphQLWebSocket } from './server/subscriptions/graphql-ws.js';
import { closeServer, createHttpServer, listen } from './server/http/http.js';
import { SubscriptionMultiplexer } from './server/subscriptions/subscription-multiplexer.js';
import { createSeatlockYoga } from './server/graphql/yoga.js';
import { type Clock, systemClock } from './lib/clock.js';
import { createEmbeddedStore } from './store/embedded/embedded-store.js';
import { WEBHOOK_CONCURRENCY_PER_ENDPOINT, WebhookDeliverer } from './webhooks/deliverer.js';
import { WorkerSender } from './webhooks/worker-sender.js';
import { openSqliteFile } from './store/embedded/sqlite-file.js';
import { createSeatlockPubSub, type SeatlockPubSub } from './store/pubsub.js';
import { describeTarget, type RedisTarget } from './lib/redis-connection.js';
import { createRedisStore } from './store/redis/redis-store.js';
import { demoEvents, fileEvents } from './store/start-events.js';
import type { HoldPolicy, SeatStore } from './store/store.js';
import { demoEvent } from './venue/demo-event.js';
import { readEventsFile } from './venue/events-file.js';

/** How long `start()` waits for the store to serve before it listens anyway. */
const STORE_OPEN_WAIT_MS = 5_000;

/** A subscriber (socket or event stream) with this many bytes not yet sent is cut off. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** What tests (and embedders) may supply instead of what the configuration names. */
export interface AppOptions {
  /** Events to serve instead of `EVENTS_FILE` or the demo event. */
  readonly events?: readonly EventDefinition[];
  /** The time every store goes by (tests move a manual clock); the system's by default. */
  readonly clock?: Clock;
  /** Where log lines go instead of standard output (tests read them). */
  readonly logDestination?: DestinationStream;
  /** `manual`: webhooks are delivered only when a test calls `webhookDeliverer.runOnce()`, after moving its clock. */
  readonly webhookDelivery?: 'auto' | 'manual';
  /**
   * `worker`: webhook requests are made on a worker thread of the lowest priority (the server
   * does so: src/main.ts); `thread`: on the server's own thread (tests in process, whose sources
   * a worker thread could not load). `thread` by default.
   */
  readonly webhookSender?: 'worker' | 'thread';
}

/** A built seatlock server: `start()` listens, `stop()` closes everything it opened. */
export interface App {
  readonly yoga: ReturnType<typeof createSeatlockYoga>;
  readonly store: SeatStore;
  /** The subscriptions running now, each shared by all its WebSocket and SSE subscribers (`counters.subscribers` of them). */
  readonly subscriptions: Pick<SubscriptionMultiplexer, 'size' | 'counters'>;
  /** Listens on the configured host and port; resolves with the GraphQL endpoint URL. @throws ListenError */
  start(): Promise<URL>;
  /** Where the state is kept, in words for the start line: "the data file …", "Redis at …", "memory only". */
  readonly storeDescription: string;
  readonly logger: Logger;
  /** Delivers the store's webhook outbox. */
  readonly webhookDeliverer: WebhookDeliverer;
  /** Closes WebSockets (1001), the HTTP server and the store; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Builds the whole server from its configuration without listening yet.
 * @throws LayoutError when `EVENTS_FILE` is bad or differs from a stored event's layout.
 * @throws DataFileError when `DATA_FILE` cannot be used.
 */
export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = createLogger({ level: config.logLevel, json: config.production }, options.logDestination);
  // WebSockets and SSE streams share both: one execution per distinct subscription, one cap per client.
  const subscriptions = new SubscriptionMultiplexer({
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    replays: new ReplayBudget({ concurrentPerClient: config.maxReplaysPerClient, messagesPerSecond: config.replayMessagesPerSecond }),
  });
  // Made before the store, which may publish as it opens (holds that ran out while it was down);
  // the store and the sockets are read only when /metrics is scraped.
  const metrics = createMetrics({ store: () => store, subscriptions: subscriptions.counters, webSockets: () => webSockets.sockets.clients.size });
  // Every change a store publishes is counted on its way to the subscribers.
  const pubsub = createSeatlockPubSub((change) => metrics.observeChange(change));
  const redis = redisTarget(config);
  const store = createStore(config, redis, options, pubsub, logger);
  const workerSender = options.webhookSender === 'worker' ? new WorkerSender(WEBHOOK_CONCURRENCY_PER_ENDPOINT) : null;
  const webhookDeliverer = new WebhookDeliverer({
    outbox: store.webhooks,
    concurrencyPerEndpoint: WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    send: workerSender?.send,
    clock: options.clock ?? systemClock,
    allowPrivate: config.webhooksAllowPrivate,
    log: logger,
    onOutcome: (outcome) => metrics.observeWebhookOutcome(outcome),
  });
  if (options.webhookDelivery !== 'manual') webhookDeliverer.start();
  const identify = createClientIdentifier(config.clientIdentity, (message) => logger.warn(message));
  const lockRateLimiter = createLockRateLimiter(config, redis, logger, options.clock);
  const yoga = createSeatlockYoga(
    config,
    {
      store,
      pubsub,
      lockRateLimiter,
      layoutLimits: { maxSeats: config.maxEventSeats },
      clock: options.clock ?? systemClock,
      admissionRefused: (eventId) => metrics.observeAdmissionRefused(eventId),
    },
    { identifyClient: identify, logger, plugins: [metrics.plugin] },
  );
  const cors = new CorsPolicy(config.corsOrigins);
  const clientOf = (request: IncomingMessage) => identify({ req: request });
  const connections = new ClientQuota(config.maxSocketsPerClient);
  const subscriptionBytes = new ClientQuota(config.maxSubscriptionBytesPerClient);
  const server = createHttpServer(yoga, {
    cors,
    timeouts: config.httpTimeouts,
    sse: { identifyClient: clientOf, connections, subscriptionBytes, subscriptions },
    metrics: {
      registry: metrics.registry,
      isAdmin: adminTokenCheck(config.adminToken),
      public: config.metricsPublic,
      adminTokenSet: config.adminToken !== null,
    },
    logger,
    identifyClient: clientOf,
  });
  const webSockets = attachGraphQLWebSocket(server, yoga, {
    allowsUpgrade: (request) => cors.allowsUpgrade(request),
    identifyClient: clientOf,
    connections,
    maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
    subscriptionBytes,
    subscriptions,
    logger,
  });
  let stopping: Promise<void> | undefined;
  const storeDescription =
    redis !== null
      ? `${describeTarget(redis)} (keys ${config.redisKeyPrefix}:*)`
      : config.dataFile === ':memory:'
        ? 'memory only (DATA_FILE=:memory:, nothing is kept)'
        : `the data file ${config.dataFile}`;

  return {
    yoga,
    store,
    subscriptions,
    logger,
    storeDescription,
    webhookDeliverer,
    start: async () => {
      // Not before the store serves: on Redis a subscription accepted before the change feed
      // reads would miss what is published meanwhile. A Redis still down after the wait does
      // not stop the start: /ready says 503 until it is back.
      await store.opened(STORE_OPEN_WAIT_MS);
      if (!(await store.isReady())) {
        logger.warn(
          `seatlock: ${storeDescription} does not serve yet (not reachable, or being set up); starting anyway, retrying, and /ready answers 503 until it serves`,
        );
      }
      return new URL(yoga.graphqlEndpoint, await listen(server, config.port, config.host));
    },
    stop: () => {
      stopping ??= (async () => {
        const closed = closeServer(server);
        await webSockets.close();
        await closed;
        await webhookDeliverer.stop();
        await workerSender?.stop();
        await store.close();
        await lockRateLimiter?.close();
        await yoga.dispose();
      })();
      return stopping;
    },
  };
}

/** The second start line: where the pages are, where the state is kept, which events are served. */
export async function describeStart(app: App, url: URL): Promise<string> {
  const events = await app.store.listEvents().catch(() => null);
  const served = events === null ? 'events: not known yet (the store is not answering)' : `events: ${events.map((event) => event.id).join(', ') || 'none'}`;
  return `seatlock: the seat map at ${new URL('/', url).href}, the box office at ${new URL('/admin', url).href}; state in ${app.storeDescription}; ${served}`;
}

/** Where the Redis store keeps its state, if it is the store configured. */
function redisTarget(config: Config): RedisTarget | null {
  if (config.redisClusterNodes !== null) return { clusterNodes: config.redisClusterNodes };
  return config.redisUrl !== null ? { url: config.redisUrl } : null;
}

function createStore(config: Config, redis: RedisTarget | null, options: AppOptions, pubsub: SeatlockPubSub, logger: Logger): SeatStore {
  const configured = options.events ?? (config.eventsFile ? readEventsFile(config.eventsFile, { maxSeats: config.maxEventSeats }) : null);
  const start = configured ? fileEvents(configured) : demoEvents([demoEvent()]);
  const policy = holdPolicy(config);
  if (redis !== null) {
    return createRedisStore({
      start,
      pubsub,
      policy,
      target: redis,
      keyPrefix: config.redisKeyPrefix,
      commandTimeoutMs: config.redisTimeoutMs,
      changeLogSize: config.changeLogSize,
      clock: options.clock,
      log: (message) => logger.warn(message),
    });
  }
  return createEmbeddedStore({
    start,
    pubsub,
    policy,
    changeLogSize: config.changeLogSize,
    clock: options.clock,
    persistence: config.dataFile === ':memory:' ? null : openSqliteFile({ path: config.dataFile, sync: config.dataSync }),
    log: (message) => logger.error(message),
  });
}

/** Per client, kept where the store keeps its state: in Redis, every instance counts against one budget. */
function createLockRateLimiter(config: Config, redis: RedisTarget | null, logger: Logger, clock?: Clock): LockRateLimiter | null {
  if (!config.lockRate) return null;
  const onRefused = (client: string, retryAfterSeconds: number) => logger.info({ client, retryAfterSeconds }, 'refused: a client ran out of lock attempts');
  return redis !== null
    ? new RedisLockRateLimiter(redis, config.redisKeyPrefix, config.lockRate, onRefused, config.redisTimeoutMs, clock)
    : new MemoryLockRateLimiter(config.lockRate, onRefused, clock);
}

function holdPolicy(config: Config): HoldPolicy {
  return {
    lockTtlMs: config.lockTtlSeconds * 1000,
    holdMaxMs: config.holdMaxSeconds * 1000,
    maxSeatsPerHold: config.maxSeatsPerHold,
    maxSeatsPerClient: config.maxSeatsPerClient,
  };
}
