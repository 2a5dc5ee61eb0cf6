import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Config } from '../../src/config.js';
import { redisAvailable } from './prerequisites.js';
import { TEST_REDIS_TIMEOUT_SECONDS, tempDataFile } from './processes.js';

/** A key prefix no other test uses, so tests sharing one Redis never see each other's state. */
export function uniqueKeyPrefix(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** Every store the contract suites run against; `config()` selects it, fresh for each app. */
export const storeKinds: readonly { readonly name: string; readonly config: () => Partial<Config> }[] = (
  [
    { name: 'memory', config: () => ({ dataFile: ':memory:' }) },
    { name: 'durable', config: () => ({ dataFile: tempDataFile() }) },
    {
      name: 'redis',
      config: () => ({ redisUrl: inject('redisUrl'), redisKeyPrefix: uniqueKeyPrefix(), redisTimeoutMs: TEST_REDIS_TIMEOUT_SECONDS * 1000 }),
    },
  ] as const
).filter((kind) => kind.name !== 'redis' || redisAvailable);
