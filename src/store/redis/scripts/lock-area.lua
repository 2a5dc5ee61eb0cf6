--[[
  Locks places of a general admission area into a new hold, or into the hold of `token`. The
  checks come in the one documented order (src/store/error-order.ts) from sales closed on; those
  before it (event, quantity, unknown area) are the instance's, on the layout.

  args: { requestedEventId, token?, newToken, client?, perClient, areaId, quantity, admitted? }
  ok:   the hold
  err:  SalesClosed, AdmissionRequired, HoldNotFound, HoldEventMismatch, HoldExpired, HoldClosed, HoldLimit,
        ClientSeatLimit, NotEnoughPlaces { areaId, requested, available }
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
local quantity = args.quantity
local total = (hold and (#hold.seats + placesCount(hold.ap)) or 0) + quantity
if total > MAX_SEATS then return fail(ERR.HoldLimit, { maxSeats = MAX_SEATS, requestedSeats = total }) end
local owner = hold and (hold.cl or '') or (args.client or '')
if owner ~= '' and args.perClient > 0 then
  local held = (tonumber(redis.call('HGET', CLIENTS, owner)) or 0) + quantity
  if held > args.perClient then return fail(ERR.ClientSeatLimit, { maxSeats = args.perClient, requestedSeats = held }) end
end
local area = areaCounts(args.areaId)
if quantity > area.available then return fail(ERR.NotEnoughPlaces, { areaId = args.areaId, requested = quantity, available = area.available }) end
local created = not hold
if created then
  token = args.newToken
  hold = { s = 'ACTIVE', c = now, e = now + TTL, m = math.max(now + TTL, now + HOLD_MAX), seats = {}, rel = {}, bk = {}, hb = false, cl = owner, ap = {} }
  redis.call('ZADD', DEADLINES, hold.e, token)
end
addPlaces(hold.ap, args.areaId, quantity)
movePlaces(args.areaId, 'LOCKED', quantity, owner, now, hold.e)
saveHold(token, hold)
if created then tellHold('hold.created', token, hold, hold.seats, hold.ap) end
return reply({ ok = holdView(token, hold) })
