--[[
  AVAILABLE seats become BLOCKED, all or nothing: a locked or booked seat refuses. Seats
  already blocked stay so. The seat ids are known to the layout (checked by the instance).

  args: { seatIds }
  ok:   the seats as they are after it
  err:  SeatUnavailable { seats }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local states, taken = {}, {}
for i, seatId in ipairs(args.seatIds) do
  local state = redis.call('HGET', SEATS, seatId)
  states[i] = state
  local kind = string.sub(state, 1, 1)
  if kind == 'L' or kind == 'B' then taken[#taken + 1] = view(seatId, state) end
end
if #taken > 0 then return fail(ERR.SeatUnavailable, { seats = taken }) end
local seats, blocked = {}, {}
for i, seatId in ipairs(args.seatIds) do
  if states[i] == 'A' then
    apply(seatId, 'A', 'X', 'BLOCKED', now)
    blocked[#blocked + 1] = seatId
  end
  seats[#seats + 1] = view(seatId, 'X')
end
if #blocked > 0 then tell('seats.blocked', { seats = blocked }) end
return reply({ ok = seats })
