import type { WaitingRoomView } from '../../store/waiting-room.js';
import { MAX_ADMISSION_SECONDS, MAX_ADMIT_PER_MINUTE } from '../../store/queue-schedule.js';
import { builder } from '../builder.js';
import { configureWaitingRoomErrors } from './errors.js';
import { EventRef } from './event.js';

export const WaitingRoomRef = builder.objectRef<WaitingRoomView>('WaitingRoom').implement({
  description:
    'An event’s waiting room for its on-sale: buyers queue (joinQueue), are admitted at admitPerMinute, and only admitted ones lock seats ' +
    '(while it is enabled, locks answer AdmissionRequiredError without an admissionToken).',
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', { description: 'false: no queue; joinQueue admits at once and locks need no admission.' }),
    opensAt: t.expose('opensAt', {
      type: 'DateTime',
      description: 'When tickets of early arrivals were (or will be) numbered in a random order, and ticket 1 admitted.',
    }),
    admitPerMinute: t.exposeInt('admitPerMinute', { description: 'Admissions per minute, spread evenly over the minute.' }),
    admissionSeconds: t.exposeInt('admissionSeconds', { description: 'How long an admission lasts (holds made in it keep their own expiry).' }),
    paused: t.exposeBoolean('paused', { description: 'Admission stands still (paused time is not made up).' }),
    waiting: t.exposeInt('waiting', { description: 'Tickets WAITING, numbered or not.' }),
    nowServing: t.exposeInt('nowServing', { description: 'The highest number admitted: a ticket is admitted when nowServing >= its number.' }),
    admitted: t.exposeInt('admitted', { description: 'Admissions running now.' }),
    lapsed: t.exposeInt('lapsed', { description: 'Admissions that ended.' }),
  }),
});

const WaitingRoomInput = builder.inputType('WaitingRoomInput', {
  description: 'A waiting room’s settings. On an existing room, fields left out stay as they are; numbered tickets keep their numbers.',
  fields: (t) => ({
    enabled: t.boolean({ required: true }),
    opensAt: t.field({
      type: 'DateTime',
      description: 'When early arrivals are numbered (in a random order) and admission begins; null: now. Cannot move once the room opened.',
    }),
    admitPerMinute: t.int({ required: true, description: `1 to ${MAX_ADMIT_PER_MINUTE}.` }),
    admissionSeconds: t.int({ description: `How long an admission lasts: 1 to ${MAX_ADMISSION_SECONDS} (default 600).` }),
    paused: t.boolean({ description: 'true: admission stands still until set false.' }),
  }),
});

builder.objectField(EventRef, 'waitingRoom', (t) =>
  t.field({
    type: WaitingRoomRef,
    nullable: true,
    description: 'Its waiting room; null when none was ever configured.',
    resolve: (event, _args, { store }) => store.waitingRooms.room(event.id),
  }),
);

builder.mutationField('configureWaitingRoom', (t) =>
  t.field({
    type: WaitingRoomRef,
    description:
      'Admin. Makes or changes the event’s waiting room: turn it on for an on-sale, pause and resume admission, change the rate. ' +
      'Watchers of queueProgress hear the change at once.',
    authScopes: { admin: true },
    errors: { types: [...configureWaitingRoomErrors], union: { name: 'ConfigureWaitingRoomResult' } },
    args: { eventId: t.arg.id({ required: true }), input: t.arg({ type: WaitingRoomInput, required: true }) },
    resolve: async (_root, { eventId, input }, { store, audit }) => {
      const room = await store.waitingRooms.configure(eventId, {
        enabled: input.enabled,
        opensAt: input.opensAt === undefined ? undefined : (input.opensAt?.getTime() ?? null),
        admitPerMinute: input.admitPerMinute,
        admissionSeconds: input.admissionSeconds,
        paused: input.paused,
      });
      audit('configureWaitingRoom', { eventId, ...input, opensAt: input.opensAt?.toISOString() ?? input.opensAt });
      return room;
    },
  }),
);
