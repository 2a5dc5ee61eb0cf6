-- What every instance answers of the event: its counts, name, version and sales.
local function eventView()
  local meta = redis.call('HMGET', META, 'version', 'available', 'locked', 'booked', 'blocked', 'name', 'closed')
  return {
    version = tonumber(meta[1]), available = tonumber(meta[2]), locked = tonumber(meta[3]),
    booked = tonumber(meta[4]), blocked = tonumber(meta[5]) or 0, name = meta[6], salesOpen = meta[7] ~= '1',
  }
end
