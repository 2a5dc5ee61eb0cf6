
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "BlockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "CancelBookingResult": [
      "Booking",
      "BookingNotFoundError"
    ],
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
    "CreateEventResult": [
      "Event",
      "EventExistsError",
      "InvalidLayoutError"
    ],
    "Error": [
      "BookingNotFoundError",
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventExistsError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidLayoutError",
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
    ],
    "UnblockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "BlockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "CancelBookingResult": [
      "Booking",
      "BookingNotFoundError"
    ],
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
    "CreateEventResult": [
      "Event",
      "EventExistsError",
      "InvalidLayoutError"
    ],
    "Error": [
      "BookingNotFoundError",
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventExistsError",
      "EventNotFoundError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidLayoutError",
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
    ],
    "UnblockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError"
    ]
  }
};
      export default result;
    