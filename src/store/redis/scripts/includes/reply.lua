-- Results are JSON: { ok = … } or { err = <a code of ERR>, … }, plus now (ms) and next (the
-- earliest deadline, or false), which the instance's expiry sweeper goes by.

local function nextDeadline()
  local head = redis.call('ZRANGE', DEADLINES, 0, 0, 'WITHSCORES')
  if head[2] then return tonumber(head[2]) end
  return false
end

local function reply(result)
  result.now = now
  result.next = nextDeadline()
  return cjson.encode(result)
end

-- A refusal: `code` is one of ERR (src/store/redis/script-errors.ts), `details` what it names.
local function fail(code, details)
  local result = details or {}
  result.err = code
  return reply(result)
end
