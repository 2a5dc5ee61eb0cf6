--[[
  Gives every seat and place of the hold back and ends it. A retry succeeds with nothing to release.

  args: { token }
  ok:   { seats = the released seat ids, areaPlaces = the places given back (see placesView) }
  err:  HoldNotFound, HoldExpired, HoldClosed
]]
--- @include "context"
--- @include "reply"
--- @include "store-check"
--- @include "seats"
--- @include "holds"
--- @include "sweep"

sweep()
local token = args.token
local hold = loadHold(token)
if not hold then return fail(ERR.HoldNotFound) end
if hold.s == 'RELEASED' then return reply({ ok = { seats = {}, areaPlaces = {} } }) end
local code, details = inactive(hold)
if code then return fail(code, details) end
local seats = lockedSeats(hold, token)
for _, seatId in ipairs(seats) do freeSeat(hold, seatId, 'RELEASED', now) end
local places = freePlaces(hold, 'RELEASED', now)
endHold(token, hold, 'RELEASED', now)
tellHold('hold.released', token, hold, seats, places)
return reply({ ok = { seats = seats, areaPlaces = placesView(places) } })
