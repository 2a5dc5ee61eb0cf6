import type { ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it, vi } from 'vitest';
import { SubscriptionMultiplexer } from '../../src/server/subscription-multiplexer.js';

/** A source whose results the test pushes, and which records when it is closed. */
function controlledSource() {
  let push: (result: ExecutionResult) => Promise<unknown> = async () => undefined;
  const closed = vi.fn();
  const source = new Repeater<ExecutionResult>(async (next, stop) => {
    push = next;
    await stop;
    closed();
  });
  return { source, push: (n: number) => push({ data: { n } }), closed };
}

async function take(iterator: AsyncIterator<ExecutionResult>, count: number): Promise<unknown[]> {
  const values: unknown[] = [];
  while (values.length < count) values.push((await iterator.next()).value?.data);
  return values;
}

describe('SubscriptionMultiplexer', () => {
  it('starts a subscription once for all subscribers of one key and gives each every result', async () => {
    const multiplexer = new SubscriptionMultiplexer(10);
    const { source, push, closed } = controlledSource();
    const start = vi.fn(async () => source);
    const members = (await Promise.all([1, 2, 3].map(() => multiplexer.subscribe('k', start, () => undefined)))) as AsyncIterableIterator<ExecutionResult>[];
    expect(start).toHaveBeenCalledTimes(1);

    const reads = members.map((member) => take(member, 2));
    await push(1);
    await push(2);
    for (const read of reads) expect(await read).toEqual([{ n: 1 }, { n: 2 }]);

    await members[0]!.return!();
    await members[1]!.return!();
    expect(closed).not.toHaveBeenCalled();
    expect(multiplexer.size).toBe(1);
    await members[2]!.return!();
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1));
    expect(multiplexer.size).toBe(0);
  });

  it('cuts off a subscriber that stops reading, and only that one', async () => {
    const multiplexer = new SubscriptionMultiplexer(3);
    const { source, push } = controlledSource();
    const slowOverflow = vi.fn();
    const slow = (await multiplexer.subscribe('k', async () => source, slowOverflow)) as AsyncIterableIterator<ExecutionResult>;
    const fast = (await multiplexer.subscribe('k', async () => source, () => undefined)) as AsyncIterableIterator<ExecutionResult>;
    const fastRead = take(fast, 5);
    for (let n = 1; n <= 5; n++) await push(n);

    expect(slowOverflow).toHaveBeenCalledTimes(1);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(await fastRead).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
  });

  it('gives a single error result to its subscriber alone and shares nothing', async () => {
    const multiplexer = new SubscriptionMultiplexer(10);
    const failure: ExecutionResult = { errors: [] };
    expect(await multiplexer.subscribe('k', async () => failure, () => undefined)).toBe(failure);
    expect(multiplexer.size).toBe(0);
  });
});
