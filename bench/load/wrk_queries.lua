-- wrk script of the load benchmark: cycles through a file of queries, one per line.
--
--   wrk -t T -c C -d 10s -s wrk_queries.lua http://127.0.0.1:PORT -- FILE PATH [SUFFIX]
--
-- Each request is GET PATH .. urlencode(line) .. SUFFIX, e.g. PATH "/search?q=" and SUFFIX
-- "&facets=lang,type". Blank lines and lines starting with '#' are skipped. Each wrk thread
-- starts at a different line so the threads do not ask the same query at the same moment.
--
-- A response whose status is not 200 counts as an error (the response() hook); so do wrk's
-- socket errors (connect, read, write, timeout). At the end, done() prints one line:
--
--   WRK_RESULT requests=N duration_s=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D mean_ms=E
--     non200=N connect=N read=N write=N timeout=N errors=N
--
-- (one line, fields separated by single spaces; errors = non200 + the socket errors).

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

local paths = {}
local n = 0
local i = 0
non200 = 0

function init(args)
    local file, prefix, suffix = args[1], args[2] or "/search?q=", args[3] or ""
    if not file then
        error("wrk_queries.lua: give the query file after --")
    end
    local f = assert(io.open(file, "r"))
    for line in f:lines() do
        line = line:gsub("^%s+", ""):gsub("%s+$", "")
        if line ~= "" and line:sub(1, 1) ~= "#" then
            table.insert(paths, prefix .. urlencode(line) .. suffix)
        end
    end
    f:close()
    n = #paths
    if n == 0 then
        error("wrk_queries.lua: no queries in " .. file)
    end
    -- spread the threads over the file
    i = ((id or 1) - 1) * math.floor(n / 2) % n
end

function request()
    i = i % n + 1
    return wrk.format("GET", paths[i])
end

function response(status, headers, body)
    if status ~= 200 then
        non200 = non200 + 1
    end
end

function done(summary, latency, requests)
    local bad = 0
    for _, t in ipairs(threads) do
        bad = bad + (tonumber(t:get("non200")) or 0)
    end
    local e = summary.errors
    local secs = summary.duration / 1e6
    local function ms(us)
        return string.format("%.3f", us / 1000)
    end
    local socket = e.connect + e.read + e.write + e.timeout
    io.write(string.format(
        "WRK_RESULT requests=%d duration_s=%.3f rps=%.2f p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s " ..
            "mean_ms=%s non200=%d connect=%d read=%d write=%d timeout=%d errors=%d\n",
        summary.requests, secs, secs > 0 and summary.requests / secs or 0,
        ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
        ms(latency.max), ms(latency.mean), bad, e.connect, e.read, e.write, e.timeout,
        bad + socket))
end
