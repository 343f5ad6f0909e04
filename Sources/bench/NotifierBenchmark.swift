import ArgumentParser
import FeedloopRuntime
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Postgres

/// Messages/s through a running notifier: inserts pending notification rows, wakes the
/// notifier through `feedloop.notifier.deliver` and times until every row is sent. Webhook
/// rows go to a receiver this command runs itself (answering 204 and counting delivery ids);
/// email rows go to whatever SMTP server the notifier's FEEDLOOP_SMTP_URL names.
struct NotifierBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Notification deliveries/s through a running notifier, to a local webhook receiver or SMTP sink.",
        discussion: """
            Needs FEEDLOOP_DATABASE_URL and FEEDLOOP_AMQP_URL of a running feedloop-notifier; for --channel \
            email, that notifier's FEEDLOOP_SMTP_URL pointing at a sink, e.g. \
            `/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Sink`. Start the notifier with \
            FEEDLOOP_NOTIFY_RATE_PER_MINUTE=0 or the per-address limit applies (every row here has its own address). \
            The rows are deleted at the end.

            Example: feedloop-bench notify --channel webhook --messages 5000
            """
    )

    enum Channel: String, ExpressibleByArgument {
        case webhook, email
    }

    @Option(help: "webhook or email.") var channel: Channel = .webhook
    @Option(help: "Messages to deliver.") var messages = 5000
    @Option(help: "Port of the benchmark's own webhook receiver (0: any free port).") var port = 0
    @Option(help: "Seconds to wait for every message to be sent.") var timeout = 600
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let receiver = channel == .webhook ? try BenchWebhookReceiver(port: port) : nil
        defer { try? receiver?.stop() }
        let run = "bench-notify-\(UUID().uuidString.prefix(8))"
        let addresses: [String] = (0..<messages).map { i in
            if let receiver { return "http://127.0.0.1:\(receiver.port)/hooks/\(i)" }
            return "bench\(i)@feedloop-bench.test"
        }

        let start = ContinuousClock.now
        let ids = try db.transaction { tx in
            try tx.query(
                """
                INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, address, subject, body, body_html, locale)
                SELECT $1 || '/' || a.i, a.i, 'ticket.classified', 'staff', 'bench-' || a.i, $2, a.address, 'Ticket ' || a.i || ' 已受理',
                       'Ticket ' || a.i || ' was received and will be answered within 4 hours.', '<p>Ticket <b>' || a.i || '</b></p>', 'en'
                FROM unnest($3::text[]) WITH ORDINALITY AS a(address, i)
                RETURNING id
                """,
                [.text(run), .text(channel.rawValue), .textArray(addresses)]
            ).map { try $0.decode(Int64.self, at: 0) }
        }
        defer { _ = try? db.query("DELETE FROM notifications WHERE dedupe_key LIKE $1", [.text(run + "/%")]) }
        let publisher = EventPublisher(url: configuration.amqpURL, heartbeat: 0, name: "feedloop-bench", logger: .init(label: "feedloop.bench"))
        defer { publisher.close() }
        try publisher.withConnection { try DeliveryTopology.declare(on: $0, retryDelays: []) }
        try publisher.publish([try NotificationWake(ids: Array(ids.prefix(1000)), dueAt: Date()).message(to: DeliveryTopology.deliverQueue)])

        let deadline = ContinuousClock.now + .seconds(timeout)
        var sent = 0
        while sent < messages {
            let row = try db.query(
                "SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'dead') FROM notifications WHERE dedupe_key LIKE $1",
                [.text(run + "/%")]
            )[0]
            sent = try row.decode(Int.self, at: 0)
            let dead = try row.decode(Int.self, at: 1)
            if dead > 0 { throw ValidationError("\(dead) rows went dead; see feedloopctl notifications dead") }
            if ContinuousClock.now > deadline { throw ValidationError("only \(sent) of \(messages) sent after \(timeout) s") }
            if sent < messages { try await Task.sleep(for: .milliseconds(50)) }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let latency = try db.query(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))::float8,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))::float8
            FROM notifications WHERE dedupe_key LIKE $1
            """,
            [.text(run + "/%")]
        )[0]
        let p50 = try latency.decode(Double.self, at: 0) * 1000
        let p99 = try latency.decode(Double.self, at: 1) * 1000
        let received = receiver?.distinctDeliveries
        if json {
            var object: [String: Any] = [
                "channel": channel.rawValue, "messages": messages, "seconds": seconds, "messages_per_second": Double(messages) / seconds,
                "p50_ms": p50, "p99_ms": p99,
            ]
            if let received { object["received_distinct"] = received }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(
                String(
                    format: "notify %@: %d messages in %.2f s = %.0f messages/s (insert to sent: p50 %.0f ms, p99 %.0f ms)", channel.rawValue, messages,
                    seconds, Double(messages) / seconds, p50, p99
                )
            )
            if let received { print("receiver saw \(received) distinct delivery ids") }
        }
    }
}

/// A bare HTTP/1.1 server that answers every request 204 and remembers each
/// `X-Feedloop-Delivery` it saw: as little work per request as a receiver can do.
final class BenchWebhookReceiver: Sendable {
    let port: Int
    private let channel: any Channel
    private let seen: NIOLockedValueBox<Set<String>>

    init(port: Int) throws {
        let seen = NIOLockedValueBox<Set<String>>([])
        self.seen = seen
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Handler(seen: seen)) }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        self.port = channel.localAddress?.port ?? port
    }

    var distinctDeliveries: Int { seen.withLockedValue { $0.count } }

    func stop() throws {
        try channel.close().wait()
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let seen: NIOLockedValueBox<Set<String>>
        var keepAlive = true

        init(seen: NIOLockedValueBox<Set<String>>) { self.seen = seen }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                keepAlive = head.isKeepAlive
                if let id = head.headers.first(name: "X-Feedloop-Delivery") { seen.withLockedValue { _ = $0.insert(id) } }
            case .body:
                break
            case .end:
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "0")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .noContent, headers: headers))), promise: nil)
                let keepAlive = keepAlive
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                    if !keepAlive { context.close(promise: nil) }
                }
            }
        }
    }
}
