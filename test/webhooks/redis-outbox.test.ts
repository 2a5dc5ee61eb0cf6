import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { CreateWebhookDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { disposeAfterTest, inProcessApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { redisAvailable } from '../support/prerequisites.js';
import { TEST_REDIS_TIMEOUT_SECONDS } from '../support/processes.js';
import { uniqueKeyPrefix } from '../support/stores.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ADMIN_TOKEN = 'webhooks-outbox-token-0123456789abcdefgh';

describe.skipIf(!redisAvailable)('the Redis outbox', () => {
  it('dispatches a message another instance read from the outbox and never dispatched (it died)', { timeout: 60_000 }, async () => {
    const keyPrefix = uniqueKeyPrefix();
    const { app, client } = inProcessApp(
      {
        redisUrl: inject('redisUrl'),
        redisKeyPrefix: keyPrefix,
        redisTimeoutMs: TEST_REDIS_TIMEOUT_SECONDS * 1000,
        adminToken: ADMIN_TOKEN,
        webhooksAllowPrivate: true,
      },
      { webhookDelivery: 'manual' },
    );
    const receiver = await WebhookReceiver.start();
    const operator = client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expectType((await operator.data(CreateWebhookDocument, { input: { url: receiver.url(), types: ['hold.created'] } })).createWebhook, 'WebhookEndpoint');
    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats, 'Hold');

    // Another instance takes the message from the outbox through the group, then dies.
    const redis = new Redis(inject('redisUrl'));
    disposeAfterTest(() => redis.quit().then(() => undefined));
    const outbox = `${keyPrefix}:{event:play}:outbox`;
    await redis.xgroup('CREATE', outbox, 'webhooks', '0', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.startsWith('BUSYGROUP')) throw error;
    });
    const read = (await redis.xreadgroup('GROUP', 'webhooks', 'dead-instance', 'COUNT', 10, 'STREAMS', outbox, '>')) as [string, unknown[]][] | null;
    expect(read?.[0]?.[1]).toHaveLength(1);

    // Not while the other may still be at it; once it has been silent a while, this one takes it.
    await app.webhookDeliverer.runOnce();
    expect(receiver.received).toEqual([]);
    await waitUntil(
      async () => {
        await app.webhookDeliverer.runOnce();
        return receiver.received.length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 250, awaited: () => 'the abandoned message to be delivered' },
    );
    expect(receiver.received).toHaveLength(1);
    const body = JSON.parse(receiver.received[0]?.body ?? '{}') as { type: string; data: { hold: { id: string } } };
    expect(body).toMatchObject({ type: 'hold.created', data: { hold: { id: hold.id } } });
    // Dispatched: acknowledged and gone from the outbox.
    expect(await redis.xlen(outbox)).toBe(0);
    expect(((await redis.xpending(outbox, 'webhooks')) as [number])[0]).toBe(0);
  });
});
