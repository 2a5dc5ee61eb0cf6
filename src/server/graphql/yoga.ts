import type { IncomingMessage } from 'node:http';
import { createGraphQLError, createYoga, maskError, useReadinessCheck, type Plugin } from 'graphql-yoga';
import { adminTokenCheck } from '../../auth/admin-token.js';
import type { Config } from '../../config.js';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../../domain/errors.js';
import type { RequestToIdentify } from '../../limits/client-identity.js';
import { requestIdOf, requestLog, yogaLogging, type Logger } from '../../observability/logger.js';
import type { Context } from '../../schema/context.js';
import { schema } from '../../schema/index.js';
import { useCompiledQueries } from './compiled-queries.js';
import { createDocumentCache } from './document-cache.js';
import { useDocumentLimits } from './document-limits.js';
import { graphiqlDefaultQueryFor } from './graphiql.js';
import { useNoFormBodies } from './no-form-bodies.js';
import { useNoIntrospection } from './no-introspection.js';
import { useSpecStatusForRequestErrors } from './request-error-status.js';

/**
 * Per-document memory is bounded: what a server must keep for documents it may see again, not
 * what a client can make it keep by sending distinct ones (docs/operating.md "Security and limits").
 */
const DOCUMENT_CACHE = { maxDocuments: 256, maxSourceLength: 1024 * 1024 } as const;
const COMPILED_QUERIES = { maxDocuments: 64, compileOnRun: 3 } as const;

/** What every request's context shares; who asks (client id, admin or not) is added per request. */
export type SharedContext = Pick<Context, 'store' | 'pubsub' | 'lockRateLimiter' | 'layoutLimits' | 'clock' | 'admissionRefused'>;

/** How the yoga server tells clients apart, and where it logs. */
export interface YogaOptions {
  readonly identifyClient: (request: RequestToIdentify) => string;
  readonly logger: Logger;
  /** Envelop plugins from outside the GraphQL layer (metrics). */
  readonly plugins?: readonly Plugin[];
}

/** The yoga server of seatlock: schema, context, plugins and error masking, for every transport. */
export function createSeatlockYoga(config: Config, shared: SharedContext, { identifyClient, logger, plugins = [] }: YogaOptions) {
  const isAdminToken = adminTokenCheck(config.adminToken);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    // The Node request (HTTP, the fast path and WebSocket upgrades all pass it as `req`) or,
    // in process, the fetch Request tells who the client is; on a WebSocket the admin token
    // comes in the connection_init payload, as browsers cannot set headers on one.
    context: (initial): Context => {
      const req = initial.req as IncomingMessage | undefined;
      const request = (initial as { request?: Request }).request;
      const headers = request?.headers;
      const connectionParams = (initial as { connectionParams?: Record<string, unknown> }).connectionParams;
      const authorization = connectionParams ? connectionParams.authorization : (req?.headers.authorization ?? headers?.get('authorization'));
      const clientId = identifyClient({ req, headers });
      const asked = req ?? request;
      const log = requestLog(logger, () => ({ reqId: asked ? requestIdOf(asked) : undefined, client: clientId }));
      // Written out, not spread: one object shape, built fast on every request.
      return {
        store: shared.store,
        pubsub: shared.pubsub,
        lockRateLimiter: shared.lockRateLimiter,
        layoutLimits: shared.layoutLimits,
        clock: shared.clock,
        admissionRefused: shared.admissionRefused,
        webhooksAllowPrivate: config.webhooksAllowPrivate,
        clientId,
        isAdmin: isAdminToken(authorization),
        log,
        // Details never carry `name`: pino's readable output prints it as the logger's name.
        audit: (action, details) => log.info({ action, ...details }, `admin: ${action}`),
      };
    },
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // CORS is the HTTP server's (see cors.ts), for every route and transport alike.
    cors: false,
    // No file uploads, so no multipart bodies (a form any site can send).
    multipart: false,
    // Its first operations name an event this server serves, not always the demo's.
    graphiql: config.graphiql
      ? async () => ({ subscriptionsProtocol: 'WS' as const, defaultQuery: await graphiqlDefaultQueryFor(shared.store), title: 'seatlock' })
      : false,
    // GraphiQL with its assets inlined: yoga's default loads them from a CDN, which a box office
    // without internet access (or a locked-down network) cannot reach. 9 MB of JavaScript, so
    // it is loaded on the first visit, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: yogaLogging(logger),
    maskedErrors: { maskError: maskStoreOutage },
    // Parsed documents are cached, syntax errors not: yoga answers a cached syntax error with
    // 200 instead of 400 (graphql-http audit 556A), and the fast path parses first.
    // Validation results live as long as their parsed document, so this bounds them too.
    parserAndValidationCache: {
      documentCache: createDocumentCache(DOCUMENT_CACHE),
      errorCache: { get: () => undefined, set: () => undefined },
    },
    plugins: [
      useCompiledQueries(COMPILED_QUERIES),
      useNoFormBodies(),
      useSpecStatusForRequestErrors(),
      useReadinessCheck({ endpoint: '/ready', check: () => shared.store.isReady() }),
      useDocumentLimits(config.documentLimits, { hideSuggestions: config.production }),
      ...(config.introspection ? [] : [useNoIntrospection()]),
      ...plugins,
    ],
  });
}

/** A store outage keeps a stable code clients can act on; everything else unexpected is masked. */
function maskStoreOutage(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  if (original instanceof StoreUnavailableError) {
    return createGraphQLError(original.message, { extensions: { code: STORE_UNAVAILABLE } });
  }
  if (original instanceof StoreOutcomeUnknownError) {
    return createGraphQLError(original.message, { extensions: { code: STORE_OUTCOME_UNKNOWN, ...original.made } });
  }
  return maskError(error, message, isDev);
}

/** The `extensions.code` of errors answered while the store cannot be reached (nothing changed). */
export const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';
/** The `extensions.code` of a change sent to the store that did not answer: look before retrying. */
export const STORE_OUTCOME_UNKNOWN = 'STORE_OUTCOME_UNKNOWN';
