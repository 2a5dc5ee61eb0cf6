--[[
  Books one seat of the hold. A retry answers the booking that already holds the seat.

  args: { requestedEventId, token, seatId, bookingId, orderId? }
  ok:   the booking
  err:  HoldNotFound, HoldEventMismatch, HoldExpired, HoldClosed, SeatNotInHold
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "bookings"

sweep()
local token, seatId = args.token, args.seatId
local hold, code, details = holdFor(token, args.requestedEventId)
if code then return fail(code, details) end
if hold.bk[seatId] then return reply({ ok = bookingView(hold.bk[seatId]) }) end
code, details = inactive(hold)
if code then return fail(code, details) end
if not lockedBy(redis.call('HGET', SEATS, seatId), token) then return fail(ERR.SeatNotInHold, { seatId = seatId }) end
local booking = book(hold, token, { seatId }, args.bookingId, args.orderId)
saveHold(token, hold)
tellBooking('booking.confirmed', args.bookingId, booking)
return reply({ ok = bookingView(args.bookingId) })
