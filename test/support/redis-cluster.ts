import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { RedisNode } from '../../src/lib/redis-connection.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

/** A real Redis Cluster of three masters (no replicas) on free loopback ports, of the test's own. */
export interface RedisCluster {
  readonly nodes: readonly RedisNode[];
  /** `REDIS_CLUSTER_NODES` for it. */
  readonly env: string;
  /** The index in `nodes` of the master that serves `key`'s slot. */
  masterOf(key: string): Promise<number>;
  /** Stops one master (SIGTERM; its append-only file is flushed). */
  stopNode(index: number): Promise<void>;
  /** Starts a stopped master again; resolves once the cluster says it is whole. */
  restartNode(index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const servers: RedisServer[] = [];
  for (let index = 0; index < 3; index++) servers.push(await startRedisServer({ cluster: true, appendOnly: true }));
  const nodes = servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  const addresses = nodes.map(({ host, port }) => `${host}:${port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
  await clusterOk(nodes);
  return {
    nodes,
    env: addresses.join(','),
    async masterOf(key) {
      const probe = new Redis(nodes[0]?.port ?? 0, '127.0.0.1');
      try {
        const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
        const owner = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
        return nodes.findIndex((node) => node.port === owner);
      } finally {
        probe.disconnect();
      }
    },
    async stopNode(index) {
      await servers[index]?.stop();
    },
    async restartNode(index) {
      await servers[index]?.restart();
      await clusterOk(nodes);
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}

/** Until every node says `cluster_state:ok` (the slots are all served and known everywhere). */
async function clusterOk(nodes: readonly RedisNode[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const states = await Promise.all(
      nodes.map(async ({ host, port }) => {
        const probe = new Redis(port, host, { maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => undefined);
        try {
          return String(await probe.call('CLUSTER', 'INFO')).includes('cluster_state:ok');
        } catch {
          return false;
        } finally {
          probe.disconnect();
        }
      }),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
