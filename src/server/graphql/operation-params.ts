import type { DocumentNode, ExecutionArgs, GraphQLSchema } from 'graphql';

/** GraphQL over HTTP's request parameters, as every transport receives an operation. */
export interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * The params of a JSON body holding a single operation, or null for anything yoga should judge
 * itself (batches, unknown keys, wrong types) and word its error.
 */
export function paramsOfJsonBody(body: Buffer): GraphQLParams | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { query, variables, operationName, extensions, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof query !== 'string') return null;
  if (!isObjectOrNull(variables) || !isObjectOrNull(extensions)) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  return value as GraphQLParams;
}

/** The params of a GET's query string, or null when they are not well formed (yoga words that). */
export function paramsOfSearch(search: URLSearchParams): GraphQLParams | null {
  const query = search.get('query');
  if (query === null) return null;
  const variables = jsonObject(search.get('variables'));
  const extensions = jsonObject(search.get('extensions'));
  if (variables === undefined || extensions === undefined) return null;
  return { query, variables, operationName: search.get('operationName'), extensions };
}

/** The arguments to execute or subscribe to a parsed, validated operation. */
export function executionArgs(
  schema: GraphQLSchema,
  document: DocumentNode,
  params: GraphQLParams,
  contextValue: unknown,
  rootValue: unknown = {},
): ExecutionArgs {
  return {
    schema,
    document,
    operationName: params.operationName ?? null,
    variableValues: params.variables ?? null,
    contextValue,
    rootValue,
  };
}

/** A JSON object, null when absent, undefined when it is not a JSON object. */
function jsonObject(text: string | null): Record<string, unknown> | null | undefined {
  if (text === null || text === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObjectOrNull(value) ? (value as Record<string, unknown> | null) : undefined;
  } catch {
    return undefined;
  }
}

function isObjectOrNull(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}
