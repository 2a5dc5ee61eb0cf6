-- Every area's counts, [[id, available, locked, booked, blocked], …] (in no order: the instance sorts them).
local function allAreas()
  local ids = {}
  local fields = redis.call('HGETALL', AREAS)
  for i = 1, #fields, 2 do
    if string.sub(fields[i], -2) == ':c' then ids[#ids + 1] = areaView(string.sub(fields[i], 1, -3)) end
  end
  return ids
end

-- What every instance answers of the event: its counts, name, version, sales and whether locks need an admission.
local function eventView()
  local meta = redis.call('HMGET', META, 'version', 'available', 'locked', 'booked', 'blocked', 'name', 'closed', 'room')
  return {
    version = tonumber(meta[1]), available = tonumber(meta[2]), locked = tonumber(meta[3]),
    booked = tonumber(meta[4]), blocked = tonumber(meta[5]) or 0, name = meta[6], salesOpen = meta[7] ~= '1',
    admissionRequired = meta[8] == '1', areas = allAreas(),
  }
end
