--[[
  Pushes expiresAt out by one TTL, never past the hold's cap. No seat changes status, so
  nothing is published.

  args: { token }
  ok:   the hold
  err:  HoldNotFound, HoldExpired, HoldClosed
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local token = args.token
local hold = loadHold(token)
if not hold then return fail(ERR.HoldNotFound) end
local code, details = inactive(hold)
if code then return fail(code, details) end
local extended = math.min(now + TTL, hold.m)
if extended > hold.e then
  hold.e = extended
  redis.call('ZADD', DEADLINES, extended, token)
  for _, seatId in ipairs(lockedSeats(hold, token)) do
    redis.call('HSET', SEATS, seatId, locked(token, extended, hold.cl or ''))
  end
  saveHold(token, hold)
end
return reply({ ok = holdView(token, hold) })
