import { settledCopy } from '../../store/queue-schedule.js';
import { progressOf, type QueueProgress } from '../../store/waiting-room.js';
import { builder } from '../builder.js';
import { eventNotFound } from '../not-found.js';

const QueueProgressRef = builder.objectRef<QueueProgress>('QueueProgress').implement({
  description: 'One step of an event’s line, the same message for every watcher: a ticket is admitted when nowServing >= its number.',
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    nowServing: t.exposeInt('nowServing'),
    waiting: t.exposeInt('waiting'),
    paused: t.exposeBoolean('paused', { description: 'Admission stands still (paused, or the room is off).' }),
    admitPerMinute: t.exposeInt('admitPerMinute'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('queueProgress', (t) =>
  t.field({
    type: QueueProgressRef,
    description:
      'The progress of the event’s line: first where it stands, then one message per step of admission (at most five a second) and ' +
      'whenever an admin changes the room. Unknown event: error EVENT_NOT_FOUND.',
    args: { eventId: t.arg.id({ required: true }) },
    subscribe: async (_root, { eventId }, { store, pubsub, clock }) => {
      if (!(await store.getEvent(eventId))) throw eventNotFound(eventId);
      const live = pubsub.subscribe('queueProgress', eventId);
      const room = await store.waitingRooms.roomState(eventId);
      if (room === null) return live;
      const now = clock.now();
      return prefixed(progressOf(eventId, settledCopy(room, now), now), live);
    },
    resolve: (progress) => progress,
  }),
);

/** `first`, then what `rest` yields; ending it ends `rest`. */
function prefixed<T>(first: T, rest: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let sent = false;
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (sent) return rest.next();
      sent = true;
      return Promise.resolve({ value: first, done: false });
    },
    return: (value?: unknown) => rest.return?.(value) ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
