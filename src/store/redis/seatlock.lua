-- Every seatlock operation on one event, atomically, in one round trip.
--
-- KEYS[1]  the event's key prefix, e.g. "seatlock:{event:demo}": every key below shares its
--          hash tag, so the script touches one slot (Redis Cluster safe).
-- ARGV     op, eventId, lockTtlMs, holdMaxMs, maxSeatsPerHold, changeLogSize, now (ms, or ""
--          for Redis's own time; tests pass a clock they move), storeId, then the op's own
--          arguments.
--
-- Keys of an event:
--   :meta       hash   version, available, locked, booked, blocked, name, store (the id of the
--                      store that made the event: a Redis that lost its data is noticed by it),
--                      renamed ("1": the admin API named it, EVENTS_FILE no longer does),
--                      closed ("1": sales closed, no seat can be locked)
--   :layout     string JSON of the event's layout, written by the instance that made it
--   :seats      hash   seatId -> "A" | "L|<token>|<expiresAt>|<client>" | "B|<bookingId>" | "X"
--                      (X: blocked, off sale)
--   :deadlines  zset   token of every ACTIVE hold, scored by expiresAt
--   :clients    hash   client key -> seats it holds locked now (the per-client cap)
--   :changes    stream one entry per seat change, in version order; an entry { removed = 1 }
--                      tells every instance the event was removed (the stream then expires)
--   :hold:<t>   string JSON of a hold; once ended it lives HOLD_MAX more, then Redis drops it
--   :booking:<id> string JSON of a booking, kept for good: { seats, at, order, status, hold }
--   :bookings   list   every booking id, oldest first
--   :order:<o>  list   the booking ids of order id <o>, oldest first
--
-- Time is Redis's own (TIME), never an instance clock. Results are JSON: { ok = … } or
-- { err = "<ErrorName>", … }, plus now (ms) and next (the earliest deadline, or false).

local prefix = KEYS[1]
local META, SEATS = prefix .. ':meta', prefix .. ':seats'
local DEADLINES, STREAM, CLIENTS = prefix .. ':deadlines', prefix .. ':changes', prefix .. ':clients'
local op, EVENT_ID = ARGV[1], ARGV[2]
local TTL, HOLD_MAX, MAX_SEATS = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
-- The stream keeps at least the last changeLogSize changes (MAXLEN ~ trims whole nodes only).
local STREAM_MAXLEN = tonumber(ARGV[6])
local STORE_ID = ARGV[8]

local now
if ARGV[7] ~= '' then
  now = tonumber(ARGV[7])
else
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end

local STATUS = { A = 'AVAILABLE', L = 'LOCKED', B = 'BOOKED', X = 'BLOCKED' }
local COUNT_FIELD = { A = 'available', L = 'locked', B = 'booked', X = 'blocked' }

local function holdKey(token) return prefix .. ':hold:' .. token end
local function bookingKey(id) return prefix .. ':booking:' .. id end
local function orderKey(orderId) return prefix .. ':order:' .. orderId end
local BOOKINGS = prefix .. ':bookings'

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

-- A hold's JSON: s status, c createdAt, e expiresAt, m maxExpiresAt (the cap), x when it ended,
-- cl client key, seats (locked or booked from it, in order), rel (released seat ids as keys),
-- bk (seat id -> booking id), hb (the booking confirmHold made, or false).
local function loadHold(token)
  local raw = redis.call('GET', holdKey(token))
  if not raw then return nil end
  local hold = cjson.decode(raw)
  -- Forgotten HOLD_MAX after it ended, exactly, whenever Redis gets round to dropping the key.
  if hold.s ~= 'ACTIVE' and hold.x and hold.x + HOLD_MAX <= now then return nil end
  -- cjson cannot tell an empty array from an empty object; both decode to an empty table.
  if type(hold.rel) ~= 'table' then hold.rel = {} end
  if type(hold.bk) ~= 'table' then hold.bk = {} end
  return hold
end

local function saveHold(token, hold, forgetAt)
  redis.call('SET', holdKey(token), cjson.encode(hold))
  if forgetAt then redis.call('PEXPIREAT', holdKey(token), forgetAt) end
end

local function lockedSeats(hold, token)
  local seats = {}
  for _, seatId in ipairs(hold.seats) do
    if lockedBy(redis.call('HGET', SEATS, seatId), token) then seats[#seats + 1] = seatId end
  end
  return seats
end

local function freeSeat(hold, seatId, reason, at)
  apply(seatId, redis.call('HGET', SEATS, seatId), 'A', reason, at)
  hold.rel[seatId] = 1
  local kept = {}
  for _, id in ipairs(hold.seats) do
    if id ~= seatId then kept[#kept + 1] = id end
  end
  hold.seats = kept
end

local function endHold(token, hold, status, at)
  hold.s = status
  hold.x = at
  redis.call('ZREM', DEADLINES, token)
  saveHold(token, hold, at + HOLD_MAX)
end

-- Applies every expiry that is due, earliest first. Every operation runs it first, so no one
-- sees a lock past its expiresAt however late the sweepers are, and each expiry happens once.
local function sweep()
  local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now)
  for _, token in ipairs(due) do
    local hold = loadHold(token)
    if hold and hold.s == 'ACTIVE' then
      for _, seatId in ipairs(lockedSeats(hold, token)) do freeSeat(hold, seatId, 'EXPIRED', hold.e) end
      endHold(token, hold, 'EXPIRED', hold.e)
    else
      redis.call('ZREM', DEADLINES, token)
    end
  end
end

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

local function fail(err) return reply(err) end

local function holdView(token, hold)
  local seats = {}
  for i, seatId in ipairs(hold.seats) do seats[i] = view(seatId, redis.call('HGET', SEATS, seatId)) end
  return { token = token, status = hold.s, createdAt = hold.c, expiresAt = hold.e, maxExpiresAt = hold.m, seats = seats }
end

local function bookingView(id)
  local raw = redis.call('GET', bookingKey(id))
  if not raw then return false end
  local booking = cjson.decode(raw)
  return { id = id, seats = booking.seats, confirmedAt = booking.at, orderId = booking.order or false, status = booking.status }
end

local function book(hold, token, seats, bookingId, orderId)
  for _, seatId in ipairs(seats) do
    apply(seatId, redis.call('HGET', SEATS, seatId), 'B|' .. bookingId, 'BOOKED', now)
    hold.bk[seatId] = bookingId
  end
  local booking = { seats = seats, at = now, status = 'CONFIRMED', hold = token }
  if orderId ~= '' then
    booking.order = orderId
    redis.call('RPUSH', orderKey(orderId), bookingId)
  end
  redis.call('SET', bookingKey(bookingId), cjson.encode(booking))
  redis.call('RPUSH', BOOKINGS, bookingId)
end

local function inactive(hold)
  if hold.s == 'ACTIVE' then return nil end
  if hold.s == 'EXPIRED' then return { err = 'HoldExpiredError', expiredAt = hold.e } end
  return { err = 'HoldClosedError', status = hold.s }
end

-- The hold of a token for an operation on `requestedEventId`, or the error to answer.
local function holdFor(token, requestedEventId)
  local hold = loadHold(token)
  if not hold then return nil, { err = 'HoldNotFoundError' } end
  if requestedEventId ~= EVENT_ID then
    return nil, { err = 'HoldEventMismatchError', eventId = requestedEventId, holdEventId = EVENT_ID }
  end
  return hold, nil
end

if op == 'init' then
  -- ARGV[9]: event name; ARGV[10…]: seat ids. Idempotent: adds only seats Redis lacks. An event
  -- made by another store (the data was lost and another instance seeded it anew) is refused.
  local store = redis.call('HGET', META, 'store')
  if store and store ~= STORE_ID then return fail({ err = 'StoreChanged' }) end
  redis.call('HSET', META, 'store', STORE_ID)
  for _, field in ipairs({ 'version', 'available', 'locked', 'booked', 'blocked' }) do redis.call('HSETNX', META, field, 0) end
  if redis.call('HGET', META, 'renamed') ~= '1' then redis.call('HSET', META, 'name', ARGV[9]) end
  -- The stream of an event removed earlier under this id lives on for a while; this one keeps it.
  redis.call('PERSIST', STREAM)
  local added = 0
  for i = 10, #ARGV do added = added + redis.call('HSETNX', SEATS, ARGV[i], 'A') end
  redis.call('HINCRBY', META, 'available', added)
  return reply({ ok = added })
end

local store = redis.call('HGET', META, 'store')
if not store then return fail({ err = 'NotInitialized' }) end
if store ~= STORE_ID then return fail({ err = 'StoreChanged' }) end
sweep()

if op == 'sweep' then
  return reply({ ok = true })
end

local function eventView()
  local meta = redis.call('HMGET', META, 'version', 'available', 'locked', 'booked', 'blocked', 'name', 'closed')
  return {
    version = tonumber(meta[1]), available = tonumber(meta[2]), locked = tonumber(meta[3]),
    booked = tonumber(meta[4]), blocked = tonumber(meta[5]) or 0, name = meta[6], salesOpen = meta[7] ~= '1',
  }
end

if op == 'event' then
  return reply({ ok = eventView() })
end

if op == 'seats' then
  -- A flat array, not JSON, as it can hold 100,000 seats: now, next, version, then per seat
  -- its id and "A", "B", "X" or the lock's expiresAt.
  local head = nextDeadline()
  local out = { now, head and tostring(head) or '', redis.call('HGET', META, 'version') }
  local all = redis.call('HGETALL', SEATS)
  for i = 1, #all, 2 do
    out[#out + 1] = all[i]
    local kind, _, exp = parse(all[i + 1])
    out[#out + 1] = exp and tostring(exp) or kind
  end
  return out
end

if op == 'changes' then
  -- ARGV[9]: afterVersion. The stream's newest (version - afterVersion) entries are the changes
  -- above it, one per version, unless the stream was trimmed below them (or holds an earlier
  -- event's entries under this id): then the versions stop running down before afterVersion.
  local after = tonumber(ARGV[9])
  local version = tonumber(redis.call('HGET', META, 'version'))
  if after > version then return fail({ err = 'ChangesUnavailableError', version = version, oldest = version }) end
  local newest = {}
  if version > after then newest = redis.call('XREVRANGE', STREAM, '+', '-', 'COUNT', version - after) end
  local expected = version
  for _, entry in ipairs(newest) do
    local fields = entry[2]
    if fields[1] ~= 'v' or tonumber(fields[2]) ~= expected then break end
    expected = expected - 1
  end
  if expected ~= after then return fail({ err = 'ChangesUnavailableError', version = version, oldest = expected }) end
  local changes = {}
  for i = #newest, 1, -1 do changes[#changes + 1] = newest[i][2] end
  return reply({ ok = changes })
end

if op == 'booking' then
  -- ARGV[9]: booking id
  return reply({ ok = bookingView(ARGV[9]) })
end

if op == 'hold' then
  local token = ARGV[9]
  local hold = loadHold(token)
  if not hold then return reply({ ok = false }) end
  return reply({ ok = holdView(token, hold) })
end

if op == 'lock' then
  -- ARGV[9]: requested event; ARGV[10]: token or ""; ARGV[11]: token for a new hold;
  -- ARGV[12]: client key or ""; ARGV[13]: seats per client (0: no cap); ARGV[14]: seats
  -- needed (best available: its count, checked against the limits; 0: the seats given);
  -- ARGV[15…]: seat ids. Best available that found fewer seats than needed sends them all the
  -- same, so the checks before come first, then NotEnoughSeatsError.
  if redis.call('HGET', META, 'closed') == '1' then return fail({ err = 'SalesClosedError' }) end
  local token, hold = ARGV[10], nil
  if token ~= '' then
    local err
    hold, err = holdFor(token, ARGV[9])
    if err then return fail(err) end
    err = inactive(hold)
    if err then return fail(err) end
  end
  local inHold = {}
  if hold then for _, seatId in ipairs(hold.seats) do inHold[seatId] = true end end
  local added = {}
  for i = 15, #ARGV do
    if not inHold[ARGV[i]] then added[#added + 1] = ARGV[i] end
  end
  local needed = math.max(tonumber(ARGV[14]), #added)
  local total = (hold and #hold.seats or 0) + needed
  if total > MAX_SEATS then return fail({ err = 'HoldLimitError', maxSeats = MAX_SEATS, requestedSeats = total }) end
  local owner = hold and (hold.cl or '') or ARGV[12]
  local perClient = tonumber(ARGV[13])
  if owner ~= '' and perClient > 0 then
    local held = (tonumber(redis.call('HGET', CLIENTS, owner)) or 0) + needed
    if held > perClient then return fail({ err = 'ClientSeatLimitError', maxSeats = perClient, requestedSeats = held }) end
  end
  if #added < needed then return fail({ err = 'NotEnoughSeatsError' }) end
  local taken = {}
  for _, seatId in ipairs(added) do
    local state = redis.call('HGET', SEATS, seatId)
    if state ~= 'A' then taken[#taken + 1] = view(seatId, state) end
  end
  if #taken > 0 then return fail({ err = 'SeatUnavailableError', seats = taken }) end
  if not hold then
    token = ARGV[11]
    hold = { s = 'ACTIVE', c = now, e = now + TTL, m = math.max(now + TTL, now + HOLD_MAX), seats = {}, rel = {}, bk = {}, hb = false, cl = owner }
    redis.call('ZADD', DEADLINES, hold.e, token)
  end
  for _, seatId in ipairs(added) do
    apply(seatId, 'A', locked(token, hold.e, owner), 'LOCKED', now)
    hold.seats[#hold.seats + 1] = seatId
  end
  saveHold(token, hold)
  return reply({ ok = holdView(token, hold) })
end

if op == 'confirmSeat' then
  -- ARGV[9]: requested event; ARGV[10]: token; ARGV[11]: seat id; ARGV[12]: new booking id;
  -- ARGV[13]: order id or ""
  local token, seatId = ARGV[10], ARGV[11]
  local hold, err = holdFor(token, ARGV[9])
  if err then return fail(err) end
  if hold.bk[seatId] then return reply({ ok = bookingView(hold.bk[seatId]) }) end
  err = inactive(hold)
  if err then return fail(err) end
  if not lockedBy(redis.call('HGET', SEATS, seatId), token) then return fail({ err = 'SeatNotInHoldError', seatId = seatId }) end
  book(hold, token, { seatId }, ARGV[12], ARGV[13])
  saveHold(token, hold)
  return reply({ ok = bookingView(ARGV[12]) })
end

if op == 'confirmHold' then
  -- ARGV[9]: token; ARGV[10]: new booking id; ARGV[11]: order id or ""
  local token = ARGV[9]
  local hold = loadHold(token)
  if not hold then return fail({ err = 'HoldNotFoundError' }) end
  if hold.hb then return reply({ ok = bookingView(hold.hb) }) end
  local err = inactive(hold)
  if err then return fail(err) end
  local seats = lockedSeats(hold, token)
  if #seats == 0 then return fail({ err = 'EmptyHoldError' }) end
  book(hold, token, seats, ARGV[10], ARGV[11])
  hold.hb = ARGV[10]
  endHold(token, hold, 'CONFIRMED', now)
  return reply({ ok = bookingView(ARGV[10]) })
end

if op == 'releaseSeat' then
  -- ARGV[9]: requested event; ARGV[10]: token; ARGV[11]: seat id
  local token, seatId = ARGV[10], ARGV[11]
  local hold, err = holdFor(token, ARGV[9])
  if err then return fail(err) end
  if hold.s == 'EXPIRED' then return fail(inactive(hold)) end
  if not lockedBy(redis.call('HGET', SEATS, seatId), token) then
    if hold.rel[seatId] then return reply({ ok = {} }) end
    err = inactive(hold)
    if err then return fail(err) end
    return fail({ err = 'SeatNotInHoldError', seatId = seatId })
  end
  freeSeat(hold, seatId, 'RELEASED', now)
  saveHold(token, hold)
  return reply({ ok = { seatId } })
end

if op == 'releaseHold' then
  -- ARGV[9]: token
  local token = ARGV[9]
  local hold = loadHold(token)
  if not hold then return fail({ err = 'HoldNotFoundError' }) end
  if hold.s == 'RELEASED' then return reply({ ok = {} }) end
  local err = inactive(hold)
  if err then return fail(err) end
  local seats = lockedSeats(hold, token)
  for _, seatId in ipairs(seats) do freeSeat(hold, seatId, 'RELEASED', now) end
  endHold(token, hold, 'RELEASED', now)
  return reply({ ok = seats })
end

if op == 'extend' then
  -- ARGV[9]: token. Moves expiresAt only; no seat changes status, so nothing is published.
  local token = ARGV[9]
  local hold = loadHold(token)
  if not hold then return fail({ err = 'HoldNotFoundError' }) end
  local err = inactive(hold)
  if err then return fail(err) end
  local extended = math.min(now + TTL, hold.m)
  if extended > hold.e then
    hold.e = extended
    redis.call('ZADD', DEADLINES, extended, token)
    for _, seatId in ipairs(lockedSeats(hold, token)) do
      redis.call('HSET', SEATS, seatId, locked(token, extended, hold.cl or ''))
    end
    saveHold(token, hold)
  end
  return reply({ ok = holdView(token, hold) })
end

-- The admin API.

if op == 'update' then
  -- ARGV[9]: new name or ""; ARGV[10]: "1" open sales, "0" close them, "" leave them. A name
  -- the event already has changes nothing (and does not take the name from EVENTS_FILE).
  if ARGV[9] ~= '' and ARGV[9] ~= redis.call('HGET', META, 'name') then redis.call('HSET', META, 'name', ARGV[9], 'renamed', '1') end
  if ARGV[10] == '1' then redis.call('HDEL', META, 'closed') end
  if ARGV[10] == '0' then redis.call('HSET', META, 'closed', '1') end
  return reply({ ok = eventView() })
end

if op == 'remove' then
  -- Only an event that never had a booking and has no locked seat. Bookings made before the
  -- bookings list existed count through the booked seats.
  local event = eventView()
  if redis.call('LLEN', BOOKINGS) > 0 or event.booked > 0 then return fail({ err = 'EventNotRemovableError', reason = 'HAS_BOOKINGS' }) end
  if event.locked > 0 then return fail({ err = 'EventNotRemovableError', reason = 'HAS_LOCKED_SEATS' }) end
  -- Active holds (every seat given back) go; ended ones cannot lock again and expire by themselves.
  for _, token in ipairs(redis.call('ZRANGE', DEADLINES, 0, -1)) do redis.call('DEL', holdKey(token)) end
  redis.call('DEL', META, SEATS, DEADLINES, CLIENTS, BOOKINGS, prefix .. ':layout')
  redis.call('XADD', STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'removed', '1')
  redis.call('PEXPIRE', STREAM, 86400000)
  return reply({ ok = event })
end

if op == 'block' then
  -- ARGV[9…]: seat ids (known to the layout). All or nothing: a locked or booked seat refuses.
  local states, taken = {}, {}
  for i = 9, #ARGV do
    local state = redis.call('HGET', SEATS, ARGV[i])
    states[i] = state
    local kind = string.sub(state, 1, 1)
    if kind == 'L' or kind == 'B' then taken[#taken + 1] = view(ARGV[i], state) end
  end
  if #taken > 0 then return fail({ err = 'SeatUnavailableError', seats = taken }) end
  local seats = {}
  for i = 9, #ARGV do
    if states[i] == 'A' then apply(ARGV[i], 'A', 'X', 'BLOCKED', now) end
    seats[#seats + 1] = view(ARGV[i], 'X')
  end
  return reply({ ok = seats })
end

if op == 'unblock' then
  -- ARGV[9…]: seat ids (known to the layout). Only blocked seats change.
  local seats = {}
  for i = 9, #ARGV do
    local state = redis.call('HGET', SEATS, ARGV[i])
    if state == 'X' then
      apply(ARGV[i], 'X', 'A', 'UNBLOCKED', now)
      state = 'A'
    end
    seats[#seats + 1] = view(ARGV[i], state)
  end
  return reply({ ok = seats })
end

if op == 'cancel' then
  -- ARGV[9]: booking id. A retry answers the cancelled booking again.
  local id = ARGV[9]
  local raw = redis.call('GET', bookingKey(id))
  if not raw then return fail({ err = 'BookingNotFoundError', bookingId = id }) end
  local booking = cjson.decode(raw)
  if booking.status ~= 'CANCELLED' then
    booking.status = 'CANCELLED'
    for _, seatId in ipairs(booking.seats) do
      local state = redis.call('HGET', SEATS, seatId)
      if state == 'B|' .. id then apply(seatId, state, 'A', 'CANCELLED', now) end
    end
    redis.call('SET', bookingKey(id), cjson.encode(booking))
  end
  return reply({ ok = bookingView(id) })
end

if op == 'bookings' then
  -- ARGV[9]: order id, or "" for every booking of the event.
  local ids = redis.call('LRANGE', ARGV[9] == '' and BOOKINGS or orderKey(ARGV[9]), 0, -1)
  local bookings = {}
  for i, id in ipairs(ids) do bookings[i] = bookingView(id) end
  return reply({ ok = bookings })
end

return redis.error_reply('seatlock: unknown op ' .. tostring(op))
