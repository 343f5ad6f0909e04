import AMQP
import Foundation
import Logging

/// Settings every Feedloop executable shares, with local defaults that match `ops/servers`
/// and docker/compose.yml. Each field documents its variable.
public struct FeedloopConfiguration: Sendable {
    /// `FEEDLOOP_AMQP_URL`, default `amqp://guest:guest@127.0.0.1:5672/%2f`. A comma-separated
    /// list names the nodes of one broker cluster: the first is `amqpURL`, the others its
    /// `fallbacks`, and every (re)connect tries them in that order (`ops/cluster`).
    public var amqpURL: AMQPURL
    /// `FEEDLOOP_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/feedloop`.
    public var databaseURL: String
    /// `FEEDLOOP_BATCH_SIZE`: most messages handled in one transaction (default 500).
    public var batchSize: Int
    /// `FEEDLOOP_PREFETCH`: unacknowledged deliveries the broker may push (default 1000).
    public var prefetch: Int
    /// `FEEDLOOP_BATCH_WAIT_MS`: how long a batch waits to fill after its first message (default 20).
    public var batchWait: Duration
    /// `FEEDLOOP_MAX_ATTEMPTS`: handling attempts before a message is dead-lettered (default 5).
    public var maxAttempts: Int
    /// `FEEDLOOP_RETRY_DELAY_MS`: wait in the retry queue between attempts (default 5000).
    public var retryDelay: Duration
    /// `FEEDLOOP_DELIVERY_LIMIT`: broker-side redeliveries (crashes mid-batch) before dead-lettering (default 20).
    public var deliveryLimit: Int
    /// `FEEDLOOP_HEARTBEAT_S`: AMQP heartbeat interval in seconds (default 30).
    public var heartbeat: Int
    /// `FEEDLOOP_HTTP_HOST` / `FEEDLOOP_HTTP_PORT` for executables that serve HTTP.
    public var httpHost: String
    public var httpPort: Int
    /// `FEEDLOOP_DB_POOL_SIZE`: database connections of an HTTP server (default 8).
    public var databasePoolSize: Int
    /// `FEEDLOOP_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    public var logLevel: Logger.Level
    /// `FEEDLOOP_MIGRATE`: apply pending migrations at start (default false; `feedloopctl migrate` does it too).
    public var migrateAtStart: Bool

    /// Reads every variable; `defaultHTTPPort` differs per executable.
    public init(environment env: Environment = Environment(), defaultHTTPPort: Int = 8080) throws {
        let amqp = env.string("FEEDLOOP_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/%2f")
        do {
            self.amqpURL = try AMQPURL(parsingList: amqp)
        } catch {
            throw ConfigurationError(variable: "FEEDLOOP_AMQP_URL", reason: "\(error)")
        }
        self.databaseURL = env.string("FEEDLOOP_DATABASE_URL", default: "postgres://postgres@127.0.0.1:5432/feedloop")
        guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
            throw ConfigurationError(variable: "FEEDLOOP_DATABASE_URL", reason: "expected a postgres:// URL")
        }
        self.batchSize = try env.int("FEEDLOOP_BATCH_SIZE", default: 500, range: 1...5000)
        self.prefetch = try env.int("FEEDLOOP_PREFETCH", default: 1000, range: 1...65535)
        self.batchWait = try env.milliseconds("FEEDLOOP_BATCH_WAIT_MS", default: 20, range: 0...10_000)
        self.maxAttempts = try env.int("FEEDLOOP_MAX_ATTEMPTS", default: 5, range: 1...100)
        self.retryDelay = try env.milliseconds("FEEDLOOP_RETRY_DELAY_MS", default: 5000, range: 10...86_400_000)
        self.deliveryLimit = try env.int("FEEDLOOP_DELIVERY_LIMIT", default: 20, range: 1...1000)
        self.heartbeat = try env.int("FEEDLOOP_HEARTBEAT_S", default: 30, range: 0...600)
        self.httpHost = env.string("FEEDLOOP_HTTP_HOST", default: "127.0.0.1")
        self.httpPort = try env.int("FEEDLOOP_HTTP_PORT", default: defaultHTTPPort, range: 0...65535)
        self.databasePoolSize = try env.int("FEEDLOOP_DB_POOL_SIZE", default: 8, range: 1...200)
        let level = env.string("FEEDLOOP_LOG_LEVEL", default: "info").lowercased()
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ConfigurationError(variable: "FEEDLOOP_LOG_LEVEL", reason: "unknown level \"\(level)\"")
        }
        self.logLevel = parsed
        self.migrateAtStart = try env.bool("FEEDLOOP_MIGRATE", default: false)
    }

    /// The variables above, for `--help` texts.
    public static let helpText = """
        Environment (defaults in brackets):
          FEEDLOOP_AMQP_URL        broker [amqp://guest:guest@127.0.0.1:5672/%2f]; a cluster's
                                   nodes separated by commas, tried in order on each connect
          FEEDLOOP_DATABASE_URL    [postgres://postgres@127.0.0.1:5432/feedloop]
          FEEDLOOP_BATCH_SIZE      messages per transaction [500]
          FEEDLOOP_PREFETCH        unacknowledged deliveries per consumer [1000]
          FEEDLOOP_BATCH_WAIT_MS   wait for a batch to fill [20]
          FEEDLOOP_MAX_ATTEMPTS    handling attempts before dead-lettering [5]
          FEEDLOOP_RETRY_DELAY_MS  delay between attempts [5000]
          FEEDLOOP_DELIVERY_LIMIT  broker redeliveries before dead-lettering [20]
          FEEDLOOP_LOG_LEVEL       trace|debug|info|notice|warning|error [info]
          FEEDLOOP_LOG_FORMAT      text|json (one JSON object per line) [text]
          FEEDLOOP_MIGRATE         apply database migrations at start [false]
        """
}
