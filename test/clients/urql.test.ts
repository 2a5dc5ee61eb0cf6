import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfirmHoldDocument,
  EventSeatsDocument,
  LockSeatsDocument,
  SeatChangedDocument,
  type SeatChangedSubscription,
} from '../../operations/generated/graphql.js';
import { listeningApp, wsClientFor } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { subscribed } from '../support/subscriptions.js';

describe('urql against a real seatlock', () => {
  it('lists seats, locks, confirms and receives seatChanged', async () => {
    const server = await listeningApp();
    const wsClient = wsClientFor(server.url.href);
    // The set-up of the README: fetch for queries and mutations, graphql-ws for subscriptions.
    const urql = new Client({
      url: server.url.href,
      exchanges: [
        cacheExchange,
        fetchExchange,
        subscriptionExchange({
          forwardSubscription(request) {
            const input = { ...request, query: request.query ?? '' };
            return { subscribe: (sink) => ({ unsubscribe: wsClient.subscribe(input, sink) }) };
          },
        }),
      ],
    });

    const seats = await urql.query(EventSeatsDocument, { id: 'play' }).toPromise();
    expect(seats.error).toBeUndefined();
    expect(seats.data?.event?.seats).toHaveLength(15);

    const changes: SeatChangedSubscription[] = [];
    const subscription = urql.subscription(SeatChangedDocument, { eventId: 'play' }).subscribe((result) => {
      if (result.data) changes.push(result.data);
    });
    await subscribed(server);

    const locked = await urql.mutation(LockSeatsDocument, { eventId: 'play', seatIds: ['B-1', 'B-2'] }).toPromise();
    const hold = expectType(locked.data!.lockSeats, 'Hold');
    const confirmed = await urql.mutation(ConfirmHoldDocument, { holdToken: hold.token }).toPromise();
    expect(expectType(confirmed.data!.confirmHold, 'Booking').seats.map((seat) => seat.id)).toEqual(['B-1', 'B-2']);
    const expired = await urql.mutation(ConfirmHoldDocument, { holdToken: 'play.never-issued' }).toPromise();
    expect(expired.data?.confirmHold.__typename).toBe('HoldNotFoundError');

    await vi.waitFor(() => expect(changes).toHaveLength(4), { timeout: 15_000, interval: 20 });
    expect(changes.map(({ seatChanged }) => [seatChanged.version, seatChanged.seat.id, seatChanged.reason])).toEqual([
      [1, 'B-1', 'LOCKED'],
      [2, 'B-2', 'LOCKED'],
      [3, 'B-1', 'BOOKED'],
      [4, 'B-2', 'BOOKED'],
    ]);
    subscription.unsubscribe();
  });
});
