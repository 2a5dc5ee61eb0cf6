--[[
  Gives a client its ticket of the event's room: the serial it holds, or the next one. The
  instance judges the held ticket (its number may need the shuffle, which the script does not
  draw); if it LAPSED, the instance asks again with `replace`, and the client gets the next
  serial unless another request of it already replaced that one.

  args: { client, replace? }
  ok:   { serial (0: no room on), held (whether it is the client's ticket from before), room, now }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "room"

local room = loadRoom()
if not room or not room.enabled then return reply({ ok = { serial = 0, held = false, room = room or false, now = now } }) end
settle(room, now)
local held = tonumber(redis.call('HGET', ROOM_TICKETS, args.client))
if held and held ~= args.replace then return reply({ ok = { serial = held, held = true, room = room, now = now } }) end
local serial = joinRoom(room, now)
redis.call('HSET', ROOM_TICKETS, args.client, serial)
saveRoom(room)
return reply({ ok = { serial = serial, held = false, room = room, now = now } })
