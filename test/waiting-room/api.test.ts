import { describe, expect, it } from 'vitest';
import {
  ConfigureWaitingRoomDocument,
  EventWaitingRoomDocument,
  JoinQueueDocument,
  LockBestAvailableDocument,
  LockSeatDocument,
  LockSeatsDocument,
  QueueProgressDocument,
  QueueTicketDocument,
} from '../../operations/generated/graphql.js';
import type { Config } from '../../src/config.js';
import { inProcessApp, listeningApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { expectType } from '../support/narrow.js';
import { seatStatuses } from '../support/snapshot.js';
import { storeKinds } from '../support/stores.js';
import { Recorder, subscribed } from '../support/subscriptions.js';
import { waitUntil } from '../support/wait.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const byHeader: Partial<Config> = { adminToken: ADMIN_TOKEN, clientIdentity: { kind: 'header', name: 'x-client-id' } };

describe.each(storeKinds)('the waiting room API ($name store)', ({ config }) => {
  const setup = (clock = new ManualClock(Date.now() + 3_600_000)) => {
    const { app, client } = inProcessApp({ ...config(), ...byHeader }, { clock });
    return { app, client, clock, buyer: (id: string) => client.withHeaders({ 'x-client-id': id }), operator: client.withHeaders(admin) };
  };

  it('queues buyers, admits them at the rate, and locks only with the admission of this event', async () => {
    const { client, clock, buyer, operator } = setup();
    const configured = await operator.data(ConfigureWaitingRoomDocument, {
      eventId: 'play',
      input: { enabled: true, admitPerMinute: 60, admissionSeconds: 120 },
    });
    expect(expectType(configured.configureWaitingRoom, 'WaitingRoom')).toMatchObject({ enabled: true, paused: false, waiting: 0, nowServing: 0 });

    const first = expectType((await buyer('ann').data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket');
    const second = expectType((await buyer('bob').data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket');
    expect(expectType((await buyer('bob').data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket').id).toBe(second.id);
    expect(first).toMatchObject({ status: 'ADMITTED', number: 1 });
    expect(second).toMatchObject({ status: 'WAITING', number: 2, position: 1, estimatedWaitSeconds: 1, admissionToken: null });

    const refused = await buyer('bob').data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
    expect(expectType(refused.lockSeat, 'AdmissionRequiredError').eventId).toBe('play');
    const admission = first.admissionToken as string;
    // The other event's locks are not this admission's.
    await operator.data(ConfigureWaitingRoomDocument, { eventId: 'concert', input: { enabled: true, admitPerMinute: 60 } });
    const elsewhere = await buyer('ann').data(LockSeatDocument, { eventId: 'concert', seatId: 'A-1', admissionToken: admission });
    expect(elsewhere.lockSeat.__typename).toBe('AdmissionRequiredError');
    const forged = await buyer('bob').data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', admissionToken: `${admission.slice(0, -2)}xx` });
    expect(forged.lockSeat.__typename).toBe('AdmissionRequiredError');
    expect(await seatStatuses(client, 'play')).toMatchObject({ 'A-1': 'AVAILABLE' });

    const hold = expectType((await buyer('ann').data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', admissionToken: admission })).lockSeat, 'Hold');
    const more = await buyer('ann').data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'], holdToken: hold.token, admissionToken: admission });
    expect(expectType(more.lockSeats, 'Hold').seats).toHaveLength(2);
    const best = await buyer('ann').data(LockBestAvailableDocument, { eventId: 'play', count: 2, admissionToken: admission });
    expect(best.lockBestAvailable.__typename).toBe('Hold');

    clock.advance(1_000);
    const bob = (await client.data(QueueTicketDocument, { id: second.id })).queueTicket;
    expect(bob).toMatchObject({ status: 'ADMITTED', number: 2, position: null });
    expect((await buyer('bob').data(LockSeatDocument, { eventId: 'play', seatId: 'C-1', admissionToken: bob?.admissionToken })).lockSeat.__typename).toBe(
      'Hold',
    );

    // Past its 120 s the admission lapses: the token no longer gets in, and joining again is a new place at the end.
    clock.advance(120_000);
    expect((await client.data(QueueTicketDocument, { id: first.id })).queueTicket).toMatchObject({ status: 'LAPSED', admissionToken: null });
    const late = await buyer('ann').data(LockSeatDocument, { eventId: 'play', seatId: 'C-2', admissionToken: admission });
    expect(late.lockSeat.__typename).toBe('AdmissionRequiredError');
    const rejoined = expectType((await buyer('ann').data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket');
    expect(rejoined.id).not.toBe(first.id);
    expect(rejoined.number).toBe(3);

    const room = (await client.data(EventWaitingRoomDocument, { id: 'play' })).event?.waitingRoom;
    expect(room).toMatchObject({ enabled: true, nowServing: 3, waiting: 0, admitted: 1, lapsed: 2, admissionSeconds: 120 });
  });

  it('answers an event without a room with a ticket admitted at once, and unknown ids and events plainly', async () => {
    const { client, buyer, operator } = setup();
    const ticket = expectType((await buyer('ann').data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket');
    expect(ticket).toMatchObject({ status: 'ADMITTED', number: null, position: null, estimatedWaitSeconds: 0, admissionToken: expect.any(String) });
    expect((await client.data(QueueTicketDocument, { id: ticket.id })).queueTicket).toMatchObject({ status: 'ADMITTED' });
    expect((await client.data(EventWaitingRoomDocument, { id: 'play' })).event?.waitingRoom).toBeNull();
    expect((await buyer('ann').data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', admissionToken: ticket.admissionToken })).lockSeat.__typename).toBe(
      'Hold',
    );
    expect(expectType((await buyer('ann').data(JoinQueueDocument, { eventId: 'nope' })).joinQueue, 'EventNotFoundError').eventId).toBe('nope');
    expect((await client.data(QueueTicketDocument, { id: 'play.1.AAAAAAAAAAAAAAAAAAAAAA' })).queueTicket).toBeNull();
    expect((await client.data(QueueTicketDocument, { id: 'x'.repeat(300) })).queueTicket).toBeNull();

    const bad = await operator.data(ConfigureWaitingRoomDocument, { eventId: 'play', input: { enabled: true, admitPerMinute: -5 } });
    expect(expectType(bad.configureWaitingRoom, 'InvalidWaitingRoomError').message).toMatch(/admitPerMinute/);
    const unknown = await operator.data(ConfigureWaitingRoomDocument, { eventId: 'nope', input: { enabled: true, admitPerMinute: 5 } });
    expect(unknown.configureWaitingRoom.__typename).toBe('EventNotFoundError');
    const anonymous = await client.execute(ConfigureWaitingRoomDocument, { eventId: 'play', input: { enabled: true, admitPerMinute: 5 } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.data(EventWaitingRoomDocument, { id: 'play' })).event?.waitingRoom).toBeNull();
  });

  it('tells queueProgress watchers where the line stands, each step and each change an admin makes', async () => {
    const clock = new ManualClock(Date.now() + 3_600_000);
    const server = await listeningApp({ ...config(), ...byHeader, metricsPublic: true }, { clock });
    const operator = server.client.withHeaders(admin);
    await operator.data(ConfigureWaitingRoomDocument, {
      eventId: 'play',
      input: { enabled: true, admitPerMinute: 60, opensAt: new Date(clock.now() + 5_000).toISOString() },
    });
    for (const id of ['a', 'b', 'c']) await server.client.withHeaders({ 'x-client-id': id }).data(JoinQueueDocument, { eventId: 'play' });
    const recorder = new Recorder(server.wsClient(), QueueProgressDocument, { eventId: 'play' });
    await subscribed(server);
    await waitUntil(() => recorder.data.length >= 1, { timeoutMs: 15_000, awaited: () => 'the first progress message' });
    expect(recorder.data[0]?.queueProgress).toMatchObject({ nowServing: 0, waiting: 3, paused: false, admitPerMinute: 60 });

    clock.advance(5_000);
    await waitUntil(() => recorder.data.some((message) => message.queueProgress.nowServing === 1), {
      timeoutMs: 15_000,
      awaited: () => 'ticket 1 admitted at opensAt',
    });
    clock.advance(1_000);
    await waitUntil(() => recorder.data.some((message) => message.queueProgress.nowServing === 2), { timeoutMs: 15_000, awaited: () => 'the next step' });
    await operator.data(ConfigureWaitingRoomDocument, { eventId: 'play', input: { enabled: true, admitPerMinute: 60, paused: true } });
    await waitUntil(() => recorder.data.some((message) => message.queueProgress.paused), { timeoutMs: 15_000, awaited: () => 'the pause' });
    const last = recorder.data.at(-1)?.queueProgress;
    expect(last).toMatchObject({ nowServing: 2, waiting: 1, paused: true });
    // The room's figures and the refused lock are on /metrics.
    await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(/^seatlock_queue_tickets\{event="play",status="waiting"\} 1$/m);
    expect(metrics).toMatch(/^seatlock_queue_tickets\{event="play",status="admitted"\} 2$/m);
    expect(metrics).toMatch(/^seatlock_queue_tickets\{event="play",status="lapsed"\} 0$/m);
    expect(metrics).toMatch(/^seatlock_admission_refusals_total\{event="play"\} 1$/m);
    // One message per step: never two alike in a row.
    const seen = recorder.data.map((message) => `${message.queueProgress.nowServing}|${message.queueProgress.paused}|${message.queueProgress.waiting}`);
    expect(seen.filter((key, index) => index > 0 && key === seen[index - 1])).toEqual([]);
    await recorder.stop();
  });
});
