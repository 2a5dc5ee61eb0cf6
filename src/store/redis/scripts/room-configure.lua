--[[
  Makes or changes the event's waiting room (fields left out stay), at one instant for every
  instance. The instance checked the values; the script refuses only what the stored room
  decides: opensAt moved once the room opened and numbered its tickets.

  args: { settings (RoomSettings), seed (hex, for a new room), defaultAdmissionSeconds }
  ok:   { room (RoomState), now }
  err:  WaitingRoomOpened { opensAt }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "room"

local settings = args.settings
local room = loadRoom()
if room then
  settle(room, now)
  if not isNull(room.shuffled) and type(settings.opensAt) == 'number' and settings.opensAt ~= room.opensAt then
    return fail(ERR.WaitingRoomOpened, { opensAt = room.opensAt })
  end
  configureRoom(room, settings, now)
else
  room = newRoom(settings, now, args.seed, args.defaultAdmissionSeconds)
  settle(room, now)
end
saveRoom(room)
-- What the lock script reads: only an admin's change turns it, not every join.
if room.enabled then redis.call('HSET', META, 'room', '1') else redis.call('HDEL', META, 'room') end
return reply({ ok = { room = room, now = now } })
