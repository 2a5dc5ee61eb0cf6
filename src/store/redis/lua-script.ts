import { createHash } from 'node:crypto';
import type { RedisClient } from '../../lib/redis-connection.js';

/**
 * A Lua script called by its SHA. A Redis that does not know it (restarted, or a cluster node
 * that never ran it) answers NOSCRIPT, and the script is sent whole with EVAL: routed by its
 * first key like EVALSHA, it reaches the very node that lacked it, which caches it from then on.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
