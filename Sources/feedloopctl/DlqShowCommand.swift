import AMQP
import ArgumentParser
import FeedloopCore
import Foundation

/// `feedloopctl dlq show`: one dead letter in full, personal data masked.
struct DlqShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show dead letters by message id in full: properties, headers, body (personal data masked).",
        discussion: """
            Names, phone numbers, email addresses, customer references, recipients and keys in the \
            body are masked (138****1234, z****@example.com), and so are emails and phone numbers \
            inside any text. The message is returned to its dead queue. A message id dead-lettered \
            more than once shows every copy. Exits 3 when no dead letter has the id.

            Examples:
              feedloopctl dlq show feedback.received/1042
              feedloopctl dlq show ticket.classified/77 --queue notifier --json
            """
    )

    @Argument(help: "The message id (see `feedloopctl dlq list`).")
    var messageId: String

    @OptionGroup var filter: DeadLetterFilter

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func run() throws {
        var filter = filter
        filter.messageIds = [messageId]
        let session = try CtlSession.start()
        let broker = try session.openBroker()
        defer { broker.close() }
        let selection = try DeadLetterSelection(filter, broker: broker)
        try selection.release()
        guard !selection.matches.isEmpty else {
            StandardError.print("error: no dead letter with message id \(messageId)\(selection.unreadNote.map { " (\($0))" } ?? "")")
            throw ExitCode(3)
        }
        if json {
            let objects = try selection.matches.map { match -> Any in
                let encoder = FeedloopJSON.encoder()
                let letter = try JSONSerialization.jsonObject(with: try encoder.encode(match.letter))
                let p = match.delivery.properties
                return [
                    "dead_letter": letter,
                    "properties": [
                        "content_type": p.contentType as Any, "message_id": p.messageId as Any, "type": p.type as Any,
                        "timestamp": p.timestamp.map(FeedloopJSON.formatTimestamp) as Any, "correlation_id": p.correlationId as Any,
                        "persistent": p.persistent,
                    ].compactMapValues { $0 is NSNull ? nil : $0 },
                    "headers": HeaderText.jsonValue(.table(p.headers)),
                    "body": MaskedJSON.value(match.delivery.body),
                ] as [String: Any]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for (i, match) in selection.matches.enumerated() {
            if i > 0 { print("\n" + String(repeating: "-", count: 60) + "\n") }
            print(text(match))
        }
    }

    private func text(_ match: DeadLetterSelection.Match) -> String {
        let l = match.letter
        let p = match.delivery.properties
        var lines = [
            "Message id:     \(l.messageId ?? "-")",
            "Type:           \(l.type ?? "-")",
            "Ticket:         \(l.ticketId.map(String.init) ?? "-")",
            "Dead queue:     \(l.deadQueue)",
            "Failed in:      \(l.originalQueue)",
            "Failed at:      \(l.failedAt.map(FeedloopJSON.formatTimestamp) ?? "-")\(l.ageSeconds.map { " (\(AgeText.format(seconds: $0)) ago)" } ?? "")",
            "Attempts:       \(l.attempts.map(String.init) ?? "-")",
            "Reason:         \(l.reason)",
            "Published at:   \(p.timestamp.map(FeedloopJSON.formatTimestamp) ?? "-")",
            "Content type:   \(p.contentType ?? "-")",
            "Body:           \(l.bodyBytes) bytes",
            "",
            "Headers:",
        ]
        for key in p.headers.keys.sorted() {
            lines.append("  \(key): \(HeaderText.text(p.headers[key]!))")
        }
        lines.append("")
        lines.append("Body (personal data masked):")
        lines.append(MaskedJSON.render(match.delivery.body))
        return lines.joined(separator: "\n")
    }
}

/// Header values as text and as JSON values; strings are masked like body text.
enum HeaderText {
    static func text(_ value: AMQPFieldValue) -> String {
        switch value {
        case .string(let s): MaskedJSON.maskText(s)
        case .int(let n): "\(n)"
        case .bool(let b): "\(b)"
        case .double(let d): "\(d)"
        case .table(let t): "{" + t.keys.sorted().map { "\($0): \(text(t[$0]!))" }.joined(separator: ", ") + "}"
        case .array(let a): "[" + a.map(text).joined(separator: ", ") + "]"
        }
    }

    static func jsonValue(_ value: AMQPFieldValue) -> Any {
        switch value {
        case .string(let s): MaskedJSON.maskText(s)
        case .int(let n): n
        case .bool(let b): b
        case .double(let d): d
        case .table(let t): t.mapValues(jsonValue)
        case .array(let a): a.map(jsonValue)
        }
    }
}
