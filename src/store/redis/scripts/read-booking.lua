--[[
  A booking by its id.

  args: { bookingId }
  ok:   { id, seats, confirmedAt, orderId, status }, or false
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "bookings"

sweep()
return reply({ ok = bookingView(args.bookingId) })
