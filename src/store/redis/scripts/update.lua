--[[
  Renames the event and/or opens or closes its sales. A name the event already has changes
  nothing (and does not take the name from EVENTS_FILE).

  args: { name?, salesOpen? }
  ok:   the event, as read-event answers it
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "event"

sweep()
if args.name and args.name ~= redis.call('HGET', META, 'name') then redis.call('HSET', META, 'name', args.name, 'renamed', '1') end
if args.salesOpen == true then redis.call('HDEL', META, 'closed') end
if args.salesOpen == false then redis.call('HSET', META, 'closed', '1') end
return reply({ ok = eventView() })
