import { describe, expect, it } from 'vitest';
import { LockBestAvailableDocument, LockSeatsDocument, UpdateEventDocument } from '../../operations/generated/graphql.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { inProcessApp, listeningApp } from '../support/apps.js';
import { testEvents } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

const ADMIN_TOKEN = 'best-available-token-0123456789abcdefg';

/** 400 seats: 20 rows of 20 in the stalls; a 10-seat circle ranked behind them. */
const hall = parseEventLayouts({
  events: [
    {
      id: 'hall',
      name: 'Hall',
      sections: [
        { name: 'Stalls', rows: Array.from({ length: 20 }, (_, index) => ({ row: String.fromCharCode(65 + index), seats: 20 })) },
        { name: 'Circle', seatIdPrefix: 'C', rank: 2, rows: [{ row: 'A', seats: 10, rank: 1 }] },
      ],
    },
  ],
});

describe.each(storeKinds)('lockBestAvailable ($name store)', ({ config }) => {
  it('locks the best seats together and says so, counted like any lock', async () => {
    const { client } = inProcessApp(config(), { events: [...testEvents(), ...hall] });
    // Ranked 1, the circle's row comes before the stalls (unranked).
    const circle = expectType((await client.data(LockBestAvailableDocument, { eventId: 'hall', count: 3 })).lockBestAvailable, 'Hold');
    expect(circle.seats.map((seat) => seat.id)).toEqual(['CA-4', 'CA-5', 'CA-6']);
    expect(circle.nextToEachOther).toBe(true);
    const stalls = expectType((await client.data(LockBestAvailableDocument, { eventId: 'hall', count: 2, section: 'Stalls' })).lockBestAvailable, 'Hold');
    expect(stalls.seats.map((seat) => seat.id)).toEqual(['A-10', 'A-11']);
    // Into an existing hold: its seats are the hold's, all of them.
    const more = (await client.data(LockBestAvailableDocument, { eventId: 'hall', count: 2, section: 'Stalls', holdToken: stalls.token })).lockBestAvailable;
    expect(expectType(more, 'Hold').seats.map((seat) => seat.id)).toEqual(['A-10', 'A-11', 'A-8', 'A-9']);
    expect(expectType(more, 'Hold').nextToEachOther).toBe(true);
    expect((await eventSnapshot(client, 'hall')).counts).toMatchObject({ locked: 7, available: 403 });

    // Five seats a row in the play: a pair at the row's end strands nobody; the middle would.
    const pair = expectType((await client.data(LockBestAvailableDocument, { eventId: 'play', count: 2 })).lockBestAvailable, 'Hold');
    expect(pair.seats.map((seat) => seat.id)).toEqual(['A-1', 'A-2']);
  });

  it('answers typed errors in the documented order, and locks nothing', async () => {
    const server = inProcessApp({ ...config(), adminToken: ADMIN_TOKEN, maxSeatsPerHold: 4 });
    const { client } = server;
    const before = await eventSnapshot(client, 'play');
    const typeOf = async (variables: { eventId: string; count: number; section?: string; holdToken?: string }) =>
      (await client.data(LockBestAvailableDocument, variables)).lockBestAvailable.__typename;
    expect(await typeOf({ eventId: 'nope', count: 1 })).toBe('EventNotFoundError');
    expect(await typeOf({ eventId: 'play', count: 0 })).toBe('InvalidSeatSelectionError');
    expect(await typeOf({ eventId: 'play', count: 5 })).toBe('HoldLimitError');
    const noSection = (await client.data(LockBestAvailableDocument, { eventId: 'play', count: 1, section: 'Balcony' })).lockBestAvailable;
    expect(noSection).toMatchObject({ __typename: 'InvalidSeatSelectionError', message: 'Event "play" has no section "Balcony".' });
    expect(await typeOf({ eventId: 'play', count: 1, holdToken: 'not-a-token' })).toBe('HoldNotFoundError');
    expect(await eventSnapshot(client, 'play')).toEqual(before);

    // The concert has 3 seats: two held, so 2 of them cannot be had.
    expectType((await client.data(LockSeatsDocument, { eventId: 'concert', seatIds: ['A-1', 'A-3'] })).lockSeats, 'Hold');
    const short = (await client.data(LockBestAvailableDocument, { eventId: 'concert', count: 2 })).lockBestAvailable;
    expect(short).toMatchObject({ __typename: 'NotEnoughSeatsError', requested: 2, available: 1, message: 'Only 1 seat available; 2 asked for.' });
    const apart = expectType((await client.data(LockBestAvailableDocument, { eventId: 'concert', count: 1 })).lockBestAvailable, 'Hold');
    expect(apart.seats.map((seat) => seat.id)).toEqual(['A-2']);

    await client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` }).data(UpdateEventDocument, { eventId: 'play', salesOpen: false });
    expect(await typeOf({ eventId: 'play', count: 1 })).toBe('SalesClosedError');
  });

  it('200 concurrent requests for two seats of 400: 200 disjoint holds; more find none left, never a partial hold', { timeout: 60_000 }, async () => {
    const server = await listeningApp(config(), { events: hall });
    const stalls = (count: number) =>
      Promise.all(Array.from({ length: count }, () => server.client.data(LockBestAvailableDocument, { eventId: 'hall', count: 2, section: 'Stalls' })));
    const results = await stalls(210);
    const holds = results.map((result) => result.lockBestAvailable).filter((outcome) => outcome.__typename === 'Hold');
    const refused = results.map((result) => result.lockBestAvailable).filter((outcome) => outcome.__typename !== 'Hold');
    expect(holds).toHaveLength(200);
    expect(refused.map((outcome) => outcome.__typename)).toEqual(Array.from({ length: 10 }, () => 'NotEnoughSeatsError'));
    const seats = holds.flatMap((hold) => (hold.__typename === 'Hold' ? hold.seats.map((seat) => seat.id) : []));
    expect(new Set(seats).size).toBe(400);
    expect(holds.every((hold) => hold.__typename === 'Hold' && hold.seats.length === 2)).toBe(true);
    // A centred pair splits a row of 20 into two runs of 9: each row ends with two seats apart.
    expect(holds.filter((hold) => hold.__typename === 'Hold' && hold.nextToEachOther).length).toBeGreaterThanOrEqual(180);
    expect((await eventSnapshot(server.client, 'hall')).counts).toMatchObject({ locked: 400, available: 10 });
  });
});
