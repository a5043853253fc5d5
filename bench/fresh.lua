-- wrk with a new connection per request (Connection: close), counting the answers
-- by body: the bench app answers its pid, so the counts are each worker's share.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  wrk.headers["Connection"] = "close"
end

function response(status, headers, body)
  counts[body] = (counts[body] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for body, count in pairs(thread:get("counts")) do total[body] = (total[body] or 0) + count end
  end
  for body, count in pairs(total) do io.write(string.format("answered-by %s %d\n", body, count)) end
end
