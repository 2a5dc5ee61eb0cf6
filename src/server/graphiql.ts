/** What GraphiQL shows first: the demo event's seats, a lock, a confirm and a live feed. */
export const GRAPHIQL_DEFAULT_QUERY = /* GraphQL */ `# Welcome to seatlock. Run one operation at a time with the ▶ button.

query DemoSeats {
  event(id: "demo") {
    id
    name
    version
    counts { available locked booked total }
    seats { id label status lockExpiresAt }
  }
}

mutation Lock {
  lockSeat(eventId: "demo", seatId: "A-1") {
    __typename
    ... on Hold { token expiresAt seats { id status } }
    ... on Error { message }
  }
}

# Paste the token from Lock into holdToken.
mutation Confirm {
  confirmHold(holdToken: "PASTE-TOKEN") {
    __typename
    ... on Booking { id confirmedAt seats { id status } }
    ... on Error { message }
  }
}

# Start this, then lock a seat in a second tab.
subscription LiveSeats {
  seatChanged(eventId: "demo") {
    version reason previousStatus at
    seat { id status lockExpiresAt }
  }
}
`;
