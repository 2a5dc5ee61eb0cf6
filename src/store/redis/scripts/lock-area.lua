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
--- @include "locking"

sweep()
local hold, code, details = lockableHold()
if code then return fail(code, details) end
local quantity = args.quantity
local owner
owner, code, details = lockLimits(hold, quantity)
if code then return fail(code, details) end
local area = areaCounts(args.areaId)
if quantity > area.available then return fail(ERR.NotEnoughPlaces, { areaId = args.areaId, requested = quantity, available = area.available }) end
local token, created = args.token, not hold
if created then token, hold = openHold(owner) end
addPlaces(hold.ap, args.areaId, quantity)
movePlaces(args.areaId, 'LOCKED', quantity, owner, now, hold.e)
saveHold(token, hold)
if created then tellHold('hold.created', token, hold, hold.seats, hold.ap) end
return reply({ ok = holdView(token, hold) })
