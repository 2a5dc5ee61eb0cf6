import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import {
  BlockSeatsDocument,
  CancelBookingDocument,
  ConfirmHoldDocument,
  CreateWebhookDocument,
  DeleteWebhookDocument,
  LockSeatsDocument,
  RedeliverWebhookMessageDocument,
  ReleaseHoldDocument,
  WebhookDeliveriesDocument,
  WebhooksDocument,
} from '../../operations/generated/graphql.js';
import { inProcessApp } from '../support/apps.js';
import { ManualClock } from '../support/clock.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ADMIN_TOKEN = 'webhooks-admin-token-0123456789abcdefgh';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface Body {
  type: string;
  timestamp: string;
  data: { eventId: string; version: number; [key: string]: unknown };
}

const bodyOf = (text: string) => JSON.parse(text) as Body;

describe.each(storeKinds)('webhooks from the $name store', ({ config }) => {
  const setup = (options: { allowPrivate?: boolean; clock?: ManualClock } = {}) => {
    const { app, client } = inProcessApp(
      { ...config(), adminToken: ADMIN_TOKEN, webhooksAllowPrivate: options.allowPrivate ?? true, lockTtlSeconds: 60, holdMaxSeconds: 120 },
      { clock: options.clock, webhookDelivery: options.clock ? 'manual' : 'auto' },
    );
    return { app, buyer: client, operator: client.withHeaders(admin) };
  };
  const createEndpoint = async (operator: ReturnType<typeof setup>['operator'], input: { url: string; types?: string[]; eventIds?: string[] }) =>
    expectType((await operator.data(CreateWebhookDocument, { input })).createWebhook, 'WebhookEndpoint');

  it('delivers every kind of change, signed, with the event version after it; the secret is shown once', async () => {
    const { buyer, operator } = setup();
    const receiver = await WebhookReceiver.start();
    const endpoint = await createEndpoint(operator, { url: receiver.url() });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const { __typename: _typename, ...listed } = endpoint;
    expect((await operator.data(WebhooksDocument, {})).webhooks).toEqual([{ ...listed, secret: null }]);

    const hold = expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1', 'A-2'] })).lockSeats, 'Hold');
    const booking = expectType((await buyer.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-5' })).confirmHold, 'Booking');
    const other = expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1'] })).lockSeats, 'Hold');
    expectType((await buyer.data(ReleaseHoldDocument, { holdToken: other.token })).releaseHold, 'SeatRelease');
    expectType((await operator.data(BlockSeatsDocument, { eventId: 'play', seatIds: ['C-1'] })).blockSeats, 'SeatBlock');
    expectType((await operator.data(CancelBookingDocument, { bookingId: booking.id })).cancelBooking, 'Booking');

    await vi.waitFor(() => expect(receiver.received).toHaveLength(6), { timeout: 15_000 });
    const bodies = receiver.received.map((request) => bodyOf(request.body)).sort((a, b) => a.data.version - b.data.version);
    expect(bodies.map((body) => [body.type, body.data.version])).toEqual([
      ['hold.created', 2],
      ['booking.confirmed', 4],
      ['hold.created', 5],
      ['hold.released', 6],
      ['seats.blocked', 7],
      ['booking.cancelled', 9],
    ]);
    expect(bodies[0]?.data.hold).toEqual({ id: hold.id, seatIds: ['A-1', 'A-2'], areaPlaces: [], expiresAt: hold.expiresAt, status: 'ACTIVE' });
    expect(bodies[1]?.data.booking).toEqual({ id: booking.id, orderId: 'order-5', status: 'CONFIRMED', seatIds: ['A-1', 'A-2'], areaPlaces: [] });
    expect(bodies[4]?.data.seatIds).toEqual(['C-1']);
    for (const request of receiver.received) {
      expect(request.body).not.toContain(hold.token);
      expect(new Webhook(endpoint.secret ?? '').verify(request.body, request.headers as Record<string, string>)).toEqual(JSON.parse(request.body));
    }
    const deliveries = (await operator.data(WebhookDeliveriesDocument, { endpointId: endpoint.id })).webhookDeliveries;
    await vi.waitFor(async () => {
      const now = (await operator.data(WebhookDeliveriesDocument, { endpointId: endpoint.id })).webhookDeliveries;
      expect(now.map((delivery) => delivery.status)).toEqual(Array(6).fill('DELIVERED'));
    });
    expect(deliveries.map((delivery) => delivery.type)[0]).toBe('booking.cancelled');
  });

  it('delivers each confirmed booking of concurrent buyers exactly once while the receiver answers 2xx', async () => {
    const { buyer, operator } = setup();
    const receiver = await WebhookReceiver.start();
    await createEndpoint(operator, { url: receiver.url(), types: ['booking.confirmed'] });
    const seats = ['A', 'B', 'C'].flatMap((row) => [1, 2, 3, 4, 5].map((number) => `${row}-${number}`));
    // Two buyers race for every seat: one of each pair wins it.
    const attempts = await Promise.all(
      [...seats, ...seats].map(async (seat) => {
        const locked = (await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: [seat] })).lockSeats;
        if (locked.__typename !== 'Hold') return null;
        const confirmed = (await buyer.data(ConfirmHoldDocument, { holdToken: locked.token })).confirmHold;
        return confirmed.__typename === 'Booking' ? confirmed.id : null;
      }),
    );
    const bookingIds = attempts.filter((id): id is string => id !== null);
    expect(bookingIds).toHaveLength(seats.length);
    await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThanOrEqual(bookingIds.length), { timeout: 15_000 });
    const received = receiver.received.map((request) => (bodyOf(request.body).data.booking as { id: string }).id);
    expect(received.sort()).toEqual(bookingIds.sort());
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(bookingIds.length);
  });

  it('sends a slow receiver at most 4 requests at once, and keeps its backlog waiting in the store', async () => {
    const { buyer, operator } = setup();
    const receiver = await WebhookReceiver.start();
    let open = 0;
    let most = 0;
    receiver.answer = (response) => {
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        response.writeHead(204).end();
      }, 100);
    };
    await createEndpoint(operator, { url: receiver.url(), types: ['hold.created'] });
    const seats = ['A', 'B'].flatMap((row) => [1, 2, 3, 4, 5].map((number) => `${row}-${number}`));
    for (const seat of seats) expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: [seat] })).lockSeats, 'Hold');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(seats.length), { timeout: 15_000 });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(seats.length);
  });

  it('sends only the types and events an endpoint asked for', async () => {
    const { buyer, operator } = setup();
    const bookings = await WebhookReceiver.start();
    const elsewhere = await WebhookReceiver.start();
    const all = await WebhookReceiver.start();
    await createEndpoint(operator, { url: bookings.url(), types: ['booking.confirmed'] });
    await createEndpoint(operator, { url: elsewhere.url(), eventIds: ['another-event'] });
    await createEndpoint(operator, { url: all.url() });
    const hold = expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-3'] })).lockSeats, 'Hold');
    expectType((await buyer.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking');
    await vi.waitFor(() => expect(all.types()).toEqual(['hold.created', 'booking.confirmed']), { timeout: 15_000 });
    await vi.waitFor(() => expect(bookings.types()).toEqual(['booking.confirmed']), { timeout: 15_000 });
    expect(elsewhere.received).toEqual([]);
  });

  it('retries a failed delivery on the schedule with the same webhook-id, and redelivers on request', async () => {
    const clock = new ManualClock(Date.now());
    const { app, buyer, operator } = setup({ clock });
    const receiver = await WebhookReceiver.start();
    receiver.answer = (response) => response.writeHead(503).end();
    const endpoint = await createEndpoint(operator, { url: receiver.url(), types: ['hold.created'] });
    expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-4'] })).lockSeats, 'Hold');

    await app.webhookDeliverer.runOnce();
    const [failed] = (await operator.data(WebhookDeliveriesDocument, { endpointId: endpoint.id })).webhookDeliveries;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 503 });
    const retryIn = Date.parse(failed?.nextAttemptAt ?? '') - clock.now();
    expect(retryIn).toBeGreaterThanOrEqual(4_000);
    expect(retryIn).toBeLessThanOrEqual(6_000);
    // Not before its time.
    clock.advance(retryIn - 1);
    await app.webhookDeliverer.runOnce();
    expect(receiver.received).toHaveLength(1);

    receiver.answer = (response) => response.writeHead(200).end();
    clock.advance(1);
    await app.webhookDeliverer.runOnce();
    expect(receiver.received).toHaveLength(2);
    const [delivered] = (await operator.data(WebhookDeliveriesDocument, { endpointId: endpoint.id })).webhookDeliveries;
    expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200, nextAttemptAt: null });

    const again = expectType(
      (await operator.data(RedeliverWebhookMessageDocument, { endpointId: endpoint.id, messageId: delivered?.messageId ?? '' })).redeliverWebhookMessage,
      'WebhookDelivery',
    );
    expect(again.nextAttemptAt).not.toBeNull();
    await app.webhookDeliverer.runOnce();
    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual(Array(3).fill(delivered?.messageId));
    expect((await operator.data(RedeliverWebhookMessageDocument, { endpointId: endpoint.id, messageId: 'msg_none' })).redeliverWebhookMessage.__typename).toBe(
      'WebhookNotFoundError',
    );
  });

  it('disables an endpoint that answers 410, and delete stops deliveries at once', async () => {
    const clock = new ManualClock(Date.now());
    const { app, buyer, operator } = setup({ clock });
    const gone = await WebhookReceiver.start();
    gone.answer = (response) => response.writeHead(410).end();
    const deleted = await WebhookReceiver.start();
    const goneEndpoint = await createEndpoint(operator, { url: gone.url() });
    const deletedEndpoint = await createEndpoint(operator, { url: deleted.url() });
    expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-5'] })).lockSeats, 'Hold');
    const removed = expectType((await operator.data(DeleteWebhookDocument, { id: deletedEndpoint.id })).deleteWebhook, 'WebhookEndpoint');
    expect(removed.secret).toBeNull();
    await app.webhookDeliverer.runOnce();
    expect(deleted.received).toEqual([]);
    expect(gone.received).toHaveLength(1);
    const [endpoint] = (await operator.data(WebhooksDocument, {})).webhooks;
    expect(endpoint).toMatchObject({ id: goneEndpoint.id, enabled: false, disabledReason: 'the receiver answered 410 Gone' });
    expectType((await buyer.data(LockSeatsDocument, { eventId: 'play', seatIds: ['B-2'] })).lockSeats, 'Hold');
    clock.advance(3_600_000);
    await app.webhookDeliverer.runOnce();
    expect(gone.received).toHaveLength(1);
    expect((await operator.data(DeleteWebhookDocument, { id: deletedEndpoint.id })).deleteWebhook.__typename).toBe('WebhookNotFoundError');
  });

  it('refuses private addresses by default, and keeps the admin API to the admin token', async () => {
    const { buyer, operator } = setup({ allowPrivate: false });
    const refused = (await operator.data(CreateWebhookDocument, { input: { url: 'http://127.0.0.1:9/hooks' } })).createWebhook;
    expect(expectType(refused, 'InvalidWebhookUrlError').message).toContain('WEBHOOKS_ALLOW_PRIVATE=true');
    const internal = (await operator.data(CreateWebhookDocument, { input: { url: 'https://169.254.169.254/latest' } })).createWebhook;
    expect(internal.__typename).toBe('InvalidWebhookUrlError');
    for (const result of [
      await buyer.execute(CreateWebhookDocument, { input: { url: 'https://hooks.example.com/x' } }),
      await buyer.execute(WebhooksDocument, {}),
      await buyer.execute(WebhookDeliveriesDocument, { endpointId: 'ep_x' }),
      await buyer.execute(DeleteWebhookDocument, { id: 'ep_x' }),
    ]) {
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await operator.data(WebhooksDocument, {})).webhooks).toEqual([]);
  });
});
