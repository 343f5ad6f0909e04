#!/usr/bin/env python3
"""Sample customer feedback for the Feedloop demo, made up from templates (Python stdlib only).

  sample_feedback.py generate [--count N] [--seed S] [--prefix P] [--format jsonl|csv] [--days D]
      prints N items: JSON lines in the POST /v1/feedback shape, or CSV with the import header
      (channel,external_id,text,customer_ref,customer_tier,received_at); --days spreads
      received_at over the last D days (CSV only; JSON items get the producer's clock).
  sample_feedback.py post --url PRODUCER_URL [--api-key KEY] [--count N] [--seed S]
                          [--prefix P] [--resends K] [--invalid] [--workers W]
      posts N items to PRODUCER_URL/v1/feedback with the API key (--api-key, else the
      environment variable FEEDLOOP_API_KEY; create one with
      `feedloopctl keys create --name demo --role intake`), then resends K of them with the
      same (channel, external_id), which must return the same ticket, then, with --invalid, a
      few bad requests (including one without a key) that must be refused with a 4xx.
      Progress goes to stderr; a JSON summary ({"created": …, "tickets": …, …}) to stdout.
      Exit 1 when any answer was not as expected.

Every text is written from the templates below: complaints, suggestions and praise in
Chinese and English, across the channels and the default taxonomy's categories.
"""
import argparse
import concurrent.futures
import csv
import datetime as dt
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request

CHANNELS = [  # (channel, weight)
    ("chat", 28), ("hotline", 16), ("email", 14), ("store", 10),
    ("social", 10), ("survey", 10), ("return_visit", 6), ("research", 6),
]
TIERS = [("regular", 70), ("new", 22), ("vip", 8)]

PRODUCTS_ZH = ["扫地机器人", "蓝牙耳机", "智能手表", "空气炸锅", "电动牙刷", "无线路由器", "净水器", "儿童平板"]
PRODUCTS_EN = ["robot vacuum", "wireless earbuds", "smartwatch", "air fryer", "electric toothbrush",
               "Wi-Fi router", "water purifier", "kids' tablet"]
STORES_ZH = ["朝阳大悦城店", "徐家汇店", "天河城店", "春熙路店", "西湖银泰店"]
STORES_EN = ["the Riverside store", "the downtown store", "the airport outlet", "the Westfield store"]
STAFF_ZH = ["小王", "小李", "陈经理", "客服3号"]
STAFF_EN = ["Anna", "Mark", "the agent on the phone", "the store manager"]

# (kind, templates). kind: complaint | suggestion | praise. Slots: {p} product, {s} store,
# {n} a small number, {o} an order number, {st} a staff member.
ZH = {
    "product.defect": ("complaint", [
        "买的{p}用了{n}天就坏了，质量太差了，要求换货。",
        "{p}收到后发现外壳有裂缝和划痕，做工粗糙，像是次品。",
        "新买的{p}有很大的异味，放了一周还是散不掉，质量问题谁负责？",
        "{p}的按键用了不到一个月就失灵了，这质量也太差了吧。",
    ]),
    "product.malfunction": ("complaint", [
        "{p}的APP更新后一直闪退，登录不了，订单号{o}。",
        "{p}经常死机黑屏，重启了{n}次也没用。",
        "{p}充电的时候发烫得厉害，还自动重启，有点害怕。",
        "{p}连不上家里的网络，一直报错，说明书上的方法都试过了。",
    ]),
    "product.usability": ("complaint", [
        "{p}的设置菜单太复杂了，找不到入口，老人根本不会用。",
        "{p}的APP操作繁琐，改个定时要点{n}步，设计不合理。",
        "{p}屏幕上的字太小，看不清，很不方便。",
    ]),
    "product.version": ("complaint", [
        "升级到新版本后{p}的蓝牙连不上了，能不能回退版本？",
        "{p}系统更新之后耗电快了很多，以前一天一充，现在半天就没电。",
    ]),
    "service.slow_response": ("complaint", [
        "打客服热线等了{n}十分钟都没人接，在线客服也一直没有回复。",
        "上周提交的售后申请到现在还没人理，石沉大海。",
        "给客服发了三封邮件，迟迟没有回复，订单号{o}。",
    ]),
    "service.attitude": ("complaint", [
        "{s}的店员态度很差，问两句就不耐烦，还说不买别问。",
        "热线客服直接挂电话，服务态度恶劣。",
        "客服一直推卸责任，说是快递的问题让我自己去找快递。",
    ]),
    "service.after_sales": ("complaint", [
        "售后流程太繁琐了，退货要填{n}张表，还要来回跑{s}。",
        "{p}保修期内维修，寄回去{n}周了还没修好，手续麻烦。",
        "换货必须先寄回旧的再发新的，流程复杂，影响使用。",
    ]),
    "service.ineffective_solution": ("complaint", [
        "同样的问题反映了{n}次，问题还是没有解决，客服只会答非所问。",
        "按客服说的恢复出厂设置了，{p}还是一样，根本没解决。",
    ]),
    "logistics.late_delivery": ("complaint", [
        "下单{n}天了还没发货，物流太慢了，订单号{o}。",
        "说好三天送达，等了一个多星期{p}还没到。",
        "快递一直显示派送中，但就是没收到，太慢了。",
    ]),
    "logistics.damaged_goods": ("complaint", [
        "快递收到时外箱破了，{p}摔坏了，屏幕碎了。",
        "收到的{p}外包装压扁了，机身有凹陷，要求补发。",
    ]),
    "logistics.tracking": ("complaint", [
        "物流信息一直没有更新，单号{o}查不到，是不是丢件了？",
        "物流显示已签收，但我根本没收到包裹。",
    ]),
    "logistics.packaging": ("complaint", [
        "包装太简陋了，{p}就装在一个塑料袋里，连气泡膜都没有。",
        "过度包装，一个小小的{p}用了三层盒子和一大堆泡沫，不环保。",
    ]),
    "price.too_expensive": ("complaint", [
        "这个{p}太贵了，比别家同款贵了两百多。",
        "刚买完{p}就降价了{n}十块，感觉被坑了，能不能补差价？",
    ]),
    "price.promotion": ("complaint", [
        "优惠券规则说不清楚，结账时满减没生效，多收了钱。",
        "活动页面写的是买一送一，下单后赠品没有了，这是虚假宣传吧。",
    ]),
    "price.refund": ("complaint", [
        "申请退款{n}天了还没到账，订单号{o}。",
        "{p}退货后只退了一半的钱，运费也要我自己出，要求赔偿。",
    ]),
    "suggestion.product": ("suggestion", [
        "建议{p}的APP增加夜间模式，晚上看着更舒服。",
        "希望{p}能增加一个一键静音的功能。",
        "能不能增加按订单号查询售后进度的功能？",
        "建议下一代{p}做成Type-C接口，出门少带一根线。",
    ]),
    "suggestion.service": ("suggestion", [
        "希望{s}能延长营业时间到晚上十点。",
        "建议客服热线增加晚上的人工服务时段。",
        "希望售后能提供上门取件，省得自己跑快递点。",
    ]),
    "praise": ("praise", [
        "快递小哥很负责，送货上门还帮忙搬上楼，点赞！",
        "客服{st}耐心解答了我的问题，非常满意。",
        "{p}用了半年，质量很好，用着很顺手，推荐。",
        "{s}的店员很热情，讲解很专业，体验很好。",
        "售后处理得很快，两天就换了新的{p}，谢谢。",
    ]),
    "urgent": ("complaint", [
        "我是你们的VIP客户，新买的{p}第二次出现同样的故障，请立刻处理，否则我会在微博上曝光。",
        "好几个同事的{p}今天都同时黑屏了，是不是批量的质量问题？",
        "{p}充电时冒烟了，差点引起火灾，太危险了，要求马上给说法！",
    ]),
}

EN = {
    "product.defect": ("complaint", [
        "My {p} stopped working after {n} days. Really poor quality, I want a replacement.",
        "The {p} arrived with a cracked case and scratches all over. Looks like a defective unit.",
        "The strap of my {p} fell apart within a month. Bad quality for the price.",
    ]),
    "product.malfunction": ("complaint", [
        "The {p} app keeps crashing since yesterday and I can't log in. Order #{o}.",
        "My {p} freezes several times a day and keeps restarting on its own.",
        "The {p} overheats while charging and then won't turn on.",
        "The {p} is not working at all: error E{n} every time I start it.",
    ]),
    "product.usability": ("complaint", [
        "The settings on the {p} are confusing, it took me {n} tries to find the schedule option.",
        "The {p} app is clunky and not intuitive, too many steps just to pair it.",
    ]),
    "product.version": ("complaint", [
        "Since the update my {p} drains its battery in half a day. Can I roll back?",
        "After the upgrade the {p} is not compatible with my phone anymore.",
    ]),
    "service.slow_response": ("complaint", [
        "I was on hold for {n}0 minutes and nobody answered. Still waiting for a reply to my email.",
        "I opened a support ticket a week ago and never got a response.",
    ]),
    "service.attitude": ("complaint", [
        "The staff at {s} were rude and dismissive when I asked about a refund.",
        "The agent hung up on me twice. Very unprofessional.",
    ]),
    "service.after_sales": ("complaint", [
        "The return process is cumbersome: {n} forms, a printed label and a trip to {s}.",
        "My warranty repair has taken {n} weeks and I still have to jump through hoops.",
    ]),
    "service.ineffective_solution": ("complaint", [
        "Support told me to reset the {p}. Didn't help, the problem persists.",
        "Third time I report this and it is still not resolved. The answers are copy-paste.",
    ]),
    "logistics.late_delivery": ("complaint", [
        "Order #{o} was promised in 3 days and has not arrived after {n} days.",
        "My {p} is a week late and nobody can tell me why.",
    ]),
    "logistics.damaged_goods": ("complaint", [
        "The {p} arrived damaged, the box was crushed and the screen shattered.",
        "Package arrived broken, the {p} is dented on one side.",
    ]),
    "logistics.tracking": ("complaint", [
        "Tracking hasn't updated in {n} days for order #{o}. Is the parcel lost?",
        "The tracking says delivered but I never received the package.",
    ]),
    "logistics.packaging": ("complaint", [
        "Poorly packed: the {p} came in a flimsy box with no padding at all.",
    ]),
    "price.too_expensive": ("complaint", [
        "The {p} is overpriced compared to other shops, about {n}0 dollars more.",
        "The price dropped right after I bought my {p}. Can you refund the difference?",
    ]),
    "price.promotion": ("complaint", [
        "The coupon did not apply at checkout even though the promotion page says it should.",
    ]),
    "price.refund": ("complaint", [
        "I returned the {p} {n} weeks ago and I'm still waiting for my refund.",
        "I was charged twice for order #{o}, please refund the extra payment.",
    ]),
    "suggestion.product": ("suggestion", [
        "It would be great if the {p} app had a dark mode.",
        "Please add an option to export the {p} history as CSV.",
        "Suggestion: let the {p} remember more than one Wi-Fi network.",
    ]),
    "suggestion.service": ("suggestion", [
        "Would you consider opening {s} on Sunday mornings?",
        "It would help if support offered a callback instead of keeping us on hold.",
    ]),
    "praise": ("praise", [
        "{st} solved my problem in five minutes. Great service, thank you!",
        "Love my new {p}, works perfectly and setup took two minutes.",
        "Fast delivery and the {p} was very well packed. Happy customer.",
        "Friendly staff at {s}, they helped me set up the {p} on the spot.",
    ]),
    "urgent": ("complaint", [
        "I'm a VIP member and this is the second {p} that failed the same way. Fix this today or I go public.",
        "The {p} started smoking while charging. This is dangerous, I need an answer now.",
        "Every {p} in our office lost connection at the same time this morning. Widespread failure?",
    ]),
}

# How often each kind of item appears (the rest of the weight is spread evenly over complaints).
KIND_WEIGHTS = {"suggestion.product": 5, "suggestion.service": 4, "praise": 8, "urgent": 3}

OPENERS_ZH = ["", "", "", "您好，", "你好，", "投诉：", "【反馈】"]
OPENERS_EN = ["", "", "", "Hi, ", "Hello, ", "Complaint: "]


def weighted(rng, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


def make_item(rng, prefix, index):
    channel = weighted(rng, CHANNELS)
    zh = rng.random() < 0.55
    table = ZH if zh else EN
    key = weighted(rng, [(k, KIND_WEIGHTS.get(k, 3)) for k in table])
    _, templates = table[key]
    text = rng.choice(templates).format(
        p=rng.choice(PRODUCTS_ZH if zh else PRODUCTS_EN),
        s=rng.choice(STORES_ZH if zh else STORES_EN),
        st=rng.choice(STAFF_ZH if zh else STAFF_EN),
        n=rng.randint(2, 9),
        o=rng.randint(10_000_000, 99_999_999),
    )
    text = rng.choice(OPENERS_ZH if zh else OPENERS_EN) + text
    item = {"channel": channel, "external_id": f"{prefix}-{channel}-{index:05d}", "text": text}
    if key == "urgent" and rng.random() < 0.7:
        tier = "vip"
    else:
        tier = weighted(rng, TIERS)
    if rng.random() < 0.9:
        item["customer"] = {"ref": f"C{rng.randint(100000, 999999)}", "tier": tier}
    return item


def generate(count, seed, prefix):
    rng = random.Random(seed)
    return [make_item(rng, prefix, i) for i in range(1, count + 1)]


def cmd_generate(args):
    items = generate(args.count, args.seed, args.prefix)
    if args.format == "jsonl":
        for item in items:
            print(json.dumps(item, ensure_ascii=False))
        return 0
    rng = random.Random(args.seed + 1)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["channel", "external_id", "text", "customer_ref", "customer_tier", "received_at"])
    for item in items:
        received = now - dt.timedelta(seconds=rng.randint(0, max(args.days, 0) * 86400))
        customer = item.get("customer") or {}
        out.writerow([item["channel"], item["external_id"], item["text"], customer.get("ref", ""),
                      customer.get("tier", ""), received.isoformat().replace("+00:00", "Z")])
    return 0


API_KEY = None  # set by cmd_post from --api-key or FEEDLOOP_API_KEY


def request(url, body, timeout=10, key=True):
    """POST body (bytes) with the API key (unless key is False); returns (status, parsed JSON or text)."""
    headers = {"Content-Type": "application/json"}
    if key and API_KEY:
        headers["Authorization"] = f"Bearer {API_KEY}"
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def short(body, limit=200):
    """One line of at most limit characters, for logs."""
    text = json.dumps(body, ensure_ascii=False) if isinstance(body, (dict, list)) else str(body)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def log(message):
    print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)


def cmd_post(args):
    global API_KEY
    API_KEY = args.api_key or os.environ.get("FEEDLOOP_API_KEY")
    if not API_KEY:
        print("sample_feedback.py: no API key: pass --api-key or set FEEDLOOP_API_KEY "
              "(feedloopctl keys create --name demo --role intake)", file=sys.stderr)
        return 2
    url = args.url.rstrip("/") + "/v1/feedback"
    items = generate(args.count, args.seed, args.prefix)
    problems = []
    tickets = {}  # (channel, external_id) -> ticket id
    by_status = {}

    def send(item):
        return item, request(url, json.dumps(item, ensure_ascii=False).encode("utf-8"))

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        for done, (item, (status, body)) in enumerate(pool.map(send, items), start=1):
            by_status[status] = by_status.get(status, 0) + 1
            if status in (200, 201) and isinstance(body, dict) and "ticket_id" in body:
                tickets[(item["channel"], item["external_id"])] = body["ticket_id"]
            else:
                problems.append(f"{item['external_id']}: HTTP {status} {short(body)}")
            if done % 50 == 0 or done == len(items):
                log(f"posted {done}/{len(items)}")
    elapsed = time.monotonic() - started
    log(f"{len(tickets)} tickets created in {elapsed:.1f} s; answers by status: {by_status}")

    # Resends: a channel that sends the same item again must get the same ticket back.
    rng = random.Random(args.seed + 2)
    same = 0
    resend_items = rng.sample(items, min(args.resends, len(items)))
    for item in resend_items:
        status, body = request(url, json.dumps(item, ensure_ascii=False).encode("utf-8"))
        first = tickets.get((item["channel"], item["external_id"]))
        got = body.get("ticket_id") if isinstance(body, dict) else None
        if status in (200, 201) and got is not None and got == first:
            same += 1
            log(f"resend {item['channel']}/{item['external_id']}: HTTP {status}, same ticket {got}")
        else:
            problems.append(f"resend {item['external_id']}: HTTP {status} {short(body)} (first ticket {first})")
            log(f"resend {item['channel']}/{item['external_id']}: HTTP {status} {short(body)} -- expected ticket {first}")

    # Bad input: each must be refused with a 4xx and a reason, and create nothing.
    refused = 0
    invalid = []
    if args.invalid:
        invalid = [
            ("unknown channel", json.dumps({"channel": "fax", "external_id": f"{args.prefix}-bad-1",
                                            "text": "Sent by fax."}).encode()),
            ("missing text", json.dumps({"channel": "chat", "external_id": f"{args.prefix}-bad-2"}).encode()),
            ("misspelt field", json.dumps({"channel": "email", "extrnal_id": f"{args.prefix}-bad-3",
                                           "text": "Typo in a field name."}).encode()),
            ("not JSON", b"{\"channel\": \"chat\", \"text\": "),
            ("bad phone", json.dumps({"channel": "chat", "external_id": f"{args.prefix}-bad-4", "text": "Call me.",
                                      "customer": {"ref": "C1", "phone": "call me maybe"}}).encode()),
            ("no API key", json.dumps({"channel": "chat", "external_id": f"{args.prefix}-bad-5",
                                       "text": "Sent without a key."}).encode()),
        ]
        for what, body in invalid:
            status, answer = request(url, body, key=(what != "no API key"))
            log(f"invalid ({what}): HTTP {status} {short(answer)}")
            if 400 <= status < 500:
                refused += 1
            else:
                problems.append(f"invalid ({what}) answered HTTP {status}, expected 4xx")

    for p in problems[:20]:
        log(f"UNEXPECTED: {p}")
    summary = {
        "posted": len(items), "created": len(tickets), "by_status": {str(k): v for k, v in by_status.items()},
        "resent": len(resend_items), "resent_same_ticket": same,
        "invalid_sent": len(invalid), "invalid_refused": refused,
        "problems": len(problems), "seconds": round(elapsed, 2),
        "first_ticket": min(tickets.values(), default=None), "last_ticket": max(tickets.values(), default=None),
    }
    print(json.dumps(summary))
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="print sample items")
    g.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    g.add_argument("--days", type=int, default=0, help="spread CSV received_at over the last D days")
    p = sub.add_parser("post", help="post sample items to a producer")
    p.add_argument("--url", required=True, help="producer base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--resends", type=int, default=5)
    p.add_argument("--invalid", action="store_true", help="also send a few invalid requests")
    p.add_argument("--api-key", help="API key with role intake or admin (default: $FEEDLOOP_API_KEY)")
    p.add_argument("--workers", type=int, default=4, help="concurrent requests")
    for s in (g, p):
        s.add_argument("--count", type=int, default=300)
        s.add_argument("--seed", type=int, default=7)
        s.add_argument("--prefix", default="demo", help="external_id prefix (unique per run)")
    args = parser.parse_args()
    return cmd_generate(args) if args.command == "generate" else cmd_post(args)


if __name__ == "__main__":
    sys.exit(main())
