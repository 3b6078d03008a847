-- Shared by the wrk scripts (loaded with dofile by each): the browser User-Agent the k6 scenarios use, and the
-- end-of-run line the runner (loadtest/lib/wrkrun.js) parses. wrk runs its Lua in LuaJIT, once per thread.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"

-- One JSON line on stdout, "WRK_RESULT {...}": requests and errors as wrk counted them, the run's length and the
-- latency percentiles in microseconds. errors.status counts answers that were neither 2xx nor 3xx.
function report(summary, latency)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,' ..
    '"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"latencyUs":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

-- Lines of a file, for the phrase lists the runner writes.
function read_lines(path)
  local lines = {}
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  return lines
end
