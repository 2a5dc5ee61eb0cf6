--[[
  Gives one seat of the hold back. A retry succeeds with nothing left to release.

  args: { requestedEventId, token, seatId }
  ok:   the released seat ids
  err:  HoldNotFound, HoldEventMismatch, HoldExpired, HoldClosed, SeatNotInHold
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local token, seatId = args.token, args.seatId
local hold, code, details = holdFor(token, args.requestedEventId)
if code then return fail(code, details) end
if hold.s == 'EXPIRED' then return fail(inactive(hold)) end
if not lockedBy(redis.call('HGET', SEATS, seatId), token) then
  if hold.rel[seatId] then return reply({ ok = {} }) end
  code, details = inactive(hold)
  if code then return fail(code, details) end
  return fail(ERR.SeatNotInHold, { seatId = seatId })
end
freeSeat(hold, seatId, 'RELEASED', now)
saveHold(token, hold)
tellHold('hold.released', token, hold, { seatId })
return reply({ ok = { seatId } })
