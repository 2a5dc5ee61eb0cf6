--[[
  Makes Redis know an event and every seat (idempotent: instances may race on it). An event
  made by another store (the data was lost and another instance seeded it anew) is refused.
  The name is taken from EVENTS_FILE unless the admin API renamed the event.

  args: { name, seatIds }
  ok:   the number of seats added
]]
--- @include "context"
--- @include "reply"

local store = redis.call('HGET', META, 'store')
if store and store ~= STORE_ID then return fail(ERR.StoreChanged) end
redis.call('HSET', META, 'store', STORE_ID)
for _, field in ipairs({ 'version', 'available', 'locked', 'booked', 'blocked' }) do redis.call('HSETNX', META, field, 0) end
if redis.call('HGET', META, 'renamed') ~= '1' then redis.call('HSET', META, 'name', args.name) end
-- The stream of an event removed earlier under this id lives on for a while; this one keeps it.
redis.call('PERSIST', STREAM)
local added = 0
for _, seatId in ipairs(args.seatIds) do added = added + redis.call('HSETNX', SEATS, seatId, 'A') end
redis.call('HINCRBY', META, 'available', added)
return reply({ ok = added })
