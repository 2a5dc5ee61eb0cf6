import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import { createGraphQLError, type YogaServerInstance } from 'graphql-yoga';
import { executionArgs, paramsOfJsonBody } from '../graphql/operation-params.js';
import { respondThroughYoga } from './yoga-bridge.js';

/** Bodies larger than this are left to yoga (a 10,000-seat lockSeats, say): rare, and slow anyway. */
const MAX_FAST_BODY_BYTES = 64 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The common request on a busy day, a plain JSON POST of a query or mutation, served without
 * yoga's fetch-API layer (Request, Response, AbortSignal and stream objects per request) but
 * through the same envelop plugins, context, parse and validation caches, and error masking.
 *
 * It takes only requests it can answer exactly as yoga would: POST to the endpoint, a JSON
 * body up to 64 KiB, an Accept header yoga answers with JSON, a single operation that parses,
 * validates and is not a subscription. Anything else, including every error before execution,
 * goes to yoga itself. The HTTP server has read the body (capped) and set any CORS headers.
 */
export function createGraphQLFastPath<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
): {
  /** Whether the request may be tried on the fast path (judged on its headers alone). */
  accepts(request: IncomingMessage): boolean;
  handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void>;
} {
  const endpoint = yoga.graphqlEndpoint;

  return {
    accepts(request) {
      if (request.method !== 'POST' || request.url !== endpoint) return false;
      const contentType = request.headers['content-type'];
      if (contentType !== 'application/json' && contentType !== 'application/json; charset=utf-8') return false;
      const accept = request.headers.accept;
      return accept === undefined || accept === '*/*' || accept === 'application/json' || accept === 'application/graphql-response+json';
    },

    async handle(request, response, url, body) {
      const fallBack = () => respondThroughYoga(yoga, request, response, url, body);
      if (body.length > MAX_FAST_BODY_BYTES) return fallBack();
      const params = paramsOfJsonBody(body);
      if (!params) return fallBack();

      const { parse, validate, contextFactory, execute, schema } = yoga.getEnveloped({
        req: request,
        res: response,
        params,
      } as never);
      let document: DocumentNode;
      try {
        document = parse(params.query);
      } catch {
        return fallBack();
      }
      try {
        if (validate(schema, document).length > 0) return fallBack();
      } catch {
        // Some validation plugins (graphql-armor's limits) throw instead of reporting.
        return fallBack();
      }
      const operation = getOperationAST(document, params.operationName ?? undefined);
      if (!operation || operation.operation === 'subscription') return fallBack();

      const result = (await execute(executionArgs(schema, document, params, await contextFactory()))) as ExecutionResult;
      // No data at all: a request error (variables that do not coerce) before anything ran;
      // yoga knows which status each media type wants for it.
      if (result.data === undefined) return fallBack();
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
