import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { ClientQuota } from '../../limits/client-quota.js';
import { executionArgs, paramsOfJsonBody, paramsOfSearch, type GraphQLParams } from '../graphql/operation-params.js';
import { resumeVariable, shareSubscription, startExecution, subscriptionBudgetError } from './shared-subscriptions.js';
import { SSE_COMPLETE, SSE_PING, sseNext } from './frames.js';
import type { Subscriber, SubscriptionMultiplexer } from './subscription-multiplexer.js';

/** How often a quiet stream gets a comment line (as yoga does). */
const PING_INTERVAL_MS = 12_000;

export interface SseSubscriptionOptions {
  /** Who a stream's client is, for the per-client cap. */
  readonly identifyClient: (request: IncomingMessage) => string;
  /** Open connections per client, shared with WebSockets. */
  readonly connections: ClientQuota;
  /** Bytes of running subscriptions per client, shared with WebSockets. */
  readonly subscriptionBytes: ClientQuota;
  /** Where subscriptions are executed once and shared (with WebSocket subscribers too). */
  readonly subscriptions: SubscriptionMultiplexer;
}

/**
 * Subscriptions over server-sent events (yoga's format: graphql-sse's distinct connections
 * mode), held to the same rules as WebSockets: counted against the client's connection cap,
 * executed once per distinct subscription whatever the number of streams, and a stream whose
 * reader stops reading is cut off instead of buffering without bound.
 *
 * It serves only what it can serve exactly as yoga would: a subscription that parses, validates
 * and starts. Everything else (queries over SSE, errors before the stream starts) is left to
 * yoga, with nothing sent yet.
 */
export function createSseSubscriptions<TServerContext extends Record<string, unknown>, TUserContext extends Record<string, unknown>>(
  yoga: YogaServerInstance<TServerContext, TUserContext>,
  { identifyClient, connections, subscriptionBytes, subscriptions }: SseSubscriptionOptions,
): {
  /** Whether the request asks for an event stream (judged on its headers alone). */
  accepts(request: IncomingMessage, url: URL): boolean;
  /** Serves the subscription (true), or leaves the request to yoga (false: nothing sent). */
  handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer | null): Promise<boolean>;
} {
  return {
    accepts(request, url) {
      return (
        (request.method === 'GET' || request.method === 'POST') &&
        url.pathname === yoga.graphqlEndpoint &&
        (request.headers.accept ?? '').includes('text/event-stream')
      );
    },

    async handle(request, response, url, body) {
      const parsed = paramsOf(request, url, body);
      if (!parsed) return false;
      let params = parsed;
      const { parse, validate, contextFactory, subscribe, schema } = yoga.getEnveloped({ req: request, res: response, params } as never);
      let document: DocumentNode;
      try {
        document = parse(params.query);
        if (validate(schema, document).length > 0) return false;
      } catch {
        // A syntax error, or a validation plugin (graphql-armor's limits) that throws.
        return false;
      }
      if (getOperationAST(document, params.operationName ?? undefined)?.operation !== 'subscription') return false;
      params = resumingFromLastEventId(request, document, params);

      const client = identifyClient(request);
      const releaseConnection = connections.tryTake(client);
      if (!releaseConnection) {
        return refuse(response, {
          message: `At most ${connections.maxPerClient} connections (WebSockets and event streams) per client.`,
          extensions: { code: 'TOO_MANY_CONNECTIONS' },
        });
      }
      const shared = shareSubscription(document, params);
      const releaseBytes = subscriptionBytes.tryTake(client, shared.size);
      if (!releaseBytes) {
        releaseConnection();
        return refuse(response, subscriptionBudgetError(subscriptionBytes.maxPerClient).toJSON());
      }
      const release = () => {
        releaseBytes();
        releaseConnection();
      };
      const args = executionArgs(schema, document, params, await contextFactory());
      let source: AsyncIterable<ExecutionResult> | ExecutionResult;
      try {
        source = await subscriptions.subscribe(
          shared.key,
          streamSubscriber(response, client),
          startExecution(subscribe, args, shared.liveVariables, false),
          shared.resumes ? startExecution(subscribe, args, params.variables ?? null, true) : undefined,
        );
      } catch (error) {
        release();
        throw error;
      }
      // An error result (an unknown event) instead of a stream: yoga words it.
      if (!(Symbol.asyncIterator in source)) {
        release();
        return false;
      }
      await stream(response, source, release);
      return true;
    },
  };
}

/** A refusal before the stream starts: 429, as the client may try again once it holds less. */
function refuse(response: ServerResponse, error: object): true {
  response.writeHead(429, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [error] }));
  return true;
}

async function stream(response: ServerResponse, member: AsyncIterable<ExecutionResult>, release: () => void): Promise<void> {
  const iterator = member[Symbol.asyncIterator]();
  const ping = setInterval(() => {
    if (response.writableLength === 0) response.write(SSE_PING);
  }, PING_INTERVAL_MS).unref();
  const end = () => {
    clearInterval(ping);
    release();
    void iterator.return?.();
  };
  // A client gone while the subscription started has had its 'close' already.
  if (response.destroyed) return end();
  response.once('close', end);
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    connection: 'keep-alive',
    'cache-control': 'no-cache',
    'content-encoding': 'none',
  });
  // Some browsers do not show a stream until its first bytes arrive.
  response.write(SSE_PING);
  // The member yields nothing (results are written by the multiplexer); it ends when the
  // subscription does, or when the stream closes.
  while (!(await iterator.next()).done);
  if (!response.destroyed && !response.writableEnded) response.end(SSE_COMPLETE);
}

/** An SSE stream as a subscriber of a shared subscription. */
function streamSubscriber(response: ServerResponse, client: string): Subscriber {
  return {
    client,
    frameKey: 'sse',
    frame: sseNext,
    get writable() {
      return !response.destroyed && !response.writableEnded;
    },
    get bufferedBytes() {
      return response.writableLength;
    },
    write: (frame) => void response.write(frame),
    // A reader that stopped reading gets nothing more: its connection is closed at once, and an
    // EventSource that is still alive reconnects and reads the seat map afresh.
    cutOff: () => response.destroy(),
  };
}

/**
 * An EventSource that reconnects sends the id of the last event it got: the subscription
 * resumes after it, when its document takes `afterVersion` from a variable.
 */
function resumingFromLastEventId(request: IncomingMessage, document: DocumentNode, params: GraphQLParams): GraphQLParams {
  const lastEventId = request.headers['last-event-id'];
  if (typeof lastEventId !== 'string' || !/^\d{1,15}$/.test(lastEventId)) return params;
  const variable = resumeVariable(document, params.operationName);
  if (variable === null) return params;
  return { ...params, variables: { ...params.variables, [variable]: Number(lastEventId) } };
}

/** A GET's params from its query string, a POST's from its JSON body; null for anything else. */
function paramsOf(request: IncomingMessage, url: URL, body: Buffer | null): GraphQLParams | null {
  if (request.method === 'GET') return paramsOfSearch(url.searchParams);
  const json = (request.headers['content-type'] ?? '').startsWith('application/json');
  return body && json ? paramsOfJsonBody(body) : null;
}
