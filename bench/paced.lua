-- wrk at a fixed pace: each connection waits PACE_MS after every answer before its
-- next request, so the load stays below what the server can do and the latency wrk
-- records is the server's, not the queue of a saturated machine (where wrk itself
-- competes with the server for the same cores).
local pace = tonumber(os.getenv("PACE_MS") or "2")

function delay()
  return pace
end
