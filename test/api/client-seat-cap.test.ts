import { describe, expect, it } from 'vitest';
import { LockSeatDocument, LockSeatsDocument, ReleaseHoldDocument } from '../../operations/generated/graphql.js';
import { ManualClock } from '../support/clock.js';
import { inProcessApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds)('seats one client may hold at once ($name store)', ({ config }) => {
  const setup = () => inProcessApp({ ...config(), maxSeatsPerClient: 3, clientIdentity: { kind: 'header', name: 'x-client-id' } }).client;

  it('counts a client’s seats across its holds and refuses past the cap, changing nothing', async () => {
    const client = setup();
    const bot = client.withHeaders({ 'x-client-id': 'bot' });
    expectType((await bot.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    const second = expectType((await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'A-3' })).lockSeat, 'Hold');
    const before = await eventSnapshot(client, 'play');

    const refused = await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'A-4' });
    expect(refused.lockSeat).toMatchObject({ __typename: 'ClientSeatLimitError', maxSeats: 3, requestedSeats: 4 });
    const intoHold = await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'A-5', holdToken: second.token });
    expect(intoHold.lockSeat.__typename).toBe('ClientSeatLimitError');
    expect(await eventSnapshot(client, 'play')).toEqual(before);

    const person = client.withHeaders({ 'x-client-id': 'person' });
    expect((await person.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2', 'B-3'] })).lockSeats.__typename).toBe('Hold');

    await bot.data(ReleaseHoldDocument, { holdToken: second.token });
    expect((await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'A-4' })).lockSeat.__typename).toBe('Hold');
  });

  it('gives seats back to the count when a hold expires', async () => {
    const clock = new ManualClock(Date.now());
    const client = inProcessApp(
      {
        ...config(),
        maxSeatsPerClient: 2,
        lockTtlSeconds: 0.3,
        clientIdentity: { kind: 'header', name: 'x-client-id' },
      },
      { clock },
    ).client.withHeaders({ 'x-client-id': 'bot' });
    expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['C-1', 'C-2'] })).lockSeats, 'Hold');
    expect((await client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-3' })).lockSeat.__typename).toBe('ClientSeatLimitError');
    clock.advance(300);
    expect((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['C-3', 'C-4'] })).lockSeats.__typename).toBe('Hold');
  });
});
