import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterEach } from 'vitest';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { testEvents } from './events.js';
import { GraphQLHttpClient } from './graphql-client.js';

const disposers: (() => Promise<void>)[] = [];

/** Stops `dispose` after the test (apps, servers and receivers alike), last started first. */
export function disposeAfterTest(dispose: () => Promise<void>): void {
  disposers.push(dispose);
}

// Every app, server and client a test starts is stopped after it, even when it fails.
afterEach(async () => {
  const pending = disposers.splice(0).reverse();
  for (const dispose of pending) await dispose();
});

/** A graphql-ws client of the server at `url` (http or ws), disposed after the test. */
export function wsClientFor(url: string, connectionParams?: Record<string, unknown>): Client {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams });
  disposers.push(async () => {
    await client.dispose();
  });
  return client;
}

export interface InProcessApp {
  readonly app: App;
  /** Talks to the app through `yoga.fetch`, with no socket in between. */
  readonly client: GraphQLHttpClient;
}

/**
 * Tests race many locks from one client: no per-client limits unless a test asks for them;
 * nothing on disk unless a test names a data file.
 */
const testDefaults: Config = { ...defaultConfig, lockRate: null, maxSeatsPerClient: 0, dataFile: ':memory:', logLevel: 'silent' };

/** An app over the test events, reached in process; stopped after the test. */
export function inProcessApp(config: Partial<Config> = {}, options: AppOptions = {}): InProcessApp {
  const app = createApp({ ...testDefaults, ...config }, { events: testEvents(), ...options });
  disposers.push(() => app.stop());
  const client = new GraphQLHttpClient('http://seatlock.test/graphql', async (input, init) => app.yoga.fetch(input, init));
  return { app, client };
}

export interface ListeningApp {
  readonly app: App;
  readonly url: URL;
  readonly client: GraphQLHttpClient;
  /** A graphql-ws client of this server, disposed after the test. */
  wsClient(): Client;
}

/** An app over the test events listening on a free loopback port; stopped after the test. */
export async function listeningApp(config: Partial<Config> = {}, options: AppOptions = {}): Promise<ListeningApp> {
  const app = createApp({ ...testDefaults, port: 0, host: '127.0.0.1', ...config }, { events: testEvents(), ...options });
  disposers.push(() => app.stop());
  const url = await app.start();
  return {
    app,
    url,
    client: new GraphQLHttpClient(url.href),
    wsClient: () => wsClientFor(url.href),
  };
}
