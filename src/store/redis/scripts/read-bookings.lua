--[[
  The bookings of the event, or of one order of it, oldest first.

  args: { orderId? }
  ok:   [{ id, seats, confirmedAt, orderId, status }]
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "bookings"

sweep()
local ids = redis.call('LRANGE', args.orderId and orderKey(args.orderId) or BOOKINGS, 0, -1)
local bookings = {}
for i, id in ipairs(ids) do bookings[i] = bookingView(id) end
return reply({ ok = bookings })
