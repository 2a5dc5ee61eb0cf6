-- Holds. A hold's JSON: s status, c createdAt, e expiresAt, m maxExpiresAt (the cap), x when it
-- ended, cl client key, seats (locked or booked from it, in order), rel (released seat ids as
-- keys), bk (seat id -> booking id), hb (the booking confirmHold made, or false), ap (places;
-- see the areas include).
--- @include "areas"

local function loadHold(token)
  local raw = redis.call('GET', holdKey(token))
  if not raw then return nil end
  local hold = cjson.decode(raw)
  -- Forgotten HOLD_MAX after it ended, exactly, whenever Redis gets round to dropping the key.
  if hold.s ~= 'ACTIVE' and hold.x and hold.x + HOLD_MAX <= now then return nil end
  -- cjson cannot tell an empty array from an empty object; both decode to an empty table.
  if type(hold.rel) ~= 'table' then hold.rel = {} end
  if type(hold.bk) ~= 'table' then hold.bk = {} end
  if type(hold.ap) ~= 'table' then hold.ap = {} end
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

local function holdView(token, hold)
  local seats = {}
  for i, seatId in ipairs(hold.seats) do seats[i] = view(seatId, redis.call('HGET', SEATS, seatId)) end
  return { token = token, status = hold.s, createdAt = hold.c, expiresAt = hold.e, maxExpiresAt = hold.m, seats = seats, areaPlaces = placesView(hold.ap) }
end

-- The refusal of a hold that is no longer ACTIVE, or nil.
local function inactive(hold)
  if hold.s == 'ACTIVE' then return nil end
  if hold.s == 'EXPIRED' then return ERR.HoldExpired, { expiredAt = hold.e } end
  return ERR.HoldClosed, { status = hold.s }
end

-- The hold of a token for an operation on `requestedEventId`, or the refusal to answer.
local function holdFor(token, requestedEventId)
  local hold = loadHold(token)
  if not hold then return nil, ERR.HoldNotFound end
  if requestedEventId ~= EVENT_ID then
    return nil, ERR.HoldEventMismatch, { eventId = requestedEventId, holdEventId = EVENT_ID }
  end
  return hold
end
