import { describe, expect, it } from 'vitest';
import {
  ConfirmHoldDocument,
  ConfirmSeatDocument,
  LockSeatDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  ReleaseSeatDocument,
  type ErrorFieldsFragment,
} from '../../operations/generated/graphql.js';
import { inProcessApp } from '../support/apps.js';
import type { GraphQLHttpClient } from '../support/graphql-client.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

/** Locks seats into a new hold and returns its token. */
async function lock(client: GraphQLHttpClient, eventId: string, seatIds: string[]): Promise<string> {
  const result = await client.data(LockSeatsDocument, { eventId, seatIds });
  return expectType(result.lockSeats, 'Hold').token;
}

interface ErrorCase {
  readonly name: string;
  /** Prepares state (made before the snapshot) and returns the operation under test. */
  readonly arrange: (client: GraphQLHttpClient) => Promise<() => Promise<{ __typename: string }>>;
  readonly expected: Partial<ErrorFieldsFragment> & { __typename: string };
}

const cases: ErrorCase[] = [
  {
    name: 'an unknown event',
    arrange: async (client) => async () => (await client.data(LockSeatDocument, { eventId: 'nope', seatId: 'A-1' })).lockSeat,
    expected: { __typename: 'EventNotFoundError', message: 'Event "nope" does not exist.' },
  },
  {
    name: 'an unknown seat among known ones',
    arrange: async (client) => async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'Z-9', 'Z-8'] })).lockSeats,
    expected: { __typename: 'SeatNotFoundError', seatIds: ['Z-9', 'Z-8'] },
  },
  {
    name: 'an empty seat list',
    arrange: async (client) => async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: [] })).lockSeats,
    expected: { __typename: 'InvalidSeatSelectionError', seatIds: [] },
  },
  {
    name: 'a seat named twice',
    arrange: async (client) => async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-1'] })).lockSeats,
    expected: { __typename: 'InvalidSeatSelectionError', seatIds: ['A-1'] },
  },
  {
    name: 'a token never issued',
    arrange: async (client) => async () => (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: 'x'.repeat(32) })).lockSeat,
    expected: { __typename: 'HoldNotFoundError', message: 'No hold has this token.' },
  },
  {
    name: "a token of another event's hold",
    arrange: async (client) => {
      const token = await lock(client, 'concert', ['A-1']);
      return async () => (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: token })).lockSeat;
    },
    expected: { __typename: 'HoldEventMismatchError', holdEventId: 'concert' },
  },
  {
    name: 'more seats than a hold may have, at once',
    arrange: async (client) => async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-3', 'A-4'] })).lockSeats,
    expected: { __typename: 'HoldLimitError', maxSeats: 3, requestedSeats: 4 },
  },
  {
    name: 'more seats than a hold may have, added later',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1', 'A-2']);
      return async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2', 'B-1', 'B-2'], holdToken: token })).lockSeats;
    },
    expected: { __typename: 'HoldLimitError', maxSeats: 3, requestedSeats: 4 },
  },
  {
    name: 'a seat locked by another hold, among free ones',
    arrange: async (client) => {
      await lock(client, 'play', ['B-3']);
      return async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-2', 'B-3'] })).lockSeats;
    },
    expected: { __typename: 'SeatUnavailableError', message: 'Not available: B-3 (locked).' },
  },
  {
    name: 'a booked seat',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['C-1']);
      await client.data(ConfirmHoldDocument, { holdToken: token });
      return async () => (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' })).lockSeat;
    },
    expected: { __typename: 'SeatUnavailableError', message: 'Not available: C-1 (booked).' },
  },
  {
    name: 'confirming a seat that is not in the hold',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1']);
      await lock(client, 'play', ['A-2']);
      return async () => (await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: token })).confirmSeat;
    },
    expected: { __typename: 'SeatNotInHoldError', seatId: 'A-2' },
  },
  {
    name: 'releasing a seat that is not in the hold',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1']);
      return async () => (await client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'A-3', holdToken: token })).releaseSeat;
    },
    expected: { __typename: 'SeatNotInHoldError', seatId: 'A-3' },
  },
  {
    name: 'adding a seat to a confirmed hold',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1']);
      await client.data(ConfirmHoldDocument, { holdToken: token });
      return async () => (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: token })).lockSeat;
    },
    expected: { __typename: 'HoldClosedError', holdStatus: 'CONFIRMED' },
  },
  {
    name: 'releasing a confirmed hold',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1']);
      await client.data(ConfirmHoldDocument, { holdToken: token });
      return async () => (await client.data(ReleaseHoldDocument, { holdToken: token })).releaseHold;
    },
    expected: { __typename: 'HoldClosedError', holdStatus: 'CONFIRMED' },
  },
  {
    name: 'confirming a hold whose seats were all released',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1']);
      await client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: token });
      return async () => (await client.data(ConfirmHoldDocument, { holdToken: token })).confirmHold;
    },
    expected: { __typename: 'EmptyHoldError' },
  },
  {
    name: 'several errors at once: the event is checked first',
    arrange: async (client) => async () => (await client.data(LockSeatDocument, { eventId: 'nope', seatId: 'Z-9', holdToken: 'bogus' })).lockSeat,
    expected: { __typename: 'EventNotFoundError' },
  },
  {
    name: 'several errors at once: unknown seats before the hold token',
    arrange: async (client) => async () => (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'Z-9', holdToken: 'bogus' })).lockSeat,
    expected: { __typename: 'SeatNotFoundError' },
  },
  {
    name: 'several errors at once: the hold token before the seat limit',
    arrange: async (client) => {
      const token = await lock(client, 'concert', ['A-1']);
      return async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-3'], holdToken: token })).lockSeats;
    },
    expected: { __typename: 'HoldEventMismatchError' },
  },
  {
    name: 'several errors at once: the seat limit before availability',
    arrange: async (client) => {
      const token = await lock(client, 'play', ['A-1', 'A-2']);
      await lock(client, 'play', ['B-1', 'B-2']);
      return async () => (await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2'], holdToken: token })).lockSeats;
    },
    expected: { __typename: 'HoldLimitError', requestedSeats: 4 },
  },
];

describe.each(storeKinds)('typed errors ($name store)', ({ config }) => {
  it.each(cases)('$name answers $expected.__typename and changes nothing', async ({ arrange, expected }) => {
    const { client } = inProcessApp({ ...config(), maxSeatsPerHold: 3 });
    const act = await arrange(client);
    const before = { play: await eventSnapshot(client, 'play'), concert: await eventSnapshot(client, 'concert') };

    const result = await act();

    expect(result).toMatchObject(expected);
    expect(typeof (result as { message?: unknown }).message).toBe('string');
    expect({ play: await eventSnapshot(client, 'play'), concert: await eventSnapshot(client, 'concert') }).toEqual(before);
  });

  it('lists every conflicting seat with its current status', async () => {
    const { client } = inProcessApp(config());
    await lock(client, 'play', ['A-1']);
    const booked = await lock(client, 'play', ['A-3']);
    await client.data(ConfirmHoldDocument, { holdToken: booked });
    const result = await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2', 'A-3'] });
    const error = expectType(result.lockSeats, 'SeatUnavailableError');
    expect(error.seats.map((seat) => [seat.id, seat.status])).toEqual([
      ['A-1', 'LOCKED'],
      ['A-3', 'BOOKED'],
    ]);
  });
});
