-- Prints one machine-readable line when wrk is done: median and p95
-- latency (microseconds), requests, errors and duration (microseconds).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("BENCH %d %d %d %d %d\n", latency:percentile(50),
    latency:percentile(95), summary.requests, errors, summary.duration))
end
