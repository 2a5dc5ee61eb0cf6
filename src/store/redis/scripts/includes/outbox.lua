-- Webhook messages. A script that makes a change a webhook tells of writes the message into the
-- event's outbox stream (in the event's slot, so in the same atomic call as the change), once
-- any endpoint was made (the meta field webhooks = "1", set on every event by createWebhook).
-- The instances' dispatchers read the outbox through one consumer group and turn each message
-- into deliveries (src/store/redis/redis-webhooks.ts), which also builds the body: a hold is
-- written with its token, from which the public hold id is derived there (Lua has no SHA-256).
--
-- Keys of an event:
--   :outbox   stream  t type, v the event's version after the change, a when (ms), d the
--                     message's facts (JSON); entries are deleted once dispatched

local OUTBOX = prefix .. ':outbox'
local webhooksOn = nil

local function tell(messageType, facts)
  if webhooksOn == nil then webhooksOn = redis.call('HGET', META, 'webhooks') == '1' end
  if not webhooksOn then return end
  redis.call('XADD', OUTBOX, '*', 't', messageType, 'v', redis.call('HGET', META, 'version'), 'a', now, 'd', cjson.encode(facts))
end

local function tellHold(messageType, token, hold, seatIds, places)
  tell(messageType, { token = token, seats = seatIds, ap = places or {}, e = hold.e, s = hold.s })
end

local function tellBooking(messageType, id, booking)
  tell(messageType, { id = id, seats = booking.seats, ap = booking.ap or {}, order = booking.order or false, s = booking.status })
end
