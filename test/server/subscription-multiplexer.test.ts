import type { ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { SubscriptionMultiplexer } from '../../src/server/subscription-multiplexer.js';

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

/** Just enough of a ws socket: what was sent, and how much is still buffered. */
function fakeSocket(bufferedAmount = 0) {
  const sent: unknown[] = [];
  const socket = { OPEN: 1, readyState: 1, bufferedAmount, send: (data: string) => sent.push(JSON.parse(data)) };
  return { socket: socket as unknown as WebSocket, sent, state: socket };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SubscriptionMultiplexer', () => {
  const options = { maxBufferedBytes: 1000, onSlowSocket: () => undefined };

  it('starts a subscription once for all subscribers of one key and writes every result to each', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const { source, push, closed } = controlledSource();
    const start = vi.fn(async () => source);
    const sockets = [fakeSocket(), fakeSocket(), fakeSocket()];
    const members = (await Promise.all(
      sockets.map(({ socket }, index) => multiplexer.subscribe('k', { socket, id: `op-${index}` }, start)),
    )) as AsyncIterableIterator<ExecutionResult>[];
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
    const member = (await multiplexer.subscribe('k', { socket: fakeSocket().socket, id: '1' }, async () => source)) as AsyncIterableIterator<ExecutionResult>;
    const step = member.next();
    end();
    expect(await step).toEqual({ value: undefined, done: true });
  });

  it('hands a socket that stopped reading to onSlowSocket, and only that one', async () => {
    const onSlowSocket = vi.fn();
    const multiplexer = new SubscriptionMultiplexer({ maxBufferedBytes: 1000, onSlowSocket });
    const { source, push } = controlledSource();
    const slow = fakeSocket();
    const fast = fakeSocket();
    const slowMember = (await multiplexer.subscribe('k', { socket: slow.socket, id: 'a' }, async () => source)) as AsyncIterableIterator<ExecutionResult>;
    await multiplexer.subscribe('k', { socket: fast.socket, id: 'b' }, async () => source);
    await push(1);
    slow.state.bufferedAmount = 5000;
    await push(2);
    await push(3);
    await settle();

    expect(onSlowSocket).toHaveBeenCalledTimes(1);
    expect(onSlowSocket).toHaveBeenCalledWith(slow.socket);
    expect(slow.sent).toHaveLength(1);
    expect(await slowMember.next()).toEqual({ value: undefined, done: true });
    expect(fast.sent).toHaveLength(3);
  });

  it('gives a single error result to its subscriber alone and shares nothing', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const failure: ExecutionResult = { errors: [] };
    expect(await multiplexer.subscribe('k', { socket: fakeSocket().socket, id: '1' }, async () => failure)).toBe(failure);
    expect(multiplexer.size).toBe(0);
  });
});
