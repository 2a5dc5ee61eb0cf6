import { describe, expect, it } from 'vitest';
import {
  BookingByIdDocument,
  ConfirmHoldDocument,
  ConfirmSeatDocument,
  EventSeatsDocument,
  ExtendHoldDocument,
  HoldByTokenDocument,
  LockSeatDocument,
  LockSeatsDocument,
  ReleaseHoldDocument,
  ReleaseSeatDocument,
  SeatsDocument,
} from '../../operations/generated/graphql.js';
import { inProcessApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { expectType } from '../support/narrow.js';
import { eventSnapshot, seatStatuses } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds)('hold lifecycle over GraphQL ($name store)', ({ config }) => {
  const setup = (overrides = {}, clock?: ManualClock) => inProcessApp({ ...config(), ...overrides }, clock ? { clock } : {}).client;

  it('locks a seat, shows it LOCKED to everyone, and books it on confirm', async () => {
    const client = setup();
    const before = await eventSnapshot(client, 'play');

    const locked = await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
    const hold = expectType(locked.lockSeat, 'Hold');
    expect(hold.token).toMatch(/^play\.[A-Za-z0-9_-]{32}$/);
    expect(hold.status).toBe('ACTIVE');
    expect(hold.seats.map((seat) => [seat.id, seat.status])).toEqual([['A-1', 'LOCKED']]);
    expect(Date.parse(hold.expiresAt) - Date.parse(hold.createdAt)).toBe(60_000);
    expect(hold.seats[0]?.lockExpiresAt).toBe(hold.expiresAt);

    const whileLocked = await eventSnapshot(client, 'play');
    expect(whileLocked.version).toBe(before.version + 1);
    expect(whileLocked.counts).toMatchObject({ available: 14, locked: 1, booked: 0, total: 15 });
    const lockedSeats = await client.data(SeatsDocument, { eventId: 'play', status: 'LOCKED' });
    expect(lockedSeats.seats).toEqual([expect.objectContaining({ id: 'A-1', lockExpiresAt: hold.expiresAt })]);
    expect(JSON.stringify(whileLocked)).not.toContain(hold.token);

    const confirmed = await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-1', holdToken: hold.token });
    const booking = expectType(confirmed.confirmSeat, 'Booking');
    expect(booking.seats).toEqual([expect.objectContaining({ id: 'A-1', status: 'BOOKED', lockExpiresAt: null })]);

    const after = await eventSnapshot(client, 'play');
    expect(after.version).toBe(before.version + 2);
    expect(after.counts).toMatchObject({ available: 14, locked: 0, booked: 1 });
    expect(after.seats.find((seat) => seat.id === 'A-1')?.status).toBe('BOOKED');
  });

  it('locks several seats into one hold and books them all at once; retries return the same booking', async () => {
    const client = setup();
    const locked = await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2', 'B-3'] });
    const hold = expectType(locked.lockSeats, 'Hold');

    const first = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    expect(first.seats.map((seat) => seat.id)).toEqual(['B-1', 'B-2', 'B-3']);
    const version = (await eventSnapshot(client, 'play')).version;

    const retried = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    expect(retried).toEqual(first);
    const seatRetry = await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'B-2', holdToken: hold.token });
    expect(expectType(seatRetry.confirmSeat, 'Booking').id).toBe(first.id);
    expect((await eventSnapshot(client, 'play')).version).toBe(version);

    const { hold: closed } = await client.data(HoldByTokenDocument, { token: hold.token });
    expect(closed?.status).toBe('CONFIRMED');
  });

  it('adds seats to a hold by its token without moving expiresAt, and re-locking is a no-op', async () => {
    const clock = new ManualClock(Date.now());
    const client = setup({}, clock);
    const first = expectType((await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' })).lockSeat, 'Hold');
    clock.advance(20);
    const added = await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2', 'A-1'], holdToken: first.token });
    const hold = expectType(added.lockSeats, 'Hold');
    expect(hold.token).toBe(first.token);
    expect(hold.expiresAt).toBe(first.expiresAt);
    expect(hold.seats.map((seat) => seat.id)).toEqual(['A-1', 'A-2']);
    const version = (await eventSnapshot(client, 'play')).version;

    const again = await client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: first.token });
    expect(expectType(again.lockSeat, 'Hold')).toEqual(hold);
    expect((await eventSnapshot(client, 'play')).version).toBe(version);
  });

  it('releases one seat, then the rest; retried releases succeed with nothing left', async () => {
    const client = setup();
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['C-1', 'C-2', 'C-3'] })).lockSeats, 'Hold');
    const one = await client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'C-2', holdToken: hold.token });
    expect(expectType(one.releaseSeat, 'SeatRelease').seats).toEqual([expect.objectContaining({ id: 'C-2', status: 'AVAILABLE' })]);
    const oneAgain = await client.data(ReleaseSeatDocument, { eventId: 'play', seatId: 'C-2', holdToken: hold.token });
    expect(expectType(oneAgain.releaseSeat, 'SeatRelease').seats).toEqual([]);

    const rest = await client.data(ReleaseHoldDocument, { holdToken: hold.token });
    expect(expectType(rest.releaseHold, 'SeatRelease').seats.map((seat) => seat.id)).toEqual(['C-1', 'C-3']);
    const restAgain = await client.data(ReleaseHoldDocument, { holdToken: hold.token });
    expect(expectType(restAgain.releaseHold, 'SeatRelease').seats).toEqual([]);

    const statuses = await seatStatuses(client, 'play');
    expect([statuses['C-1'], statuses['C-2'], statuses['C-3']]).toEqual(['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
    const snapshot = await eventSnapshot(client, 'play');
    expect(snapshot.version).toBe(6);
    const lockAgain = await client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1', holdToken: hold.token });
    expect(expectType(lockAgain.lockSeat, 'HoldClosedError').holdStatus).toBe('RELEASED');
    expect(await eventSnapshot(client, 'play')).toEqual(snapshot);
  });

  it('expires a hold at expiresAt: seats come back and the token answers HoldExpiredError', async () => {
    // The clock is the test's: an ended hold's token is forgotten some time after it ends, and on
    // a busy machine real time could pass that before the checks below.
    const clock = new ManualClock(Date.now());
    const client = setup({ lockTtlSeconds: 0.3, holdMaxSeconds: 1 }, clock);
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-4', 'A-5'] })).lockSeats, 'Hold');
    clock.advance(299);
    expect((await seatStatuses(client, 'play'))['A-4']).toBe('LOCKED');
    clock.advance(1);
    expect(clock.now()).toBe(Date.parse(hold.expiresAt));
    expect((await seatStatuses(client, 'play'))['A-4']).toBe('AVAILABLE');
    const snapshot = await eventSnapshot(client, 'play');
    expect(snapshot.version).toBe(4);
    expect(snapshot.counts.locked).toBe(0);

    const confirm = await client.data(ConfirmHoldDocument, { holdToken: hold.token });
    expect(expectType(confirm.confirmHold, 'HoldExpiredError').expiredAt).toBe(hold.expiresAt);
    for (const result of [
      (await client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-5', holdToken: hold.token })).lockSeat,
      (await client.data(ExtendHoldDocument, { holdToken: hold.token })).extendHold,
      (await client.data(ReleaseHoldDocument, { holdToken: hold.token })).releaseHold,
      (await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-4', holdToken: hold.token })).confirmSeat,
    ]) {
      expect(result.__typename).toBe('HoldExpiredError');
    }
    const { hold: expired } = await client.data(HoldByTokenDocument, { token: hold.token });
    expect(expired).toMatchObject({ status: 'EXPIRED', seats: [] });
    expect(await eventSnapshot(client, 'play')).toEqual(snapshot);
  });

  it('extends a hold by one TTL at a time, never past its lifetime cap and without a seat change', async () => {
    // Time is the test's: each step is exactly where it says, however busy the machine.
    const clock = new ManualClock(Date.now());
    const client = setup({ lockTtlSeconds: 1.2, holdMaxSeconds: 2 }, clock);
    const hold = expectType((await client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-1' })).lockSeat, 'Hold');
    const cap = Date.parse(hold.createdAt) + 2_000;
    expect(Date.parse(hold.createdAt)).toBe(clock.now());
    expect(Date.parse(hold.maxExpiresAt)).toBe(cap);
    const version = (await eventSnapshot(client, 'play')).version;

    clock.advance(300);
    const extended = expectType((await client.data(ExtendHoldDocument, { holdToken: hold.token })).extendHold, 'Hold');
    expect(Date.parse(extended.expiresAt)).toBe(clock.now() + 1_200);

    clock.advance(800);
    const capped = expectType((await client.data(ExtendHoldDocument, { holdToken: hold.token })).extendHold, 'Hold');
    expect(Date.parse(capped.expiresAt)).toBe(cap);
    const again = expectType((await client.data(ExtendHoldDocument, { holdToken: hold.token })).extendHold, 'Hold');
    expect(again.expiresAt).toBe(capped.expiresAt);
    expect((await eventSnapshot(client, 'play')).version).toBe(version);

    // At the cap it runs out: the read after it sees the seat back.
    clock.advance(cap - clock.now() - 1);
    expect((await seatStatuses(client, 'play'))['B-1']).toBe('LOCKED');
    clock.advance(1);
    expect((await seatStatuses(client, 'play'))['B-1']).toBe('AVAILABLE');
  });

  it('answers null for an unknown event or hold token, and EVENT_NOT_FOUND for seats of an unknown event', async () => {
    const client = setup();
    expect((await client.data(EventSeatsDocument, { id: 'nope' })).event).toBeNull();
    expect((await client.data(HoldByTokenDocument, { token: 'never-issued' })).hold).toBeNull();
    const result = await client.execute(SeatsDocument, { eventId: 'nope' });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'EVENT_NOT_FOUND', eventId: 'nope' } })]);
  });

  it('keeps bookings as records with their orderId, read by id without a token; retries keep the first orderId', async () => {
    const client = setup();
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2', 'A-3', 'A-4'] })).lockSeats, 'Hold');
    const one = await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: hold.token, orderId: 'order-7' });
    const seatBooking = expectType(one.confirmSeat, 'Booking');
    expect(seatBooking).toMatchObject({ status: 'CONFIRMED', orderId: 'order-7', eventId: 'play' });
    expect(seatBooking.id).toMatch(/^play\.[A-Za-z0-9_-]{32}$/);

    const rest = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-8' })).confirmHold, 'Booking');
    expect(rest).toMatchObject({
      status: 'CONFIRMED',
      orderId: 'order-8',
      seats: [expect.objectContaining({ id: 'A-3' }), expect.objectContaining({ id: 'A-4' })],
    });
    const retried = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'another' })).confirmHold, 'Booking');
    expect(retried).toEqual(rest);
    const seatRetry = expectType((await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'A-2', holdToken: hold.token })).confirmSeat, 'Booking');
    expect(seatRetry).toEqual(seatBooking);

    for (const { __typename, ...booking } of [rest, seatBooking]) {
      expect((await client.data(BookingByIdDocument, { id: booking.id })).booking).toEqual(booking);
    }
    const unordered = expectType((await client.data(LockSeatDocument, { eventId: 'play', seatId: 'C-5' })).lockSeat, 'Hold');
    const plain = expectType((await client.data(ConfirmHoldDocument, { holdToken: unordered.token })).confirmHold, 'Booking');
    expect(plain.orderId).toBeNull();
    for (const id of ['play.never-issued-booking-id-000000', 'nope.x', 'no-dot', rest.id.slice(0, -1)]) {
      expect((await client.data(BookingByIdDocument, { id })).booking).toBeNull();
    }
  });

  it('refuses a blank, over-long or unprintable orderId with InvalidOrderIdError and books nothing', async () => {
    const client = setup();
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-4', 'B-5'] })).lockSeats, 'Hold');
    const snapshot = await eventSnapshot(client, 'play');
    // NUL, a line break, the right-to-left override, a zero-width space, a lone surrogate, the line separator.
    const unprintable = ['order\u0000-1', 'order-1\nINFO forged log line', 'invoice-\u202Egpj.exe', 'order\u200B-1', 'order-\uD800', 'a\u2028b'];
    for (const orderId of ['', '   ', 'x'.repeat(201), ...unprintable]) {
      const seat = await client.data(ConfirmSeatDocument, { eventId: 'play', seatId: 'B-4', holdToken: hold.token, orderId });
      expect(expectType(seat.confirmSeat, 'InvalidOrderIdError')).toMatchObject({
        maxLength: 200,
        message: 'orderId must be 1 to 200 printable characters, not blank (no control, line-break or direction-changing characters).',
      });
      const all = await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId });
      expect(all.confirmHold.__typename).toBe('InvalidOrderIdError');
    }
    expect(await eventSnapshot(client, 'play')).toEqual(snapshot);
    const longest = expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: `${'y'.repeat(199)}é` })).confirmHold, 'Booking');
    expect(longest.orderId).toHaveLength(200);
  });
});
