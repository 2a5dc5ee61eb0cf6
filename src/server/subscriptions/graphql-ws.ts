import type { IncomingMessage, Server } from 'node:http';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientQuota } from '../../limits/client-quota.js';
import { waitAtMost } from '../../lib/wait.js';
import { keepRequestId, requestIdOf, type Logger } from '../../observability/logger.js';
import { executionArgs } from '../graphql/operation-params.js';
import { shareSubscription, startExecution, subscriptionBudgetError, type SharedSubscription } from './shared-subscriptions.js';
import { graphqlWsNext } from './frames.js';
import type { Subscriber, SubscriptionMultiplexer } from './subscription-multiplexer.js';

/** What onSubscribe leaves in `rootValue` for the execute and subscribe calls that follow. */
interface OperationRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** How the operation shares its execution with equal ones (and resumes, if it does). */
  shared: SharedSubscription;
  subscriber: Subscriber;
}

const TEXT_FRAME = { binary: false, compress: false, fin: true } as const;
/** How long clients get to answer the 1001 close at shutdown before their sockets are cut. */
const CLOSE_GRACE_MS = 1_000;
/** How long a too-slow socket may take to read what it was sent and the close, before it is cut. */
const SLOW_SOCKET_GRACE_MS = 5_000;
/** Close code for a subscriber that stopped reading (1008: policy violation). */
const CLOSE_TOO_SLOW = 1008;

/** Who may connect, per-client and per-socket limits, and the shared subscriptions. */
export interface WebSocketOptions {
  /** Whether the page that opens the socket may (browsers send its origin; CORS does not apply). */
  readonly allowsUpgrade: (request: IncomingMessage) => boolean;
  /** Who a socket's client is (from the upgrade request), for the per-client cap. */
  readonly identifyClient: (request: IncomingMessage) => string;
  /** Open connections per client; past its cap, connection_init is refused (4403). */
  readonly connections: ClientQuota;
  /** Operations one socket may run at once; past it, the new one gets an error. */
  readonly maxSubscriptionsPerSocket: number;
  /** Bytes of running subscriptions per client, shared with SSE; past it, the new one gets an error. */
  readonly subscriptionBytes: ClientQuota;
  /** Where subscriptions are executed once and shared (with SSE subscribers too). */
  readonly subscriptions: SubscriptionMultiplexer;
  /** Where refused connections and operations are logged, with the connection's request id. */
  readonly logger: Logger;
}

/** The graphql-ws endpoint beside HTTP; `close` ends every socket with 1001 (going away). */
export interface GraphQLWebSocketServer {
  readonly sockets: WebSocketServer;
  close(): Promise<void>;
}

/**
 * Serves graphql-ws on yoga's endpoint of `server`. Every operation runs through
 * `yoga.getEnveloped`, so WebSocket operations get the same plugins and context as HTTP ones;
 * equal subscriptions share one execution (see {@link SubscriptionMultiplexer}). An upgrade from
 * a page of an origin that is not allowed is refused (403): any web page can open a WebSocket to
 * any server, and would otherwise act with its visitor's address.
 */
export function attachGraphQLWebSocket<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  server: Server,
  yoga: YogaServerInstance<TServerContext, TUserContext>,
  options: WebSocketOptions,
): GraphQLWebSocketServer {
  // Upgrades are handed over here rather than by giving ws the HTTP server: ws would re-emit the
  // server's own errors (a port in use) to graphql-ws, which prints them as its own.
  const sockets = new WebSocketServer({
    noServer: true,
    path: yoga.graphqlEndpoint,
    // ws accepts 100 MiB messages by default; no GraphQL message needs more than 1 MiB.
    maxPayload: 1024 * 1024,
    verifyClient: ({ req }, refuse) => {
      if (options.allowsUpgrade(req)) return refuse(true);
      options.logger.info(
        { reqId: requestIdOf(req), client: options.identifyClient(req), origin: req.headers.origin },
        'refused: a WebSocket from an origin not allowed',
      );
      refuse(false, 403, 'Origin not allowed');
    },
  });
  // What each socket's running subscriptions hold of their client's budget, by operation id.
  const budgets = new WeakMap<WebSocket, Map<string, () => void>>();
  const releaseBudget = (socket: WebSocket, id: string) => {
    const held = budgets.get(socket);
    held?.get(id)?.();
    held?.delete(id);
  };
  server.on('upgrade', (request, socket, head) => {
    sockets.handleUpgrade(request, socket, head, (webSocket) => sockets.emit('connection', webSocket, keptOfUpgrade(request)));
  });
  const graphqlWs = useServer(
    {
      execute: (args) => (args.rootValue as OperationRoot).execute(args) as never,
      subscribe: (args) => {
        const { shared, subscriber, subscribe } = args.rootValue as OperationRoot;
        return options.subscriptions.subscribe(
          shared.key,
          subscriber,
          startExecution(subscribe, args, shared.liveVariables, false),
          shared.resumes ? startExecution(subscribe, args, args.variableValues ?? null, true) : undefined,
        ) as never;
      },
      onConnect: (ctx) => {
        const client = options.identifyClient(ctx.extra.request);
        const release = options.connections.tryTake(client);
        if (!release) {
          options.logger.info({ reqId: requestIdOf(ctx.extra.request), client }, 'refused: too many WebSockets from one client');
          return false;
        }
        const held = new Map<string, () => void>();
        budgets.set(ctx.extra.socket, held);
        ctx.extra.socket.once('close', () => {
          release();
          for (const releaseOne of held.values()) releaseOne();
          held.clear();
        });
        return true;
      },
      // Every operation that got past onSubscribe ends here, however it ends (a socket that
      // closes ends its operations first); one that failed to start closes its socket.
      onComplete: (ctx, id) => releaseBudget(ctx.extra.socket, id),
      onSubscribe: async (ctx, id, params) => {
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerSocket) {
          options.logger.info({ reqId: requestIdOf(ctx.extra.request) }, 'refused: too many operations on one WebSocket');
          return [
            new GraphQLError(`At most ${options.maxSubscriptionsPerSocket} operations may run at once on one socket.`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document);
        } catch (error) {
          // Some validation plugins (graphql-armor's limits) throw instead of reporting.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length > 0) return errors;
        const shared = shareSubscription(document, params);
        const client = options.identifyClient(ctx.extra.request);
        // Before anything is awaited: refused, its variables are garbage at once.
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const release = options.subscriptionBytes.tryTake(client, shared.size);
          if (!release) {
            options.logger.info({ reqId: requestIdOf(ctx.extra.request), client, size: shared.size }, 'refused: a client past its subscription budget');
            return [subscriptionBudgetError(options.subscriptionBytes.maxPerClient)];
          }
          budgets.get(ctx.extra.socket)?.set(id, release);
        }
        const root: OperationRoot = {
          execute,
          subscribe,
          shared,
          subscriber: socketSubscriber(ctx.extra.socket, id, client, () =>
            options.logger.warn({ reqId: requestIdOf(ctx.extra.request) }, 'cut off: a WebSocket subscriber stopped reading'),
          ),
        };
        return executionArgs(schema, document, params, await contextFactory(), root);
      },
    },
    sockets,
  );

  return {
    sockets,
    async close() {
      const open = [...sockets.clients];
      for (const socket of open) socket.close(1001, 'Server shutting down');
      // A client that never answers the close handshake (or stopped reading) is cut off after a
      // moment, so shutting down takes bounded time.
      await waitAtMost(
        Promise.all(open.map((socket) => (socket.readyState === socket.CLOSED ? undefined : new Promise((resolve) => socket.once('close', resolve))))),
        CLOSE_GRACE_MS,
      );
      for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate();
      await graphqlWs.dispose();
    },
  };
}

/**
 * What a socket keeps of its upgrade request for its whole life: graphql-ws holds on to the
 * request it was given, and a whole IncomingMessage (its stream state, raw headers and parser
 * leftovers) costs kilobytes per socket, times ten thousand subscribers. Who the client is
 * (headers, address) and where it came in are all that is read of it later (client identity,
 * the context's admin check), so only those are kept; graphql-ws's type still says
 * IncomingMessage, hence the cast.
 */
function keptOfUpgrade(request: IncomingMessage): IncomingMessage {
  const kept: Pick<IncomingMessage, 'headers' | 'method' | 'url' | 'socket'> = {
    headers: request.headers,
    method: request.method,
    url: request.url,
    socket: request.socket,
  };
  // The connection keeps the id its upgrade request was given (in logs of its operations).
  keepRequestId(kept, requestIdOf(request));
  return kept as IncomingMessage;
}

/** A graphql-ws operation as a subscriber of a shared subscription. */
function socketSubscriber(socket: WebSocket, operationId: string, client: string, onCutOff: () => void): Subscriber {
  return {
    client,
    // Operations with the same id (every client's first subscription is often "1") share bytes.
    frameKey: `ws:${operationId}`,
    frame: (payload) => graphqlWsNext(operationId, payload),
    get writable() {
      return socket.readyState === socket.OPEN;
    },
    get bufferedBytes() {
      return socket.bufferedAmount;
    },
    write: (frame) => socket.send(frame, TEXT_FRAME),
    cutOff: () => {
      onCutOff();
      // The close frame waits behind the unsent bytes; a client that never reads them again is
      // cut off so its buffers are freed.
      socket.close(CLOSE_TOO_SLOW, 'Subscriber too slow');
      setTimeout(() => socket.terminate(), SLOW_SOCKET_GRACE_MS).unref();
    },
  };
}
