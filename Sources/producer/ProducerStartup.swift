import AMQP
import FeedloopRuntime
import Logging
import Postgres

/// What `serve` and `import` both do before storing anything: a database at the schema version
/// this build needs, and every role's queue declared so that no event is published into an
/// exchange with nothing bound to it.
enum ProducerStartup {
    /// Connection attempts (with the clients' own backoff, up to 5 s apart) before giving up at start.
    static let connectAttempts = 8

    /// Connects, migrates when `FEEDLOOP_MIGRATE` asks for it, and checks the schema version.
    static func openDatabase(_ configuration: FeedloopConfiguration, logger: Logger) throws -> PostgresConnection {
        var attempts = 0
        let db = try PostgresConnection.connect(url: configuration.databaseURL, logger: logger) {
            attempts += 1
            return attempts >= connectAttempts
        }
        do {
            if configuration.migrateAtStart {
                try Migrator(logger: logger).migrate(db)
            }
            try Migrator.requireCurrent(db)
        } catch {
            db.close()
            throw error
        }
        return db
    }

    /// Declares the exchanges and every role's queues once (declarations are idempotent).
    static func declareTopology(_ configuration: FeedloopConfiguration, logger: Logger) throws {
        var attempts = 0
        let connection = try AMQPConnection.connect(
            url: configuration.amqpURL, heartbeat: configuration.heartbeat, connectionName: "feedloop-producer-setup",
            logger: logger
        ) {
            attempts += 1
            return attempts >= connectAttempts
        }
        defer { connection.close() }
        try Topology.declareAll(on: connection, deliveryLimit: configuration.deliveryLimit, retryDelay: configuration.retryDelay)
    }
}
