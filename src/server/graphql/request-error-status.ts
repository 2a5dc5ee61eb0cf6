import type { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Gives request errors found at execution (variables that do not coerce) the status the
 * GraphQL-over-HTTP spec asks for, as yoga already does for syntax and validation errors: 400 for
 * `application/graphql-response+json`, 200 for `application/json` (clients of that older media
 * type read errors from the body). Without it yoga answers both with 400. A hook of yoga's HTTP
 * pipeline only: the fast path hands every request error to yoga, and WebSockets have no status.
 */
export function useSpecStatusForRequestErrors(): Plugin {
  return {
    onExecutionResult({ result }) {
      if (result === undefined || isAsyncIterable(result) || 'data' in result) return;
      for (const error of result.errors ?? []) {
        const http = (error as GraphQLError).extensions?.http as { status?: number; spec?: boolean } | undefined;
        if (http?.status === 400) http.spec ??= true;
      }
    },
  };
}
