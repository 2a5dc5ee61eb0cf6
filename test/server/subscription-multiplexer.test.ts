import type { ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it, vi } from 'vitest';
import { ReplayBudget } from '../../src/limits/replay-budget.js';
import type { ChangeStreamProbe } from '../../src/schema/context.js';
import { SubscriptionMultiplexer, type Execution, type Subscriber } from '../../src/server/subscriptions/subscription-multiplexer.js';
import { ManualClock } from '../support/clock.js';

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
  const probe: ChangeStreamProbe = { lastVersion: null, replayOnly: false };
  return {
    source,
    probe,
    execution: (): Execution => ({ source, probe }),
    push: (n: number) => push({ data: { n } }),
    /** A result of the change of version `n`, as the resolver reports it. */
    pushVersion: (n: number) => {
      probe.lastVersion = n;
      return push({ data: { n } });
    },
    end: () => finish(),
    closed,
  };
}

const single = (result: ExecutionResult): Execution => ({ source: result, probe: { lastVersion: null, replayOnly: false } });

/** A subscriber that frames results as graphql-ws does and records what it was sent. */
function fakeSubscriber(id: string, client = 'client-1') {
  const sent: unknown[] = [];
  const state = { bufferedBytes: 0, cutOff: vi.fn() };
  const subscriber: Subscriber = {
    client,
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

/** Replays unpaced: at most 100 at once, a million messages a second. */
const unpaced = () => new ReplayBudget({ concurrentPerClient: 100, messagesPerSecond: 1_000_000 });

describe('SubscriptionMultiplexer', () => {
  const options = {
    maxBufferedBytes: 1000,
    get replays() {
      return unpaced();
    },
  };

  it('starts a subscription once for all subscribers of one key and writes every result to each', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const { execution, push, closed } = controlledSource();
    const start = vi.fn(async () => execution());
    const sockets = [fakeSubscriber('op-0'), fakeSubscriber('op-1'), fakeSubscriber('op-2')];
    const members = (await Promise.all(
      sockets.map(({ subscriber }) => multiplexer.subscribe('k', subscriber, start)),
    )) as AsyncIterableIterator<ExecutionResult>[];
    expect(start).toHaveBeenCalledTimes(1);

    await push(1);
    await push(2);
    for (const { sent } of sockets) await vi.waitFor(() => expect(sent).toHaveLength(2));
    for (const [index, { sent }] of sockets.entries()) {
      expect(sent).toEqual([
        { id: `op-${index}`, type: 'next', payload: { data: { n: 1 } } },
        { id: `op-${index}`, type: 'next', payload: { data: { n: 2 } } },
      ]);
    }

    await members[0]!.return!();
    await members[1]!.return!();
    expect(closed).not.toHaveBeenCalled();
    await members[2]!.return!();
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1));
    expect(multiplexer.size).toBe(0);
  });

  it('finishes every subscriber when the shared subscription ends', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const { execution, end } = controlledSource();
    const member = (await multiplexer.subscribe('k', fakeSubscriber('1').subscriber, async () => execution())) as AsyncIterableIterator<ExecutionResult>;
    const step = member.next();
    end();
    expect(await step).toEqual({ value: undefined, done: true });
  });

  it('cuts off a subscriber that stopped reading, and only that one', async () => {
    const multiplexer = new SubscriptionMultiplexer({ maxBufferedBytes: 1000, replays: unpaced() });
    const { execution, push } = controlledSource();
    const slow = fakeSubscriber('a');
    const fast = fakeSubscriber('b');
    const slowMember = (await multiplexer.subscribe('k', slow.subscriber, async () => execution())) as AsyncIterableIterator<ExecutionResult>;
    await multiplexer.subscribe('k', fast.subscriber, async () => execution());
    await push(1);
    slow.state.bufferedBytes = 5000;
    await push(2);
    await push(3);
    await vi.waitFor(() => expect(fast.sent).toHaveLength(3));

    expect(slow.state.cutOff).toHaveBeenCalledTimes(1);
    expect(fast.state.cutOff).not.toHaveBeenCalled();
    expect(slow.sent).toHaveLength(1);
    expect(await slowMember.next()).toEqual({ value: undefined, done: true });
    expect(fast.sent).toHaveLength(3);
  });

  it('splices a resuming subscriber in: its replay, then what the shared execution yielded meanwhile above it, once', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const live = controlledSource();
    const watcher = fakeSubscriber('w');
    await multiplexer.subscribe('k', watcher.subscriber, async () => live.execution());
    await live.pushVersion(2);

    const replay = controlledSource();
    replay.probe.lastVersion = null;
    const resuming = fakeSubscriber('r');
    await multiplexer.subscribe(
      'k',
      resuming.subscriber,
      async () => live.execution(),
      async () => replay.execution(),
    );
    // Live changes 3 to 5 come while the replay (of 2 to 4) is still being read.
    await live.pushVersion(3);
    await live.pushVersion(4);
    await live.pushVersion(5);
    await vi.waitFor(() => expect(watcher.sent).toHaveLength(4));
    // Held back until its replay has been read: the order below shows nothing went ahead of it.
    expect(resuming.sent).toEqual([]);
    for (const version of [2, 3, 4]) await replay.pushVersion(version);
    replay.end();
    await vi.waitFor(() => expect(resuming.sent).toHaveLength(4));
    await live.pushVersion(6);
    await vi.waitFor(() => expect(resuming.sent).toHaveLength(5));
    await vi.waitFor(() => expect(watcher.sent).toHaveLength(5));

    expect(resuming.sent.map((frame) => (frame as { payload: { data: { n: number } } }).payload.data.n)).toEqual([2, 3, 4, 5, 6]);
    expect(watcher.sent.map((frame) => (frame as { payload: { data: { n: number } } }).payload.data.n)).toEqual([2, 3, 4, 5, 6]);
    expect(multiplexer.size).toBe(1);
  });

  it('gives a resume that fails (a version no longer kept) its error alone, and keeps the shared execution for the others', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const live = controlledSource();
    const watcher = fakeSubscriber('w');
    await multiplexer.subscribe('k', watcher.subscriber, async () => live.execution());
    const failure: ExecutionResult = { errors: [] };
    const answer = await multiplexer.subscribe(
      'k',
      fakeSubscriber('r').subscriber,
      async () => live.execution(),
      async () => single(failure),
    );
    expect(answer).toBe(failure);
    await live.pushVersion(1);
    await vi.waitFor(() => expect(watcher.sent).toHaveLength(1));
    expect(live.closed).not.toHaveBeenCalled();
  });

  it('gives a single error result to its subscriber alone and shares nothing', async () => {
    const multiplexer = new SubscriptionMultiplexer(options);
    const failure: ExecutionResult = { errors: [] };
    expect(await multiplexer.subscribe('k', fakeSubscriber('1').subscriber, async () => single(failure))).toBe(failure);
    expect(multiplexer.size).toBe(0);
  });

  /** The numbers a subscriber was sent, in order. */
  const numbers = (sent: unknown[]) => sent.map((frame) => (frame as { payload: { data: { n: number } } }).payload.data.n);

  it("paces a client's replays: two at once, the rest in turn, at its rate over all of them; another client has its own budget", async () => {
    const clock = new ManualClock();
    const multiplexer = new SubscriptionMultiplexer({
      maxBufferedBytes: 1_000_000,
      replays: new ReplayBudget({ concurrentPerClient: 2, messagesPerSecond: 10 }, clock, clock.sleep),
    });
    const live = controlledSource();
    const resume = (subscriber: Subscriber) => {
      const replay = controlledSource();
      const started = vi.fn(async () => replay.execution());
      void multiplexer.subscribe('k', subscriber, async () => live.execution(), started);
      return { replay, started };
    };
    const storm = [fakeSubscriber('1', 'storm'), fakeSubscriber('2', 'storm'), fakeSubscriber('3', 'storm')];
    const [first, second, third] = storm.map(({ subscriber }) => resume(subscriber));
    const other = fakeSubscriber('4', 'other');
    const others = resume(other.subscriber);
    await vi.waitFor(() => expect([first, second, third, others].map((one) => one?.started.mock.calls.length)).toEqual([1, 1, 0, 1]));

    // 15 changes each: the client's bucket (10 a second) is shared by its two replays.
    for (let version = 1; version <= 15; version++) {
      void first?.replay.pushVersion(version);
      void second?.replay.pushVersion(version);
      void others.replay.pushVersion(version);
    }
    await vi.waitFor(() => expect(storm[0]!.sent.length + storm[1]!.sent.length).toBe(10));
    await vi.waitFor(() => expect(other.sent).toHaveLength(10));
    expect(clock.sleeping).toBeGreaterThan(0);
    clock.advance(1_000);
    await vi.waitFor(() => expect(storm[0]!.sent.length + storm[1]!.sent.length).toBe(20));
    await vi.waitFor(() => expect(other.sent).toHaveLength(15));
    clock.advance(1_000);
    await vi.waitFor(() => expect(storm[0]!.sent.length + storm[1]!.sent.length).toBe(30));
    expect(numbers(storm[0]!.sent)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));

    // The third starts once one of the two has ended.
    expect(third?.started).not.toHaveBeenCalled();
    first?.replay.end();
    await vi.waitFor(() => expect(third?.started).toHaveBeenCalledTimes(1));
  });

  it('pauses a replay while its subscriber has not read what it was sent, instead of cutting it off', async () => {
    const multiplexer = new SubscriptionMultiplexer({ maxBufferedBytes: 1000, replays: unpaced() });
    const live = controlledSource();
    const replay = controlledSource();
    const reader = fakeSubscriber('r');
    await multiplexer.subscribe(
      'k',
      reader.subscriber,
      async () => live.execution(),
      async () => replay.execution(),
    );
    await replay.pushVersion(1);
    await vi.waitFor(() => expect(reader.sent).toHaveLength(1));
    reader.state.bufferedBytes = 900;
    void replay.pushVersion(2);
    void replay.pushVersion(3);
    // It stays at one for as long as the subscriber does not read.
    await vi.waitFor(() => expect(multiplexer.counters.replaysPaused).toBe(1));
    expect(reader.sent).toHaveLength(1);
    expect(reader.state.cutOff).not.toHaveBeenCalled();
    reader.state.bufferedBytes = 0;
    await vi.waitFor(() => expect(numbers(reader.sent)).toEqual([1, 2, 3]));
    expect(multiplexer.counters.replaysPaused).toBe(0);
  });
});
