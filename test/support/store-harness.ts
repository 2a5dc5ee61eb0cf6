import { afterAll, beforeAll, inject } from 'vitest';
import type { Clock } from '../../src/lib/clock.js';
import { createEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { openSqliteFile } from '../../src/store/embedded/sqlite-file.js';
import type { SeatlockPubSub } from '../../src/store/pubsub.js';
import type { StartEvents } from '../../src/store/start-events.js';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import type { HoldPolicy, SeatStore } from '../../src/store/store.js';
import { redisAvailable } from './prerequisites.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { fastOnly } from './speed.js';
import { TEST_REDIS_TIMEOUT_SECONDS, tempDataFile } from './processes.js';
import { uniqueKeyPrefix } from './stores.js';

export interface StoreParts {
  /** Its start events (EVENTS_FILE's, unless a test asks for the demo policy). */
  readonly start: StartEvents;
  readonly pubsub: SeatlockPubSub;
  readonly policy: HoldPolicy;
  readonly clock: Clock;
  /** 10,000 (the default) unless a test needs a small log. */
  readonly changeLogSize?: number;
}

/** One store's data, opened directly (no server): again after a close, where it keeps any. */
export interface StoreHarness {
  open(parts: StoreParts): SeatStore;
  /** Releases what the harness holds beyond the store (data files go with the test file). */
  dispose(): void;
}

export interface StoreKind {
  readonly name: string;
  /** Starts what its stores need (a Redis Cluster) once for a test file; resolves with its disposer. */
  readonly prepare?: () => Promise<() => Promise<void>>;
  /** Whether a closed store can be opened again with its data (not the in-memory one). */
  readonly reopens: boolean;
  /** Whether the store publishes in the step that applied a change (Redis does through a stream). */
  readonly publishesInStep: boolean;
  harness(): StoreHarness;
}

/** Every store, for the store-level contract suite and model test. */
export const storeKindsDirect: readonly StoreKind[] = (
  [
    {
      name: 'memory',
      reopens: false,
      publishesInStep: true,
      harness: () => ({ open: (parts) => createEmbeddedStore({ changeLogSize: 10_000, ...parts }), dispose: () => undefined }),
    },
    {
      name: 'durable',
      reopens: true,
      publishesInStep: true,
      harness: () => {
        const path = tempDataFile();
        return {
          open: (parts) => createEmbeddedStore({ changeLogSize: 10_000, ...parts, persistence: openSqliteFile({ path, sync: 'normal' }) }),
          dispose: () => undefined,
        };
      },
    },
    {
      name: 'redis',
      reopens: true,
      publishesInStep: false,
      harness: () => {
        const keyPrefix = uniqueKeyPrefix();
        return {
          open: (parts) =>
            createRedisStore({
              changeLogSize: 10_000,
              ...parts,
              target: { url: inject('redisUrl') },
              keyPrefix,
              commandTimeoutMs: TEST_REDIS_TIMEOUT_SECONDS * 1000,
            }),
          dispose: () => undefined,
        };
      },
    },
    clusterKind(),
  ] as const satisfies readonly StoreKind[]
)
  .filter((kind) => (kind.name !== 'redis' && kind.name !== 'cluster') || redisAvailable)
  .filter((kind) => kind.name !== 'cluster' || !fastOnly);

/** A Redis Cluster of three masters, started by `prepare` for the test file that runs it. */
function clusterKind(): StoreKind {
  let cluster: RedisCluster | null = null;
  return {
    name: 'cluster',
    reopens: true,
    publishesInStep: false,
    prepare: async () => {
      cluster = await startRedisCluster();
      return async () => {
        await cluster?.stop();
        cluster = null;
      };
    },
    harness: () => {
      const keyPrefix = uniqueKeyPrefix();
      return {
        open: (parts) => {
          if (!cluster) throw new Error('the cluster store kind was not prepared (beforeAll: kind.prepare())');
          return createRedisStore({
            changeLogSize: 10_000,
            ...parts,
            target: { clusterNodes: cluster.nodes },
            keyPrefix,
            commandTimeoutMs: TEST_REDIS_TIMEOUT_SECONDS * 1000,
          });
        },
        dispose: () => undefined,
      };
    },
  };
}

/** Starts what the kind's stores need (a Redis Cluster) before the file's tests, and stops it after them. */
export function prepareStoreKind(kind: StoreKind): void {
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    dispose = await kind.prepare?.();
  }, 60_000);
  afterAll(async () => {
    await dispose?.();
  });
}
