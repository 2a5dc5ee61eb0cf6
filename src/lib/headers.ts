import type { IncomingHttpHeaders } from 'node:http';

/** A request's headers: a Node request's, or a fetch Request's (in-process calls). */
export type RequestHeaders = { get(name: string): string | null } | IncomingHttpHeaders;

/** One header's value (repeated ones joined with ", "), whichever kind of headers they are. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as IncomingHttpHeaders)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
