-- What every webhook endpoint script starts from: one endpoint's keys, all in its own slot.
--
-- KEYS[1]  the endpoint's key prefix, e.g. "seatlock:{webhook:ep_…}"
-- ARGV[1]  the operation's arguments, JSON (see src/store/redis/redis-webhooks.ts)
--
-- Keys of an endpoint:
--   :alive       string  "1" while the endpoint exists: deliveries are only written while it is
--   :deliveries  hash    message id -> JSON { type, eventId, body, createdAt, status, attempts,
--                        lastStatusCode, lastError, nextAttemptAt }
--   :due         zset    message ids to try (PENDING and FAILED), by when; a taken one by the end
--                        of its lease (taken again if its attempt is never written)
--   :pending     zset    message ids not yet DELIVERED or GIVEN_UP, by when they were made
--   :recent      zset    every kept message id, by when it was made (webhookDeliveries)
--   :finished    list    DELIVERED and GIVEN_UP message ids, newest first, FINISHED_KEPT at most

local prefix = KEYS[1]
local ALIVE, DELIVERIES, DUE = prefix .. ':alive', prefix .. ':deliveries', prefix .. ':due'
local PENDING, RECENT, FINISHED = prefix .. ':pending', prefix .. ':recent', prefix .. ':finished'
local args = cjson.decode(ARGV[1])
-- Finished deliveries kept (as the embedded store keeps them: FINISHED_DELIVERIES_KEPT).
local FINISHED_KEPT = 1000

local function loadDelivery(id)
  local raw = redis.call('HGET', DELIVERIES, id)
  if not raw then return nil end
  return cjson.decode(raw)
end

local function saveDelivery(id, delivery)
  redis.call('HSET', DELIVERIES, id, cjson.encode(delivery))
end

-- A delivery as webhookDeliveries answers it: everything but the body.
local function deliveryView(id, delivery)
  return {
    messageId = id, type = delivery.type, eventId = delivery.eventId, status = delivery.status,
    attempts = delivery.attempts, lastStatusCode = delivery.lastStatusCode, lastError = delivery.lastError,
    nextAttemptAt = delivery.nextAttemptAt, createdAt = delivery.createdAt,
  }
end
