--[[
  Holds back `blocked` places of an area (off sale), whatever were held back before.

  args: { areaId, blocked }
  ok:   the area, as areaView gives it
  err:  NotEnoughPlaces { areaId, requested, available, holdingBack } (more to hold back than are available)
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local area = areaCounts(args.areaId)
local more = args.blocked - area.blocked
if more > area.available then return fail(ERR.NotEnoughPlaces, { areaId = args.areaId, requested = more, available = area.available, holdingBack = true }) end
if more > 0 then movePlaces(args.areaId, 'BLOCKED', more, '', now) end
if more < 0 then movePlaces(args.areaId, 'UNBLOCKED', -more, '', now) end
return reply({ ok = areaView(args.areaId) })
