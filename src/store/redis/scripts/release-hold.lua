--[[
  Gives every seat of the hold back and ends it. A retry succeeds with nothing to release.

  args: { token }
  ok:   the released seat ids
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
if hold.s == 'RELEASED' then return reply({ ok = {} }) end
local code, details = inactive(hold)
if code then return fail(code, details) end
local seats = lockedSeats(hold, token)
for _, seatId in ipairs(seats) do freeSeat(hold, seatId, 'RELEASED', now) end
endHold(token, hold, 'RELEASED', now)
tellHold('hold.released', token, hold, seats)
return reply({ ok = seats })
