-- Every script but init runs on an event this store made: missing, the event is new here,
-- removed or the data is gone; made by another store, Redis holds another store's data.
local store = redis.call('HGET', META, 'store')
if not store then return fail(ERR.NotInitialized) end
if store ~= STORE_ID then return fail(ERR.StoreChanged) end
