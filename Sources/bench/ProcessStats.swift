import Foundation

/// CPU time and resident memory of one process, read from `/proc/<pid>/stat` and
/// `/proc/<pid>/status` (Linux), so the benchmark can say what each role costs per item and
/// how much memory it holds under load without any profiler.
struct ProcessSample: Sendable {
    /// User plus system CPU seconds since the process started.
    var cpuSeconds: Double
    /// For a group: each member's CPU seconds, so that a delta counts only processes that were
    /// there at the end (a PostgreSQL backend that exited took its CPU time with it).
    var cpuByPid: [Int32: Double] = [:]
    /// Resident set size now (`VmRSS`), in KiB.
    var rssKiB: Int
    /// Peak resident set size (`VmHWM`), in KiB.
    var peakKiB: Int
}

extension ProcessSample {
    /// CPU seconds used between `earlier` and this sample by the processes alive now; one that
    /// started in between counts whole.
    func cpuSince(_ earlier: ProcessSample) -> Double {
        cpuByPid.reduce(0) { sum, entry in sum + entry.value - (earlier.cpuByPid[entry.key] ?? 0) }
    }
}

enum ProcFS {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func sample(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: field 3 (state) onwards; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return ProcessSample(
            cpuSeconds: (user + system) / ticksPerSecond, rssKiB: kibibytes("VmRSS:", in: status), peakKiB: kibibytes("VmHWM:", in: status))
    }

    private static func kibibytes(_ key: String, in status: String) -> Int {
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }

    /// Processes whose command name (`/proc/<pid>/comm`) is `command`, e.g. every PostgreSQL
    /// backend (`postgres`) or the broker's Erlang VM (`beam.smp`).
    static func pids(command: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry),
                let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == command
            else { return nil }
            return pid
        }
    }

    /// Busy and total CPU seconds of the whole machine since boot (`/proc/stat`), for the share
    /// of both cores a run kept busy.
    static func machine() -> (busy: Double, total: Double) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first else {
            return (0, 0)
        }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 5 else { return (0, 0) }
        let total = values.prefix(8).reduce(0, +)
        let idle = values[3] + values[4]  // idle + iowait
        return ((total - idle) / ticksPerSecond, total / ticksPerSecond)
    }
}

/// A group of processes measured together: one worker role (all its replicas), the database
/// server, the broker or the load generator.
struct WatchedGroup: Sendable {
    var name: String
    /// Fixed pids, or nil when the group is found by command name at every sample.
    var pids: [Int32]?
    var command: String?

    func sample() -> ProcessSample {
        let members = pids ?? command.map { ProcFS.pids(command: $0) } ?? []
        var total = ProcessSample(cpuSeconds: 0, rssKiB: 0, peakKiB: 0)
        for pid in members {
            guard let s = ProcFS.sample(pid: pid) else { continue }
            total.cpuSeconds += s.cpuSeconds
            total.cpuByPid[pid] = s.cpuSeconds
            total.rssKiB += s.rssKiB
            total.peakKiB = max(total.peakKiB, s.peakKiB)
        }
        return total
    }

    /// The workers `ops/run-workers` started: `<dir>/<executable>-<n>.pid`, grouped per
    /// executable (replicas of a role together).
    static func workers(pidDirectory: String) throws -> [WatchedGroup] {
        let files = try FileManager.default.contentsOfDirectory(atPath: pidDirectory).filter { $0.hasSuffix(".pid") }.sorted()
        var groups: [String: [Int32]] = [:]
        for file in files {
            let name = String(file.dropLast(4))
            let role = name.split(separator: "-").last.map { Int($0) != nil } == true ? String(name[..<name.lastIndex(of: "-")!]) : name
            let text = try String(contentsOfFile: "\(pidDirectory)/\(file)", encoding: .utf8)
            guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            groups[role, default: []].append(pid)
        }
        return groups.keys.sorted().map { WatchedGroup(name: $0.replacingOccurrences(of: "feedloop-", with: ""), pids: groups[$0]) }
    }
}
