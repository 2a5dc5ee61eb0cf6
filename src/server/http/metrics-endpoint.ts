import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** Who may read `/metrics`, and from where. */
export interface MetricsEndpointOptions {
  readonly registry: Registry;
  /** Whether the request's `Authorization` carries the admin token. */
  readonly isAdmin: (authorization: unknown) => boolean;
  /** `METRICS_PUBLIC=true`: anyone may read them. */
  readonly public: boolean;
  /** Whether an admin token is configured at all (to say what to do when it is not). */
  readonly adminTokenSet: boolean;
}

/**
 * `GET /metrics` in Prometheus text format. Sales figures are in it, so it needs the admin
 * token unless `METRICS_PUBLIC=true`. Answers true when it handled the request.
 */
export async function serveMetrics(request: IncomingMessage, response: ServerResponse, url: URL, options: MetricsEndpointOptions): Promise<boolean> {
  if (url.pathname !== '/metrics') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Use GET.\n');
    return true;
  }
  if (!options.public && !options.isAdmin(request.headers.authorization)) {
    const why = options.adminTokenSet
      ? 'The metrics need the admin token: Authorization: Bearer <ADMIN_TOKEN>.\n'
      : 'The metrics need the admin token, and none is set: set ADMIN_TOKEN, or METRICS_PUBLIC=true to let anyone read them.\n';
    response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' }).end(why);
    return true;
  }
  const text = await options.registry.metrics();
  response.writeHead(200, { 'content-type': options.registry.contentType, 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : text);
  return true;
}
