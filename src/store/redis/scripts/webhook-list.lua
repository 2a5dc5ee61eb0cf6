--[[
  The endpoint's deliveries, newest first, and its oldest unfinished one (for metrics).

  args: { limit }
  ok:   JSON { deliveries: [delivery as webhookDeliveries answers it], pending, oldest }
        (oldest: when the oldest unfinished delivery was made, or false)
]]
--- @include "endpoint"

local deliveries = {}
if args.limit > 0 then
  for _, id in ipairs(redis.call('ZREVRANGE', RECENT, 0, args.limit - 1)) do
    local delivery = loadDelivery(id)
    if delivery then deliveries[#deliveries + 1] = deliveryView(id, delivery) end
  end
end
local oldest = redis.call('ZRANGE', PENDING, 0, 0, 'WITHSCORES')
local result = { pending = redis.call('ZCARD', PENDING), oldest = oldest[2] and tonumber(oldest[2]) or false }
-- cjson writes an empty list as {}: the instance reads either as a list.
result.deliveries = deliveries
return cjson.encode(result)
