import AMQP
import FeedloopRuntime
import Foundation
import Logging

/// What the sampler saw at one instant of a run.
struct RunSnapshot: Sendable {
    /// Seconds since the run started.
    var at: Double
    /// Ready messages per queue (passive declare; nil when the queue could not be read).
    var queues: [String: Int]
    /// Per watched group, in the order of ``RunSampler/groups``.
    var processes: [ProcessSample]
    /// Busy CPU seconds of the whole machine since boot.
    var machineBusy: Double
}

/// Samples queue depths and process CPU/memory every `interval` on a thread of its own
/// (librabbitmq is blocking and a connection stays on its thread), so a growing queue or a
/// saturated process shows up over the run, not only at its end.
final class RunSampler: @unchecked Sendable {
    let groups: [WatchedGroup]
    let queues: [String]
    let interval: Duration
    private let amqpURL: AMQPURL
    private let started: ContinuousClock.Instant
    private let stop = StopSignal()
    private let lock = NSLock()
    private var taken: [RunSnapshot] = []
    private var done: ThreadResult<Void>?

    init(groups: [WatchedGroup], queues: [String], amqpURL: AMQPURL, interval: Duration, started: ContinuousClock.Instant) {
        self.groups = groups
        self.queues = queues
        self.amqpURL = amqpURL
        self.interval = interval
        self.started = started
    }

    var snapshots: [RunSnapshot] {
        lock.lock()
        defer { lock.unlock() }
        return taken
    }

    func start() {
        done = Thread.spawn { [self] in
            var logger = Logger(label: "feedloop.bench.sampler")
            logger.logLevel = .warning
            let connection = try? AMQPConnection(url: amqpURL, logger: logger)
            defer { connection?.close() }
            while true {
                let snapshot = take(connection)
                lock.lock()
                taken.append(snapshot)
                lock.unlock()
                if stop.isSet { return }
                stop.sleep(interval)
            }
        }
    }

    /// Takes a last snapshot and stops.
    func finish() {
        stop.set()
        try? done?.value()
    }

    /// One snapshot now, without waiting for the next interval.
    func takeNow() -> RunSnapshot {
        var logger = Logger(label: "feedloop.bench.sampler")
        logger.logLevel = .warning
        let connection = try? AMQPConnection(url: amqpURL, logger: logger)
        defer { connection?.close() }
        return take(connection)
    }

    private func take(_ connection: AMQPConnection?) -> RunSnapshot {
        var depths: [String: Int] = [:]
        for queue in queues {
            if let info = try? connection?.inspectQueue(queue) { depths[queue] = Int(info.messageCount) }
        }
        return RunSnapshot(
            at: (ContinuousClock.now - started).seconds, queues: depths, processes: groups.map { $0.sample() }, machineBusy: ProcFS.machine().busy)
    }
}
