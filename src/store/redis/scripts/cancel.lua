--[[
  The booking becomes CANCELLED and its seats and places available. A retry answers the cancelled booking.

  args: { bookingId }
  ok:   the booking
  err:  BookingNotFound { bookingId }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "bookings"

sweep()
local id = args.bookingId
local raw = redis.call('GET', bookingKey(id))
if not raw then return fail(ERR.BookingNotFound, { bookingId = id }) end
local booking = cjson.decode(raw)
if booking.status ~= 'CANCELLED' then
  booking.status = 'CANCELLED'
  for _, seatId in ipairs(booking.seats) do
    local state = redis.call('HGET', SEATS, seatId)
    if state == 'B|' .. id then apply(seatId, state, 'A', 'CANCELLED', now) end
  end
  if type(booking.ap) == 'table' then
    for _, entry in ipairs(booking.ap) do movePlaces(entry[1], 'CANCELLED', entry[2], '', now) end
  end
  redis.call('SET', bookingKey(id), cjson.encode(booking))
  tellBooking('booking.cancelled', id, booking)
end
return reply({ ok = bookingView(id) })
