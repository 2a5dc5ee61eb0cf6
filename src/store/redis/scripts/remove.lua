--[[
  Removes an event that never had a booking and has no locked seat. Bookings made before the
  bookings list existed count through the booked seats. Active holds (every seat given back)
  go; ended ones cannot lock again and expire by themselves. A last stream entry tells every
  instance to forget the event; the stream then expires after a day.

  args: {}
  ok:   the event as it was
  err:  EventNotRemovable { reason }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "event"

sweep()
local event = eventView()
if redis.call('LLEN', BOOKINGS) > 0 or event.booked > 0 then return fail(ERR.EventNotRemovable, { reason = 'HAS_BOOKINGS' }) end
if event.locked > 0 or anyPlacesLocked() then return fail(ERR.EventNotRemovable, { reason = 'HAS_LOCKED_SEATS' }) end
for _, token in ipairs(redis.call('ZRANGE', DEADLINES, 0, -1)) do redis.call('DEL', holdKey(token)) end
redis.call('DEL', META, SEATS, AREAS, DEADLINES, CLIENTS, BOOKINGS, prefix .. ':layout', prefix .. ':room', prefix .. ':room:tickets')
redis.call('XADD', STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'removed', '1')
redis.call('PEXPIRE', STREAM, 86400000)
-- Messages not yet dispatched are dispatched still (the dispatchers drain a removed event's outbox).
redis.call('PEXPIRE', OUTBOX, 86400000)
return reply({ ok = event })
