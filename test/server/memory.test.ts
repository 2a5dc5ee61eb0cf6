import { describe, expect, it } from 'vitest';
import { runScript } from '../support/processes.js';

/**
 * What 2,000 distinct documents may leave on the heap after a full GC: the bounded parse cache
 * (256 documents) and compiled-query cache (64) at their fullest. Measured with 5,000: about
 * 29 MB. Before the bounds, 1,000 such documents left 720 MB. 2,000 is already six times what the
 * caches keep, and takes a third of the time: 5,000 took 28 s alone and over 80 s on a machine
 * kept busy by test:stress.
 */
const MAX_HEAP_GROWTH_BYTES = 64 * 1024 * 1024;

describe('memory per document', () => {
  it('stays bounded however many distinct documents clients send', { timeout: 180_000 }, async () => {
    const run = await runScript(new URL('../support/heap-probe.ts', import.meta.url), ['2000'], { nodeOptions: ['--expose-gc'] });
    expect(run.code, run.stderr).toBe(0);
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { before: number; after: number };
    expect(after - before).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  });
});
