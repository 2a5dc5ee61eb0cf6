--[[
  Books every seat and place the hold still locks. A retry answers the same booking.

  args: { token, bookingId, orderId? }
  ok:   the booking
  err:  HoldNotFound, HoldExpired, HoldClosed, EmptyHold
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "bookings"

sweep()
local token = args.token
local hold = loadHold(token)
if not hold then return fail(ERR.HoldNotFound) end
if hold.hb then return reply({ ok = bookingView(hold.hb) }) end
local code, details = inactive(hold)
if code then return fail(code, details) end
local seats = lockedSeats(hold, token)
if #seats == 0 and #hold.ap == 0 then return fail(ERR.EmptyHold) end
local booking = book(hold, token, seats, args.bookingId, args.orderId, hold.ap)
hold.hb = args.bookingId
endHold(token, hold, 'CONFIRMED', now)
tellBooking('booking.confirmed', args.bookingId, booking)
return reply({ ok = bookingView(args.bookingId) })
