import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

interface EnvelopedExecutors {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** The graphql-ws endpoint beside HTTP; `close` ends every socket with 1001 (going away). */
export interface GraphQLWebSocketServer {
  readonly sockets: WebSocketServer;
  close(): Promise<void>;
}

/**
 * Serves graphql-ws on yoga's endpoint of `server`. Every operation runs through
 * `yoga.getEnveloped`, so WebSocket operations get the same plugins and context as HTTP ones.
 */
export function attachGraphQLWebSocket<
  TServerContext extends Record<string, unknown>,
  TUserContext extends Record<string, unknown>,
>(server: Server, yoga: YogaServerInstance<TServerContext, TUserContext>): GraphQLWebSocketServer {
  const sockets = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const graphqlWs = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedExecutors).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedExecutors).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
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
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName ?? null,
          document,
          variableValues: params.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedExecutors,
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
