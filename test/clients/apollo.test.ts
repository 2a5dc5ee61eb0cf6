import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { getMainDefinition } from '@apollo/client/utilities/index.js';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfirmHoldDocument,
  EventSeatsDocument,
  LockSeatsDocument,
  SeatChangedDocument,
  type SeatChangedSubscription,
} from '../../operations/generated/graphql.js';
import possibleTypes from '../../operations/generated/possible-types.js';
import { listeningApp, wsClientFor } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { subscribed } from '../support/subscriptions.js';

describe('Apollo Client against a real seatlock', () => {
  it('lists seats, locks, confirms and receives seatChanged', async () => {
    const server = await listeningApp();
    const wsClient = wsClientFor(server.url.href);
    // The set-up of the README: queries and mutations over HTTP, subscriptions over graphql-ws.
    const link = split(
      ({ query }) => {
        const definition = getMainDefinition(query);
        return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
      },
      new GraphQLWsLink(wsClient),
      new HttpLink({ uri: server.url.href }),
    );
    const apollo = new ApolloClient({ link, cache: new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes }) });

    try {
      const { data: seats } = await apollo.query({ query: EventSeatsDocument, variables: { id: 'play' } });
      expect(seats.event?.seats).toHaveLength(15);
      expect(seats.event?.counts.available).toBe(15);

      const changes: SeatChangedSubscription[] = [];
      const subscription = apollo.subscribe({ query: SeatChangedDocument, variables: { eventId: 'play' } }).subscribe({
        next: ({ data }) => data && changes.push(data),
      });
      await subscribed(server);

      const locked = await apollo.mutate({ mutation: LockSeatsDocument, variables: { eventId: 'play', seatIds: ['A-1', 'A-2'] } });
      const hold = expectType(locked.data!.lockSeats, 'Hold');
      const taken = await apollo.mutate({ mutation: LockSeatsDocument, variables: { eventId: 'play', seatIds: ['A-2'] } });
      expect(expectType(taken.data!.lockSeats, 'SeatUnavailableError').message).toBe('Not available: A-2 (locked).');
      const confirmed = await apollo.mutate({ mutation: ConfirmHoldDocument, variables: { holdToken: hold.token } });
      expect(expectType(confirmed.data!.confirmHold, 'Booking').seats.map((seat) => seat.status)).toEqual(['BOOKED', 'BOOKED']);

      await vi.waitFor(() => expect(changes).toHaveLength(4), { timeout: 15_000, interval: 20 });
      expect(changes.map(({ seatChanged }) => [seatChanged.version, seatChanged.seat.id, seatChanged.reason])).toEqual([
        [1, 'A-1', 'LOCKED'],
        [2, 'A-2', 'LOCKED'],
        [3, 'A-1', 'BOOKED'],
        [4, 'A-2', 'BOOKED'],
      ]);
      subscription.unsubscribe();
    } finally {
      apollo.stop();
    }
  });
});
