-- wrk script for scripts/loadtest.sh: cycles through a mix of API requests over datasets/acme-ai and
-- reports throughput, latency percentiles and errors as one machine-readable line.
local requests = {
  wrk.format("GET", "/api/blast?seed=mixpanel"),
  wrk.format("GET", "/api/blast?seed=okta&seed=segment&min_likelihood=0.3"),
  wrk.format("POST", "/api/blast", {["Content-Type"] = "application/json"},
             '{"seeds": ["mixpanel"], "max_depth": 2}'),
  wrk.format("GET", "/api/rank?limit=10"),
  wrk.format("GET", "/api/rank?by=restricted&kind=all"),
  wrk.format("GET", "/api/graph"),
  wrk.format("GET", "/api/graph?focus=gcp&depth=2"),
  wrk.format("GET", "/api/node/gcp"),
  wrk.format("GET", "/api/node/mixpanel"),
  wrk.format("GET", "/api/who-holds?category=user.contact.email"),
  wrk.format("GET", "/api/paths?from=mixpanel&to=gcp"),
  wrk.format("POST", "/api/query", {["Content-Type"] = "application/json"},
             '{"query": "vendors where held under user.contact order by id"}'),
  wrk.format("POST", "/api/query", {["Content-Type"] = "application/json"},
             '{"query": "rank vendors by severity limit 5"}'),
  wrk.format("GET", "/api/info"),
}
local token = os.getenv("BLASTMAP_LOADTEST_TOKEN")
if token and token ~= "" then
  for i, r in ipairs(requests) do
    requests[i] = r:gsub("\r\n", "\r\nAuthorization: Bearer " .. token .. "\r\n", 1)
  end
end

local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

done = function(summary, latency, requests_)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
