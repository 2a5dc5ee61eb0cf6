import { builder } from '../builder.js';

export const HoldStatusEnum = builder.enumType('HoldStatus', {
  description: 'Only an ACTIVE hold can lock, book or release seats.',
  values: {
    ACTIVE: { description: 'Locks its seats until expiresAt.' },
    CONFIRMED: { description: 'confirmHold booked its seats.' },
    RELEASED: { description: 'releaseHold gave its seats back.' },
    EXPIRED: { description: 'expiresAt passed; its seats were given back.' },
  } as const,
});
