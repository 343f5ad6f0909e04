import AMQP
import Foundation
import Testing

/// A broker cluster given as one comma-separated `FEEDLOOP_AMQP_URL`: parsing, and a connect
/// that skips a node nobody listens on.
@Suite struct AMQPClusterURLTests {
    @Test func parsesTheNodesInOrder() throws {
        let url = try AMQPURL(parsingList: "amqp://u:p@n1:5672/prod, amqp://u:p@n2:5673/prod,amqp://u:p@n3:5674/prod")
        #expect(url.endpoints.map(\.host) == ["n1", "n2", "n3"])
        #expect(url.endpoints.map(\.port) == [5672, 5673, 5674])
        #expect(url.endpoints.allSatisfy { $0.vhost == "prod" && $0.fallbacks.isEmpty })
        #expect(url.host == "n1")
        #expect(url.description == "amqp://u:***@n1:5672/prod,amqp://u:***@n2:5673/prod,amqp://u:***@n3:5674/prod")
    }

    @Test func oneURLHasNoFallbacks() throws {
        let url = try AMQPURL(parsingList: "amqp://guest:guest@127.0.0.1:5672/%2f")
        #expect(url == (try AMQPURL(parsing: "amqp://guest:guest@127.0.0.1:5672/%2f")))
        #expect(url.endpoints.count == 1)
    }

    @Test func namesTheBadEntry() {
        func message(_ list: String) -> String {
            do {
                _ = try AMQPURL(parsingList: list)
                return "parsed"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("amqp://a:1/v,,amqp://b:2/v").contains("entry 2 of 3: empty"))
        #expect(message("amqp://a:1/v,http://b:2/v").contains("entry 2 of 2: unsupported AMQP URL scheme 'http'"))
        #expect(message("amqp://a:1/v,amqp://b:99999/v").contains("entry 2 of 2: AMQP URL has an invalid port '99999'"))
        #expect(message("amqp://a:1/v,amqp://b:2/w").contains("entry 2 of 2: vhost 'w' differs from entry 1's 'v'"))
        #expect(message("amqp://u:secret@a:1/v,").contains("entry 2 of 2: empty"))
        #expect(!message("amqp://u:secret@a:1/v,ftp://u:secret@b").contains("secret"))
    }

    @Test(.enabled(if: TestBroker.shouldRun)) func connectSkipsAnUnreachableNode() throws {
        let live = try TestBroker.url()
        // A port that was free a moment ago: nothing answers there.
        let socket = try FreePort.take()
        var dead = live
        dead.port = socket
        var cluster = dead
        cluster.fallbacks = [live]
        let connection = try AMQPConnection(url: cluster, heartbeat: 0, connectionName: "amqp-tests-cluster", logger: TestBroker.logger)
        defer { connection.close() }
        #expect(connection.isOpen)

        var unreachable = dead
        unreachable.fallbacks = [dead]
        #expect {
            try AMQPConnection(url: unreachable, heartbeat: 0, logger: TestBroker.logger)
        } throws: { error in
            "\(error)".contains("cannot reach any of the 2 brokers")
        }
    }
}

/// A TCP port on 127.0.0.1 that no one listens on right now.
enum FreePort {
    static func take() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
