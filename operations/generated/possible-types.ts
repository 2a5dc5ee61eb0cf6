
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
    "ConfigureWaitingRoomResult": [
      "EventNotFoundError",
      "InvalidWaitingRoomError",
      "WaitingRoom"
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
    "CreateWebhookResult": [
      "InvalidWebhookUrlError",
      "WebhookEndpoint"
    ],
    "DeleteWebhookResult": [
      "WebhookEndpoint",
      "WebhookNotFoundError"
    ],
    "Error": [
      "AdmissionRequiredError",
      "AreaNotFoundError",
      "BookingNotFoundError",
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventExistsError",
      "EventNotFoundError",
      "EventNotRemovableError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidLayoutError",
      "InvalidOrderIdError",
      "InvalidSeatSelectionError",
      "InvalidWaitingRoomError",
      "InvalidWebhookUrlError",
      "NotEnoughPlacesError",
      "NotEnoughSeatsError",
      "RateLimitedError",
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatUnavailableError",
      "WebhookNotFoundError"
    ],
    "ExtendHoldResult": [
      "Hold",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError"
    ],
    "JoinQueueResult": [
      "EventNotFoundError",
      "QueueTicket"
    ],
    "LockAreaPlacesResult": [
      "AdmissionRequiredError",
      "AreaNotFoundError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughPlacesError",
      "RateLimitedError",
      "SalesClosedError"
    ],
    "LockBestAvailableResult": [
      "AdmissionRequiredError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughSeatsError",
      "RateLimitedError",
      "SalesClosedError"
    ],
    "LockSeatResult": [
      "AdmissionRequiredError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "RateLimitedError",
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "AdmissionRequiredError",
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
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "RedeliverWebhookMessageResult": [
      "WebhookDelivery",
      "WebhookNotFoundError"
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
    "RemoveEventResult": [
      "EventNotFoundError",
      "EventNotRemovableError",
      "EventRemoval"
    ],
    "SetAreaBlockedResult": [
      "Area",
      "AreaNotFoundError",
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughPlacesError"
    ],
    "UnblockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError"
    ],
    "UpdateEventResult": [
      "Event",
      "EventNotFoundError",
      "InvalidLayoutError"
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
    "ConfigureWaitingRoomResult": [
      "EventNotFoundError",
      "InvalidWaitingRoomError",
      "WaitingRoom"
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
    "CreateWebhookResult": [
      "InvalidWebhookUrlError",
      "WebhookEndpoint"
    ],
    "DeleteWebhookResult": [
      "WebhookEndpoint",
      "WebhookNotFoundError"
    ],
    "Error": [
      "AdmissionRequiredError",
      "AreaNotFoundError",
      "BookingNotFoundError",
      "ClientSeatLimitError",
      "EmptyHoldError",
      "EventExistsError",
      "EventNotFoundError",
      "EventNotRemovableError",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidLayoutError",
      "InvalidOrderIdError",
      "InvalidSeatSelectionError",
      "InvalidWaitingRoomError",
      "InvalidWebhookUrlError",
      "NotEnoughPlacesError",
      "NotEnoughSeatsError",
      "RateLimitedError",
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatNotInHoldError",
      "SeatUnavailableError",
      "WebhookNotFoundError"
    ],
    "ExtendHoldResult": [
      "Hold",
      "HoldClosedError",
      "HoldExpiredError",
      "HoldNotFoundError"
    ],
    "JoinQueueResult": [
      "EventNotFoundError",
      "QueueTicket"
    ],
    "LockAreaPlacesResult": [
      "AdmissionRequiredError",
      "AreaNotFoundError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughPlacesError",
      "RateLimitedError",
      "SalesClosedError"
    ],
    "LockBestAvailableResult": [
      "AdmissionRequiredError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughSeatsError",
      "RateLimitedError",
      "SalesClosedError"
    ],
    "LockSeatResult": [
      "AdmissionRequiredError",
      "ClientSeatLimitError",
      "EventNotFoundError",
      "Hold",
      "HoldClosedError",
      "HoldEventMismatchError",
      "HoldExpiredError",
      "HoldLimitError",
      "HoldNotFoundError",
      "RateLimitedError",
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "LockSeatsResult": [
      "AdmissionRequiredError",
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
      "SalesClosedError",
      "SeatNotFoundError",
      "SeatUnavailableError"
    ],
    "RedeliverWebhookMessageResult": [
      "WebhookDelivery",
      "WebhookNotFoundError"
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
    "RemoveEventResult": [
      "EventNotFoundError",
      "EventNotRemovableError",
      "EventRemoval"
    ],
    "SetAreaBlockedResult": [
      "Area",
      "AreaNotFoundError",
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "NotEnoughPlacesError"
    ],
    "UnblockSeatsResult": [
      "EventNotFoundError",
      "InvalidSeatSelectionError",
      "SeatBlock",
      "SeatNotFoundError"
    ],
    "UpdateEventResult": [
      "Event",
      "EventNotFoundError",
      "InvalidLayoutError"
    ]
  }
};
      export default result;
    