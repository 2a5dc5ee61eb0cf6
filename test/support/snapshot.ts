import { EventSeatsDocument } from '../../operations/generated/graphql.js';
import type { GraphQLHttpClient } from './graphql-client.js';

/** Everything a client can see of an event: version, counts and every seat. */
export async function eventSnapshot(client: GraphQLHttpClient, eventId: string) {
  const { event } = await client.data(EventSeatsDocument, { id: eventId });
  if (!event) throw new Error(`no event ${eventId}`);
  return event;
}

/** Status of each seat by id, for compact assertions. */
export async function seatStatuses(client: GraphQLHttpClient, eventId: string): Promise<Record<string, string>> {
  const event = await eventSnapshot(client, eventId);
  return Object.fromEntries(event.seats.map((seat) => [seat.id, seat.status]));
}
