import { createServer, ServerResponse, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { YogaServerInstance } from 'graphql-yoga';
import type { HttpTimeouts } from '../../config.js';
import { REQUEST_ID_HEADER, requestIdOf, type Logger } from '../../observability/logger.js';
import type { CorsPolicy } from './cors.js';
import { createGraphQLFastPath } from './graphql-fast-path.js';
import { serveMetrics, type MetricsEndpointOptions } from './metrics-endpoint.js';
import { readRequestBody } from './request-body.js';
import { createSseSubscriptions, type SseSubscriptionOptions } from '../subscriptions/sse-subscriptions.js';
import { serveStaticFile } from './static-files.js';
import { respondThroughYoga } from './yoga-bridge.js';

/** No GraphQL request needs more: the largest sensible one is a lockSeats of 10,000 ids. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Health and readiness probes: their answers are not logged as failures. */
const PROBES: ReadonlySet<string> = new Set(['/health', '/ready']);
/** How often Node looks for requests past their headers or request timeout. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** How long the rest of a refused body is read and dropped, so its sender sees the 413. */
const REFUSED_BODY_LINGER_MS = 2_000;

/** What the HTTP server needs beside yoga. */
export interface HttpServerOptions {
  readonly cors: CorsPolicy;
  readonly timeouts: HttpTimeouts;
  /** Subscriptions over server-sent events: shared executions and per-client caps. */
  readonly sse: SseSubscriptionOptions;
  readonly metrics: MetricsEndpointOptions;
  /** Where refused requests (a 4xx or 5xx answer) are logged, with the request's id. */
  readonly logger: Logger;
  /** Who the client of a request is, for the log. */
  readonly identifyClient: (request: IncomingMessage) => string;
}

/**
 * The Node HTTP server. Every request is checked before anything runs: a target and Host that
 * make a URL (400), CORS (preflights answered here), a body of at most 1 MiB counted as it
 * arrives, whatever its framing (413). Then the seat-map page, SSE subscriptions, plain JSON
 * POSTs on the fast path, and everything else to yoga. WebSockets are attached separately.
 */
export function createHttpServer<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
  options: HttpServerOptions,
): Server {
  const fastPath = createGraphQLFastPath(yoga);
  const sse = createSseSubscriptions(yoga, options.sse);
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = requestUrl(request);
    if (!url) return refuse(response, 400, 'BAD_REQUEST', 'The request target or Host header is not valid.');
    if (options.cors.handle(request, response)) return;
    if (Number(request.headers['content-length']) > MAX_BODY_BYTES) return refuseTooLarge(request, response);
    let body: Buffer | null = null;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const read = await readRequestBody(request, MAX_BODY_BYTES);
      if (read === 'too-large') return refuseTooLarge(request, response);
      if (read === 'broken') return void response.destroy();
      body = read;
    }
    if (request.method === 'GET' || request.method === 'HEAD') forbidFraming(response);
    if (await serveMetrics(request, response, url, options.metrics)) return;
    if (await serveStaticFile(request, response)) return;
    if (sse.accepts(request, url) && (await sse.handle(request, response, url, body))) return;
    if (body && fastPath.accepts(request)) await fastPath.handle(request, response, url, body);
    else await respondThroughYoga(yoga, request, response, url, body);
  };
  const { headersMs, requestMs, keepAliveMs } = options.timeouts;
  const { logger, identifyClient } = options;

  /**
   * Every answer of 400 or more is logged and carries the request's id (`X-Request-Id`), in the
   * one place all answers pass; answers that succeed cost nothing for it (no listener, no id).
   */
  class LoggedResponse extends ServerResponse<IncomingMessage> {
    override writeHead(statusCode: number, ...rest: unknown[]): this {
      if (statusCode >= 400) {
        const reqId = requestIdOf(this.req);
        this.setHeader(REQUEST_ID_HEADER, reqId);
        // The path only: a GET's query string may carry variables (hold tokens).
        const path = (this.req.url ?? '').split('?')[0] ?? '';
        const entry = { reqId, client: identifyClient(this.req), method: this.req.method, path, status: statusCode };
        // A probe's 503 is the answer it asks for, not a failure: a load balancer asking every
        // second through an outage would fill the log (the store says once what is wrong).
        if (PROBES.has(path)) logger.debug(entry, 'probe answered');
        else if (statusCode >= 500) logger.error(entry, 'request failed');
        else logger.info(entry, 'request refused');
      }
      // Whichever of its two forms it was called in, it is passed on as it came.
      return super.writeHead(statusCode, ...(rest as [OutgoingHttpHeaders?]));
    }
  }

  return createServer(
    // Node's defaults let a client that sends headers or a body a byte at a time hold its
    // connection for a minute or more; these are the deadlines docs/operating.md "Security and limits" names.
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      keepAliveTimeout: keepAliveMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      ServerResponse: LoggedResponse,
    },
    (request, response) => {
      route(request, response).catch((error: unknown) => {
        logger.error({ reqId: requestIdOf(request), err: error }, 'request failed');
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
    },
  );
}

/**
 * No page of seatlock (the seat map, the box office, GraphiQL) may be shown inside another
 * site's frame: a page that frames the box office could make an operator click what it hides
 * under its own buttons. Both headers, for browsers that know only the older one.
 */
function forbidFraming(response: ServerResponse): void {
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('content-security-policy', "frame-ancestors 'none'");
}

/** The request's URL, or null when its target or Host header cannot make one. */
function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  } catch {
    return null;
  }
}

/**
 * Answers 413, then reads and drops what the client still sends: a client (a browser) that is
 * still uploading when the connection closes under it sees a reset, not the answer. Nothing is
 * kept; a client still sending after a moment is cut off.
 */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse): void {
  respondWithError(response, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${MAX_BODY_BYTES} bytes.`);
  if (request.complete) return;
  const cut = setTimeout(() => request.socket.destroy(), REFUSED_BODY_LINGER_MS).unref();
  request.once('end', () => clearTimeout(cut)).once('close', () => clearTimeout(cut));
  request.resume();
}

/** A request refused before it reaches GraphQL; the connection is closed after the answer. */
function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  respondWithError(response, status, code, message, { connection: 'close' });
}

function respondWithError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(body);
}

/** The server could not listen where it was told to; the message says why and what to do. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** Listens; resolves with the origin (`http://host:port`) actually bound. @throws ListenError */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE') reject(new ListenError(`${where} is already in use (another seatlock, or another server): stop it, or set PORT`));
      else if (error.code === 'EACCES') reject(new ListenError(`${where} needs privileges this process does not have: set PORT above 1023`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new ListenError(`${where}: no such address on this machine: check HOST`));
      else reject(error);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
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
