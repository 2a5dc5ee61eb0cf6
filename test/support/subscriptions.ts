import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';

/** Collects what a graphql-ws subscription yields, so a test can wait for a number of results. */
export class Recorder<TData, TVariables extends Record<string, unknown>> {
  readonly results: FormattedExecutionResult<TData, unknown>[] = [];
  readonly done: Promise<void>;
  private readonly iterator: AsyncIterableIterator<FormattedExecutionResult<TData, unknown>>;

  constructor(client: Client, document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
    const iterator = client.iterate<TData>({ query: print(document), variables });
    this.iterator = iterator;
    this.done = (async () => {
      for await (const result of iterator) this.results.push(result);
    })();
  }

  /** The data of every result so far; fails on a result with errors. */
  get data(): TData[] {
    return this.results.map((result) => {
      if (result.errors?.length || !result.data) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
      return result.data;
    });
  }

  async stop(): Promise<void> {
    await this.iterator.return?.();
    await this.done;
  }
}

/**
 * graphql-ws has no "subscribed" acknowledgement: give the server a moment to run the
 * subscribe resolver before the test makes the changes it expects to see.
 */
export function subscriptionSettled(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 200));
}
