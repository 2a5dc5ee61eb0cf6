--[[
  BLOCKED seats become AVAILABLE; the others are left as they are.

  args: { seatIds }
  ok:   the seats as they are after it
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local seats, unblocked = {}, {}
for _, seatId in ipairs(args.seatIds) do
  local state = redis.call('HGET', SEATS, seatId)
  if state == 'X' then
    apply(seatId, 'X', 'A', 'UNBLOCKED', now)
    state = 'A'
    unblocked[#unblocked + 1] = seatId
  end
  seats[#seats + 1] = view(seatId, state)
end
if #unblocked > 0 then tell('seats.unblocked', { seats = unblocked }) end
return reply({ ok = seats })
