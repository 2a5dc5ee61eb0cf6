import type { SeatlockPubSub } from '../store/pubsub.js';
import type { SeatStore } from '../store/store.js';

/** What every resolver may use: the store to read and change state, the PubSub to listen on. */
// A type alias, not an interface: yoga's context generics need an indexable type.
export type Context = {
  readonly store: SeatStore;
  readonly pubsub: SeatlockPubSub;
};
