import Foundation

/// The figures of one ``EndToEndBenchmark`` run, as a table for people and as JSON for
/// `ops/bench`'s scaling table and docs/BENCHMARKS.md.
struct EndToEndReport {
    var rate: Int
    var duration: Int
    var batch: Int
    var concurrency: Int
    var offered: PacedIntake.Outcome
    var window: Range<Int>
    var stages: [StageSeries]
    var latency: OpenLatency
    var clocks: Int
    var notifications: [(String, Int)]
    var snapshots: [RunSnapshot]
    var groups: [String]
    var queues: [String]
    var brokerPerS: Int?

    private var open: StageSeries { stages[1] }

    /// First intake to last ticket open, over every item: the figure the earlier pipeline benchmark printed.
    var endToEndPerS: Double {
        let span = Double(max(1, open.finishedAfter))
        return Double(open.total) / span
    }

    /// Ready messages per queue at the start, middle and end of the offered load, and the most seen.
    func queueDepths(_ queue: String) -> (start: Int, middle: Int, end: Int, most: Int) {
        let during = snapshots.filter { $0.at <= offered.elapsed.seconds + 0.5 }
        let values = during.map { $0.queues[queue] ?? 0 }
        guard !values.isEmpty else { return (0, 0, 0, 0) }
        return (values[0], values[values.count / 2], values[values.count - 1], values.max()!)
    }

    /// CPU seconds per item (milliseconds), resident memory at the end and the peak, per group.
    func processes() -> [(name: String, cpuMsPerItem: Double, cpuShare: Double, rssMiB: Double, peakMiB: Double)] {
        guard let first = snapshots.first, let last = snapshots.last, last.at > first.at else { return [] }
        let items = Double(max(1, offered.accepted))
        let seconds = last.at - first.at
        return groups.indices.map { i in
            let cpu = last.processes[i].cpuSince(first.processes[i])
            let peak = snapshots.map { $0.processes[i].rssKiB }.max() ?? 0
            return (groups[i], cpu / items * 1000, cpu / seconds, Double(last.processes[i].rssKiB) / 1024, Double(peak) / 1024)
        }
    }

    /// Share of the machine's cores kept busy between the first and last sample.
    var machineBusy: Double {
        guard let first = snapshots.first, let last = snapshots.last, last.at > first.at else { return 0 }
        return (last.machineBusy - first.machineBusy) / (last.at - first.at) / Double(ProcessInfo.processInfo.activeProcessorCount)
    }

    func text() -> String {
        var out: [String] = []
        let offeredText = rate > 0 ? "\(rate) items/s" : "as fast as possible"
        out.append("e2e: \(duration) s offered at \(offeredText), \(batch) item(s) per request, \(concurrency) in flight")
        out.append(
            "  accepted   \(offered.accepted) items in \(offered.requests) requests (\(Int(Double(offered.accepted) / offered.elapsed.seconds)) items/s), worst lag behind schedule \(String(format: "%.2f", offered.worstLag.seconds)) s"
        )
        out.append("  stage                  total   steady items/s (median / lowest / mean)   done after")
        for s in stages {
            let st = s.steady(window)
            out.append(
                "  \(s.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(pad(s.total, 8))   \(pad(st.median, 8)) / \(pad(st.lowest, 6)) / \(pad(Int(st.mean), 6))          \(s.finishedAfter) s"
            )
        }
        out.append("  steady window: seconds \(window.lowerBound)–\(window.upperBound) of the run")
        out.append(
            "  end to end \(Int(endToEndPerS)) items/s (all items, first intake to last open)"
                + (brokerPerS.map { "; raw broker \($0) msg/s, ratio \(String(format: "%.3f", endToEndPerS / Double($0)))" } ?? ""))
        out.append("  intake to open (steady window): p50 \(Int(latency.p50)) ms, p99 \(Int(latency.p99)) ms, max \(Int(latency.max)) ms")
        out.append("  SLA clocks \(clocks); notifications " + notifications.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        out.append("  queue (ready msgs)        start  middle     end     max")
        for q in queues {
            let d = queueDepths(q)
            out.append("  \(q.padding(toLength: 22, withPad: " ", startingAt: 0)) \(pad(d.start, 7)) \(pad(d.middle, 7)) \(pad(d.end, 7)) \(pad(d.most, 7))")
        }
        out.append("  process           CPU ms/item  cores busy  RSS MiB (end / most)")
        for p in processes() {
            out.append(
                "  \(p.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(format: "%11.3f", p.cpuMsPerItem))  \(String(format: "%10.2f", p.cpuShare))  \(String(format: "%7.1f / %7.1f", p.rssMiB, p.peakMiB))"
            )
        }
        out.append("  machine: \(Int(machineBusy * 100))% of \(ProcessInfo.processInfo.activeProcessorCount) cores busy over the run")
        return out.joined(separator: "\n")
    }

    func json() -> String {
        var object: [String: Any] = [
            "rate": rate, "duration_s": duration, "batch": batch, "concurrency": concurrency,
            "accepted": offered.accepted, "intake_per_s": Int(Double(offered.accepted) / offered.elapsed.seconds),
            "worst_lag_s": (offered.worstLag.seconds * 100).rounded() / 100,
            "items_per_s": Int(endToEndPerS), "steady_window_s": [window.lowerBound, window.upperBound],
            "p50_ms": Int(latency.p50), "p99_ms": Int(latency.p99), "max_ms": Int(latency.max),
            "sla_clocks": clocks, "notifications": Dictionary(uniqueKeysWithValues: notifications),
            "machine_busy": (machineBusy * 1000).rounded() / 1000,
        ]
        object["stages"] = stages.map { s -> [String: Any] in
            let st = s.steady(window)
            return [
                "name": s.name, "total": s.total, "steady_median_per_s": st.median, "steady_lowest_per_s": st.lowest,
                "steady_mean_per_s": Int(st.mean), "done_after_s": s.finishedAfter, "per_second": s.perSecond,
            ]
        }
        object["queues"] = Dictionary(
            uniqueKeysWithValues: queues.map { q -> (String, Any) in
                let d = queueDepths(q)
                return (q, ["start": d.start, "middle": d.middle, "end": d.end, "max": d.most, "samples": snapshots.map { $0.queues[q] ?? 0 }])
            })
        object["processes"] = processes().map { p -> [String: Any] in
            [
                "name": p.name, "cpu_ms_per_item": (p.cpuMsPerItem * 1000).rounded() / 1000, "cores_busy": (p.cpuShare * 100).rounded() / 100,
                "rss_mib": p.rssMiB.rounded(), "rss_most_mib": p.peakMiB.rounded(),
            ]
        }
        if let brokerPerS {
            object["broker_per_s"] = brokerPerS
            object["ratio"] = (endToEndPerS / Double(brokerPerS) * 1000).rounded() / 1000
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
