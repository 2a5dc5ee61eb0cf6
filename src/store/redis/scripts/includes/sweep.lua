--- @include "outbox"

-- Applies every expiry that is due, earliest first. Every operation runs it first, so no one
-- sees a lock past its expiresAt however late the sweepers are, and each expiry happens once.
local function sweep()
  local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now)
  for _, token in ipairs(due) do
    local hold = loadHold(token)
    if hold and hold.s == 'ACTIVE' then
      local seats = lockedSeats(hold, token)
      for _, seatId in ipairs(seats) do freeSeat(hold, seatId, 'EXPIRED', hold.e) end
      endHold(token, hold, 'EXPIRED', hold.e)
      tellHold('hold.expired', token, hold, seats)
    else
      redis.call('ZREM', DEADLINES, token)
    end
  end
end
