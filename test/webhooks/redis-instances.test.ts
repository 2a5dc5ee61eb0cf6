import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { describe, expect, inject, it, vi } from 'vitest';
import { ConfirmHoldDocument, CreateWebhookDocument, LockSeatsDocument, WebhookDeliveriesDocument } from '../../operations/generated/graphql.js';
import { expectType } from '../support/narrow.js';
import { redisAvailable } from '../support/prerequisites.js';
import { spawnServer, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { type Received, WebhookReceiver } from '../support/webhook-receiver.js';

const ADMIN_TOKEN = 'webhooks-redis-token-0123456789abcdefgh';
const SEATS = 24;

/**
 * A receiver that tells, per message, whether two requests of it were ever open at once (two
 * instances attempting it together), and can hold every request open until told to answer.
 */
function watchedReceiver(receiver: WebhookReceiver) {
  const open = new Map<string, number>();
  const state = { overlaps: [] as string[], stalled: [] as ServerResponse[], holding: false, answered: new Set<string>() };
  receiver.answer = (response: ServerResponse, request: Received) => {
    const id = String(request.headers['webhook-id']);
    if ((open.get(id) ?? 0) > 0) state.overlaps.push(id);
    open.set(id, (open.get(id) ?? 0) + 1);
    // Closed when answered, or when the sender's connection dies (a killed instance).
    response.on('close', () => open.set(id, (open.get(id) ?? 1) - 1));
    const answer = () => {
      if (response.destroyed) return;
      response.writeHead(204).end();
      state.answered.add(id);
    };
    if (state.holding) state.stalled.push(Object.assign(response, { answerNow: answer }));
    else answer();
  };
  return {
    state,
    inFlight: () => [...open.values()].reduce((sum, count) => sum + count, 0),
    release() {
      state.holding = false;
      for (const response of state.stalled.splice(0)) (response as ServerResponse & { answerNow: () => void }).answerNow();
    },
  };
}

async function bookSeats(servers: readonly ServerProcess[], seatIds: readonly string[]): Promise<string[]> {
  return Promise.all(
    seatIds.map(async (seatId, index) => {
      const { client } = servers[index % servers.length] as ServerProcess;
      const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'gig', seatIds: [seatId] })).lockSeats, 'Hold');
      return expectType((await client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking').id;
    }),
  );
}

function bookingIdsIn(received: readonly Received[], secret: string): Set<string> {
  const webhook = new Webhook(secret);
  return new Set(
    received.map(
      (request) => (webhook.verify(request.body, request.headers as Record<string, string>) as { data: { booking: { id: string } } }).data.booking.id,
    ),
  );
}

describe.skipIf(!redisAvailable)('webhooks from several instances on one Redis', () => {
  it('sends each message once while the receiver answers, and one killed mid-delivery loses none and doubles none', { timeout: 120_000 }, async () => {
    const env = {
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: uniqueKeyPrefix(),
      EVENTS_FILE: tempJsonFile({ events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: SEATS }] }] }] }),
      ADMIN_TOKEN,
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      LOCKS_PER_MINUTE: '0',
      MAX_SEATS_PER_CLIENT: '0',
    };
    const [doomed, survivor] = await Promise.all([spawnServer(env), spawnServer(env)]);
    if (!doomed || !survivor) throw new Error('two instances were to start');
    const receiver = await WebhookReceiver.start();
    const watch = watchedReceiver(receiver);
    const operator = doomed.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const endpoint = expectType(
      (await operator.data(CreateWebhookDocument, { input: { url: receiver.url(), types: ['booking.confirmed'] } })).createWebhook,
      'WebhookEndpoint',
    );
    const secret = endpoint.secret ?? '';
    const seats = Array.from({ length: SEATS }, (_, index) => `A-${index + 1}`);

    // Both instances sell and both deliver; the receiver answers at once: each message once.
    const first = await bookSeats([doomed, survivor], seats.slice(0, 12));
    await vi.waitFor(() => expect(watch.state.answered.size).toBe(first.length), { timeout: 20_000 });
    expect(receiver.received).toHaveLength(first.length);
    expect(bookingIdsIn(receiver.received, secret)).toEqual(new Set(first));

    // The receiver holds every request open: each instance takes at most 4 at once, so more
    // than 4 open means both instances are mid-delivery. Then one of them is killed.
    watch.state.holding = true;
    const second = await bookSeats([doomed, survivor], seats.slice(12));
    await vi.waitFor(() => expect(watch.inFlight()).toBeGreaterThan(4), { timeout: 20_000 });
    await doomed.kill('SIGKILL');
    watch.release();

    // The survivor sends what the dead one had taken once its lease ends (25 s), and the rest.
    // Its word is what counts: an answer written to the dead instance's connection reached no one.
    const all = new Set([...first, ...second]);
    const survivorOperator = survivor.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    await vi.waitFor(
      async () => {
        const deliveries = (await survivorOperator.data(WebhookDeliveriesDocument, { endpointId: endpoint.id, limit: 100 })).webhookDeliveries;
        expect(deliveries.map((delivery) => delivery.status)).toEqual(Array(all.size).fill('DELIVERED'));
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(bookingIdsIn(receiver.received, secret)).toEqual(all);
    expect(watch.state.overlaps).toEqual([]);
    await survivor.kill('SIGTERM');
  });
});
