"""The live half of ops/check-monitoring: asks a Prometheus that scraped running workers about
its targets, its rules and every query of the Grafana dashboard.

Usage: check_monitoring.py PROMETHEUS_URL. Exit status 1 when a target is down, a rule fails to
evaluate, or a panel that must have data after sample traffic has none.
"""

import json
import os
import sys
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Panels that sample traffic through every worker must fill; the others (escalations, SLA
# lateness, dead letters, reconnects…) may rightly be empty after a short, healthy run.
MUST_HAVE_DATA = {
    "Replicas up",
    "Handled / s",
    "Ready messages",
    "Intake accepted / s",
    "Throughput per worker",
    "Intake by channel and outcome",
    "Batch latency p50 / p99",
    "Queue lag p50 / p99",
    "Mean batch size",
    "Queue depth",
    "HTTP requests by status",
    "HTTP latency p99",
}
# Of those, the ones that must also have been above zero at some point in the last 3 minutes
# (a queue may rightly be empty at every scrape).
MUST_BE_POSITIVE = MUST_HAVE_DATA - {"Ready messages", "Queue depth"}


def get(base, path, **params):
    url = f"{base}{path}?{urllib.parse.urlencode(params)}" if params else f"{base}{path}"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body.get('error')}")
    return body["data"]


def main():
    base = sys.argv[1].rstrip("/")
    problems = []

    targets = get(base, "/api/v1/targets")["activeTargets"]
    for target in sorted(targets, key=lambda t: t["labels"]["job"]):
        state = target["health"]
        print(f"  target {target['labels']['job']:22} {target['scrapeUrl']:40} {state} {target.get('lastError', '')}")
        if state != "up":
            problems.append(f"target {target['labels']['job']} is {state}: {target.get('lastError')}")

    for group in get(base, "/api/v1/rules")["groups"]:
        for rule in group["rules"]:
            print(f"  rule   {rule['name']:30} {rule['health']:6} {rule.get('state', '')}")
            if rule["health"] != "ok":
                problems.append(f"rule {rule['name']}: {rule.get('lastError')}")

    dashboard = json.load(open(os.path.join(ROOT, "ops/monitoring/grafana/dashboards/feedloop.json")))
    print(f"  {'panel':34} {'series':>6}  {'3-min peak':>10}  first result")
    for panel in dashboard["panels"]:
        if panel.get("type") == "row":
            continue
        counts = []
        sample = ""
        for target in panel["targets"]:
            expr = target["expr"].replace("$__rate_interval", "1m").replace("$__range", "1h")
            result = get(base, "/api/v1/query", query=expr)["result"]
            counts.append(len(result))
            if result and not sample:
                metric = {k: v for k, v in result[0]["metric"].items() if k not in ("instance",)}
                sample = f"{metric} = {float(result[0]['value'][1]):.4g}"
        total = sum(counts)
        peak = None
        if panel["title"] in MUST_BE_POSITIVE:
            peak = 0.0
            for target in panel["targets"]:
                expr = target["expr"].replace("$__rate_interval", "1m").replace("$__range", "1h")
                for series in get(base, "/api/v1/query", query=f"max_over_time(({expr})[3m:2s])")["result"]:
                    value = float(series["value"][1])
                    if value == value:  # not NaN
                        peak = max(peak, value)
        print(f"  {panel['title']:34} {total:>6}  {'' if peak is None else f'{peak:.4g}':>10}  {sample[:80]}")
        if panel["title"] in MUST_HAVE_DATA and total == 0:
            problems.append(f"panel {panel['title']!r} has no data after the sample traffic")
        elif peak == 0:
            problems.append(f"panel {panel['title']!r} stayed at zero through the sample traffic")

    if problems:
        for problem in problems:
            print(f"  FAIL  {problem}")
        print(f"check-monitoring: {len(problems)} problem(s)")
        return 1
    print("check-monitoring: every target up, every rule evaluates, every panel that must show the traffic does")
    return 0


if __name__ == "__main__":
    sys.exit(main())
