import type { SeatStore } from '../../store/store.js';

/**
 * What GraphiQL shows first: an event's seats, a lock of two seats, a confirm and a live feed,
 * for `eventId` and two of its seats. README "Try it in GraphiQL" shows these very operations
 * for the demo event (a test keeps the two equal).
 */
export function graphiqlDefaultQuery(eventId: string, seatIds: readonly [string, string]): string {
  const event = JSON.stringify(eventId);
  return /* GraphQL */ `# Welcome to seatlock. Run one operation at a time with the ▶ button.

query EventSeats {
  event(id: ${event}) {
    id name version
    counts { available locked booked total }
    seats { id label section row number status lockExpiresAt }
  }
}

mutation Lock {
  lockSeats(eventId: ${event}, seatIds: [${seatIds.map((id) => JSON.stringify(id)).join(', ')}]) {
    __typename
    ... on Hold { token expiresAt seats { id status } }
    ... on Error { message }
  }
}

# Paste the token from Lock into holdToken.
mutation Confirm {
  confirmHold(holdToken: "PASTE-THE-TOKEN", orderId: "order-1001") {
    __typename
    ... on Booking { id status orderId confirmedAt seats { id status } }
    ... on Error { message }
  }
}

# Start this, then lock a seat in a second tab.
subscription LiveSeats {
  seatChanged(eventId: ${event}) {
    version reason previousStatus at
    seat { id status lockExpiresAt }
  }
}
`;
}

/**
 * The operations for the first event the store serves now (the demo event, or the first of
 * `EVENTS_FILE`), worked out when GraphiQL is opened; with no event at all, the demo's.
 */
export async function graphiqlDefaultQueryFor(store: SeatStore): Promise<string> {
  const events = await store.listEvents().catch(() => []);
  const first = events[0];
  if (!first) return graphiqlDefaultQuery('demo', ['A-1', 'A-2']);
  const seats = await store.listSeats(first.id).catch(() => []);
  const available = seats.filter((seat) => seat.status === 'AVAILABLE');
  const [a, b] = (available.length >= 2 ? available : seats).map((seat) => seat.id);
  return graphiqlDefaultQuery(first.id, [a ?? 'A-1', b ?? a ?? 'A-2']);
}
