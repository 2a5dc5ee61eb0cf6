import { describe, expect, it } from 'vitest';
import { seatsMessage } from '../../src/domain/webhook-message.js';
import { EmbeddedWebhooks, FINISHED_DELIVERIES_KEPT, newWebhookEffects } from '../../src/store/embedded/webhooks.js';

describe('the embedded webhook outbox', () => {
  it('keeps the newest finished deliveries of an endpoint, counts what is pending, and forgets messages no delivery needs', () => {
    const effects = newWebhookEffects();
    const webhooks = new EmbeddedWebhooks(effects);
    const endpoint = webhooks.create('ep_1', { url: 'https://hooks.example.com/', secret: 'whsec_x', types: null, eventIds: null, description: null }, 0);
    const total = FINISHED_DELIVERIES_KEPT + 3;
    const ids: string[] = [];
    for (let index = 0; index < total; index++) {
      const message = seatsMessage('seats.blocked', 'show', ['A-1'], index + 1, index);
      ids.push(message.id);
      webhooks.publish(message);
    }
    expect(webhooks.pending()).toEqual({ count: total, oldestCreatedAt: 0 });
    // The first one fails and stays due; every other is delivered.
    webhooks.record({
      endpointId: endpoint.id,
      messageId: ids[0] as string,
      status: 'FAILED',
      statusCode: 500,
      error: 'answered 500',
      nextAttemptAt: 5_000,
      disableEndpoint: null,
    });
    for (const messageId of ids.slice(1)) {
      webhooks.record({ endpointId: endpoint.id, messageId, status: 'DELIVERED', statusCode: 204, error: null, nextAttemptAt: null, disableEndpoint: null });
    }
    const listed = webhooks.deliveriesOf(endpoint.id, 5_000) ?? [];
    expect(listed).toHaveLength(FINISHED_DELIVERIES_KEPT + 1);
    expect(listed.at(-1)).toMatchObject({ messageId: ids[0], status: 'FAILED' });
    expect(listed.filter((delivery) => delivery.status === 'DELIVERED').map((delivery) => delivery.messageId)).not.toContain(ids[1]);
    const forgotten = [...effects.forgottenDeliveries].map((delivery) => delivery.message);
    expect(forgotten.map((message) => message.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(forgotten.map((message) => message.deliveries)).toEqual([0, 0]);
    expect(webhooks.pending()).toEqual({ count: 1, oldestCreatedAt: 0 });

    // Redelivering a delivered one makes it pending again, and its outcome finishes it again.
    webhooks.redeliver(endpoint.id, ids[5] as string, 10_000);
    expect(webhooks.pending().count).toBe(2);
    webhooks.record({
      endpointId: endpoint.id,
      messageId: ids[5] as string,
      status: 'DELIVERED',
      statusCode: 204,
      error: null,
      nextAttemptAt: null,
      disableEndpoint: null,
    });
    webhooks.record({
      endpointId: endpoint.id,
      messageId: ids[0] as string,
      status: 'DELIVERED',
      statusCode: 204,
      error: null,
      nextAttemptAt: null,
      disableEndpoint: null,
    });
    expect(webhooks.pending()).toEqual({ count: 0, oldestCreatedAt: null });
    expect(webhooks.deliveriesOf(endpoint.id, 5_000)).toHaveLength(FINISHED_DELIVERIES_KEPT);
  });
});
