import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** One Redis node of a cluster, as `REDIS_CLUSTER_NODES` names it. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Where the Redis store keeps its state: one Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: readonly RedisNode[] };

/** A connection to either; every key of one event is in one hash slot, so each command goes to one node. */
export type RedisClient = Redis | Cluster;

/**
 * Connects to `target` with `options` for every node. On a cluster the options apply per node,
 * and the cluster itself neither queues commands while it is down (unless the options say so)
 * nor waits longer between attempts to find its nodes than a lone Redis would.
 */
export function connectRedis(target: RedisTarget, options: RedisOptions): RedisClient {
  if ('url' in target) return new Redis(target.url, options);
  const { enableOfflineQueue, enableAutoPipelining, retryStrategy, ...perNode } = options;
  return new Cluster(
    target.clusterNodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: perNode,
      enableOfflineQueue: enableOfflineQueue ?? true,
      enableAutoPipelining: enableAutoPipelining ?? false,
      clusterRetryStrategy: retryStrategy ? (attempt) => retryStrategy(attempt) ?? null : undefined,
      // A master that is down answers CLUSTERDOWN for its slots: fail the call (the store answers
      // STORE_UNAVAILABLE) instead of retrying it while the buyer waits.
      retryDelayOnClusterDown: 0,
      // Only masters: a replica may not have a change yet.
      scaleReads: 'master',
    },
  );
}

/** `REDIS_URL`'s password left out, or the cluster's nodes, for logs and the start line. */
export function describeTarget(target: RedisTarget): string {
  if ('clusterNodes' in target) return `the Redis Cluster at ${target.clusterNodes.map(({ host, port }) => `${host}:${port}`).join(', ')}`;
  const parsed = new URL(target.url);
  if (parsed.password) parsed.password = '***';
  return `Redis at ${parsed.href}`;
}
