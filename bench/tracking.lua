-- wrk script for the tracking API; every message id is unique.
-- BATCH_SIZE=100 (default) posts /v1/batch with 100 track events; BATCH_SIZE=1 posts single /v1/track calls.
-- DELAY_MS paces each connection (for latency at a chosen rate).
-- A 503 is answered as the API asks: that connection waits Retry-After seconds before its next
-- request, as SDKs do (without it wrk spends the CPU it shares with the server on refused bodies).
-- usage: WRITE_KEY=wk_... wrk -t1 -c32 -d60s -s bench/tracking.lua http://127.0.0.1:8080
local counter = 0
local thread_id = 0
local key = os.getenv("WRITE_KEY")
local size = tonumber(os.getenv("BATCH_SIZE") or "100")
local pace = tonumber(os.getenv("DELAY_MS") or "0")

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  prefix = string.format("%d-%d-%d", os.time(), tid or 0, math.random(1, 1e9))
  auth = "Basic " .. b64(key .. ":")
end

function b64(data)
  local chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  return ((data:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if (#x < 6) then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end

function event()
  counter = counter + 1
  return string.format(
    '"messageId":"%s-%d","anonymousId":"anon-%d","event":"Product Viewed",' ..
    '"properties":{"product_id":"p-%d","price":%d,"category":"apparel"},' ..
    '"context":{"library":{"name":"wrk"},"page":{"url":"https://shop.example.com/p/%d"}}',
    prefix, counter, counter % 5000, counter % 300, counter % 500, counter % 300)
end

function request()
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  if size == 1 then
    return wrk.format("POST", "/v1/track", headers, "{" .. event() .. "}")
  end
  local items = {}
  for i = 1, size do
    items[i] = '{"type":"track",' .. event() .. '}'
  end
  return wrk.format("POST", "/v1/batch", headers, '{"batch":[' .. table.concat(items, ",") .. ']}')
end

local retry_after = 0

function response(status, headers, body)
  if status == 503 then
    retry_after = 1000 * (tonumber(headers["Retry-After"] or "1") or 1)
  end
end

function delay()
  if retry_after > 0 then
    local wait = retry_after
    retry_after = 0
    return wait
  end
  return pace
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status
  io.write(string.format("requests/s: %.1f  accepted events/s: %.1f  non-2xx/errors: %d/%d  p50: %.2f ms  p99: %.2f ms  max: %.2f ms\n",
    summary.requests / (summary.duration / 1e6), size * ok / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
