import type { QueueTicket } from '../../store/waiting-room.js';
import { clientKey } from '../../store/client-key.js';
import { builder } from '../builder.js';
import { joinQueueErrors } from './errors.js';

const QueueTicketStatusEnum = builder.enumType('QueueTicketStatus', {
  values: {
    WAITING: { description: 'In line: position says how many are ahead and itself.' },
    ADMITTED: { description: 'Let in: lock seats with admissionToken until admittedUntil.' },
    LAPSED: { description: 'The admission ended; joining again gives a new ticket at the end of the line.' },
  } as const,
});

export const QueueTicketRef = builder.objectRef<QueueTicket>('QueueTicket').implement({
  description: 'A buyer’s place in an event’s line. The id is the bearer’s key to it: keep it for the tab, answer it to queueTicket.',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeID('eventId'),
    status: t.expose('status', { type: QueueTicketStatusEnum }),
    number: t.exposeInt('number', {
      nullable: true,
      description: 'Its place in the order of admission; null until the room opens (early arrivals are then numbered in a random order).',
    }),
    position: t.exposeInt('position', { nullable: true, description: 'While WAITING with a number: its place in line, 1 being next (number − nowServing).' }),
    estimatedWaitSeconds: t.exposeInt('estimatedWaitSeconds', {
      nullable: true,
      description: 'From the rate of admission; null while the room is paused.',
    }),
    admissionToken: t.exposeString('admissionToken', {
      nullable: true,
      description: 'While ADMITTED: pass it as admissionToken to the lock mutations of this event, for any number of locks until admittedUntil.',
    }),
    admittedUntil: t.expose('admittedUntil', { type: 'DateTime', nullable: true }),
  }),
});

builder.mutationField('joinQueue', (t) =>
  t.field({
    type: QueueTicketRef,
    description:
      'Takes a place in the event’s line: one ticket per client and event (joining again answers the same ticket; once it LAPSED, a new one at the end). ' +
      'An event without an enabled room answers a ticket ADMITTED at once, so clients have one flow for every event.',
    errors: { types: [...joinQueueErrors], union: { name: 'JoinQueueResult' } },
    args: { eventId: t.arg.id({ required: true }) },
    resolve: (_root, { eventId }, { store, clientId }) => store.waitingRooms.join(eventId, clientKey(clientId)),
  }),
);

builder.queryField('queueTicket', (t) =>
  t.field({
    type: QueueTicketRef,
    nullable: true,
    description: 'The ticket of this id as it stands now; null for an id never issued.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { store }) => store.waitingRooms.ticket(id),
  }),
);
