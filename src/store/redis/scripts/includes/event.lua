-- What every instance answers of the event: its counts, name, version, sales and whether locks need an admission.
local function eventView()
  local meta = redis.call('HMGET', META, 'version', 'available', 'locked', 'booked', 'blocked', 'name', 'closed', 'room')
  return {
    version = tonumber(meta[1]), available = tonumber(meta[2]), locked = tonumber(meta[3]),
    booked = tonumber(meta[4]), blocked = tonumber(meta[5]) or 0, name = meta[6], salesOpen = meta[7] ~= '1',
    admissionRequired = meta[8] == '1',
  }
end
