--[[
  Makes Redis know an event and every seat (idempotent: instances may race on it). An event
  made by another store (the data was lost and another instance seeded it anew) is refused.
  The name is taken from EVENTS_FILE unless the admin API renamed the event.

  args: { name, seatIds, areas, webhooks?, announce? }
        areas: [[id, capacity], …] of its general admission areas, in layout order
        webhooks: an endpoint exists, so changes of the event are written to its outbox;
        announce: the seat count of an event made by createEvent, told (event.created) by the
        call that seeds its last seats
  ok:   the number of seats added
]]
--- @include "context"
--- @include "reply"
--- @include "outbox"

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
for position, area in ipairs(args.areas) do
  redis.call('HSETNX', prefix .. ':areas', area[1] .. ':c', area[2])
  redis.call('HSETNX', prefix .. ':areas', area[1] .. ':p', position)
end
if args.webhooks then redis.call('HSET', META, 'webhooks', '1') end
if args.announce then tell('event.created', { name = args.name, seats = args.announce }) end
return reply({ ok = added })
