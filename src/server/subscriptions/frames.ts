/**
 * The bytes subscribers are sent, for every transport, in one place: a result is serialized once
 * (as JSON text) and framed here for each protocol.
 */

/** A graphql-transport-ws `next` message of operation `operationId`, carrying a result given as JSON text. */
export function graphqlWsNext(operationId: string, payload: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(operationId)},"type":"next","payload":${payload}}`);
}

/**
 * A server-sent `next` event (yoga's format: graphql-sse's distinct connections mode), its `id`
 * the version of the change it carries: an EventSource that reconnects sends it back as
 * Last-Event-ID, and the stream resumes after it.
 */
export function sseNext(payload: string, version: number | null): Buffer {
  return Buffer.from(`event: next\n${version === null ? '' : `id: ${version}\n`}data: ${payload}\n\n`);
}

/** A comment line: keeps proxies and browsers from timing out a quiet stream. */
export const SSE_PING = Buffer.from(':\n\n');

/** The end of a stream whose subscription completed. */
export const SSE_COMPLETE = Buffer.from('event: complete\ndata:\n\n');
