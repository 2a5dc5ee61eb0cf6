import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import { createGraphQLError, type YogaServerInstance } from 'graphql-yoga';

/** Bodies larger than this are left to yoga, which applies its own limits and errors. */
const MAX_FAST_BODY_BYTES = 64 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * The common request on a busy day, a plain JSON POST of a query or mutation, served without
 * yoga's fetch-API layer (Request, Response, AbortSignal and stream objects per request) but
 * through the same envelop plugins, context, parse and validation caches, and error masking.
 *
 * It takes only requests it can answer exactly as yoga would: POST to the endpoint, a JSON
 * body of a declared length up to 64 KiB, no Origin header (CORS stays yoga's), an Accept
 * header yoga answers with JSON, a single operation that parses, validates and is not a
 * subscription. Anything else, including every error before execution, goes to yoga itself
 * with the body already read.
 */
export function createGraphQLFastPath<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
): {
  /** Whether the request may be tried on the fast path (judged on its headers alone). */
  accepts(request: IncomingMessage): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
} {
  const endpoint = yoga.graphqlEndpoint;

  const fallBack = async (request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await yoga.fetch(`http://${request.headers.host ?? 'localhost'}${request.url ?? endpoint}`, {
      method: request.method ?? 'POST',
      headers,
      body: new Uint8Array(body),
    });
    const responseHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => (responseHeaders[name] = value));
    response.writeHead(answer.status, responseHeaders).end(Buffer.from(await answer.arrayBuffer()));
  };

  return {
    accepts(request) {
      if (request.method !== 'POST' || request.url !== endpoint || request.headers.origin !== undefined) return false;
      const contentType = request.headers['content-type'];
      if (contentType !== 'application/json' && contentType !== 'application/json; charset=utf-8') return false;
      const length = Number(request.headers['content-length']);
      if (!Number.isInteger(length) || length > MAX_FAST_BODY_BYTES) return false;
      const accept = request.headers.accept;
      return accept === undefined || accept === '*/*' || accept === 'application/json' || accept === 'application/graphql-response+json';
    },

    async handle(request, response) {
      const body = await readBody(request, MAX_FAST_BODY_BYTES);
      if (body === null) {
        // More bytes than its Content-Length promised, or a broken request.
        response.writeHead(400, { connection: 'close' }).end();
        return;
      }
      const params = parseParams(body);
      if (!params) return fallBack(request, response, body);

      const { parse, validate, contextFactory, execute, schema } = yoga.getEnveloped({
        req: request,
        res: response,
        params,
      } as never);
      let document: DocumentNode;
      try {
        document = parse(params.query);
      } catch {
        return fallBack(request, response, body);
      }
      try {
        if (validate(schema, document).length > 0) return fallBack(request, response, body);
      } catch {
        // Some validation plugins (graphql-armor's limits) throw instead of reporting.
        return fallBack(request, response, body);
      }
      const operation = getOperationAST(document, params.operationName ?? undefined);
      if (!operation || operation.operation === 'subscription') return fallBack(request, response, body);

      const args: ExecutionArgs = {
        schema,
        document,
        operationName: params.operationName ?? null,
        variableValues: params.variables ?? null,
        contextValue: await contextFactory(),
        rootValue: {},
      };
      const result = (await execute(args)) as ExecutionResult;
      // No data at all: a request error (variables that do not coerce) before anything ran;
      // yoga knows which status each media type wants for it.
      if (result.data === undefined) return fallBack(request, response, body);
      const text = serializeResult(result);
      const type = request.headers.accept === 'application/graphql-response+json' ? GRAPHQL_RESPONSE_TYPE : JSON_TYPE;
      response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
    },
  };
}

/**
 * The response body exactly as yoga writes it: internal error extensions (`http`,
 * `unexpected`) left out, and graphql-jit's compiled stringifier used when it made one.
 * Mirrors yoga's `jsonStringifyResultWithoutInternals`, which graphql-yoga does not export.
 */
function serializeResult(result: ExecutionResult & { stringify?: (value: unknown) => string }): string {
  const stringify = result.stringify ?? JSON.stringify;
  if (!result.errors?.length && !result.extensions?.http) return stringify(result);
  const { http: _http, ...extensions } = result.extensions ?? {};
  return stringify({
    ...result,
    errors: result.errors?.map(withoutInternals),
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}

function withoutInternals(error: GraphQLError): GraphQLError {
  const { http: _http, unexpected: _unexpected, ...extensions } = error.toJSON().extensions ?? {};
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}

/** The whole body, or null if it is larger than `limit` (or the request fails). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    request.once('error', () => resolve(null));
  });
}

/** Params of a single operation, or null for anything yoga should judge (batches, bad types). */
function parseParams(body: Buffer): GraphQLParams | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { query, variables, operationName, extensions, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof query !== 'string') return null;
  const isObjectOrNull = (field: unknown) => field === undefined || field === null || (typeof field === 'object' && !Array.isArray(field));
  if (!isObjectOrNull(variables) || !isObjectOrNull(extensions)) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  return value as GraphQLParams;
}
