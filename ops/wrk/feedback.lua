-- Load for POST /v1/feedback with wrk: every request a new item (unique external_id), with
-- an API key and a customer (1,000 distinct refs, so customer upserts contend as in real life).
--
--   ops/bench-intake runs it against a fresh producer; by hand:
--   KEY=$(feedloopctl keys create --name wrk --role intake)
--   FEEDLOOP_API_KEY=$KEY WRK_RUN=run1 wrk -t2 -c100 -d20s --latency -s ops/wrk/feedback.lua http://127.0.0.1:8080
--
-- Use a new WRK_RUN for every run: a repeated external_id is a resend (200, no new ticket).
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  key = os.getenv("FEEDLOOP_API_KEY")
  run = os.getenv("WRK_RUN") or "0"
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"channel":"chat","external_id":"wrk-%s-%d-%d","text":"快递五天了还没到，客服也不回复 %d",'
      .. '"customer":{"ref":"C%d","tier":"regular","phone":"13812341234"}}',
    run, tid, counter, counter, counter % 1000)
  return wrk.format("POST", "/v1/feedback",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
