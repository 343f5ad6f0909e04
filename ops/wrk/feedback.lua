-- wrk script for ops/bench-intake: POST /v1/feedback with a unique external_id per request,
-- alternating Chinese and English texts, authenticated with the key in FEEDLOOP_BENCH_KEY.
local key = os.getenv("FEEDLOOP_BENCH_KEY") or ""
local run = os.getenv("FEEDLOOP_BENCH_RUN") or tostring(os.time())
local texts = {
    "快递三天了还没到，客服电话也打不通，希望尽快处理",
    "The app keeps crashing after the latest update and I cannot log in.",
    "价格比上个月贵了很多，建议增加会员折扣",
    "Support agent was rude and did not solve my billing problem.",
}
local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
    thread:set("thread_id", #threads + 1)
    table.insert(threads, thread)
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"channel":"chat","external_id":"wrk-%s-%d-%d","text":"%s","customer":{"ref":"c-%d","tier":"regular"}}',
        run, thread_id, counter, texts[counter % #texts + 1], counter % 5000)
    return wrk.format("POST", "/v1/feedback", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. key,
    }, body)
end
