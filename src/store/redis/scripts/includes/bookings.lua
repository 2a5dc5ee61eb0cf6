-- Bookings, kept for good.

local function bookingView(id)
  local raw = redis.call('GET', bookingKey(id))
  if not raw then return false end
  local booking = cjson.decode(raw)
  return { id = id, seats = booking.seats, confirmedAt = booking.at, orderId = booking.order or false, status = booking.status }
end

local function book(hold, token, seats, bookingId, orderId)
  for _, seatId in ipairs(seats) do
    apply(seatId, redis.call('HGET', SEATS, seatId), 'B|' .. bookingId, 'BOOKED', now)
    hold.bk[seatId] = bookingId
  end
  local booking = { seats = seats, at = now, status = 'CONFIRMED', hold = token }
  if orderId then
    booking.order = orderId
    redis.call('RPUSH', orderKey(orderId), bookingId)
  end
  redis.call('SET', bookingKey(bookingId), cjson.encode(booking))
  redis.call('RPUSH', BOOKINGS, bookingId)
  return booking
end
