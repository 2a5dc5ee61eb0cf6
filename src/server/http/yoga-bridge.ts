import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';

/**
 * Hands a Node request whose body is already read (and capped) to yoga, and streams yoga's
 * answer back, waiting for the client to take each chunk. Yoga gets `req` and `res` as its server
 * context, as through `yoga.handle`; the request is aborted when the client goes away.
 */
export async function respondThroughYoga<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: Buffer | null,
): Promise<void> {
  const abort = new AbortController();
  response.once('close', () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = request.method ?? 'GET';
  const answer = await yoga.fetch(
    url.href,
    { method, headers, body: body && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : null, signal: abort.signal },
    { req: request, res: response } as unknown as TServerContext,
  );
  const responseHeaders: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  response.writeHead(answer.status, responseHeaders);
  if (!answer.body) {
    response.end();
    return;
  }
  const reader = answer.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || response.destroyed) break;
      if (!response.write(value)) await drained(response);
    }
  } finally {
    if (response.destroyed) await reader.cancel().catch(() => undefined);
    else response.end();
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
