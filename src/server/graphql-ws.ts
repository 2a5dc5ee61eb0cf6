import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { SubscriptionMultiplexer } from './subscription-multiplexer.js';

/** What onSubscribe leaves in `rootValue` for the execute and subscribe calls that follow. */
interface OperationRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** Operations with equal keys share one execution (same document, name and variables). */
  sharingKey: string;
  socket: WebSocket;
  operationId: string;
}

/** A socket with this many bytes waiting to be sent is disconnected, not buffered further. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long clients get to answer the 1001 close at shutdown before their sockets are cut. */
const CLOSE_GRACE_MS = 1_000;
/** How long a too-slow socket may take to read what it was sent and the close, before it is cut. */
const SLOW_SOCKET_GRACE_MS = 5_000;
/** Close code for a subscriber that stopped reading (1008: policy violation). */
const CLOSE_TOO_SLOW = 1008;

/** Per-client and per-socket limits of the WebSocket endpoint. */
export interface WebSocketLimits {
  /** Who a socket's client is (from the upgrade request), for the per-client socket cap. */
  readonly identifyClient: (request: IncomingMessage) => string;
  /** Sockets one client may have open; past it, connection_init is refused (4403). */
  readonly maxSocketsPerClient: number;
  /** Operations one socket may run at once; past it, the new one gets an error. */
  readonly maxSubscriptionsPerSocket: number;
}

/** The graphql-ws endpoint beside HTTP; `close` ends every socket with 1001 (going away). */
export interface GraphQLWebSocketServer {
  readonly sockets: WebSocketServer;
  close(): Promise<void>;
}

/**
 * Serves graphql-ws on yoga's endpoint of `server`. Every operation runs through
 * `yoga.getEnveloped`, so WebSocket operations get the same plugins and context as HTTP ones;
 * equal subscriptions share one execution (see {@link SubscriptionMultiplexer}).
 */
export function attachGraphQLWebSocket<
  TServerContext extends Record<string, unknown>,
  TUserContext extends Record<string, unknown>,
>(server: Server, yoga: YogaServerInstance<TServerContext, TUserContext>, limits: WebSocketLimits): GraphQLWebSocketServer {
  // ws accepts 100 MiB messages by default; no GraphQL message needs more than 1 MiB.
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const socketsPerClient = new Map<string, number>();
  const multiplexer = new SubscriptionMultiplexer({
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    onSlowSocket: (socket) => {
      // The close frame waits behind the unsent bytes; a client that never reads them again is
      // cut off so its buffers are freed.
      socket.close(CLOSE_TOO_SLOW, 'Subscriber too slow');
      setTimeout(() => socket.terminate(), SLOW_SOCKET_GRACE_MS).unref();
    },
  });
  const graphqlWs = useServer(
    {
      execute: (args) => (args.rootValue as OperationRoot).execute(args) as never,
      subscribe: (args) => {
        const root = args.rootValue as OperationRoot;
        return multiplexer.subscribe(
          root.sharingKey,
          { socket: root.socket, id: root.operationId },
          async () => (await root.subscribe(args)) as ExecutionResult | AsyncIterable<ExecutionResult>,
        ) as never;
      },
      onConnect: (ctx) => {
        const client = limits.identifyClient(ctx.extra.request);
        const open = socketsPerClient.get(client) ?? 0;
        if (open >= limits.maxSocketsPerClient) return false;
        socketsPerClient.set(client, open + 1);
        ctx.extra.socket.once('close', () => {
          const left = (socketsPerClient.get(client) ?? 1) - 1;
          if (left > 0) socketsPerClient.set(client, left);
          else socketsPerClient.delete(client);
        });
        return true;
      },
      onSubscribe: async (ctx, id, params) => {
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [new GraphQLError(`At most ${limits.maxSubscriptionsPerSocket} operations may run at once on one socket.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document;
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
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName ?? null,
          document,
          variableValues: params.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: {
            execute,
            subscribe,
            sharingKey: `${params.operationName ?? ''}\n${JSON.stringify(params.variables ?? null)}\n${params.query}`,
            socket: ctx.extra.socket,
            operationId: id,
          } satisfies OperationRoot,
        };
        return args;
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
      await Promise.race([
        Promise.all(open.map((socket) => (socket.readyState === socket.CLOSED ? undefined : new Promise((resolve) => socket.once('close', resolve))))),
        new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
      ]);
      for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate();
      await graphqlWs.dispose();
    },
  };
}
