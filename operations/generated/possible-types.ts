
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "ConfirmHoldResult": [
      "Booking",
      "EmptyHoldError",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError"
    ],
    "ConfirmSeatResult": [
      "Booking",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatNotInHoldError"
    ],
    "Error": [
      "EmptyHoldError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
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
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
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
      "HoldNotFoundError"
    ],
    "ConfirmSeatResult": [
      "Booking",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatNotInHoldError"
    ],
    "Error": [
      "EmptyHoldError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
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
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
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
    