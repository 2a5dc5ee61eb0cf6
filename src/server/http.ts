import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { YogaServerInstance } from 'graphql-yoga';
import { createGraphQLFastPath } from './graphql-fast-path.js';
import { serveStaticFile } from './static-files.js';

/** No GraphQL request needs more: the largest sensible one is a lockSeats of 10,000 ids. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Node HTTP server: oversized bodies refused (413), the seat-map page, plain JSON POSTs on
 * the fast path, everything else to yoga. WebSockets are attached to it separately.
 */
export function createHttpServer<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
): Server {
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
  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      yoga.logger.error(error);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
}

/** Listens; resolves with the origin (`http://host:port`) actually bound. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { address, port: bound, family } = server.address() as AddressInfo;
      resolve(`http://${family === 'IPv6' ? `[${address}]` : address}:${bound}`);
    });
  });
}

/** Stops accepting; requests in flight get 2 s to finish, then their connections are cut. */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
