import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DocumentLimits } from '../../config.js';

/**
 * graphql-armor's checks on every document (depth, aliases, tokens, cost, directives) as an
 * envelop plugin, so they guard the WebSocket path exactly as they guard HTTP. With
 * `hideSuggestions`, "Did you mean …?" hints are removed from validation errors.
 */
export function useDocumentLimits(limits: DocumentLimits, { hideSuggestions }: { hideSuggestions: boolean }): Plugin {
  // Report a broken limit as a validation error (a 400 with graphql-response+json) instead of
  // throwing it from the validation rule, which yoga would answer with 200.
  const reported = {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reported },
    maxAliases: { n: limits.maxAliases, ...reported },
    maxTokens: { n: limits.maxTokens },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...reported },
    maxDirectives: { n: limits.maxDirectives, ...reported },
    blockFieldSuggestion: { enabled: hideSuggestions },
  }) as Plugin;
}
