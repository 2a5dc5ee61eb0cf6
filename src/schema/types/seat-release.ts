import type { SeatRelease } from '../../domain/model.js';
import { builder } from '../builder.js';
import { releaseHoldErrors, releaseSeatErrors, errorOrderNote } from './errors.js';
import { SeatRef } from './seat.js';
import { AreaPlacesRef } from './area.js';

export const SeatReleaseRef = builder.objectRef<SeatRelease>('SeatRelease').implement({
  description: 'Seats and places given back. Empty when a retried release found nothing left to release.',
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    seats: t.expose('seats', { type: [SeatRef] }),
    areaPlaces: t.expose('areaPlaces', { type: [AreaPlacesRef], description: 'Places given back (releaseHold), by area.' }),
  }),
});

builder.mutationFields((t) => ({
  releaseSeat: t.field({
    type: SeatReleaseRef,
    description: `Gives one seat of the hold back; the hold keeps its other seats.${errorOrderNote('releaseSeat')}`,
    errors: { types: [...releaseSeatErrors], union: { name: 'ReleaseSeatResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      seatId: t.arg.id({ required: true }),
      holdToken: t.arg.string({ required: true }),
    },
    resolve: (_root, args, { store }) => store.releaseSeat(args),
  }),
  releaseHold: t.field({
    type: SeatReleaseRef,
    description: `Gives every locked seat and place of the hold back and ends the hold.${errorOrderNote('releaseHold')}`,
    errors: { types: [...releaseHoldErrors], union: { name: 'ReleaseHoldResult' } },
    args: { holdToken: t.arg.string({ required: true }) },
    resolve: (_root, { holdToken }, { store }) => store.releaseHold(holdToken),
  }),
}));
