import type { AreaChange } from '../../domain/model.js';
import { isAreaChange } from '../../domain/model.js';
import { builder } from '../builder.js';
import { checkAfterVersion, RESUME_ARGUMENT, subscribeToChanges } from '../change-subscription.js';
import { eventNotFound } from '../not-found.js';
import { AreaRef } from './area.js';

const AreaChangeReasonEnum = builder.enumType('AreaChangeReason', {
  values: {
    LOCKED: { description: 'A hold locked places.' },
    RELEASED: { description: 'A hold gave its places back (releaseHold).' },
    EXPIRED: { description: 'A hold expired; its places are on sale again.' },
    BOOKED: { description: 'A hold was confirmed: its places are booked.' },
    BLOCKED: { description: 'The box office held places back (setAreaBlocked).' },
    UNBLOCKED: { description: 'The box office put places held back on sale again.' },
    CANCELLED: { description: 'A booking was cancelled; its places are on sale again.' },
  } as const,
});

const AreaChangeRef = builder.objectRef<AreaChange>('AreaChange').implement({
  description: 'Places of one area changed: one per area an operation touches (locking 5 places is one change of quantity 5).',
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    area: t.expose('area', { type: AreaRef, description: 'The area with its counts right after the change.' }),
    quantity: t.exposeInt('quantity', { description: 'How many places changed.' }),
    reason: t.expose('reason', { type: AreaChangeReasonEnum }),
    version: t.exposeInt('version', { description: 'The event version this change produced: seat and area changes share the counter.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('areaChanged', (t) =>
  t.field({
    type: AreaChangeRef,
    description:
      'Every change of the event’s general admission areas, in version order. Seat and area changes share the event’s versions: ' +
      'a client that merges seatChanged and areaChanged sees every version exactly once. With afterVersion, first every area change ' +
      'above it, then the live ones, with no gap and no duplicate. Unknown event: error EVENT_NOT_FOUND; a version the change log ' +
      'no longer reaches back to, or one ahead of the event: error CHANGES_UNAVAILABLE.',
    args: {
      eventId: t.arg.id({ required: true }),
      [RESUME_ARGUMENT]: t.arg.int({
        description: 'Resume after this version: the event’s version when the map was read, or the last change received (of either kind).',
      }),
    },
    subscribe: async (_root, { eventId, afterVersion }, context) => {
      checkAfterVersion(afterVersion);
      if (!(await context.store.getEvent(eventId))) throw eventNotFound(eventId);
      return subscribeToChanges(context, 'areaChanged', eventId, afterVersion, isAreaChange);
    },
    resolve: (change) => change,
  }),
);
