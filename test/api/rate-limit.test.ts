import { parse } from 'graphql';
import { describe, expect, inject, it } from 'vitest';
import { LockSeatDocument } from '../../operations/generated/graphql.js';
import { ManualClock } from '../support/clock.js';
import { inProcessApp, listeningApp } from '../support/apps.js';
import { captureLog } from '../support/log-capture.js';
import { eventSnapshot } from '../support/snapshot.js';
import { TEST_REDIS_TIMEOUT_SECONDS } from '../support/processes.js';
import { storeKinds, uniqueKeyPrefix } from '../support/stores.js';
import { redisAvailable } from '../support/prerequisites.js';

/** Five aliased lockSeat fields in one operation: five lock attempts. */
const FIVE_LOCKS = parse(`mutation {
  ${['A-1', 'A-2', 'A-3', 'A-4', 'A-5']
    .map((seat, i) => `l${i}: lockSeat(eventId: "play", seatId: "${seat}") { __typename ... on RateLimitedError { retryAfterSeconds message } }`)
    .join('\n  ')}
}`);

type Outcome = { __typename: string; retryAfterSeconds?: number; message?: string };

describe.each(storeKinds)('lock rate limit per client ($name store)', ({ config }) => {
  const limited = () => ({ ...config(), lockRate: { burst: 3, perMinute: 60 }, clientIdentity: { kind: 'header', name: 'x-client-id' } as const });

  it('counts aliased locks one by one and answers RateLimitedError past the burst, changing nothing', async () => {
    const { client } = inProcessApp(limited());
    const buyer = client.withHeaders({ 'x-client-id': 'bot' });
    const result = (await buyer.data(FIVE_LOCKS as never, {})) as Record<string, Outcome>;
    expect(Object.values(result).map((outcome) => outcome.__typename)).toEqual(['Hold', 'Hold', 'Hold', 'RateLimitedError', 'RateLimitedError']);
    expect(result.l3).toEqual({ __typename: 'RateLimitedError', retryAfterSeconds: 1, message: 'Too many lock attempts; try again in 1 s.' });
    const snapshot = await eventSnapshot(client, 'play');
    expect(snapshot.counts.locked).toBe(3);
    expect(snapshot.seats.filter((seat) => seat.status === 'LOCKED').map((seat) => seat.id)).toEqual(['A-1', 'A-2', 'A-3']);
  });

  it('leaves other clients alone, and lets the client in again after retryAfterSeconds', async () => {
    const clock = new ManualClock(Date.now());
    const { client } = inProcessApp(limited(), { clock });
    const bot = client.withHeaders({ 'x-client-id': 'bot' });
    await bot.data(FIVE_LOCKS as never, {});
    const refused = await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'B-1' });
    expect(refused.lockSeat).toMatchObject({ __typename: 'RateLimitedError', retryAfterSeconds: 1 });

    const person = client.withHeaders({ 'x-client-id': 'person' });
    expect((await person.data(LockSeatDocument, { eventId: 'play', seatId: 'B-2' })).lockSeat.__typename).toBe('Hold');

    clock.advance(999);
    expect((await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'B-3' })).lockSeat.__typename).toBe('RateLimitedError');
    clock.advance(1);
    expect((await bot.data(LockSeatDocument, { eventId: 'play', seatId: 'B-3' })).lockSeat.__typename).toBe('Hold');
  });
});

describe('lock rate limit over WebSocket', () => {
  it('counts a socket’s locks against the client of its connection', async () => {
    const server = await listeningApp({ lockRate: { burst: 2, perMinute: 60 } });
    const outcomes: string[] = [];
    const client = server.wsClient();
    for (const seat of ['C-1', 'C-2', 'C-3']) {
      const result = await new Promise<{ data?: { lockSeat: { __typename: string } } }>((resolve, reject) => {
        client.subscribe(
          { query: `mutation { lockSeat(eventId: "play", seatId: "${seat}") { __typename } }` },
          { next: (value) => resolve(value as never), error: reject, complete: () => undefined },
        );
      });
      outcomes.push(result.data?.lockSeat.__typename ?? 'none');
    }
    expect(outcomes).toEqual(['Hold', 'Hold', 'RateLimitedError']);
  });
});

describe.skipIf(!redisAvailable)('lock rate limit with several instances (Redis)', () => {
  it('is one budget per client across the instances, not the limit times the instances', async () => {
    const shared = {
      redisUrl: inject('redisUrl'),
      redisKeyPrefix: uniqueKeyPrefix(),
      redisTimeoutMs: TEST_REDIS_TIMEOUT_SECONDS * 1000,
      lockRate: { burst: 3, perMinute: 60 },
      clientIdentity: { kind: 'header', name: 'x-client-id' } as const,
    };
    // Both instances log to one place: a client's first refusal is said once, by whichever instance refused it.
    const { logDestination, entries } = captureLog();
    const logged = { production: true, logLevel: 'info' } as const;
    const first = inProcessApp({ ...shared, ...logged }, { logDestination }).client.withHeaders({ 'x-client-id': 'bot' });
    const second = inProcessApp({ ...shared, ...logged }, { logDestination }).client.withHeaders({ 'x-client-id': 'bot' });
    const outcomes: string[] = [];
    for (const [index, seatId] of ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'B-1'].entries()) {
      const instance = index % 2 === 0 ? first : second;
      outcomes.push((await instance.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat.__typename);
    }
    expect(outcomes).toEqual(['Hold', 'Hold', 'Hold', 'RateLimitedError', 'RateLimitedError', 'RateLimitedError']);
    const refusals = entries.filter((entry) => String(entry.msg).startsWith('refused: a client ran out'));
    expect(refusals).toEqual([expect.objectContaining({ client: 'bot', retryAfterSeconds: 1 })]);
  });
});
