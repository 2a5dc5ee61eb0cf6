--[[
  Reads the event's waiting room as stored (the instance settles a copy at `now`).

  args: {}
  ok:   { room (RoomState) or false, now }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"

local raw = redis.call('GET', prefix .. ':room')
return reply({ ok = { room = raw and cjson.decode(raw) or false, now = now } })
