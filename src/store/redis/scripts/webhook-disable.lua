--[[
  Disables an endpoint (its receiver answered 410 Gone); one deleted meanwhile stays deleted.

  KEYS[1] the endpoints hash (id -> JSON)
  args:   { id, reason }
  ok:     1 if disabled, 0 if there is no such endpoint
]]
local args = cjson.decode(ARGV[1])
local raw = redis.call('HGET', KEYS[1], args.id)
if not raw then return 0 end
local endpoint = cjson.decode(raw)
endpoint.enabled = false
endpoint.disabledReason = args.reason
redis.call('HSET', KEYS[1], args.id, cjson.encode(endpoint))
return 1
