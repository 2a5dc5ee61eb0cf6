-- What every script starts from: the event's keys, the call's context and the clock.
--
-- KEYS[1]  the event's key prefix, e.g. "seatlock:{event:demo}": every key below shares its
--          hash tag, so a script touches one slot (Redis Cluster safe).
-- ARGV[1]  the store's context, JSON: ttl (lock TTL ms), holdMax (a hold's lifetime cap ms),
--          maxSeats (per hold), logSize (changes each stream keeps at least), store (its id)
-- ARGV[2]  the event id
-- ARGV[3]  now (ms), or "" for Redis's own time (tests pass a clock they move)
-- ARGV[4]  the operation's arguments, JSON (see src/store/redis/script-ops.ts)
--
-- Keys of an event:
--   :meta       hash   version, available, locked, booked, blocked, name, store (the id of the
--                      store that made the event: a Redis that lost its data is noticed by it),
--                      renamed ("1": the admin API named it, EVENTS_FILE no longer does),
--                      closed ("1": sales closed, no seat can be locked), room ("1": its
--                      waiting room is on, locks need an admission; see the room include)
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

local prefix = KEYS[1]
local META, SEATS = prefix .. ':meta', prefix .. ':seats'
local DEADLINES, STREAM, CLIENTS = prefix .. ':deadlines', prefix .. ':changes', prefix .. ':clients'
local BOOKINGS = prefix .. ':bookings'
local context = cjson.decode(ARGV[1])
local EVENT_ID = ARGV[2]
local TTL, HOLD_MAX, MAX_SEATS = context.ttl, context.holdMax, context.maxSeats
-- The stream keeps at least the last logSize changes (MAXLEN ~ trims whole nodes only).
local STREAM_MAXLEN = context.logSize
local STORE_ID = context.store
local args = cjson.decode(ARGV[4])

local now
if ARGV[3] ~= '' then
  now = tonumber(ARGV[3])
else
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end

local function holdKey(token) return prefix .. ':hold:' .. token end
local function bookingKey(id) return prefix .. ':booking:' .. id end
local function orderKey(orderId) return prefix .. ':order:' .. orderId end
