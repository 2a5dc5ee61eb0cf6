-- The waiting room's schedule: the second copy of src/store/queue-schedule.ts, function for
-- function (read that file for why each rule is so); the waiting-room model test holds the two
-- to the same answers. A room is kept as the JSON of RoomState.
--
-- Keys of an event's room:
--   :room          string JSON of the room (RoomState)
--   :room:tickets  hash   client key -> serial of its latest ticket
--   :meta          field `room`: "1" while the room is enabled (the lock script checks it)

local ROOM, ROOM_TICKETS = prefix .. ':room', prefix .. ':room:tickets'
local MINUTE_MS = 60000
local NULL = cjson.null

local function isNull(value) return value == nil or value == NULL end

local function loadRoom()
  local raw = redis.call('GET', ROOM)
  if not raw then return nil end
  local room = cjson.decode(raw)
  -- cjson writes an empty list as {}: it reads back as a table all the same.
  if type(room.history) ~= 'table' then room.history = {} end
  return room
end

local function saveRoom(room) redis.call('SET', ROOM, cjson.encode(room)) end

local function running(room) return room.enabled and not room.paused end

local function highestNumber(room)
  if isNull(room.shuffled) then return 0 end
  return room.joined
end

local function servedAt(first, at, perMinute, n) return at + math.ceil(((n - first) * MINUTE_MS) / perMinute) end

local function servedBy(first, at, perMinute, time)
  if time < at then return first - 1 end
  return first + math.floor(((time - at) * perMinute) / MINUTE_MS)
end

local function nowServing(room, time)
  if isNull(room.firstAt) then return room.first - 1 end
  return math.min(highestNumber(room), servedBy(room.first, room.firstAt, room.admitPerMinute, time))
end

-- How many of a run's admissions still run at `time`.
local function runningIn(run, time)
  local endedThrough = math.min(run.last, math.max(run.first - 1, servedBy(run.first, run.at, run.perMinute, time - run.admissionMs)))
  return run.last - endedThrough
end

local function settle(room, time)
  if isNull(room.shuffled) and time >= room.opensAt then
    room.shuffled = room.joined
    room.first = 1
    if running(room) then room.firstAt = room.opensAt else room.firstAt = NULL end
    room.resumeDelayMs = 0
  end
  while #room.history > 0 and runningIn(room.history[1], time) == 0 do table.remove(room.history, 1) end
end

local function endRun(room, time)
  if isNull(room.firstAt) then return nil end
  local served = nowServing(room, time)
  if served >= room.first then
    room.history[#room.history + 1] = {
      first = room.first, last = served, at = room.firstAt, perMinute = room.admitPerMinute, admissionMs = room.admissionMs,
    }
  end
  local nextAt = servedAt(room.first, room.firstAt, room.admitPerMinute, served + 1)
  room.first = served + 1
  return nextAt
end

local function joinRoom(room, time)
  if not isNull(room.firstAt) and nowServing(room, time) == highestNumber(room) then
    local nextAt = servedAt(room.first, room.firstAt, room.admitPerMinute, highestNumber(room) + 1)
    if nextAt < time then
      endRun(room, time)
      room.firstAt = time
    end
  end
  room.joined = room.joined + 1
  return room.joined
end

local function newRoom(settings, time, seed, defaultAdmissionSeconds)
  local opensAt = settings.opensAt
  if isNull(opensAt) then opensAt = time end
  local admissionSeconds = settings.admissionSeconds
  if isNull(admissionSeconds) then admissionSeconds = defaultAdmissionSeconds end
  return {
    enabled = settings.enabled, opensAt = opensAt, admitPerMinute = settings.admitPerMinute,
    admissionMs = admissionSeconds * 1000, paused = settings.paused == true, joined = 0, shuffled = NULL,
    seed = seed, first = 1, firstAt = NULL, resumeDelayMs = 0, history = {},
  }
end

local function configureRoom(room, settings, time)
  local wasRunning = running(room)
  if isNull(room.shuffled) and settings.opensAt ~= nil then
    if settings.opensAt == NULL then room.opensAt = time else room.opensAt = settings.opensAt end
  end
  if settings.admitPerMinute ~= room.admitPerMinute then
    local step = math.ceil(MINUTE_MS / settings.admitPerMinute)
    if not isNull(room.firstAt) then
      local nextAt = endRun(room, time)
      room.firstAt = math.max(time, math.min(nextAt, time + step))
    else
      room.resumeDelayMs = math.min(room.resumeDelayMs, step)
    end
    room.admitPerMinute = settings.admitPerMinute
  end
  if not isNull(settings.admissionSeconds) and settings.admissionSeconds * 1000 ~= room.admissionMs then
    if not isNull(room.firstAt) then room.firstAt = endRun(room, time) end
    room.admissionMs = settings.admissionSeconds * 1000
  end
  room.enabled = settings.enabled
  if not isNull(settings.paused) then room.paused = settings.paused end
  local isRunning = running(room)
  if wasRunning and not isRunning and not isNull(room.firstAt) then
    local nextAt = endRun(room, time)
    room.resumeDelayMs = math.max(0, nextAt - time)
    room.firstAt = NULL
  elseif not wasRunning and isRunning and not isNull(room.shuffled) then
    room.firstAt = time + room.resumeDelayMs
    room.resumeDelayMs = 0
  end
  settle(room, time)
end
