--[[
  Turns the event's outbox on: a webhook endpoint exists, so from now on every change a webhook
  tells of is written to it (see the outbox include). An event removed meanwhile is left gone.

  args: {}
  ok:   whether the event is there
]]
--- @include "context"
--- @include "reply"

if redis.call('EXISTS', META) == 0 then return reply({ ok = false }) end
redis.call('HSET', META, 'webhooks', '1')
return reply({ ok = true })
