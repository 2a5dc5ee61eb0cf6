-- What every lock checks before what it locks, and the hold it locks into: the second copy of
-- the embedded store's lock steps (checkLimits, openHold), in the one error order
-- (src/store/error-order.ts). Uses the lock arguments every lock script takes (see script-ops.ts
-- HoldArgs): requestedEventId, token?, newToken, client?, perClient, admitted?.

-- Sales closed, admission, then the hold token: the hold to lock into (nil: a new one), or the refusal.
local function lockableHold()
  if redis.call('HGET', META, 'closed') == '1' then return nil, ERR.SalesClosed end
  if not args.admitted and redis.call('HGET', META, 'room') == '1' then return nil, ERR.AdmissionRequired end
  if not args.token then return nil end
  local hold, code, details = holdFor(args.token, args.requestedEventId)
  if code then return nil, code, details end
  code, details = inactive(hold)
  if code then return nil, code, details end
  return hold
end

-- The hold's and the buyer's limits of adding `adding` seats or places: the hold's owner, or the refusal.
local function lockLimits(hold, adding)
  local total = (hold and (#hold.seats + placesCount(hold.ap)) or 0) + adding
  if total > MAX_SEATS then return nil, ERR.HoldLimit, { maxSeats = MAX_SEATS, requestedSeats = total } end
  local owner = hold and (hold.cl or '') or (args.client or '')
  if owner ~= '' and args.perClient > 0 then
    local held = (tonumber(redis.call('HGET', CLIENTS, owner)) or 0) + adding
    if held > args.perClient then return nil, ERR.ClientSeatLimit, { maxSeats = args.perClient, requestedSeats = held } end
  end
  return owner
end

-- A new ACTIVE hold of `owner` under the token the instance made, its deadline written: token, hold.
local function openHold(owner)
  local hold = { s = 'ACTIVE', c = now, e = now + TTL, m = math.max(now + TTL, now + HOLD_MAX), seats = {}, rel = {}, bk = {}, hb = false, cl = owner, ap = {} }
  redis.call('ZADD', DEADLINES, hold.e, args.newToken)
  return args.newToken, hold
end
