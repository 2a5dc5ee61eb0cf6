import type { IncomingMessage } from 'node:http';

/**
 * How a client is recognised for per-client limits: `ip` (the connection's address; the
 * default), `forwarded-for` (the first address of X-Forwarded-For, for a trusted proxy in
 * front), or `header:<name>` (a client id header the app sends, e.g. `header:x-client-id`).
 */
export type ClientIdentity = { readonly kind: 'ip' } | { readonly kind: 'forwarded-for' } | { readonly kind: 'header'; readonly name: string };

type Headers = { get(name: string): string | null } | IncomingMessage['headers'];

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as IncomingMessage['headers'])[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client id of a request: from the Node request when there is one (HTTP and WebSocket),
 * else from the fetch Request's headers (in-process calls). Unknown parts give "unknown".
 */
export function identifyClient(identity: ClientIdentity, request: { req?: IncomingMessage; headers?: Headers }): string {
  const headers = request.req?.headers ?? request.headers;
  switch (identity.kind) {
    case 'header':
      return (headers && header(headers, identity.name)?.trim()) || 'unknown';
    case 'forwarded-for':
      return (headers && header(headers, 'x-forwarded-for')?.split(',')[0]?.trim()) || request.req?.socket.remoteAddress || 'unknown';
    case 'ip':
      return request.req?.socket.remoteAddress ?? 'unknown';
  }
}
