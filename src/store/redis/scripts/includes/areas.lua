-- General admission areas: places by status, and the one way an area's places change. The
-- second copy of src/store/area-places.ts (PLACE_MOVES) and of the embedded store's places.
--
-- Keys of an event:
--   :areas  hash  <areaId>:c capacity, <areaId>:l locked, <areaId>:b booked, <areaId>:x blocked,
--                 <areaId>:p its position in the layout (places are listed in layout order)
--
-- A hold's JSON keeps its places as ap: [[areaId, quantity], …] (locked while ACTIVE, booked
-- once CONFIRMED, emptied by a release or expiry); a booking's JSON as ap too.

local AREAS = prefix .. ':areas'

-- Per place moved: what each reason does to the area's counts and to the holder's cap.
local PLACE_MOVES = {
  LOCKED = { l = 1, b = 0, x = 0, client = 1 },
  RELEASED = { l = -1, b = 0, x = 0, client = -1 },
  EXPIRED = { l = -1, b = 0, x = 0, client = -1 },
  BOOKED = { l = -1, b = 1, x = 0, client = -1 },
  CANCELLED = { l = 0, b = -1, x = 0, client = 0 },
  BLOCKED = { l = 0, b = 0, x = 1, client = 0 },
  UNBLOCKED = { l = 0, b = 0, x = -1, client = 0 },
}

-- Counts read in this call, kept up to date by movePlaces: a lock reads its area once.
local areasRead = {}

-- { capacity, locked, booked, blocked, available }, or nil for an area the event does not have.
local function areaCounts(areaId)
  local known = areasRead[areaId]
  if known then return known end
  local fields = redis.call('HMGET', AREAS, areaId .. ':c', areaId .. ':l', areaId .. ':b', areaId .. ':x')
  if not fields[1] then return nil end
  local area = { capacity = tonumber(fields[1]), locked = tonumber(fields[2]) or 0, booked = tonumber(fields[3]) or 0, blocked = tonumber(fields[4]) or 0 }
  area.available = area.capacity - area.locked - area.booked - area.blocked
  areasRead[areaId] = area
  return area
end

-- An area as the instance answers it: [id, available, locked, booked, blocked].
local function areaView(areaId)
  local area = areaCounts(areaId)
  return { areaId, area.available, area.locked, area.booked, area.blocked }
end

-- Every change of an area's places: the counts, the holder's cap, the version, and its stream
-- entry (with the hold's expiry, for a lock: other instances' sweepers go by it).
local function movePlaces(areaId, reason, quantity, client, at, expiresAt)
  local move = PLACE_MOVES[reason]
  local area = areaCounts(areaId)
  if move.l ~= 0 then area.locked = redis.call('HINCRBY', AREAS, areaId .. ':l', move.l * quantity) end
  if move.b ~= 0 then area.booked = redis.call('HINCRBY', AREAS, areaId .. ':b', move.b * quantity) end
  if move.x ~= 0 then area.blocked = redis.call('HINCRBY', AREAS, areaId .. ':x', move.x * quantity) end
  area.available = area.capacity - area.locked - area.booked - area.blocked
  if move.client ~= 0 then countClient(client, move.client * quantity) end
  local version = redis.call('HINCRBY', META, 'version', 1)
  redis.call('XADD', STREAM, 'MAXLEN', '~', STREAM_MAXLEN, '*',
    'v', version, 'ar', areaId, 'q', quantity, 'r', reason, 'a', at, 'x', expiresAt or '',
    'c', area.available .. '|' .. area.locked .. '|' .. area.booked .. '|' .. area.blocked)
end

-- Places of a hold or booking, as the instance answers them: [[id, quantity, available, locked, booked, blocked], …].
local function placesView(places)
  local view = {}
  for i, entry in ipairs(places) do
    local area = areaView(entry[1])
    view[i] = { entry[1], entry[2], area[2], area[3], area[4], area[5] }
  end
  return view
end

local function placesCount(places)
  local count = 0
  for _, entry in ipairs(places) do count = count + entry[2] end
  return count
end

local function addPlaces(places, areaId, quantity)
  for _, entry in ipairs(places) do
    if entry[1] == areaId then
      entry[2] = entry[2] + quantity
      return
    end
  end
  local at = #places + 1
  if at == 1 then
    places[1] = { areaId, quantity }
    return
  end
  local position = tonumber(redis.call('HGET', AREAS, areaId .. ':p'))
  for i, entry in ipairs(places) do
    if tonumber(redis.call('HGET', AREAS, entry[1] .. ':p')) > position then
      at = i
      break
    end
  end
  table.insert(places, at, { areaId, quantity })
end

-- Gives back every place the hold locks (one change per area); answers what it gave back.
local function freePlaces(hold, reason, at)
  local freed = hold.ap
  for _, entry in ipairs(freed) do movePlaces(entry[1], reason, entry[2], hold.cl or '', at) end
  hold.ap = {}
  return freed
end

-- Whether any place of the event is locked.
local function anyPlacesLocked()
  local fields = redis.call('HGETALL', AREAS)
  for i = 1, #fields, 2 do
    if string.sub(fields[i], -2) == ':l' and tonumber(fields[i + 1]) > 0 then return true end
  end
  return false
end
