-- wrk script: every thread (one connection) walks whole calls through bench/flows/bench.json, one callback at a
-- time, as the mediaservice would: /newCall, four /getIvrCommand (the menu; "3"; "123456#"; the read-back), a
-- /callEvent (the caller hangs up) and /sessionCompleted. 7 callbacks a call.
-- Arguments after "--": a tag that makes this run's sessionIds unique (a server keeps ended calls for a while and
-- would answer a reused sessionId from memory).
-- Prints one line "WRK key=value ..." that bench/wrk.sh reads.

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

-- Per thread (each has its own Lua state); calls and bad are globals so that done() can read them.
local step, sid, reference, tag, replyPad
local CALLED = "+46850009999"
local steps = 7

function init(args)
  tag = (args[1] or tostring(os.time())) .. "-" .. tostring(tid)
  step = 0
  calls = 0
  bad = 0
  -- The vendor's replyIds are JWTs of about 260 characters; a server that keeps them pays for their length.
  replyPad = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." .. string.rep("eyJkb21haW4iOiJiZW5jaC5leGFtcGxlIiwibm9uY2Ui", 4) .. "."
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function replyId()
  return replyPad .. sid .. "-" .. step
end

local function ref()
  if reference then return ',"sessionReferenceId":' .. reference end
  return ""
end

local function ivr(digits)
  local dtmf = ""
  if digits then
    local match = digits:gsub("#$", "")
    local reason = digits:sub(-1) == "#" and "terminationKey" or "maxDigits"
    dtmf = ',"dtmfBuffer":"' .. digits .. '","dtmfParams":{"dtmfMatch":"' .. match .. '","reason":"' .. reason .. '"}'
  end
  return wrk.format(nil, "/getIvrCommand", nil, '{"sessionId":"' .. sid .. '","replyId":"' .. replyId() .. '"'
    .. ref() .. dtmf .. ',"siteBaseUrl":"http://127.0.0.1:9"}')
end

function request()
  if step == 0 then
    calls = calls + 1
    sid = tag .. "-" .. calls
    reference = nil
    return wrk.format(nil, "/newCall", nil, '{"sessionId":"' .. sid .. '","sipCallId":"' .. sid
      .. '@10.0.0.2","callingPartyPrivacy":"public","callingParty":"+46701234567","displayName":"Bench Caller",'
      .. '"fromUser":"+46701234567","calledParty":"' .. CALLED .. '","xHeaders":{},"pHeaders":{},'
      .. '"paiNumber":"+46701234567","srcAddr":"10.0.0.2","siteBaseUrl":"http://127.0.0.1:9"}')
  elseif step == 1 then return ivr(nil)
  elseif step == 2 then return ivr("3")
  elseif step == 3 then return ivr("123456#")
  elseif step == 4 then return ivr(nil)
  elseif step == 5 then
    return wrk.format(nil, "/callEvent", nil, '{"event":"callingPartyDrop","participantId":"p-' .. sid
      .. '","remoteParticipantId":"ivr","sessionId":"' .. sid .. '"' .. ref() .. '}')
  else
    return wrk.format(nil, "/sessionCompleted", nil, '{"sessionId":"' .. sid
      .. '","sessionDuration":"12","reason":"caller-hangup"' .. ref() .. '}')
  end
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  if step == 0 then
    reference = body:match('"sessionReferenceId":(%b{})')
  end
  step = (step + 1) % steps
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local notOk = 0
  local callsDone = 0
  for _, t in ipairs(threads) do
    notOk = notOk + (t:get("bad") or 0)
    callsDone = callsDone + (t:get("calls") or 0)
  end
  io.write(string.format("WRK requests=%d seconds=%.3f rate=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f "
    .. "not200=%d errors=%d calls=%d\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, notOk, errors, callsDone))
end
