import type { Config } from './config.js';
import type { EventDefinition } from './domain/model.js';
import { identifyClient } from './limits/client-identity.js';
import { LockRateLimiter } from './limits/rate-limiter.js';
import { attachGraphQLWebSocket } from './server/graphql-ws.js';
import { closeServer, createHttpServer, listen } from './server/http.js';
import { createSeatlockYoga } from './server/yoga.js';
import type { Clock } from './store/clock.js';
import { createMemoryStore } from './store/memory/memory-store.js';
import { createSeatlockPubSub } from './store/pubsub.js';
import { createRedisStore } from './store/redis/redis-store.js';
import type { HoldPolicy, SeatStore } from './store/store.js';
import { demoEvent } from './venue/demo-event.js';
import { readEventsFile } from './venue/events-file.js';

/** What tests (and embedders) may supply instead of what the configuration names. */
export interface AppOptions {
  /** Events to serve instead of `EVENTS_FILE` or the demo event. */
  readonly events?: readonly EventDefinition[];
  readonly clock?: Clock;
}

/** A built seatlock server: `start()` listens, `stop()` closes everything it opened. */
export interface App {
  readonly yoga: ReturnType<typeof createSeatlockYoga>;
  readonly store: SeatStore;
  /** Listens on the configured host and port; resolves with the GraphQL endpoint URL. */
  start(): Promise<URL>;
  /** Closes WebSockets (1001), the HTTP server and the store; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Builds the whole server from its configuration without listening yet.
 * @throws LayoutError when `EVENTS_FILE` is bad.
 */
export function createApp(config: Config, options: AppOptions = {}): App {
  const events = options.events ?? (config.eventsFile ? readEventsFile(config.eventsFile) : [demoEvent()]);
  const pubsub = createSeatlockPubSub();
  const policy = holdPolicy(config);
  const store =
    config.redisUrl === null
      ? createMemoryStore({ events, pubsub, policy, clock: options.clock })
      : createRedisStore({ events, pubsub, policy, url: config.redisUrl, keyPrefix: config.redisKeyPrefix });
  const lockRateLimiter = config.lockRate && new LockRateLimiter(config.lockRate);
  const yoga = createSeatlockYoga(config, { store, pubsub, lockRateLimiter });
  const server = createHttpServer(yoga);
  const webSockets = attachGraphQLWebSocket(server, yoga, {
    identifyClient: (request) => identifyClient(config.clientIdentity, { req: request }),
    maxSocketsPerClient: config.maxSocketsPerClient,
    maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
  });
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    store,
    start: () => listen(server, config.port, config.host).then((origin) => new URL(yoga.graphqlEndpoint, origin)),
    stop: () => {
      stopping ??= (async () => {
        const closed = closeServer(server);
        await webSockets.close();
        await closed;
        await store.close();
        await yoga.dispose();
      })();
      return stopping;
    },
  };
}

function holdPolicy(config: Config): HoldPolicy {
  return {
    lockTtlMs: config.lockTtlSeconds * 1000,
    holdMaxMs: config.holdMaxSeconds * 1000,
    maxSeatsPerHold: config.maxSeatsPerHold,
    maxSeatsPerClient: config.maxSeatsPerClient,
  };
}
