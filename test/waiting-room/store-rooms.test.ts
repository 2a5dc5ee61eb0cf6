import { afterEach, describe, expect, it } from 'vitest';
import { AdmissionRequiredError, InvalidWaitingRoomError } from '../../src/domain/errors.js';
import { createSeatlockPubSub } from '../../src/store/pubsub.js';
import { fileEvents } from '../../src/store/start-events.js';
import type { HoldPolicy, SeatStore } from '../../src/store/store.js';
import type { QueueTicket } from '../../src/store/waiting-room.js';
import { ManualClock } from '../support/clock.js';
import { testEvents } from '../support/events.js';
import { prepareStoreKind, storeKindsDirect, type StoreHarness, type StoreKind } from '../support/store-harness.js';

const policy: HoldPolicy = { lockTtlMs: 60_000, holdMaxMs: 600_000, maxSeatsPerHold: 10, maxSeatsPerClient: 0 };

/** Opens stores of `kind` on a harness and clock (new ones by default), each closed after its test. */
function storesOf(kind: StoreKind) {
  prepareStoreKind(kind);
  const stores: SeatStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  return (harness: StoreHarness = kind.harness(), clock = new ManualClock(Date.now() + 3_600_000)) => {
    const store = harness.open({ start: fileEvents(testEvents()), pubsub: createSeatlockPubSub(), policy, clock });
    stores.push(store);
    return { store, clock, harness };
  };
}

async function joinAll(store: SeatStore, clients: readonly string[]): Promise<QueueTicket[]> {
  const tickets: QueueTicket[] = [];
  for (const client of clients) tickets.push(await store.waitingRooms.join('play', client));
  return tickets;
}

/**
 * The waiting room's rules, on every store: tickets, the shuffle at opening, the rate, pause,
 * lapse and admission, with time as an input. The model test races them; this one reads as the
 * contract does.
 */
describe.each(storeKindsDirect)('waiting rooms on the $name store', (kind) => {
  const openStore = storesOf(kind);

  it('numbers early arrivals in a random order at opensAt, later ones in arrival order, one ticket per client', async () => {
    const { store, clock } = openStore();
    await store.waitingRooms.configure('play', { enabled: true, opensAt: clock.now() + 60_000, admitPerMinute: 60 });
    const early = Array.from({ length: 40 }, (_, index) => `early-${index}`);
    const tickets = await joinAll(store, early);
    for (const ticket of tickets) expect(ticket).toMatchObject({ status: 'WAITING', number: null, position: null });
    expect((await store.waitingRooms.join('play', 'early-3')).id).toBe(tickets[3]?.id);
    expect(await store.waitingRooms.room('play')).toMatchObject({ waiting: 40, nowServing: 0 });

    clock.advance(60_000);
    const numbered = await Promise.all(tickets.map(async (ticket) => (await store.waitingRooms.ticket(ticket.id)) as QueueTicket));
    const numbers = numbered.map((ticket) => ticket.number as number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(early.map((_, index) => index + 1));
    // 40! orders: the arrival order comes out with a chance of 1 in 8e47.
    expect(numbers).not.toEqual(early.map((_, index) => index + 1));
    const first = numbered.find((ticket) => ticket.number === 1);
    expect(first).toMatchObject({ status: 'ADMITTED', position: null });
    expect(first?.admissionToken).toEqual(expect.any(String));
    for (const ticket of numbered.filter((ticket) => ticket.number !== 1)) {
      expect(ticket).toMatchObject({ status: 'WAITING', position: (ticket.number as number) - 1, estimatedWaitSeconds: (ticket.number as number) - 1 });
    }

    const late = await joinAll(store, ['late-a', 'late-b', 'late-c']);
    expect(late.map((ticket) => ticket.number)).toEqual([41, 42, 43]);
    expect(await store.waitingRooms.room('play')).toMatchObject({ waiting: 42, nowServing: 1, admitted: 1 });
  });

  it('admits at the rate, stands still while paused without making it up, and lapses admissions', async () => {
    const { store, clock } = openStore();
    await store.waitingRooms.configure('play', { enabled: true, opensAt: null, admitPerMinute: 30, admissionSeconds: 10 });
    const tickets = await joinAll(store, ['a', 'b', 'c', 'd', 'e']);
    // Ticket 1 is admitted at opensAt (now), then one every 2 s.
    expect(tickets.map((ticket) => ticket.number)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.waitingRooms.room('play'))?.nowServing).toBe(1);
    clock.advance(1_999);
    expect((await store.waitingRooms.room('play'))?.nowServing).toBe(1);
    clock.advance(1);
    expect((await store.waitingRooms.room('play'))?.nowServing).toBe(2);
    expect(await store.waitingRooms.ticket(tickets[4]?.id as string)).toMatchObject({ position: 3, estimatedWaitSeconds: 6 });

    await store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 30, paused: true });
    const paused = (await store.waitingRooms.room('play'))?.nowServing;
    clock.advance(60_000);
    expect(await store.waitingRooms.room('play')).toMatchObject({ nowServing: paused, paused: true });
    expect((await store.waitingRooms.ticket(tickets[4]?.id as string))?.estimatedWaitSeconds).toBeNull();
    await store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 30, paused: false });
    clock.advance(2_000);
    expect((await store.waitingRooms.room('play'))?.nowServing).toBe((paused ?? 0) + 1);

    // Everyone admitted by now, and the first ones' 10 s are over.
    clock.advance(8_000);
    const room = await store.waitingRooms.room('play');
    expect(room).toMatchObject({ nowServing: 5, waiting: 0 });
    expect((room?.lapsed ?? 0) + (room?.admitted ?? 0)).toBe(5);
    const a = await store.waitingRooms.ticket(tickets[0]?.id as string);
    expect(a).toMatchObject({ status: 'LAPSED', admissionToken: null });
    // Paused, so the line stands still: the new ticket is at its end.
    await store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 30, paused: true });
    const again = await store.waitingRooms.join('play', 'a');
    expect(again.id).not.toBe(a?.id);
    expect(again).toMatchObject({ status: 'WAITING', number: 6, position: 1 });
  });

  it('locks only with an admission while the room is on; a room turned off admits everyone at once', async () => {
    const { store, clock } = openStore();
    const withoutRoom = await store.waitingRooms.join('play', 'buyer');
    expect(withoutRoom).toMatchObject({ status: 'ADMITTED', number: null });
    await store.waitingRooms.configure('play', { enabled: true, opensAt: null, admitPerMinute: 60 });
    await expect(store.lockSeats({ eventId: 'play', seatIds: ['A-1'] })).rejects.toBeInstanceOf(AdmissionRequiredError);
    await expect(store.lockBestAvailable({ eventId: 'play', count: 1 })).rejects.toBeInstanceOf(AdmissionRequiredError);
    // Other events need none.
    await expect(store.lockSeats({ eventId: 'concert', seatIds: ['A-1'] })).resolves.toMatchObject({ eventId: 'concert' });
    const credentials = await store.waitingRooms.credentials();
    // A token from before the room was on does not get in.
    expect(credentials.admits(withoutRoom.admissionToken as string, 'play', clock.now())).toBe(false);

    const ticket = await store.waitingRooms.join('play', 'buyer');
    clock.advance(1_000);
    const admitted = (await store.waitingRooms.ticket(ticket.id)) as QueueTicket;
    expect(admitted.status).toBe('ADMITTED');
    const token = admitted.admissionToken as string;
    expect(credentials.admits(token, 'play', clock.now())).toBe(true);
    expect(credentials.admits(token, 'concert', clock.now())).toBe(false);
    expect(credentials.admits(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'play', clock.now())).toBe(false);
    expect(credentials.admits(token, 'play', (admitted.admittedUntil as Date).getTime())).toBe(false);
    await expect(store.lockSeats({ eventId: 'play', seatIds: ['A-1'], admitted: true })).resolves.toMatchObject({ eventId: 'play' });

    await store.waitingRooms.configure('play', { enabled: false, admitPerMinute: 60 });
    await expect(store.lockSeats({ eventId: 'play', seatIds: ['A-2'] })).resolves.toMatchObject({ eventId: 'play' });
    expect(await store.waitingRooms.join('play', 'someone-else')).toMatchObject({ status: 'ADMITTED' });
  });

  it('refuses settings it cannot take and changes nothing', async () => {
    const { store, clock } = openStore();
    await expect(store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 0 })).rejects.toBeInstanceOf(InvalidWaitingRoomError);
    await expect(store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 10, admissionSeconds: 0 })).rejects.toBeInstanceOf(
      InvalidWaitingRoomError,
    );
    expect(await store.waitingRooms.room('play')).toBeNull();
    await store.waitingRooms.configure('play', { enabled: true, opensAt: clock.now() - 1_000, admitPerMinute: 10 });
    await expect(store.waitingRooms.configure('play', { enabled: true, admitPerMinute: 10, opensAt: clock.now() + 60_000 })).rejects.toBeInstanceOf(
      InvalidWaitingRoomError,
    );
    expect(await store.waitingRooms.room('play')).toMatchObject({ admitPerMinute: 10, opensAt: new Date(clock.now() - 1_000) });
    await expect(store.waitingRooms.join('nope', 'x')).rejects.toMatchObject({ name: 'EventNotFoundError' });
    expect(await store.waitingRooms.ticket('play.1.AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(await store.waitingRooms.ticket('nonsense')).toBeNull();
  });
});

describe.each(storeKindsDirect.filter((kind) => kind.reopens))('waiting rooms on the $name store, closed and opened again', (kind) => {
  const openStore = storesOf(kind);

  it('keeps tickets, their numbers and the schedule across a restart', async () => {
    const harness = kind.harness();
    const clock = new ManualClock(Date.now() + 3_600_000);
    const first = openStore(harness, clock).store;
    await first.waitingRooms.configure('play', { enabled: true, opensAt: clock.now() + 10_000, admitPerMinute: 60 });
    const tickets = await joinAll(first, ['a', 'b', 'c', 'd', 'e', 'f']);
    clock.advance(10_000);
    const before = await Promise.all(tickets.map((ticket) => first.waitingRooms.ticket(ticket.id)));
    await first.close();
    const second = openStore(harness, clock).store;
    const after = await Promise.all(tickets.map((ticket) => second.waitingRooms.ticket(ticket.id)));
    expect(after).toEqual(before);
    expect((await second.waitingRooms.join('play', 'c')).id).toBe(tickets[2]?.id);
    expect((await second.waitingRooms.join('play', 'g')).number).toBe(7);
  });
});
