import { getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { makeExecute, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/** How many documents graphql-jit compiles, and after how many runs of one. */
export interface CompiledQueryLimits {
  /** Compiled documents kept at once; the least recently run is dropped first. */
  readonly maxDocuments: number;
  /** A document is compiled on this run; the runs before go through graphql-js. */
  readonly compileOnRun: number;
}

/** The per-operation compiled code of one document (most documents have one operation). */
type CompiledOperations = Map<string, CompiledQuery>;

/**
 * graphql-jit for the documents a server sees again and again: a busy seat map's query compiles
 * to plain JavaScript that resolves 100,000 seats far faster than graphql-js's generic executor.
 *
 * Compiling costs milliseconds and its code and serializers take hundreds of kilobytes per
 * document, so one-off documents (a GraphiQL user's mutation with the hold token written in,
 * a client that builds its query text per request) are not worth it and, kept, would fill the
 * heap: only a document run `compileOnRun` times is compiled, and at most `maxDocuments`
 * compiled documents are kept. Subscriptions are left to graphql-js: graphql-jit 0.8 loses
 * variables whose names differ from the argument's (`seatChanged(eventId: $e)`).
 */
export function useCompiledQueries({ maxDocuments, compileOnRun }: CompiledQueryLimits): Plugin {
  // Counts live as long as the parsed document does (the parse cache bounds how many do).
  const runs = new WeakMap<DocumentNode, number>();
  const compiled = new LRUCache<DocumentNode, CompiledOperations>({ max: maxDocuments });

  const compiledFor = (args: ExecutionArgs): CompiledQuery | null => {
    const name = args.operationName ?? '';
    const known = compiled.get(args.document)?.get(name);
    if (known) return known;
    const run = (runs.get(args.document) ?? 0) + 1;
    runs.set(args.document, run);
    if (run < compileOnRun) return null;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation || operation.operation === 'subscription') return null;
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    // Not compilable (a request error graphql-js reports just as well): run it the usual way.
    if (!isCompiledQuery(result)) return null;
    const operations = compiled.get(args.document) ?? new Map<string, CompiledQuery>();
    operations.set(name, result);
    compiled.set(args.document, operations);
    return result;
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiledFor(args);
      if (!query) return;
      setExecuteFn(
        makeExecute((executeArgs) => {
          const finish = (result: ExecutionResult & { stringify?: (value: unknown) => string }) => {
            // A request error (variables that do not coerce): graphql-js words it as the GraphQL
            // spec does, with locations, the same on every run of the document.
            if (result.data === undefined) return executeFn(executeArgs);
            // The compiled serializer of this document's result shape: the HTTP fast path uses it.
            result.stringify = query.stringify;
            return result;
          };
          // Synchronous when every resolver is: no promise per request for nothing.
          const result = query.query(executeArgs.rootValue, executeArgs.contextValue, executeArgs.variableValues);
          return result instanceof Promise ? result.then(finish) : finish(result);
        }),
      );
    },
  };
}
