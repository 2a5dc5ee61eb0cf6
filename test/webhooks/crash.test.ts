import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmHoldDocument, CreateWebhookDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { expectType } from '../support/narrow.js';
import { spawnServer, tempDataFile, tempJsonFile } from '../support/processes.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ADMIN_TOKEN = 'webhooks-crash-token-0123456789abcdefgh';

describe('webhooks across kill -9', () => {
  it('delivers every message of an answered change after a SIGKILL, once the receiver is back', { timeout: 60_000 }, async () => {
    // A port the receiver will take only after the crash: nothing can be delivered before.
    const placeholder = await WebhookReceiver.start();
    const port = placeholder.port;
    await placeholder.close();

    const env = {
      DATA_FILE: tempDataFile(),
      EVENTS_FILE: tempJsonFile({ events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 10 }] }] }] }),
      ADMIN_TOKEN,
      WEBHOOKS_ALLOW_PRIVATE: 'true',
    };
    const first = await spawnServer(env);
    const operator = first.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const endpoint = expectType(
      (await operator.data(CreateWebhookDocument, { input: { url: `http://127.0.0.1:${port}/hooks`, types: ['booking.confirmed'] } })).createWebhook,
      'WebhookEndpoint',
    );
    const bookingIds: string[] = [];
    for (const seat of ['A-1', 'A-2', 'A-3']) {
      const hold = expectType((await first.client.data(LockSeatsDocument, { eventId: 'gig', seatIds: [seat] })).lockSeats, 'Hold');
      bookingIds.push(expectType((await first.client.data(ConfirmHoldDocument, { holdToken: hold.token })).confirmHold, 'Booking').id);
    }
    // Answered: each booking's message was written with it. Now the process dies at once.
    await first.kill('SIGKILL');

    const receiver = await WebhookReceiver.start(port);
    const second = await spawnServer(env);
    await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThanOrEqual(3), { timeout: 30_000 });
    const delivered = receiver.received.map((request) =>
      new Webhook(endpoint.secret ?? '').verify(request.body, request.headers as Record<string, string>),
    ) as {
      data: { booking: { id: string } };
    }[];
    expect(new Set(delivered.map((body) => body.data.booking.id))).toEqual(new Set(bookingIds));
    await second.kill('SIGTERM');
  });
});
