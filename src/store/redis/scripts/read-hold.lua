--[[
  A hold for its bearer.

  args: { token }
  ok:   { token, status, createdAt, expiresAt, maxExpiresAt, seats }, or false
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local hold = loadHold(args.token)
if not hold then return reply({ ok = false }) end
return reply({ ok = holdView(args.token, hold) })
