import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AllowedOrigins } from '../../config.js';

/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Cross-origin rules for every route, applied before the request reaches yoga or the fast path
 * (yoga's own CORS is off). No origin is allowed unless listed, and credentials (cookies) are
 * never allowed: seatlock does not use them, so a listed origin gains nothing a script of that
 * page could not send itself.
 *
 * A browser only lets a page read an answer, or send a JSON POST at all (it needs a preflight),
 * when these headers say so. Bodies a page can send without a preflight (forms, multipart, plain
 * text) are refused elsewhere, before any operation runs; WebSockets, which CORS does not cover,
 * are checked with {@link allowsUpgrade}.
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly anyOrigin: boolean;

  constructor(allowed: AllowedOrigins) {
    this.anyOrigin = allowed === '*';
    this.origins = new Set(allowed === '*' ? [] : allowed);
  }

  /** Whether pages of `origin` may call the API cross-site. `null` (sandboxed pages) never may. */
  allowsOrigin(origin: string): boolean {
    if (origin === 'null') return false;
    return this.anyOrigin || this.origins.has(origin);
  }

  /**
   * Whether a WebSocket upgrade may proceed: sent by something other than a browser page (no
   * Origin), by a page of this server's own origin, or by an allowed origin.
   */
  allowsUpgrade(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    return this.allowsOrigin(origin) || isSameOrigin(origin, request.headers.host);
  }

  /**
   * Answers a preflight (true: the response is sent) or adds the headers an allowed origin's
   * page needs to read the answer to come (false: route the request on).
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return false;
    const allowed = this.allowsOrigin(origin);
    if (!this.anyOrigin) response.setHeader('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      if (!allowed) {
        response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`Origin ${origin} may not call this API (CORS_ORIGINS).`);
        return true;
      }
      const requestedHeaders = request.headers['access-control-request-headers'];
      response
        .writeHead(204, {
          ...this.allowOriginHeader(origin),
          'access-control-allow-methods': 'GET, POST',
          ...(requestedHeaders && /^[\w\-, ]*$/.test(requestedHeaders) ? { 'access-control-allow-headers': requestedHeaders } : {}),
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        })
        .end();
      return true;
    }
    if (allowed) for (const [name, value] of Object.entries(this.allowOriginHeader(origin))) response.setHeader(name, value);
    return false;
  }

  private allowOriginHeader(origin: string): Record<string, string> {
    return { 'access-control-allow-origin': this.anyOrigin ? '*' : origin };
  }
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
