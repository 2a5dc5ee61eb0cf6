import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import type { App } from '../../src/app.js';
import { waitUntil } from './wait.js';

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

/** A server whose subscribers can be counted: one in this process, or a process with a public `/metrics`. */
export type CountsSubscribers = { readonly app: Pick<App, 'subscriptions'> } | { readonly url: string };

/** Subscribers the server has now (its own count: joined to a shared subscription). */
async function subscribersOf(server: CountsSubscribers): Promise<number> {
  if ('app' in server) return server.app.subscriptions.counters.subscribers;
  const metrics = await (await fetch(new URL('/metrics', server.url))).text();
  const line = /^seatlock_subscribers (\d+)/m.exec(metrics);
  if (!line) throw new Error(`${server.url} has no public /metrics (METRICS_PUBLIC=true) to count its subscribers`);
  return Number(line[1]);
}

/**
 * Until the server has at least `count` subscribers: graphql-ws has no "subscribed"
 * acknowledgement, so a test that makes a change right after subscribing waits for the server to
 * have taken the subscription, not for a fixed pause.
 */
export async function subscribed(server: CountsSubscribers, count = 1, timeoutMs = 15_000): Promise<void> {
  let now = 0;
  await waitUntil(async () => (now = await subscribersOf(server)) >= count, {
    timeoutMs,
    awaited: () => `${count} subscriber(s) on the server; it has ${now}`,
  });
}
