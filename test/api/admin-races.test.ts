import { describe, expect, it } from 'vitest';
import { BlockSeatsDocument, CancelBookingDocument, ConfirmHoldDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot, seatStatuses } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

const ADMIN_TOKEN = 'race-admin-token-0123456789abcdefghijk';

describe.each(storeKinds)('admin operations racing buyers over real HTTP ($name store)', ({ config }) => {
  it('100 concurrent lockSeats against blockSeats of the same seats: each seat ends blocked or locked, never both', async () => {
    const server = await listeningApp({ ...config(), adminToken: ADMIN_TOKEN, maxSeatsPerHold: 3 });
    const operator = server.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const rows = ['A', 'B', 'C'];
    const blocks = rows.map((row) => [`${row}-1`, `${row}-2`, `${row}-3`]);
    // Buyers want windows of the same rows; the operator blocks three seats of each row meanwhile.
    const locks = Array.from({ length: 100 }, (_, index) => {
      const row = rows[index % 3] as string;
      const start = 1 + (index % 3);
      return [`${row}-${start}`, `${row}-${start + 1}`];
    });
    const [blockResults, lockResults] = await Promise.all([
      Promise.all(blocks.map((seatIds) => operator.data(BlockSeatsDocument, { eventId: 'play', seatIds }))),
      Promise.all(locks.map((seatIds) => server.client.data(LockSeatsDocument, { eventId: 'play', seatIds }))),
    ]);

    const statuses = await seatStatuses(server.client, 'play');
    const locked = new Map<string, string>();
    lockResults.forEach((result, index) => {
      const outcome = result.lockSeats;
      if (outcome.__typename === 'Hold') {
        for (const seat of outcome.seats) {
          expect(locked.has(seat.id), `${seat.id} is in two holds`).toBe(false);
          locked.set(seat.id, outcome.token);
          expect(statuses[seat.id]).toBe('LOCKED');
        }
      } else {
        expect(outcome.__typename, `lock ${locks[index]?.join(',')}`).toBe('SeatUnavailableError');
      }
    });
    blockResults.forEach((result, index) => {
      const outcome = result.blockSeats;
      const seatIds = blocks[index] as string[];
      if (outcome.__typename === 'SeatBlock') {
        for (const seatId of seatIds) {
          expect(statuses[seatId]).toBe('BLOCKED');
          expect(locked.has(seatId)).toBe(false);
        }
      } else {
        // All or nothing: a refused block blocked none of its seats.
        expect(outcome.__typename).toBe('SeatUnavailableError');
        for (const seatId of seatIds) expect(statuses[seatId]).not.toBe('BLOCKED');
      }
    });
    const snapshot = await eventSnapshot(server.client, 'play');
    expect(snapshot.counts.locked).toBe(locked.size);
    expect(snapshot.counts.blocked).toBe(Object.values(statuses).filter((status) => status === 'BLOCKED').length);
  });

  it('cancelBooking racing new holds on the same seats: no seat is ever booked twice', async () => {
    const server = await listeningApp({ ...config(), adminToken: ADMIN_TOKEN, maxSeatsPerHold: 3 });
    const operator = server.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const seatIds = ['C-1', 'C-2', 'C-3'];
    const first = expectType((await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds })).lockSeats, 'Hold');
    const booking = expectType((await server.client.data(ConfirmHoldDocument, { holdToken: first.token })).confirmHold, 'Booking');

    // 30 buyers try for the seats while the cancel is under way; whoever locks confirms at once.
    const buyer = async () => {
      const lock = (await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds })).lockSeats;
      if (lock.__typename !== 'Hold') return null;
      return expectType((await server.client.data(ConfirmHoldDocument, { holdToken: lock.token })).confirmHold, 'Booking');
    };
    const [cancel, ...bought] = await Promise.all([operator.data(CancelBookingDocument, { bookingId: booking.id }), ...Array.from({ length: 30 }, buyer)]);
    expect(expectType(cancel.cancelBooking, 'Booking').status).toBe('CANCELLED');
    const winners = bought.filter((result) => result !== null);
    expect(winners.length).toBeLessThanOrEqual(1);
    const statuses = await seatStatuses(server.client, 'play');
    for (const seatId of seatIds) expect(statuses[seatId]).toBe(winners.length === 1 ? 'BOOKED' : 'AVAILABLE');
    expect((await eventSnapshot(server.client, 'play')).counts.booked).toBe(winners.length * 3);
  });
});
