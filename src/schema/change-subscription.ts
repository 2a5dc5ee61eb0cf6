import { GraphQLError } from 'graphql';
import { ChangesUnavailableError, EventNotFoundError } from '../domain/errors.js';
import type { EventChange } from '../domain/model.js';
import { ChangeStream } from '../store/change-stream.js';
import type { SeatlockTopics } from '../store/pubsub.js';
import type { Context } from './context.js';
import { eventNotFound } from './not-found.js';

/**
 * The argument that makes a change subscription resume after a version: the transports share
 * live parts of subscriptions and give each resume its own replay by it.
 */
export const RESUME_ARGUMENT = 'afterVersion';

/** A resume the store cannot serve: the client reads the map again. */
export const CHANGES_UNAVAILABLE = 'CHANGES_UNAVAILABLE';

/**
 * The changes of an event one subscriber gets on `topic` (seat or area changes, which share the
 * event's versions): with `afterVersion`, first the replay above it, then the live ones, with no
 * gap and no duplicate. The event must have been found by the caller.
 */
export async function subscribeToChanges<Topic extends 'seatChanged' | 'areaChanged'>(
  { store, pubsub, changeStream: probe }: Context,
  topic: Topic,
  eventId: string,
  afterVersion: number | null | undefined,
  keep: (change: EventChange) => change is SeatlockTopics[Topic][1],
): Promise<ChangeStream<SeatlockTopics[Topic][1]>> {
  const onYield = probe ? (version: number) => void (probe.lastVersion = version) : undefined;
  if (afterVersion == null) {
    return new ChangeStream({ replay: [], live: pubsub.subscribe(topic, eventId), afterVersion: -1, keep, onYield });
  }
  // Live first, then the log: a change made in between is in one or both, never in neither.
  const live = probe?.replayOnly ? null : pubsub.subscribe(topic, eventId);
  let replay: EventChange[];
  try {
    replay = await store.changesSince(eventId, afterVersion);
  } catch (error) {
    await live?.return?.();
    if (error instanceof EventNotFoundError) throw eventNotFound(eventId);
    if (error instanceof ChangesUnavailableError) {
      throw new GraphQLError(error.message, {
        extensions: { code: CHANGES_UNAVAILABLE, version: error.version, oldestVersion: error.oldestVersion },
      });
    }
    throw error;
  }
  return new ChangeStream({ replay, live, afterVersion, keep, onYield });
}

/** `afterVersion` is a version: 0 or more. */
export function checkAfterVersion(afterVersion: number | null | undefined): void {
  if (afterVersion != null && afterVersion < 0) {
    throw new GraphQLError('afterVersion must be 0 or more.', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
