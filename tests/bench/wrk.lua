-- wrk script for scripts/bench-server (and bench-scale).  Configured by environment variables:
--   BENCH_METHOD   GET | POST                     (default GET)
--   BENCH_PATH     request path                    (default: the URL's)
--   BENCH_AUTH     value of Authorization, if any  ("Bearer <token>")
--   BENCH_APIKEY   value of X-Api-Key, if any
--   BENCH_KIND     "purchase": POST a purchase body with a txn_id unique to this run, thread and
--                  request (BENCH_RUN prefix + thread number + counter), member from BENCH_MEMBERS
--                  (comma list, round robin)
--   BENCH_TOKENS   comma list of bearer tokens: requests rotate over them (many members' reads)
--   BENCH_RUN      prefix that makes txn_ids unique across runs against the same database
-- done() prints one line "RESULT requests=N duration_us=N rps=X p50_us=N p99_us=N errors=N non2xx=N".
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local kind = os.getenv("BENCH_KIND") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local members = {}
for m in string.gmatch(os.getenv("BENCH_MEMBERS") or "1", "[^,]+") do table.insert(members, m) end
local headers = {}
if os.getenv("BENCH_AUTH") then headers["Authorization"] = os.getenv("BENCH_AUTH") end
if os.getenv("BENCH_APIKEY") then headers["X-Api-Key"] = os.getenv("BENCH_APIKEY") end
if method == "POST" then headers["Content-Type"] = "application/json" end

local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do table.insert(tokens, t) end

local fixed
function init(args)
  if not os.getenv("BENCH_PATH") then path = wrk.path end  -- default: the URL's path and query
  if kind ~= "purchase" and #tokens == 0 then
    fixed = wrk.format(method, path, headers, method == "POST" and "{}" or nil)
  end
end

function request()
  if kind == "purchase" then
    counter = counter + 1
    local member = members[(counter % #members) + 1]
    local body = string.format('{"txn_id":"B%s-%d-%d","member":"%s","amount":%d,"store":"S001"}',
                               run, tid or 0, counter, member, 1000 + (counter % 50) * 100)
    return wrk.format("POST", path, headers, body)
  end
  if #tokens > 0 then
    counter = counter + 1
    headers["Authorization"] = "Bearer " .. tokens[((counter + (tid or 0) * 7) % #tokens) + 1]
    return wrk.format(method, path, headers, nil)
  end
  return fixed
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
