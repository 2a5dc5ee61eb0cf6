--[[
  Every seat's state, as a flat array rather than JSON (it can hold 100,000 seats): now, the
  next deadline (or ""), the version, then per seat its id and "A", "B", "X" or the lock's
  expiresAt. A refusal (the store check) is JSON, as for every script.

  args: {}
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local head = nextDeadline()
local out = { now, head and tostring(head) or '', redis.call('HGET', META, 'version') }
local all = redis.call('HGETALL', SEATS)
for i = 1, #all, 2 do
  out[#out + 1] = all[i]
  local kind, _, exp = parse(all[i + 1])
  out[#out + 1] = exp and tostring(exp) or kind
end
return out
