import { AdmissionRequiredError } from '../../domain/errors.js';
import { publicHoldId } from '../../domain/ids.js';
import type { Hold } from '../../domain/model.js';
import { areNextToEachOther } from '../../venue/seat-adjacency.js';
import type { LockAreaPlacesInput, LockBestAvailableInput } from '../../store/store.js';
import type { Context } from '../context.js';
import { builder } from '../builder.js';
import { extendHoldErrors, lockAreaPlacesErrors, lockBestAvailableErrors, lockSeatErrors, lockSeatsErrors, errorOrderNote } from './errors.js';
import { AreaPlacesRef } from './area.js';
import { MoneyRef, totalOf, type PricedPlaces } from './category.js';
import { HoldStatusEnum } from './hold-status.js';
import { SeatRef } from './seat.js';

export const HoldRef = builder.objectRef<Hold>('Hold').implement({
  description: 'Seats locked for one buyer. The token is the only key to it: keep it secret.',
  fields: (t) => ({
    id: t.id({
      description:
        'A public id of the hold, not a key to it: webhook messages and logs name the hold by it. ' +
        'Derived from the token (its SHA-256), so it is the same on every store and instance.',
      resolve: (hold) => publicHoldId(hold.token),
    }),
    token: t.exposeString('token'),
    eventId: t.exposeID('eventId'),
    status: t.expose('status', { type: HoldStatusEnum }),
    seats: t.expose('seats', { type: [SeatRef], description: 'Seats locked by the hold or booked from it.' }),
    areaPlaces: t.expose('areaPlaces', {
      type: [AreaPlacesRef],
      description: 'Places of general admission areas locked by the hold or booked from it, by area in layout order.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    maxExpiresAt: t.expose('maxExpiresAt', {
      type: 'DateTime',
      description: 'The lifetime cap: extendHold never moves expiresAt past it.',
    }),
    total: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'The sum of its seats’ and places’ prices (null when one has none). The host application decides what is charged.',
      resolve: (hold) => totalOf(pricedOf(hold)),
    }),
    nextToEachOther: t.boolean({
      description: 'Whether the hold’s seats sit next to each other: one row, numbers following on (no aisle between).',
      resolve: (hold) => areNextToEachOther(hold.seats),
    }),
  }),
});

/** What a hold is charged for: each seat once, each area's places by their quantity. */
function pricedOf(hold: Hold): PricedPlaces[] {
  return [
    ...hold.seats.map((seat) => ({ category: seat.category, quantity: 1 })),
    ...hold.areaPlaces.map(({ area, quantity }) => ({ category: area.category, quantity })),
  ];
}

/**
 * Whether an admission token admits to the event now: checked here, once for every store, by its
 * signature (no round trip); the store refuses locks without one while the event's room is on.
 */
async function admits({ store, clock }: Context, eventId: string, admissionToken: string | null | undefined): Promise<boolean> {
  if (admissionToken == null) return false;
  return (await store.waitingRooms.credentials()).admits(admissionToken, eventId, clock.now());
}

/**
 * Every lock attempt (each field, aliased or not) spends one of the client's locks first, and
 * shows its admission; then `locking` runs. Without a limit (lifted, or set to 0) and without a
 * token, no await: a lock storm's every request would pay for it.
 */
async function lockWith(
  context: Context,
  eventId: string,
  admissionToken: string | null | undefined,
  locking: (admitted: boolean) => Promise<Hold>,
): Promise<Hold> {
  const { clientId, lockRateLimiter } = context;
  if (lockRateLimiter) await lockRateLimiter.take(clientId);
  const admitted = admissionToken == null ? false : await admits(context, eventId, admissionToken);
  try {
    return await locking(admitted);
  } catch (error) {
    // Counted for /metrics; the answer is the same.
    if (error instanceof AdmissionRequiredError) context.admissionRefused(eventId);
    throw error;
  }
}

function lock(context: Context, eventId: string, seatIds: readonly string[], holdToken: string | null | undefined, admissionToken: string | null | undefined) {
  const { store, clientId } = context;
  return lockWith(context, eventId, admissionToken, (admitted) => store.lockSeats({ eventId, seatIds, holdToken, clientId, admitted }));
}

type WithAdmission<Input> = Omit<Input, 'clientId' | 'admitted'> & { admissionToken?: string | null | undefined };

// The inputs are copied field by field: a rest and a spread per request cost a lock storm more
// than the lock itself takes to apply.
function lockPlaces(context: Context, { eventId, areaId, quantity, holdToken, admissionToken }: WithAdmission<LockAreaPlacesInput>) {
  const { store, clientId } = context;
  return lockWith(context, eventId, admissionToken, (admitted) => store.lockAreaPlaces({ eventId, areaId, quantity, holdToken, clientId, admitted }));
}

function lockBest(context: Context, { admissionToken, ...input }: WithAdmission<LockBestAvailableInput>) {
  const { store, clientId } = context;
  return lockWith(context, input.eventId, admissionToken, (admitted) => store.lockBestAvailable({ ...input, clientId, admitted }));
}

const ADMISSION_TOKEN_DESCRIPTION = 'The admissionToken of an ADMITTED queue ticket of this event (joinQueue): needed while the event’s waiting room is on.';

builder.queryField('hold', (t) =>
  t.field({
    type: HoldRef,
    nullable: true,
    description: 'The hold of this token; null if no hold has it.',
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, { token }, { store }) => store.getHold(token),
  }),
);

builder.mutationFields((t) => ({
  lockSeat: t.field({
    type: HoldRef,
    description: `Locks one seat: into a new hold, or into the hold of holdToken.${errorOrderNote('lockSeat')}`,
    errors: { types: [...lockSeatErrors], union: { name: 'LockSeatResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      seatId: t.arg.id({ required: true }),
      holdToken: t.arg.string(),
      admissionToken: t.arg.string({ description: ADMISSION_TOKEN_DESCRIPTION }),
    },
    resolve: (_root, { eventId, seatId, holdToken, admissionToken }, context) => lock(context, eventId, [seatId], holdToken, admissionToken),
  }),
  lockSeats: t.field({
    type: HoldRef,
    description: `Locks several seats, all or nothing: into a new hold, or into the hold of holdToken.${errorOrderNote('lockSeats')}`,
    errors: { types: [...lockSeatsErrors], union: { name: 'LockSeatsResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      seatIds: t.arg.idList({ required: true }),
      holdToken: t.arg.string(),
      admissionToken: t.arg.string({ description: ADMISSION_TOKEN_DESCRIPTION }),
    },
    resolve: (_root, { eventId, seatIds, holdToken, admissionToken }, context) => lock(context, eventId, seatIds, holdToken, admissionToken),
  }),
  lockBestAvailable: t.field({
    type: HoldRef,
    description:
      'Locks the count best available seats (of one section, if named), all or nothing, into a new hold or the hold of ' +
      'holdToken: together in one row if possible, leaving no single seat stranded, front rows first, centred. ' +
      'nextToEachOther says whether they sit together. Counted by the same limits as lockSeats.' +
      errorOrderNote('lockBestAvailable'),
    errors: { types: [...lockBestAvailableErrors], union: { name: 'LockBestAvailableResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      count: t.arg.int({ required: true, description: '1 to MAX_SEATS_PER_HOLD.' }),
      section: t.arg.string({ description: 'Only seats of the section of this name.' }),
      categories: t.arg.idList({ description: 'Only seats of these price categories (keys).' }),
      accessible: t.arg.int({ description: 'How many of the seats must be wheelchair spaces (0 to count).' }),
      holdToken: t.arg.string(),
      admissionToken: t.arg.string({ description: ADMISSION_TOKEN_DESCRIPTION }),
    },
    resolve: (_root, args, context) => lockBest(context, args),
  }),
  lockAreaPlaces: t.field({
    type: HoldRef,
    description:
      'Locks quantity places of a general admission area into a new hold or the hold of holdToken, all or nothing. Places count ' +
      'towards MAX_SEATS_PER_HOLD and the per-client cap like seats. Each call adds places (a retry is not a no-op): after a ' +
      'network error, read hold(token) before locking again.' +
      errorOrderNote('lockAreaPlaces'),
    errors: { types: [...lockAreaPlacesErrors], union: { name: 'LockAreaPlacesResult' } },
    args: {
      eventId: t.arg.id({ required: true }),
      areaId: t.arg.id({ required: true }),
      quantity: t.arg.int({ required: true, description: '1 to MAX_SEATS_PER_HOLD.' }),
      holdToken: t.arg.string(),
      admissionToken: t.arg.string({ description: ADMISSION_TOKEN_DESCRIPTION }),
    },
    resolve: (_root, args, context) => lockPlaces(context, args),
  }),
  extendHold: t.field({
    type: HoldRef,
    description: `Pushes expiresAt out by one lock TTL, never past maxExpiresAt. Publishes no change.${errorOrderNote('extendHold')}`,
    errors: { types: [...extendHoldErrors], union: { name: 'ExtendHoldResult' } },
    args: { holdToken: t.arg.string({ required: true }) },
    resolve: (_root, { holdToken }, { store }) => store.extendHold(holdToken),
  }),
}));
