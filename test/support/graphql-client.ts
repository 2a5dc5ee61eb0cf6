import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Sends typed documents over GraphQL-over-HTTP, in process (`yoga.fetch`) or over the network. */
export class GraphQLHttpClient {
  constructor(
    private readonly endpoint: string,
    private readonly fetchFn: Fetch = fetch,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same client sending extra headers (a client id, say). */
  withHeaders(headers: Record<string, string>): GraphQLHttpClient {
    return new GraphQLHttpClient(this.endpoint, this.fetchFn, { ...this.headers, ...headers });
  }

  async execute<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<ExecutionResult<TData>> {
    const response = await this.fetchFn(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...this.headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as ExecutionResult<TData>;
  }

  /** The data of a result that must have no errors. */
  async data<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    const result = await this.execute(document, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }
}
