--[[
  Writes deliveries of messages to the endpoint, each once whoever writes it (a dispatcher that
  died before acknowledging its messages has them written again by another), and only while the
  endpoint exists.

  args: { messages: [{ id, type, eventId, body, createdAt }] }
  ok:   the number of deliveries written
]]
--- @include "endpoint"

if redis.call('EXISTS', ALIVE) == 0 then return 0 end
local added = 0
for _, message in ipairs(args.messages) do
  local delivery = {
    type = message.type, eventId = message.eventId, body = message.body, createdAt = message.createdAt,
    status = 'PENDING', attempts = 0, lastStatusCode = false, lastError = false, nextAttemptAt = message.createdAt,
  }
  if redis.call('HSETNX', DELIVERIES, message.id, cjson.encode(delivery)) == 1 then
    redis.call('ZADD', DUE, message.createdAt, message.id)
    redis.call('ZADD', PENDING, message.createdAt, message.id)
    redis.call('ZADD', RECENT, message.createdAt, message.id)
    added = added + 1
  end
end
return added
