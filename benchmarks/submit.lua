-- wrk script: POST valid actions, each from a new supporter with a new form token.
-- Usage: wrk -s submit.lua URL -- THREADS BODY_FILE RUN_ID ORIGIN PROOFS_FILE
-- THREADS is wrk's --threads (stack.wrk passes it first to every script).
-- BODY_FILE holds the url-encoded fields that are the same for everyone (the letter,
-- address, channel); each request adds a unique email and form_token built from the
-- run id, the thread number and a per-thread counter, and a proof of work of its own from
-- PROOFS_FILE (lines of an address and a proof; thread N of THREADS takes lines N,
-- N + THREADS, ...), and comes from that address in X-Forwarded-For, the network that
-- asked for the proof's challenge, as a proxy in front would say (the site reads it only
-- when told to trust it). A request past the last proof goes without one, from an
-- address of its own, and is counted. done() prints one JSON line.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function init(args)
  thread_count = tonumber(args[1])
  local file = assert(io.open(args[2], "rb"))
  fixed = file:read("*a")
  file:close()
  run_id = tonumber(args[3])
  origin = args[4]
  -- This thread's share only: lines thread_id, thread_id + thread_count, ...
  proofs = {}
  local line_number = 0
  for line in io.lines(args[5]) do
    if line_number % thread_count == thread_id - 1 then
      table.insert(proofs, line)
    end
    line_number = line_number + 1
  end
  counter = 0
  accepted = 0
  other = 0
  unproven = 0
end

function request()
  counter = counter + 1
  local token = string.format("%08x-%04x-4000-8000-%012x", run_id, thread_id, counter)
  local email = string.format("b%d-%d-%d%%40example.org", run_id, thread_id, counter)
  local body = fixed .. "&email=" .. email .. "&form_token=" .. token
  -- From the address that asked for the proof's challenge.
  local address, proof = string.match(proofs[counter] or "", "^(%S+) (%S+)$")
  if proof then
    body = body .. "&altcha=" .. proof
  else
    unproven = unproven + 1
    address = string.format(
      "10.%d.%d.%d", thread_id % 256, math.floor(counter / 256) % 256, counter % 256)
  end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    ["X-Forwarded-For"] = address,
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 302 then
    accepted = accepted + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_accepted, total_other, total_unproven = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_other = total_other + thread:get("other")
    total_unproven = total_unproven + thread:get("unproven")
  end
  local e = summary.errors
  io.write(string.format(
    '{"accepted": %d, "other_status": %d, "unproven": %d, "requests": %d, '
      .. '"duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, "bad_status": %d, '
      .. '"socket_errors": %d}\n',
    total_accepted, total_other, total_unproven, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
