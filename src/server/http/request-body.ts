import type { IncomingMessage } from 'node:http';

/** Why a body was not read whole. */
export type UnreadBody = 'too-large' | 'broken';

/**
 * Reads a request's whole body, counting the bytes that actually arrive (chunked bodies declare
 * no length), and stops at `limit`: a body one byte larger is never held in memory.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer | UnreadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Not a byte more is kept; the caller decides what becomes of the rest.
        request.off('data', onData);
        request.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', () => resolve('broken'));
  });
}
