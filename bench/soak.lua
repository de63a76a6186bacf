-- wrk script for bench/soak.sh: a mixed read/write load on a chainmap server that
-- holds the Zhenjiang demo data. Run it through soak.sh, which starts the server and
-- sets the environment:
--
--   SOAK_TOKEN        an editor API token, sent as "Authorization: Bearer …" on every request
--   SOAK_WRITE_EVERY  one request in N is a write (default 20, i.e. 5 %)
--
-- Reads (the other 95 %) cycle through the analysis and data endpoints below. Writes
-- alternate between
--   * POST /api/v1/projects             a new project "SOAK-<thread>-<n>" (201), and
--   * POST /api/v1/projects/:id/transitions  negotiating → signed for a project this
--                                        thread created earlier (200).
-- Every write bumps the server's data version, which empties the analysis result
-- cache: the reads that follow recompute diagnosis, targets, KPIs, … on purpose.
--
-- wrk does not say which request a response answers, so responses are classified by
-- what only they can be: 201 is only a create (its body gives the id to advance
-- later); a 200 whose body starts with {"id":"SOAK- is only a transition (no read
-- in the mix returns a single project).
--
-- done() prints machine-readable "SOAK key value" lines that soak.sh parses.

-- All ids below come from the demo data (seed/zhenjiang); soak.sh requests each read
-- once before the run and stops if any of them is not a 200.
local reads = {
  "/api/v1/analysis/diagnosis?region=321100",
  "/api/v1/analysis/targets?region=321100&link=EV_M2&limit=20",
  "/api/v1/analysis/kpi?from=2025-01-01&to=2025-12-31",
  "/api/v1/companies?q=zj&page_size=20",
  "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV",
  "/api/v1/analysis/leaders?region=321100&chain=CH_EV",
  "/api/v1/chains",
  "/api/v1/projects?page=1&page_size=50",
  "/api/v1/analysis/targets?region=321100&link=IT_M3&limit=20",
  "/api/v1/analysis/diagnosis?region=321100-GXQ",
  "/api/v1/companies?q=%E7%94%B5&page=2&page_size=20",
  "/api/v1/analysis/kpi?from=2024-01-01&to=2025-12-31&district=321100-GXQ",
  "/api/v1/analysis/leaders?region=321100&chain=CH_MD",
  "/api/v1/projects?stage=signed&page=3&page_size=50",
  "/api/v1/analysis/targets?region=321100&link=PE_M1&limit=10&in=310000",
  "/api/v1/leaders",
  "/api/v1/analysis/diagnosis?region=321181&chain=CH_MD",
  "/api/v1/companies?region=321100&chain=CH_EV",
  "/api/v1/analysis/targets?region=321100&link=BP_M2",
  "/api/v1/chains/CH_SH",
}

-- Links and districts new projects land on (valid ids of the demo data).
local links = { "EV_M2", "IT_M3", "PE_M1", "BP_M2", "SH_D2", "MD_M1", "HM_M3", "AV_M2" }
local districts = { "321100-GXQ", "321100-JKQ", "321102", "321111", "321112", "321181", "321182", "321183" }

local threads = {}
local next_id = 1

-- setup runs in the main interpreter, once per thread, before the run.
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own interpreter).
local token, write_every, headers, jheaders
local n = 0          -- requests made by this thread
local writes = 0     -- write slots used
local creates = 0    -- create requests sent
local pending = {}   -- ids created (201) and not advanced yet, FIFO
local head = 1
counts = {}          -- status → responses (read by done() through thread:get)
created = 0          -- 201s
advanced = 0         -- transitions answered 200
sent_creates = 0
sent_transitions = 0

function init(args)
  token = os.getenv("SOAK_TOKEN")
  if token == nil or token == "" then
    error("soak.lua: SOAK_TOKEN is not set (run bench/soak.sh)")
  end
  write_every = tonumber(os.getenv("SOAK_WRITE_EVERY") or "20") or 20
  headers = { ["Authorization"] = "Bearer " .. token }
  jheaders = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

local function create()
  creates = creates + 1
  sent_creates = creates
  local id = string.format("SOAK-%d-%d", tid, creates)
  local body = string.format(
    '{"id":"%s","name":"压测项目 %d-%d","link_id":"%s","region_code":"%s",' ..
    '"investment_wan":%d,"source_region_code":"310000","stage":"negotiating"}',
    id, tid, creates, links[creates % #links + 1], districts[(creates + tid) % #districts + 1],
    10000 + (creates % 50) * 1000)
  return wrk.format("POST", "/api/v1/projects", jheaders, body)
end

local function transition()
  local id = pending[head]
  pending[head] = nil
  head = head + 1
  sent_transitions = sent_transitions + 1
  return wrk.format("POST", "/api/v1/projects/" .. id .. "/transitions", jheaders,
    '{"to":"signed","on":"2025-06-01","note":"soak"}')
end

function request()
  n = n + 1
  if n % write_every == 0 then
    writes = writes + 1
    if writes % 2 == 0 and pending[head] ~= nil then
      return transition()
    end
    return create()
  end
  return wrk.format("GET", reads[(n - 1 - math.floor(n / write_every)) % #reads + 1], headers)
end

function response(status, hdrs, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 then
    created = created + 1
    local id = body and string.match(body, '^{"id":"(SOAK%-[%d]+%-[%d]+)"')
    if id then
      table.insert(pending, id)
    end
  elseif status == 200 and body and string.sub(body, 1, 12) == '{"id":"SOAK-' then
    advanced = advanced + 1
  elseif status >= 400 and body then
    -- Say what went wrong, a few times per thread: a 4xx is a bug in this script.
    bad_shown = (bad_shown or 0) + 1
    if bad_shown <= 3 then
      io.stderr:write(string.format("soak.lua: thread %d got %d: %s\n", tid, status, string.sub(body, 1, 300)))
    end
  end
end

-- done runs in the main interpreter after the run.
function done(summary, latency, requests)
  local statuses, created_all, advanced_all = {}, 0, 0
  local sent_c, sent_t = 0, 0
  for _, t in ipairs(threads) do
    for status, k in pairs(t:get("counts") or {}) do
      statuses[status] = (statuses[status] or 0) + k
    end
    created_all = created_all + (t:get("created") or 0)
    advanced_all = advanced_all + (t:get("advanced") or 0)
    sent_c = sent_c + (t:get("sent_creates") or 0)
    sent_t = sent_t + (t:get("sent_transitions") or 0)
    local parts = {}
    for status, k in pairs(t:get("counts") or {}) do
      table.insert(parts, string.format("%d=%d", status, k))
    end
    table.sort(parts)
    io.write(string.format("SOAK thread_%d %s\n", t:get("tid"), table.concat(parts, ",")))
  end
  local e = summary.errors
  local total, ok, bad = 0, 0, 0
  local parts = {}
  for status, k in pairs(statuses) do
    total = total + k
    if status >= 200 and status < 300 then ok = ok + k else bad = bad + k end
    table.insert(parts, string.format("%d=%d", status, k))
  end
  table.sort(parts)
  io.write(string.format("SOAK duration_us %d\n", summary.duration))
  io.write(string.format("SOAK requests %d\n", summary.requests))
  io.write(string.format("SOAK bytes %d\n", summary.bytes))
  io.write(string.format("SOAK responses %d\n", total))
  io.write(string.format("SOAK responses_2xx %d\n", ok))
  io.write(string.format("SOAK responses_other %d\n", bad))
  io.write(string.format("SOAK statuses %s\n", table.concat(parts, ",")))
  io.write(string.format("SOAK err_connect %d\n", e.connect))
  io.write(string.format("SOAK err_read %d\n", e.read))
  io.write(string.format("SOAK err_write %d\n", e.write))
  io.write(string.format("SOAK err_timeout %d\n", e.timeout))
  io.write(string.format("SOAK err_status %d\n", e.status))
  io.write(string.format("SOAK sent_creates %d\n", sent_c))
  io.write(string.format("SOAK sent_transitions %d\n", sent_t))
  io.write(string.format("SOAK created %d\n", created_all))
  io.write(string.format("SOAK advanced %d\n", advanced_all))
  io.write(string.format("SOAK lat_p50_us %d\n", latency:percentile(50)))
  io.write(string.format("SOAK lat_p90_us %d\n", latency:percentile(90)))
  io.write(string.format("SOAK lat_p99_us %d\n", latency:percentile(99)))
  io.write(string.format("SOAK lat_max_us %d\n", latency.max))
end
