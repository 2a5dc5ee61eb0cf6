--[[
  Takes the endpoint's deliveries due by now, oldest first, at most `room`, each for `leaseMs`:
  no other deliverer takes them in that time, and they are taken again once it passes unless
  their attempt was written.

  args: { now, room, leaseMs }
  ok:   JSON list of { messageId, body, attempts }
]]
--- @include "endpoint"

local taken = {}
-- cjson writes an empty list as {}: the instance reads either as a list.
if args.room <= 0 then return cjson.encode(taken) end
local ids = redis.call('ZRANGEBYSCORE', DUE, '-inf', args.now, 'LIMIT', 0, args.room)
for _, id in ipairs(ids) do
  local delivery = loadDelivery(id)
  if delivery then
    redis.call('ZADD', DUE, args.now + args.leaseMs, id)
    taken[#taken + 1] = { messageId = id, body = delivery.body, attempts = delivery.attempts }
  else
    redis.call('ZREM', DUE, id)
  end
end
return cjson.encode(taken)
