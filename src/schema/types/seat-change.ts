import { GraphQLError } from 'graphql';
import { isAreaChange, type SeatChange } from '../../domain/model.js';
import { builder } from '../builder.js';
import { checkAfterVersion, RESUME_ARGUMENT, subscribeToChanges } from '../change-subscription.js';
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

builder.subscriptionField('seatChanged', (t) =>
  t.field({
    type: SeatChangeRef,
    description:
      'Every change of the event’s seats (or of seatIds only), in version order (area changes share the versions: areaChanged). With afterVersion, first every change ' +
      'above it (the replay), then the live ones, with no gap and no duplicate. Unknown event: error EVENT_NOT_FOUND; ' +
      'a version the change log no longer reaches back to, or one ahead of the event: error CHANGES_UNAVAILABLE.',
    args: {
      eventId: t.arg.id({ required: true }),
      seatIds: t.arg.idList({ description: 'Only changes of these seats (at most as many as the event has; repeats count once).' }),
      [RESUME_ARGUMENT]: t.arg.int({
        description: 'Resume after this version: the event’s version when the map was read, or the last change received.',
      }),
    },
    subscribe: async (_root, { eventId, seatIds, afterVersion }, context) => {
      checkAfterVersion(afterVersion);
      const event = await context.store.getEvent(eventId);
      if (!event) throw eventNotFound(eventId);
      // Kept for the subscription's life: no more ids than the event has seats, each once.
      if (seatIds != null && seatIds.length > event.counts.total) {
        throw new GraphQLError(`seatIds names ${seatIds.length} seats; event "${eventId}" has ${event.counts.total}.`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      const wanted = seatIds == null ? null : new Set(seatIds);
      return subscribeToChanges(context, 'seatChanged', eventId, afterVersion, (change): change is SeatChange => {
        return !isAreaChange(change) && (wanted === null || wanted.has(change.seat.id));
      });
    },
    resolve: (change) => change,
  }),
);
