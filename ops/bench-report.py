#!/usr/bin/env python3
"""Prints the tables of `ops/bench e2e` and `ops/bench scaling` from feedloop-bench e2e's JSON.

    ops/bench-report.py e2e JSON
    ops/bench-report.py scaling JSON...   (each with "role" and "replicas" added by ops/bench)
"""
import json
import os
import sys


def stage(run, prefix):
    return next(s for s in run["stages"] if s["name"].startswith(prefix))


def e2e(run):
    cores = os.cpu_count()
    offered = f"{run['rate']} items/s" if run["rate"] else "as fast as possible"
    print(f"Feedloop end to end ({cores} cores; broker, database, every worker and the load generator on this machine)")
    print(f"  offered {offered} for {run['duration_s']} s, {run['batch']} item(s) per request, {run['concurrency']} in flight; "
          f"accepted {run['accepted']} ({run['intake_per_s']}/s), worst lag behind schedule {run['worst_lag_s']} s")
    lo, hi = run["steady_window_s"]
    print(f"  {'stage':<22}{'total':>9}{'steady median/s':>17}{'lowest/s':>10}{'done after':>12}")
    for s in run["stages"]:
        print(f"  {s['name']:<22}{s['total']:>9}{s['steady_median_per_s']:>17}{s['steady_lowest_per_s']:>10}{s['done_after_s']:>10} s")
    print(f"  (steady: seconds {lo}-{hi} of the run)")
    print(f"  end to end {run['items_per_s']} items/s; raw broker {run.get('broker_per_s', '?')} msg/s; ratio {run.get('ratio', '?')}")
    print(f"  intake to open (steady window): p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms, max {run['max_ms']} ms")
    print(f"  SLA clocks {run['sla_clocks']}; notifications {run['notifications']}")
    print(f"  {'queue (ready)':<24}{'start':>7}{'middle':>8}{'end':>7}{'max':>8}")
    for q, d in sorted(run["queues"].items()):
        print(f"  {q:<24}{d['start']:>7}{d['middle']:>8}{d['end']:>7}{d['max']:>8}")
    print(f"  {'process':<18}{'CPU ms/item':>12}{'cores busy':>12}{'RSS MiB end':>13}{'most':>7}")
    for p in run["processes"]:
        print(f"  {p['name']:<18}{p['cpu_ms_per_item']:>12.3f}{p['cores_busy']:>12.2f}{p['rss_mib']:>13.0f}{p['rss_most_mib']:>7.0f}")
    print(f"  machine busy {run['machine_busy'] * 100:.0f}% of {cores} cores")


def scaling(runs):
    print("Feedloop scaling (replicas of one role, the others at 1; figures from one run each on a shared 2-core machine)")
    print(f"  {'role':<12}{'replicas':>9}{'items/s':>9}{'open steady/s':>15}{'p99 ms':>8}{'role CPU ms/item':>18}{'all CPU ms/item':>17}{'role RSS MiB':>14}")
    for run in runs:
        role = run["role"].rstrip("s")
        procs = {p["name"]: p for p in run["processes"]}
        mine = procs.get(role, {})
        total = sum(p["cpu_ms_per_item"] for p in run["processes"])
        print(f"  {role:<12}{run['replicas']:>9}{run['items_per_s']:>9}{stage(run, 'classifier')['steady_median_per_s']:>15}"
              f"{run['p99_ms']:>8}{mine.get('cpu_ms_per_item', 0):>18.3f}{total:>17.3f}{mine.get('rss_mib', 0):>14.0f}")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("e2e", "scaling"):
        sys.exit(__doc__)
    runs = [json.loads(a) for a in sys.argv[2:]]
    e2e(runs[0]) if sys.argv[1] == "e2e" else scaling(runs)
