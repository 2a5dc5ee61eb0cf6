import type { AreaChange, SeatChange } from '../domain/model.js';
import { AsyncQueue } from '../lib/async-queue.js';
import type { QueueProgress } from './waiting-room.js';

/** The topics a store publishes on: one channel of each per event id. */
export type SeatlockTopics = {
  seatChanged: [eventId: string, change: SeatChange];
  areaChanged: [eventId: string, change: AreaChange];
  queueProgress: [eventId: string, progress: QueueProgress];
};

/** Subscribes by topic and id, each topic with its own payload type. */
export interface TypedSubscriber<Topics extends Record<string, [string, unknown]>> {
  subscribe<Topic extends keyof Topics & string>(topic: Topic, id: Topics[Topic][0]): AsyncIterableIterator<Topics[Topic][1]>;
}

/** Publishes and subscribes by topic and id; only stores publish. */
export interface TypedPubSub<Topics extends Record<string, [string, unknown]>> extends TypedSubscriber<Topics> {
  publish<Topic extends keyof Topics & string>(topic: Topic, id: Topics[Topic][0], payload: Topics[Topic][1]): void;
  /** Ends every subscription of the topic and id once it has read what was published before. */
  end<Topic extends keyof Topics & string>(topic: Topic, id: Topics[Topic][0]): void;
  /** The ids of the topic someone subscribes to now: what is worth publishing for. */
  listening<Topic extends keyof Topics & string>(topic: Topic): Topics[Topic][0][];
}

/** Typed PubSub that every store publishes its seat and area changes on. */
export type SeatlockPubSub = TypedPubSub<SeatlockTopics>;

/** What resolvers get of the PubSub: they subscribe, and never publish (the store does). */
export type SeatlockSubscriber = TypedSubscriber<SeatlockTopics>;

/**
 * Payloads a listener may have waiting. Listeners are the shared subscription pumps and SSE
 * streams; a burst (100,000 holds expiring in one sweep) must fit, a stalled SSE client not.
 */
const MAX_PENDING_PER_LISTENER = 200_000;

/**
 * An in-process PubSub. Unlike yoga's `createPubSub` (whose listeners throw past 1,024 pending
 * events, dropping the subscription) each listener has a queue sized for bursts; a listener
 * that overflows it is ended.
 */
export function createSeatlockPubSub(observe?: (change: SeatChange) => void): SeatlockPubSub {
  // Method syntax: a queue of any payload type fits, whatever it is published with.
  const listeners = new Map<string, Set<{ push(payload: unknown): void; end(): void }>>();
  return {
    publish(topic, id, payload) {
      if (topic === 'seatChanged') observe?.(payload as SeatChange);
      const set = listeners.get(`${topic}:${id}`);
      if (set) for (const listener of set) listener.push(payload);
    },
    end(topic, id) {
      const key = `${topic}:${id}`;
      const set = listeners.get(key);
      listeners.delete(key);
      if (set) for (const listener of set) listener.end();
    },
    listening(topic) {
      const prefix = `${topic}:`;
      const ids: string[] = [];
      for (const key of listeners.keys()) if (key.startsWith(prefix)) ids.push(key.slice(prefix.length));
      return ids;
    },
    subscribe<Topic extends keyof SeatlockTopics & string>(topic: Topic, id: SeatlockTopics[Topic][0]) {
      const key = `${topic}:${id}`;
      const set = listeners.get(key) ?? new Set();
      listeners.set(key, set);
      const leave = () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(key);
      };
      const listener = new AsyncQueue<SeatlockTopics[Topic][1]>(MAX_PENDING_PER_LISTENER, leave, leave);
      set.add(listener);
      return listener;
    },
  };
}
