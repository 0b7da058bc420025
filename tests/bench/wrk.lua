-- wrk script for scripts/bench-server (and bench-scale).  Configured by environment variables:
--   BENCH_METHOD   GET | POST                     (default GET)
--   BENCH_PATH     request path                    (default: the URL's)
--   BENCH_AUTH     value of Authorization, if any  ("Bearer <token>")
--   BENCH_APIKEY   value of X-Api-Key, if any
--   BENCH_KIND     "purchase": POST a purchase body with a txn_id unique to this run, thread and
--                  request (BENCH_RUN prefix + thread number + counter), member from BENCH_MEMBERS
--                  (comma list, round robin), or with BENCH_MEMBER_IDS="FIRST:COUNT" a member drawn
--                  uniformly from ids FIRST..FIRST+COUNT-1 (phone 139 + 8-digit id, as generated)
--   BENCH_TOKENS   comma list of bearer tokens: requests rotate over them (many members' reads)
--   BENCH_RUN      prefix that makes txn_ids unique across runs against the same database
--   BENCH_KIND     "mixed": a realistic mix over BENCH_MIXED_MEMBERS members (ids BENCH_MIXED_FIRST..,
--                  phone 139 + 8-digit id, bearer token "bench-<id>") drawn with Zipf popularity
--                  (exponent BENCH_ZIPF, default 1.0): 90 % reads (GET /me 40 %, ledger page 30 %,
--                  coupons 20 %), 10 % writes (purchases 8 %, redemptions of BENCH_REWARD 2 %)
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
local ids_first, ids_count = string.match(os.getenv("BENCH_MEMBER_IDS") or "", "^(%d+):(%d+)$")
ids_first, ids_count = tonumber(ids_first), tonumber(ids_count)
local headers = {}
if os.getenv("BENCH_AUTH") then headers["Authorization"] = os.getenv("BENCH_AUTH") end
if os.getenv("BENCH_APIKEY") then headers["X-Api-Key"] = os.getenv("BENCH_APIKEY") end
if os.getenv("BENCH_ACCEPT_ENCODING") then headers["Accept-Encoding"] = os.getenv("BENCH_ACCEPT_ENCODING") end
if method == "POST" then headers["Content-Type"] = "application/json" end

local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do table.insert(tokens, t) end

-- Mixed mode: cumulative Zipf weights by popularity rank; rank r is member first + (r * 7919) % n
-- (a fixed scatter, so the popular members are not the lowest ids).
local mixed_n = tonumber(os.getenv("BENCH_MIXED_MEMBERS") or "0")
local mixed_first = tonumber(os.getenv("BENCH_MIXED_FIRST") or "1")
local reward = os.getenv("BENCH_REWARD") or "pastry"
local cdf = {}
if kind == "mixed" then
  local s = tonumber(os.getenv("BENCH_ZIPF") or "1.0")
  local sum = 0
  for r = 1, mixed_n do sum = sum + 1 / (r ^ s); cdf[r] = sum end
  for r = 1, mixed_n do cdf[r] = cdf[r] / sum end
end
local function zipf_member()
  local u, lo, hi = math.random(), 1, mixed_n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return mixed_first + ((lo - 1) * 7919) % mixed_n
end
local function mixed_request()
  counter = counter + 1
  local id = zipf_member()
  local h = {}
  local x = math.random(100)
  if x <= 8 then
    h["X-Api-Key"] = os.getenv("BENCH_APIKEY")
    h["Content-Type"] = "application/json"
    local body = string.format('{"txn_id":"B%s-%d-%d","member":"139%08d","amount":%d,"store":"S001"}',
                               run, tid or 0, counter, id, 1000 + (counter % 50) * 100)
    return wrk.format("POST", "/api/v1/pos/purchases", h, body)
  end
  h["Authorization"] = "Bearer bench-" .. id
  if x <= 10 then
    h["Content-Type"] = "application/json"
    h["Idempotency-Key"] = string.format("B%s-%d-%d", run, tid or 0, counter)
    return wrk.format("POST", "/api/v1/me/redemptions", h, '{"reward_id":"' .. reward .. '"}')
  elseif x <= 50 then
    return wrk.format("GET", "/api/v1/me", h, nil)
  elseif x <= 80 then
    return wrk.format("GET", "/api/v1/me/ledger?limit=20", h, nil)
  end
  return wrk.format("GET", "/api/v1/me/coupons", h, nil)
end

local fixed
function init(args)
  math.randomseed(os.time() + (tid or 0) * 1009)
  if not os.getenv("BENCH_PATH") then path = wrk.path end  -- default: the URL's path and query
  if kind ~= "purchase" and kind ~= "mixed" and #tokens == 0 then
    fixed = wrk.format(method, path, headers, method == "POST" and "{}" or nil)
  end
end

function request()
  if kind == "mixed" then return mixed_request() end
  if kind == "purchase" then
    counter = counter + 1
    local member = members[(counter % #members) + 1]
    if ids_count then member = string.format("139%08d", ids_first + math.random(ids_count) - 1) end
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
