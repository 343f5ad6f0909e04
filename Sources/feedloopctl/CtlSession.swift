import AMQP
import FeedloopRuntime
import Logging
import Postgres

/// What every subcommand starts from: the configuration from the environment, logging, and
/// connections opened once (no retrying: an operator wants the error now) with errors that
/// say what could not be reached.
struct CtlSession {
    let configuration: FeedloopConfiguration
    let logger: Logger

    /// Reads the configuration. Logs go to standard error at warning unless
    /// FEEDLOOP_LOG_LEVEL asks for more, so that standard output stays the command's answer.
    static func start() throws -> CtlSession {
        let environment = Environment()
        let configuration: FeedloopConfiguration
        do {
            configuration = try FeedloopConfiguration(environment: environment)
        } catch {
            throw CtlError("\(error)")
        }
        let level = environment.optionalString("FEEDLOOP_LOG_LEVEL") == nil ? Logger.Level.warning : configuration.logLevel
        FeedloopLogging.bootstrap(level: level)
        return CtlSession(configuration: configuration, logger: FeedloopLogging.logger("feedloopctl"))
    }

    var maskedDatabaseURL: String { PostgresConnection.maskedURL(configuration.databaseURL) }

    /// A database connection; unless `requireSchema` is false, also checks that the schema
    /// is the one this build needs.
    func openDatabase(requireSchema: Bool = true) throws -> PostgresConnection {
        let db: PostgresConnection
        do {
            db = try PostgresConnection(url: configuration.databaseURL, logger: logger)
            // Server notices ("relation already exists, skipping") are noise in a command's output.
            try db.query("SET client_min_messages = warning")
        } catch let error as PostgresError {
            throw CtlError("cannot connect to the database at \(maskedDatabaseURL): \(error.message)")
        }
        if requireSchema {
            do {
                try Migrator.requireCurrent(db)
            } catch let error as SchemaVersionError {
                throw CtlError("\(error)")
            }
        }
        return db
    }

    /// A broker connection (one channel, used from this thread only).
    func openBroker() throws -> AMQPConnection {
        do {
            return try AMQPConnection(url: configuration.amqpURL, heartbeat: 0, connectionName: "feedloopctl", logger: logger)
        } catch let error as AMQPError {
            // The client's own message repeats the (masked) URL; say it once.
            let reason = error.message.replacingOccurrences(of: "cannot reach \(configuration.amqpURL): ", with: "")
            throw CtlError("cannot connect to the broker at \(configuration.amqpURL): \(reason)")
        }
    }

    /// A confirm-mode publisher for republishing events.
    func makePublisher() -> EventPublisher {
        EventPublisher(url: configuration.amqpURL, heartbeat: 0, name: "feedloopctl", logger: logger)
    }
}
