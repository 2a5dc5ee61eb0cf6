import { describe, expect, it } from 'vitest';
import { LockSeatDocument, LockSeatsDocument, HoldByTokenDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { eventSnapshot } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds)('concurrent clients over real HTTP ($name store)', ({ config }) => {
  it('200 concurrent lockSeat for one seat: exactly one Hold, 199 SeatUnavailableError', async () => {
    const server = await listeningApp(config());
    const results = await Promise.all(Array.from({ length: 200 }, () => server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-3' })));
    const count = (typename: string) => results.filter((result) => result.lockSeat.__typename === typename).length;
    expect(count('Hold')).toBe(1);
    expect(count('SeatUnavailableError')).toBe(199);
    const snapshot = await eventSnapshot(server.client, 'play');
    expect(snapshot.version).toBe(1);
    expect(snapshot.counts.locked).toBe(1);
  });

  it('100 concurrent lockSeats over overlapping sets: no seat in two holds and no partial hold', async () => {
    const server = await listeningApp({ ...config(), maxSeatsPerHold: 4 });
    const seatIds = (await eventSnapshot(server.client, 'play')).seats.map((seat) => seat.id);
    // Each request wants a window of 2–4 neighbouring seats, so most requests overlap others.
    const requests = Array.from({ length: 100 }, (_, index) => {
      const size = 2 + (index % 3);
      const start = (index * 7) % (seatIds.length - size + 1);
      return seatIds.slice(start, start + size);
    });
    const results = await Promise.all(requests.map((wanted) => server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: wanted })));

    const owner = new Map<string, string>();
    results.forEach((result, index) => {
      const outcome = result.lockSeats;
      if (outcome.__typename === 'Hold') {
        expect(outcome.seats.map((seat) => seat.id)).toEqual(requests[index]);
        for (const seat of outcome.seats) {
          expect(owner.has(seat.id), `${seat.id} is in two holds`).toBe(false);
          owner.set(seat.id, outcome.token);
        }
      } else {
        expect(outcome.__typename).toBe('SeatUnavailableError');
      }
    });
    expect(owner.size).toBeGreaterThan(0);

    const snapshot = await eventSnapshot(server.client, 'play');
    for (const seat of snapshot.seats) expect(seat.status).toBe(owner.has(seat.id) ? 'LOCKED' : 'AVAILABLE');
    expect(snapshot.version).toBe(owner.size);
    for (const token of new Set(owner.values())) {
      const { hold } = await server.client.data(HoldByTokenDocument, { token });
      expect(hold?.seats.every((seat) => owner.get(seat.id) === token)).toBe(true);
    }
  });
});
