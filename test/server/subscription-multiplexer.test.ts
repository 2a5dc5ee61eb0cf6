import type { ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it, vi } from 'vitest';
import { SubscriptionMultiplexer, type Subscriber } from '../../src/server/subscription-multiplexer.js';

/** A source whose results the test pushes, and which records when it is closed. */
function controlledSource() {
  let push: (result: ExecutionResult) => Promise<unknown> = async () => undefined;
  let finish: () => void = () => undefined;
  const closed = vi.fn();
  const source = new Repeater<ExecutionResult>(async (next, stop) => {
    push = next;
    finish = () => stop();
    await stop;
    closed();
  });
  return { source, push: (n: number) => push({ data: { n } }), end: () => finish(), closed };
}

/** A subscriber that frames results as graphql-ws does and records what it was sent. */
function fakeSubscriber(id: string) {
  const sent: unknown[] = [];
  const state = { bufferedBytes: 0, cutOff: vi.fn() };
  const subscriber: Subscriber = {
    frameKey: id,
    frame: (payload) => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`),
    writable: true,
    get bufferedBytes() {
      return state.bufferedBytes;
    },
    write: (frame) => void sent.push(JSON.parse(frame.toString())),
    cutOff: () => state.cutOff(),
  };
  return { subscriber, sent, state };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SubscriptionMultiplexer', () => {
  const options = { maxBufferedBytes: 1000 };

  it('starts a subscription once for all subscribers of one key and writes every result to each', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const { source, push, closed } = controlledSource();
    const start = vi.fn(async () => source);
    const sockets = [fakeSubscriber('op-0'), fakeSubscriber('op-1'), fakeSubscriber('op-2')];
    const members = (await Promise.all(sockets.map(({ subscriber }) => multiplexer.subscribe('k', subscriber, start)))) as AsyncIterableIterator<ExecutionResult>[];
    expect(start).toHaveBeenCalledTimes(1);

    await push(1);
    await push(2);
    await settle();
    sockets.forEach(({ sent }, index) =>
      expect(sent).toEqual([
        { id: `op-${index}`, type: 'next', payload: { data: { n: 1 } } },
        { id: `op-${index}`, type: 'next', payload: { data: { n: 2 } } },
      ]),
    );

    await members[0]!.return!();
    await members[1]!.return!();
    expect(closed).not.toHaveBeenCalled();
    await members[2]!.return!();
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1));
    expect(multiplexer.size).toBe(0);
  });

  it('finishes every subscriber when the shared subscription ends', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const { source, end } = controlledSource();
    const member = (await multiplexer.subscribe('k', fakeSubscriber('1').subscriber, async () => source)) as AsyncIterableIterator<ExecutionResult>;
    const step = member.next();
    end();
    expect(await step).toEqual({ value: undefined, done: true });
  });

  it('cuts off a subscriber that stopped reading, and only that one', async () => {
    const multiplexer = new SubscriptionMultiplexer({ maxBufferedBytes: 1000 });
    const { source, push } = controlledSource();
    const slow = fakeSubscriber('a');
    const fast = fakeSubscriber('b');
    const slowMember = (await multiplexer.subscribe('k', slow.subscriber, async () => source)) as AsyncIterableIterator<ExecutionResult>;
    await multiplexer.subscribe('k', fast.subscriber, async () => source);
    await push(1);
    slow.state.bufferedBytes = 5000;
    await push(2);
    await push(3);
    await settle();

    expect(slow.state.cutOff).toHaveBeenCalledTimes(1);
    expect(fast.state.cutOff).not.toHaveBeenCalled();
    expect(slow.sent).toHaveLength(1);
    expect(await slowMember.next()).toEqual({ value: undefined, done: true });
    expect(fast.sent).toHaveLength(3);
  });

  it('gives a single error result to its subscriber alone and shares nothing', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const failure: ExecutionResult = { errors: [] };
    expect(await multiplexer.subscribe('k', fakeSubscriber('1').subscriber, async () => failure)).toBe(failure);
    expect(multiplexer.size).toBe(0);
  });
});
