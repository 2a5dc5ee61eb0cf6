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

sweep()
if redis.call('HGET', META, 'closed') == '1' then return fail(ERR.SalesClosed) end
if not args.admitted and redis.call('HGET', META, 'room') == '1' then return fail(ERR.AdmissionRequired) end
local token, hold = args.token, nil
if token then
  local code, details
  hold, code, details = holdFor(token, args.requestedEventId)
  if code then return fail(code, details) end
  code, details = inactive(hold)
  if code then return fail(code, details) end
end
local inHold = {}
if hold then for _, seatId in ipairs(hold.seats) do inHold[seatId] = true end end
local added = {}
for _, seatId in ipairs(args.seatIds) do
  if not inHold[seatId] then added[#added + 1] = seatId end
end
local needed = math.max(args.needed, #added)
local total = (hold and (#hold.seats + placesCount(hold.ap)) or 0) + needed
if total > MAX_SEATS then return fail(ERR.HoldLimit, { maxSeats = MAX_SEATS, requestedSeats = total }) end
local owner = hold and (hold.cl or '') or (args.client or '')
if owner ~= '' and args.perClient > 0 then
  local held = (tonumber(redis.call('HGET', CLIENTS, owner)) or 0) + needed
  if held > args.perClient then return fail(ERR.ClientSeatLimit, { maxSeats = args.perClient, requestedSeats = held }) end
end
if #added < needed then return fail(ERR.NotEnoughSeats) end
local taken = {}
for _, seatId in ipairs(added) do
  local state = redis.call('HGET', SEATS, seatId)
  if state ~= 'A' then taken[#taken + 1] = view(seatId, state) end
end
if #taken > 0 then return fail(ERR.SeatUnavailable, { seats = taken }) end
local created = not hold
if created then
  token = args.newToken
  hold = { s = 'ACTIVE', c = now, e = now + TTL, m = math.max(now + TTL, now + HOLD_MAX), seats = {}, rel = {}, bk = {}, hb = false, cl = owner, ap = {} }
  redis.call('ZADD', DEADLINES, hold.e, token)
end
for _, seatId in ipairs(added) do
  apply(seatId, 'A', locked(token, hold.e, owner), 'LOCKED', now)
  hold.seats[#hold.seats + 1] = seatId
end
saveHold(token, hold)
if created then tellHold('hold.created', token, hold, hold.seats) end
return reply({ ok = holdView(token, hold) })
