--- @include "outbox"

-- Applies every expiry that is due, earliest first. Every operation runs it first, so no one
-- sees a lock past its expiresAt however late the sweepers are, and each expiry happens once.
local function sweep()
  local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now)
  local ended = {}
  for _, token in ipairs(due) do
    local hold = loadHold(token)
    if hold and hold.s == 'ACTIVE' then
      local seats = lockedSeats(hold, token)
      for _, seatId in ipairs(seats) do freeSeat(hold, seatId, 'EXPIRED', hold.e) end
      local places = freePlaces(hold, 'EXPIRED', hold.e)
      endHold(token, hold, 'EXPIRED', hold.e)
      ended[#ended + 1] = { token, hold, seats, places }
    else
      redis.call('ZREM', DEADLINES, token)
    end
  end
  -- Told once every due hold expired: each message carries the version after the whole sweep,
  -- whatever order holds due at the same moment were taken in (every store agrees).
  for _, expired in ipairs(ended) do tellHold('hold.expired', expired[1], expired[2], expired[3], expired[4]) end
end
