--[[
  Every change above afterVersion, oldest first. The stream's newest (version - afterVersion)
  entries are those changes, one per version, unless the stream was trimmed below them (or
  holds an earlier event's entries under this id): then the versions stop running down before
  afterVersion.

  args: { afterVersion }
  ok:   the stream entries' fields, oldest first
  err:  ChangesUnavailable { version, oldest }
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local after = args.afterVersion
local version = tonumber(redis.call('HGET', META, 'version'))
if after > version then return fail(ERR.ChangesUnavailable, { version = version, oldest = version }) end
local newest = {}
if version > after then newest = redis.call('XREVRANGE', STREAM, '+', '-', 'COUNT', version - after) end
local expected = version
for _, entry in ipairs(newest) do
  local fields = entry[2]
  if fields[1] ~= 'v' or tonumber(fields[2]) ~= expected then break end
  expected = expected - 1
end
if expected ~= after then return fail(ERR.ChangesUnavailable, { version = version, oldest = expected }) end
local changes = {}
for i = #newest, 1, -1 do changes[#changes + 1] = newest[i][2] end
return reply({ ok = changes })
