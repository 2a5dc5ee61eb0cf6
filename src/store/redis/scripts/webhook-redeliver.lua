--[[
  Makes a delivery due now again, with the same message id (a finished one is unfinished again).

  args: { messageId, now }
  ok:   JSON of the delivery as webhookDeliveries answers it, or false if there is none
]]
--- @include "endpoint"

local id = args.messageId
local delivery = loadDelivery(id)
if not delivery then return false end
if delivery.nextAttemptAt == false then redis.call('LREM', FINISHED, 1, id) end
if delivery.attempts == 0 then delivery.status = 'PENDING' else delivery.status = 'FAILED' end
delivery.nextAttemptAt = args.now
redis.call('ZADD', DUE, args.now, id)
redis.call('ZADD', PENDING, delivery.createdAt, id)
saveDelivery(id, delivery)
return cjson.encode(deliveryView(id, delivery))
