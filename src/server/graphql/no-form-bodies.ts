import type { Plugin } from 'graphql-yoga';

/**
 * The body types a browser sends cross-site without asking the server first (a "simple
 * request": an HTML form, a multipart form, `fetch` with `mode: 'no-cors'`). Any web page can
 * make its visitors' browsers POST these to seatlock, even to a box office's 127.0.0.1.
 */
const SIMPLE_REQUEST_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Refuses POST bodies of the simple-request types with 415 before any operation runs, so no
 * page of another site can lock, confirm or release seats through its visitors' browsers. Every
 * GraphQL client sends JSON, which a browser only sends cross-site after a CORS preflight that
 * the server answers for listed origins alone.
 */
export function useNoFormBodies(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'POST') return;
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!SIMPLE_REQUEST_TYPES.has(mediaType)) return;
      const body = JSON.stringify({
        errors: [
          {
            message: `Request bodies of type ${mediaType} are not accepted: send application/json.`,
            extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
          },
        ],
      });
      endResponse(new fetchAPI.Response(body, { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    },
  };
}
