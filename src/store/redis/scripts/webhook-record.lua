--[[
  Keeps what an attempt came to: FAILED is due again at nextAttemptAt; DELIVERED and GIVEN_UP
  are finished, of which the newest FINISHED_KEPT are kept. A delivery deleted meanwhile (its
  endpoint with it) is left gone.

  args: { messageId, status, statusCode, error, nextAttemptAt }  (statusCode, error,
        nextAttemptAt: false when none)
  ok:   1 if kept, 0 if the delivery is gone
]]
--- @include "endpoint"

local id = args.messageId
local delivery = loadDelivery(id)
if not delivery then return 0 end
local wasFinished = delivery.nextAttemptAt == false
delivery.attempts = delivery.attempts + 1
delivery.status = args.status
delivery.lastStatusCode = args.statusCode
delivery.lastError = args.error
if args.status == 'FAILED' then
  delivery.nextAttemptAt = args.nextAttemptAt
  redis.call('ZADD', DUE, args.nextAttemptAt, id)
  if wasFinished then redis.call('LREM', FINISHED, 1, id) end
else
  delivery.nextAttemptAt = false
  redis.call('ZREM', DUE, id)
  redis.call('ZREM', PENDING, id)
  if not wasFinished then redis.call('LPUSH', FINISHED, id) end
end
saveDelivery(id, delivery)
while redis.call('LLEN', FINISHED) > FINISHED_KEPT do
  local oldest = redis.call('RPOP', FINISHED)
  redis.call('HDEL', DELIVERIES, oldest)
  redis.call('ZREM', RECENT, oldest)
end
return 1
