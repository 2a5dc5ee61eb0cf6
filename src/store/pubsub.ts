import { createPubSub, type PubSub } from 'graphql-yoga';
import type { SeatChange } from '../domain/model.js';

/** The topics a store publishes on: one `seatChanged` channel per event id. */
export interface SeatlockTopics {
  [topic: string]: [string, SeatChange];
  seatChanged: [eventId: string, change: SeatChange];
}

/** Typed PubSub that every store publishes its seat changes on. */
export type SeatlockPubSub = PubSub<SeatlockTopics>;

/** An in-process PubSub for one instance (the memory store's default). */
export function createSeatlockPubSub(): SeatlockPubSub {
  return createPubSub<SeatlockTopics>();
}
