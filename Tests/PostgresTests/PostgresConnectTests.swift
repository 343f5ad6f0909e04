import Foundation
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Connection failures, timeouts and backoff, against ports with no PostgreSQL behind them.
@Suite struct PostgresConnectTests {
    @Test func failedConnectionErrorsNeverContainThePassword() throws {
        // Port 1 on loopback refuses at once.
        let url = "postgres://app:pw-Zq9-unique@127.0.0.1:1/feedloop?connect_timeout=2"
        let error = try expectPostgresError { _ = try PostgresConnection(url: url, logger: TestDatabase.logger) }
        #expect(error.code == .connectionFailed)
        #expect(!error.description.contains("pw-Zq9-unique"))
    }

    @Test func connectRetriesWithBackoffUntilToldToStop() throws {
        var checks = 0
        let start = Date()
        let error = try expectPostgresError {
            _ = try PostgresConnection.connect(url: "postgres://app:pw@127.0.0.1:1/x", logger: TestDatabase.logger, maxDelay: .milliseconds(200)) {
                checks += 1
                return Date().timeIntervalSince(start) > 0.5
            }
        }
        #expect(error.code == .connectionFailed)
        #expect(checks > 3)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    /// A server that accepts TCP connections and never answers: only connect_timeout ends the wait.
    @Test func connectTimesOutByDefault() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let start = Date()
        let error = try expectPostgresError {
            _ = try PostgresConnection(url: "postgres://app@127.0.0.1:\(listener.port)/x", logger: TestDatabase.logger)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(error.code == .connectionFailed)
        #expect(elapsed > 4.3 && elapsed < 10, "took \(elapsed) s")
    }

    /// libpq treats timeouts below 2 s as 2 s, so 2 is the smallest value that shows the override.
    @Test func theURLsConnectTimeoutWins() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let start = Date()
        let error = try expectPostgresError {
            _ = try PostgresConnection(url: "postgres://app@127.0.0.1:\(listener.port)/x?connect_timeout=2", logger: TestDatabase.logger)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(error.code == .connectionFailed)
        #expect(elapsed < 4.2, "took \(elapsed) s")
    }
}

/// A loopback socket that listens (so the kernel completes handshakes) but never reads or writes.
struct SilentListener {
    let fd: Int32
    let port: Int

    struct Failed: Error {}

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(fd)
            throw Failed()
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}
