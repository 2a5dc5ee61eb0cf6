-- Seats: their states, what a client may see of them, and the one way a seat changes.

local STATUS = { A = 'AVAILABLE', L = 'LOCKED', B = 'BOOKED', X = 'BLOCKED' }
local COUNT_FIELD = { A = 'available', L = 'locked', B = 'booked', X = 'blocked' }

-- "L|token|exp|client" -> "L", token, exp, client; "A" -> "A"; "B|id" -> "B"; "X" -> "X"
local function parse(state)
  local kind = string.sub(state, 1, 1)
  if kind == 'L' then
    local bar = string.find(state, '|', 3, true)
    local bar2 = string.find(state, '|', bar + 1, true)
    return kind, string.sub(state, 3, bar - 1), tonumber(string.sub(state, bar + 1, bar2 - 1)), string.sub(state, bar2 + 1)
  end
  return kind, nil, nil, nil
end

local function locked(token, expiresAt, client)
  return 'L|' .. token .. '|' .. expiresAt .. '|' .. client
end

local function countClient(client, delta)
  if client == nil or client == '' then return end
  if redis.call('HINCRBY', CLIENTS, client, delta) <= 0 then redis.call('HDEL', CLIENTS, client) end
end

local function lockedBy(state, token)
  if not state then return false end
  local kind, owner = parse(state)
  return kind == 'L' and owner == token
end

-- What a client may see of a seat: status and lock expiry, never the token.
local function view(seatId, state)
  local kind, _, exp = parse(state)
  return { seatId, STATUS[kind], exp or false }
end

-- Every seat change: the state, the counts, the client's cap, the version, and its stream entry.
local function apply(seatId, previous, state, reason, at)
  local before, after = string.sub(previous, 1, 1), string.sub(state, 1, 1)
  local _, _, _, oldClient = parse(previous)
  local _, _, exp, newClient = parse(state)
  countClient(oldClient, -1)
  countClient(newClient, 1)
  redis.call('HSET', SEATS, seatId, state)
  redis.call('HINCRBY', META, COUNT_FIELD[before], -1)
  redis.call('HINCRBY', META, COUNT_FIELD[after], 1)
  local version = redis.call('HINCRBY', META, 'version', 1)
  redis.call('XADD', STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*',
    'v', version, 's', seatId, 'p', STATUS[before], 'n', STATUS[after],
    'x', exp or '', 'r', reason, 'a', at)
end
