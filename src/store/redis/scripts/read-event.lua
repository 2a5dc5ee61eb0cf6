--[[
  The event's version, counts, name and sales.

  args: {}
  ok:   { version, available, locked, booked, blocked, name, salesOpen }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"
--- @include "event"

sweep()
return reply({ ok = eventView() })
