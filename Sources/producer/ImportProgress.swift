import FeedloopRuntime
import Foundation

/// Counts of a running import and how they are shown: on a terminal a bar redrawn in place
/// on standard error (bytes done of total, rows/s, ETA); otherwise a plain line every few
/// seconds, fit for a log.
struct ImportProgress {
    static let terminalInterval: Duration = .milliseconds(200)
    static let plainInterval: Duration = .seconds(5)
    static let barWidth = 30

    let totalBytes: Int64
    let startOffset: Int64
    let isTerminal: Bool
    let started = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?

    var offset: Int64
    var line = 0
    /// Records handled by this process (not earlier runs), for the rate.
    var records = 0
    var imported = 0
    var duplicates = 0
    var rejected = 0

    init(totalBytes: Int64, startOffset: Int64, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.totalBytes = totalBytes
        self.startOffset = startOffset
        self.offset = startOffset
        self.isTerminal = isTerminal
    }

    var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// Records per second in this process.
    var rate: Double { elapsed > 0 ? Double(records) / elapsed : 0 }

    /// Redraws or prints when due (or when `force`).
    mutating func report(force: Bool = false) {
        let now = ContinuousClock.now
        if !force, let lastDraw, now - lastDraw < (isTerminal ? Self.terminalInterval : Self.plainInterval) { return }
        if !force, lastDraw == nil, !isTerminal, now - started < Self.plainInterval { return }
        lastDraw = now
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + bar).utf8))
        } else {
            FileHandle.standardError.write(Data((plain + "\n").utf8))
        }
    }

    /// Ends the bar's line so that what follows starts on a fresh one.
    func endLine() {
        if isTerminal, lastDraw != nil { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private var fraction: Double { totalBytes > 0 ? min(1, Double(offset) / Double(totalBytes)) : 1 }

    /// Seconds left at this process's byte rate so far.
    private var eta: String {
        let done = Double(offset - startOffset)
        guard done > 0, elapsed > 0.5 else { return "--:--" }
        let seconds = Int(Double(totalBytes - offset) / (done / elapsed))
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    var bar: String {
        let filled = Int(fraction * Double(Self.barWidth))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: Self.barWidth - filled)
        return "\(bar) \(String(format: "%5.1f", fraction * 100))% \(Self.bytes(offset))/\(Self.bytes(totalBytes)) "
            + "\(Int(rate)) rows/s ETA \(eta)  imported \(imported) dup \(duplicates) rejected \(rejected)"
    }

    var plain: String {
        "progress: \(String(format: "%.1f", fraction * 100))% (\(offset)/\(totalBytes) bytes, line \(line)), imported \(imported), "
            + "duplicates \(duplicates), rejected \(rejected), \(Int(rate)) rows/s, ETA \(eta)"
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
