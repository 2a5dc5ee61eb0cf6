import { GraphQLError } from 'graphql';
import { ChangesUnavailableError, EventNotFoundError } from '../../domain/errors.js';
import type { SeatChange } from '../../domain/model.js';
import { ChangeStream } from '../../store/change-stream.js';
import { builder } from '../builder.js';
import { eventNotFound } from '../not-found.js';
import { SeatRef, SeatStatusEnum } from './seat.js';

const SeatChangeReasonEnum = builder.enumType('SeatChangeReason', {
  values: {
    LOCKED: { description: 'A hold locked the seat.' },
    RELEASED: { description: 'Its hold gave the seat back.' },
    EXPIRED: { description: 'Its hold expired.' },
    BOOKED: { description: 'Its hold was confirmed.' },
    BLOCKED: { description: 'The box office took the seat off sale.' },
    UNBLOCKED: { description: 'The box office put the seat back on sale.' },
    CANCELLED: { description: 'Its booking was cancelled; the seat is on sale again.' },
  } as const,
});

const SeatChangeRef = builder.objectRef<SeatChange>('SeatChange').implement({
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    seat: t.expose('seat', { type: SeatRef, description: 'The seat right after the change.' }),
    previousStatus: t.expose('previousStatus', { type: SeatStatusEnum }),
    reason: t.expose('reason', { type: SeatChangeReasonEnum }),
    version: t.exposeInt('version', { description: 'The event version this change produced.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

/**
 * The argument that makes seatChanged resume after a version: the transports share live parts
 * of subscriptions and give each resume its own replay by it.
 */
export const RESUME_ARGUMENT = 'afterVersion';

/** A resume the store cannot serve: the client reads the map again. */
export const CHANGES_UNAVAILABLE = 'CHANGES_UNAVAILABLE';

builder.subscriptionField('seatChanged', (t) =>
  t.field({
    type: SeatChangeRef,
    description:
      'Every change of the event’s seats (or of seatIds only), in version order. With afterVersion, first every change ' +
      'above it (the replay), then the live ones, with no gap and no duplicate. Unknown event: error EVENT_NOT_FOUND; ' +
      'a version the change log no longer reaches back to, or one ahead of the event: error CHANGES_UNAVAILABLE.',
    args: {
      eventId: t.arg.id({ required: true }),
      seatIds: t.arg.idList({ description: 'Only changes of these seats (at most as many as the event has; repeats count once).' }),
      [RESUME_ARGUMENT]: t.arg.int({
        description: 'Resume after this version: the event’s version when the map was read, or the last change received.',
      }),
    },
    subscribe: async (_root, { eventId, seatIds, afterVersion }, { store, pubsub, changeStream: probe }) => {
      if (afterVersion != null && afterVersion < 0) {
        throw new GraphQLError('afterVersion must be 0 or more.', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const event = await store.getEvent(eventId);
      if (!event) throw eventNotFound(eventId);
      // Kept for the subscription's life: no more ids than the event has seats, each once.
      if (seatIds != null && seatIds.length > event.counts.total) {
        throw new GraphQLError(`seatIds names ${seatIds.length} seats; event "${eventId}" has ${event.counts.total}.`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      const wanted = seatIds == null ? null : new Set(seatIds);
      const onYield = probe ? (version: number) => void (probe.lastVersion = version) : undefined;
      if (afterVersion == null) {
        return new ChangeStream({ replay: [], live: pubsub.subscribe('seatChanged', eventId), afterVersion: -1, seatIds: wanted, onYield });
      }
      // Live first, then the log: a change made in between is in one or both, never in neither.
      const live = probe?.replayOnly ? null : pubsub.subscribe('seatChanged', eventId);
      let replay: SeatChange[];
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
      return new ChangeStream({ replay, live, afterVersion, seatIds: wanted, onYield });
    },
    resolve: (change) => change,
  }),
);
