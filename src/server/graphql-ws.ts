import type { Server } from 'node:http';
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
/** Close code for a subscriber that stopped reading (1008: policy violation). */
const CLOSE_TOO_SLOW = 1008;

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
>(server: Server, yoga: YogaServerInstance<TServerContext, TUserContext>): GraphQLWebSocketServer {
  // ws accepts 100 MiB messages by default; no GraphQL message needs more than 1 MiB.
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const multiplexer = new SubscriptionMultiplexer({
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    onSlowSocket: (socket) => socket.close(CLOSE_TOO_SLOW, 'Subscriber too slow'),
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
      onSubscribe: async (ctx, id, params) => {
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
      for (const socket of sockets.clients) socket.close(1001, 'Server shutting down');
      await graphqlWs.dispose();
    },
  };
}
