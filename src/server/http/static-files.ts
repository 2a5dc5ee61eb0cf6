import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
// The browser build of graphql-ws, served as it is installed: the page needs no bundler and no CDN.
const GRAPHQL_WS_DIR = dirname(createRequire(import.meta.url).resolve('graphql-ws'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
  '/seat-grid.js': 'seat-grid.js',
  '/live.js': 'live.js',
  '/queue.js': 'queue.js',
  '/standing-areas.js': 'standing-areas.js',
  '/area-panel.js': 'area-panel.js',
  '/money.js': 'money.js',
  '/operations.js': 'operations.js',
  '/admin': 'admin.html',
  '/admin.js': 'admin.js',
  '/admin.css': 'admin.css',
  '/favicon.svg': 'favicon.svg',
  '/favicon.ico': 'favicon.svg',
};

const VENDOR_PREFIX = '/vendor/graphql-ws/';

/** Where a GET path is on disk, for the seat-map page and its scripts; undefined for others. */
function fileFor(path: string): string | undefined {
  const page = PAGE_FILES[path];
  if (page) return join(WEB_DIR, page);
  if (path.startsWith(VENDOR_PREFIX)) {
    const name = path.slice(VENDOR_PREFIX.length);
    // Only the client and its chunks, by plain file name: nothing else of node_modules.
    if (/^(client|common-[\w-]+)\.js$/.test(name)) return join(GRAPHQL_WS_DIR, name);
  }
  return undefined;
}

/** Serves the live seat-map page at `/`; answers false when the request is not for it. */
export async function serveStaticFile(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const file = fileFor(path);
  if (!file) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  response.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
