--[[
  Applies the expiries that are due (any instance may: each happens once).

  args: {}
  ok:   true
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
return reply({ ok = true })
