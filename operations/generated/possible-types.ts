
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "ConfirmHoldResult": [
      "Booking",
      "EmptyHoldError",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "InvalidOrderIdError"
    ],
    "ConfirmSeatResult": [
      "Booking",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "InvalidOrderIdError",
      "SeatNotFoundError",
      "SeatNotInHoldError"
    ],
    "Error": [
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidOrderIdError",
      "InvalidSeatSelectionError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatUnavailableError"
    ],
    "ExtendHoldResult": [
      "Hold",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError"
    ],
    "LockSeatResult": [
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "ReleaseHoldResult": [
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatRelease"
    ],
    "ReleaseSeatResult": [
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatRelease"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "ConfirmHoldResult": [
      "Booking",
      "EmptyHoldError",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "InvalidOrderIdError"
    ],
    "ConfirmSeatResult": [
      "Booking",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "InvalidOrderIdError",
      "SeatNotFoundError",
      "SeatNotInHoldError"
    ],
    "Error": [
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidOrderIdError",
      "InvalidSeatSelectionError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatUnavailableError"
    ],
    "ExtendHoldResult": [
      "Hold",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError"
    ],
    "LockSeatResult": [
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "RateLimitedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "ReleaseHoldResult": [
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatRelease"
    ],
    "ReleaseSeatResult": [
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatRelease"
    ]
  }
};
      export default result;
    