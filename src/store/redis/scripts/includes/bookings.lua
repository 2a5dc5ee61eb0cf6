-- Bookings, kept for good.

local function bookingView(id)
  local raw = redis.call('GET', bookingKey(id))
  if not raw then return false end
  local booking = cjson.decode(raw)
  local places = booking.ap
  if type(places) ~= 'table' then places = {} end
  return {
    id = id, seats = booking.seats, confirmedAt = booking.at, orderId = booking.order or false, status = booking.status,
    areaPlaces = placesView(places),
  }
end

-- Books seats of the hold, and its places when `places` (confirmHold).
local function book(hold, token, seats, bookingId, orderId, places)
  for _, seatId in ipairs(seats) do
    apply(seatId, redis.call('HGET', SEATS, seatId), 'B|' .. bookingId, 'BOOKED', now)
    hold.bk[seatId] = bookingId
  end
  for _, entry in ipairs(places or {}) do movePlaces(entry[1], 'BOOKED', entry[2], hold.cl or '', now) end
  local booking = { seats = seats, at = now, status = 'CONFIRMED', hold = token, ap = places or {} }
  if orderId then
    booking.order = orderId
    redis.call('RPUSH', orderKey(orderId), bookingId)
  end
  redis.call('SET', bookingKey(bookingId), cjson.encode(booking))
  redis.call('RPUSH', BOOKINGS, bookingId)
  return booking
end
