import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { publicHoldId } from '../../src/domain/ids.js';
import { bookingMessage, holdMessage, WEBHOOK_MESSAGE_TYPES } from '../../src/domain/webhook-message.js';
import { checkWebhookUrl, isPrivateAddress, WebhookUrlError } from '../../src/webhooks/address-policy.js';
import { nextRetryDelay, parseRetryAfter, RETRY_DELAYS_MS } from '../../src/webhooks/retry-schedule.js';
import { sendWebhook } from '../../src/webhooks/sender.js';
import { isWebhookSecret, newWebhookSecret } from '../../src/webhooks/signing.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const receiver = () => WebhookReceiver.start();

const booking = {
  id: 'show.b1',
  eventId: 'show',
  seats: [{ id: 'A-1' }, { id: 'A-2' }],
  areaPlaces: [{ area: { id: 'floor' }, quantity: 3 }],
  confirmedAt: new Date(0),
  status: 'CONFIRMED',
  orderId: 'order-1',
} as unknown as Parameters<typeof bookingMessage>[1];

describe('webhook messages', () => {
  it('carry the event, its version after the change and what happened; a hold by its public id, never its token', () => {
    const at = Date.parse('2026-12-04T19:00:00.000Z');
    const confirmed = bookingMessage('booking.confirmed', booking, 42, at);
    expect(confirmed.id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    expect(JSON.parse(confirmed.body)).toEqual({
      type: 'booking.confirmed',
      timestamp: '2026-12-04T19:00:00.000Z',
      data: {
        eventId: 'show',
        version: 42,
        booking: {
          id: 'show.b1',
          orderId: 'order-1',
          status: 'CONFIRMED',
          seatIds: ['A-1', 'A-2'],
          areaPlaces: [{ areaId: 'floor', quantity: 3 }],
        },
      },
    });
    const token = 'show.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const expired = holdMessage(
      'hold.expired',
      { token, eventId: 'show', status: 'EXPIRED', expiresAt: new Date(at) },
      { seatIds: ['A-3'], areaPlaces: [] },
      43,
      at,
    );
    expect(expired.body).not.toContain(token);
    expect(JSON.parse(expired.body).data.hold).toEqual({
      id: publicHoldId(token),
      seatIds: ['A-3'],
      areaPlaces: [],
      expiresAt: '2026-12-04T19:00:00.000Z',
      status: 'EXPIRED',
    });
    expect(publicHoldId(token)).toMatch(/^show\.h[A-Za-z0-9_-]{22}$/);
    expect(publicHoldId(token)).toBe(publicHoldId(token));
    expect(WEBHOOK_MESSAGE_TYPES).toHaveLength(8);
  });
});

describe('signing and sending', () => {
  it('signs as Standard Webhooks: the standardwebhooks package verifies what a receiver got', async () => {
    const secret = newWebhookSecret();
    expect(isWebhookSecret(secret)).toBe(true);
    const hooks = await receiver();
    const message = bookingMessage('booking.confirmed', booking, 7, Date.now());
    const outcome = await sendWebhook({ url: hooks.url(), secret, messageId: message.id, body: message.body, now: Date.now(), allowPrivate: true });
    expect(outcome).toEqual({ kind: 'delivered', statusCode: 204 });
    const [got] = hooks.received;
    expect(got?.headers['webhook-id']).toBe(message.id);
    const verified = new Webhook(secret).verify(got?.body ?? '', got?.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(message.body));
    // Another secret does not verify it.
    expect(() => new Webhook(newWebhookSecret()).verify(got?.body ?? '', got?.headers as Record<string, string>)).toThrow();
  });

  it('tells delivered, gone (410), failed with Retry-After, failed answers and timeouts apart', async () => {
    const hooks = await receiver();
    const url = hooks.url();
    const send = (timeoutMs?: number) =>
      sendWebhook({ url, secret: newWebhookSecret(), messageId: 'msg_1', body: '{}', now: Date.now(), allowPrivate: true, timeoutMs });
    hooks.answer = (response) => response.writeHead(410).end();
    expect(await send()).toEqual({ kind: 'gone', statusCode: 410 });
    hooks.answer = (response) => response.writeHead(429, { 'retry-after': '7' }).end();
    expect(await send()).toMatchObject({ kind: 'failed', statusCode: 429, retryAfterMs: 7_000 });
    hooks.answer = (response) => response.writeHead(500).end('oops');
    expect(await send()).toMatchObject({ kind: 'failed', statusCode: 500, retryAfterMs: null });
    hooks.answer = (response) => response.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
    expect(await send()).toMatchObject({ kind: 'failed', statusCode: 302 });
    hooks.answer = () => undefined; // never answers
    expect(await send(200)).toMatchObject({ kind: 'failed', statusCode: null, error: 'no answer within 0.2 s' });
    await hooks.close();
    expect(await send()).toMatchObject({ kind: 'failed', statusCode: null });
  });

  it('refuses loopback addresses at connect time unless private addresses are allowed, by IP and by name after DNS', async () => {
    const hooks = await receiver();
    for (const host of ['127.0.0.1', 'localhost']) {
      const refused = await sendWebhook({
        url: hooks.url(host),
        secret: newWebhookSecret(),
        messageId: 'msg_1',
        body: '{}',
        now: Date.now(),
        allowPrivate: false,
      });
      expect(refused).toMatchObject({ kind: 'failed', statusCode: null, error: expect.stringContaining('WEBHOOKS_ALLOW_PRIVATE=true') });
    }
    expect(hooks.received).toHaveLength(0);
    const allowed = await sendWebhook({
      url: hooks.url('localhost'),
      secret: newWebhookSecret(),
      messageId: 'msg_1',
      body: '{}',
      now: Date.now(),
      allowPrivate: true,
    });
    expect(allowed.kind).toBe('delivered');
  });
});

describe('endpoint URLs', () => {
  it.each([
    ['http://example.com/hooks', false, 'url must start with https://'],
    ['ftp://example.com/hooks', true, 'url must start with https:// or http://'],
    ['https://127.0.0.1/hooks', false, 'loopback, private or link-local address (127.0.0.1)'],
    ['https://[::1]/hooks', false, 'loopback, private or link-local address (::1)'],
    ['https://10.1.2.3/hooks', false, 'loopback, private or link-local'],
    ['https://169.254.169.254/latest/meta-data', false, 'loopback, private or link-local'],
    ['https://localhost/hooks', false, 'loopback, private or link-local'],
    ['https://user:pass@example.com/hooks', false, 'must not carry a user name or password'],
    ['not a url', false, 'must be an absolute URL'],
  ])('refuses %s (private allowed: %s): %s', (url, allowPrivate, message) => {
    expect(() => checkWebhookUrl(url, allowPrivate)).toThrow(WebhookUrlError);
    expect(() => checkWebhookUrl(url, allowPrivate)).toThrow(message);
  });

  it('takes https URLs, and loopback http ones when private addresses are allowed', () => {
    expect(checkWebhookUrl('https://hooks.example.com/seatlock', false).host).toBe('hooks.example.com');
    expect(checkWebhookUrl('http://127.0.0.1:8080/hooks', true).port).toBe('8080');
    expect(isPrivateAddress('::ffff:192.168.1.1')).toBe(true);
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    expect(isPrivateAddress('2606:4700::1111')).toBe(false);
  });
});

describe('the retry schedule', () => {
  it('retries first within 30 s, keeps trying for at least 24 hours, then gives up', () => {
    expect(nextRetryDelay(1, () => 1)).toBeLessThanOrEqual(30_000);
    const total = RETRY_DELAYS_MS.reduce((sum, _delay, index) => sum + (nextRetryDelay(index + 1, () => 0) ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(nextRetryDelay(RETRY_DELAYS_MS.length + 1)).toBeNull();
  });

  it('spreads retries by ±20% and honours Retry-After within bounds', () => {
    expect(nextRetryDelay(2, () => 0)).toBe(240_000);
    expect(nextRetryDelay(2, () => 1)).toBe(360_000);
    expect(nextRetryDelay(2, () => 0.5, 7_000)).toBe(7_000);
    expect(nextRetryDelay(2, () => 0.5, 365 * 86_400_000)).toBe(36_000_000);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});
