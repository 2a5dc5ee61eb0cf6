import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import { createGraphQLError, createYoga, maskError, useReadinessCheck } from 'graphql-yoga';
import type { Config } from './config.js';
import { StoreUnavailableError } from './domain/errors.js';
import type { EventDefinition } from './domain/model.js';
import { schema } from './schema/index.js';
import type { Context } from './schema/context.js';
import { identifyClient } from './limits/client-identity.js';
import { LockRateLimiter } from './limits/rate-limiter.js';
import { createGraphQLFastPath } from './server/graphql-fast-path.js';
import { useDocumentLimits } from './server/document-limits.js';
import { useNoIntrospection } from './server/no-introspection.js';
import { serveStaticFile } from './server/static-files.js';
import { attachGraphQLWebSocket } from './server/graphql-ws.js';
import { GRAPHIQL_DEFAULT_QUERY } from './server/graphiql.js';
import type { Clock } from './store/clock.js';
import { createMemoryStore } from './store/memory/memory-store.js';
import { createRedisStore } from './store/redis/redis-store.js';
import { createSeatlockPubSub } from './store/pubsub.js';
import type { HoldPolicy, SeatStore } from './store/store.js';
import { demoEvent } from './venue/demo-event.js';
import { readEventsFile } from './venue/events-file.js';

/** No GraphQL request needs more: the largest sensible one is a lockSeats of 10,000 ids. */
const MAX_BODY_BYTES = 1024 * 1024;

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
  const fastPath = createGraphQLFastPath(yoga);
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (Number(request.headers['content-length']) > MAX_BODY_BYTES) {
      const body = JSON.stringify({ errors: [{ message: `Request body larger than ${MAX_BODY_BYTES} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      response.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(body);
      return;
    }
    if (await serveStaticFile(request, response)) return;
    if (fastPath.accepts(request)) await fastPath.handle(request, response);
    else await yoga.handle(request, response);
  };
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      yoga.logger.error(error);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  const webSockets = attachGraphQLWebSocket(server, yoga, {
    identifyClient: (request) => identifyClient(config.clientIdentity, { req: request }),
    maxSocketsPerClient: config.maxSocketsPerClient,
    maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
  });
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    store,
    start: () => listen(server, config).then((origin) => new URL(yoga.graphqlEndpoint, origin)),
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

type Shared = Pick<Context, 'store' | 'pubsub' | 'lockRateLimiter'>;

function createSeatlockYoga(config: Config, shared: Shared) {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    // The Node request (HTTP, the fast path and WebSocket upgrades all pass it as `req`) or,
    // in process, the fetch Request tells who the client is.
    context: (initial): Context => ({
      ...shared,
      clientId: identifyClient(config.clientIdentity, {
        req: initial.req as IncomingMessage | undefined,
        headers: (initial as { request?: Request }).request?.headers,
      }),
    }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS', defaultQuery: GRAPHIQL_DEFAULT_QUERY, title: 'seatlock' } : false,
    // GraphiQL with its assets inlined: yoga's default loads them from a CDN, which a box office
    // without internet access (or a locked-down network) cannot reach. 9 MB of JavaScript, so
    // it is loaded on the first visit, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: config.production ? 'info' : 'warn',
    maskedErrors: { maskError: maskStoreOutage },
    // Parsed documents are cached, syntax errors not: yoga answers a cached syntax error with
    // 200 instead of 400 (graphql-http audit 556A), and the fast path parses first.
    parserAndValidationCache: { errorCache: { get: () => undefined, set: () => undefined } },
    plugins: [
      // Compiles each document once into plain JavaScript: a 100,000-seat map resolves faster
      // than through graphql-js's generic executor. Not for subscriptions: graphql-jit 0.8
      // loses variables whose names differ from the argument's (`seatChanged(eventId: $e)`).
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }),
      useReadinessCheck({ endpoint: '/ready', check: () => shared.store.isReady() }),
      useDocumentLimits(config.documentLimits, { hideSuggestions: config.production }),
      ...(config.introspection ? [] : [useNoIntrospection()]),
    ],
  });
}

/** A store outage keeps a stable code clients can act on; everything else unexpected is masked. */
function maskStoreOutage(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  if (original instanceof StoreUnavailableError) {
    return createGraphQLError(original.message, { extensions: { code: STORE_UNAVAILABLE } });
  }
  return maskError(error, message, isDev);
}

/** The `extensions.code` of errors answered while the store cannot be reached. */
export const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';

function listen(server: Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      const { address, port, family } = server.address() as AddressInfo;
      resolve(`http://${family === 'IPv6' ? `[${address}]` : address}:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still in flight get a moment to finish; then their connections are cut.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
