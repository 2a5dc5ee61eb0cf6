--[[
  Locks seats into a new hold, or into the hold of `token`: all or nothing. The checks come in
  the one documented order (src/store/error-order.ts) from sales closed on; those before it
  (event, seat selection, unknown seats) are the instance's, on the layout.

  args: { requestedEventId, token?, newToken, client?, perClient, needed, seatIds, admitted? }
        admitted: the caller showed a valid admission (checked by the instance); needed while
        the event's waiting room is on (meta `room`).
        needed: best available's count, checked against the limits before the seats (which may
        then be fewer: NotEnoughSeats); 0 for the seats given.
  ok:   the hold
  err:  SalesClosed, AdmissionRequired, HoldNotFound, HoldEventMismatch, HoldExpired, HoldClosed, HoldLimit,
        ClientSeatLimit, NotEnoughSeats, SeatUnavailable
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "locking"

sweep()
local hold, code, details = lockableHold()
if code then return fail(code, details) end
local inHold = {}
if hold then for _, seatId in ipairs(hold.seats) do inHold[seatId] = true end end
local added = {}
for _, seatId in ipairs(args.seatIds) do
  if not inHold[seatId] then added[#added + 1] = seatId end
end
local needed = math.max(args.needed, #added)
local owner
owner, code, details = lockLimits(hold, needed)
if code then return fail(code, details) end
if #added < needed then return fail(ERR.NotEnoughSeats) end
local taken = {}
for _, seatId in ipairs(added) do
  local state = redis.call('HGET', SEATS, seatId)
  if state ~= 'A' then taken[#taken + 1] = view(seatId, state) end
end
if #taken > 0 then return fail(ERR.SeatUnavailable, { seats = taken }) end
local token, created = args.token, not hold
if created then token, hold = openHold(owner) end
for _, seatId in ipairs(added) do
  apply(seatId, 'A', locked(token, hold.e, owner), 'LOCKED', now)
  hold.seats[#hold.seats + 1] = seatId
end
saveHold(token, hold)
if created then tellHold('hold.created', token, hold, hold.seats) end
return reply({ ok = holdView(token, hold) })
