import FeedloopRuntime
import Foundation
import Testing

/// The pure parts of notification delivery: webhook signatures, quiet hours, the email's
/// wire form and the retry queues' names.
struct NotificationDeliveryUnitTests {
    static let body = Data(#"{"event":"ticket.classified"}"#.utf8)

    @Test func signatureMatchesAnIndependentHMAC() {
        // python3: hmac.new(b'whsec_test', b'1700000000.' + body, hashlib.sha256).hexdigest()
        #expect(
            WebhookSignature.sign(body: Self.body, secret: "whsec_test", timestamp: 1_700_000_000)
                == "t=1700000000,v1=ccaa6e631f4c9ce142912f186a59e2c0d768ac79e8b852372a18c5e2921947d6"
        )
    }

    @Test func receiversRefuseForgedStaleAndMalformedSignatures() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_100)
        let good = WebhookSignature.sign(body: Self.body, secret: "whsec_test", timestamp: 1_700_000_000)
        try WebhookSignature.verify(header: good, body: Self.body, secret: "whsec_test", now: now)
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(header: good, body: Data(#"{"event":"ticket.resolved"}"#.utf8), secret: "whsec_test", now: now)
        }
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(header: good, body: Self.body, secret: "another secret", now: now)
        }
        #expect(throws: WebhookSignature.Failure.stale(ageSeconds: 400)) {
            try WebhookSignature.verify(header: good, body: Self.body, secret: "whsec_test", now: now.addingTimeInterval(300))
        }
        #expect(throws: WebhookSignature.Failure.malformed) {
            try WebhookSignature.verify(header: "v1=abc", body: Self.body, secret: "whsec_test", now: now)
        }
    }

    @Test func quietHoursSpanningMidnightHoldUntilTheirEnd() throws {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let quiet = try QuietHours(parsing: "22:00-08:00", timeZone: shanghai)
        // 2026-11-23 23:30 in Shanghai is 15:30 UTC; the window ends at 08:00 the next day (00:00 UTC).
        let lateEvening = Date(timeIntervalSince1970: 1_795_447_800)
        #expect(quiet.holdUntil(lateEvening) == Date(timeIntervalSince1970: 1_795_478_400))
        // 07:59 on the 24th: held one minute.
        #expect(quiet.holdUntil(Date(timeIntervalSince1970: 1_795_478_340)) == Date(timeIntervalSince1970: 1_795_478_400))
        // 08:00 and noon: not held.
        #expect(quiet.holdUntil(Date(timeIntervalSince1970: 1_795_478_400)) == nil)
        #expect(quiet.holdUntil(Date(timeIntervalSince1970: 1_795_492_800)) == nil)
    }

    @Test func quietHoursRejectMalformedWindows() {
        for text in ["22:00", "25:00-08:00", "22:00-08:0", "08:00-08:00", "late-early"] {
            #expect(throws: ConfigurationError.self, "\(text)") { try QuietHours(parsing: text, timeZone: .gmt) }
        }
    }

    @Test func emailHasAlternativePartsEncodedSubjectAndAStableMessageId() throws {
        let id = MailMessage.messageId(dedupeKey: "msg-1/customer/c1/email", domain: "example.com")
        #expect(id == MailMessage.messageId(dedupeKey: "msg-1/customer/c1/email", domain: "example.com"))
        #expect(id != MailMessage.messageId(dedupeKey: "msg-2/customer/c1/email", domain: "example.com"))
        #expect(id.hasPrefix("<") && id.hasSuffix("@example.com>"))
        let subject = "您的工单 #42 已受理，我们会在 4 小时内回复您（Ticket received）"
        let message = MailMessage(
            from: "Feedloop <notify@example.com>", to: "a@example.org", subject: subject, text: "正文\n.second line", html: "<p>正文</p>",
            messageId: id, date: Date(timeIntervalSince1970: 0)
        ).rendered()
        let lines = message.components(separatedBy: "\r\n")
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(lines.contains("Message-ID: \(id)"))
        #expect(message.contains("Content-Type: multipart/alternative;"))
        #expect(message.contains("Content-Type: text/plain; charset=utf-8") && message.contains("Content-Type: text/html; charset=utf-8"))
        // The encoded words decode back to the subject.
        let start = lines.firstIndex { $0.hasPrefix("Subject: ") }!
        var words = [String(lines[start].dropFirst("Subject: ".count))]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix(" ") else { break }
            words.append(String(line.dropFirst()))
        }
        let decoded = try words.map { word -> String in
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let base64 = String(word.dropFirst(10).dropLast(2))
            return try #require(Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) })
        }.joined()
        #expect(decoded == subject)
    }

    @Test func retryQueuesAreNamedByDelayAndLongWaitsHop() {
        #expect(DeliveryTopology.retryQueue(for: .seconds(10)) == "feedloop.notifier.retry.10s")
        #expect(DeliveryTopology.retryQueue(for: .seconds(60)) == "feedloop.notifier.retry.1m")
        #expect(DeliveryTopology.retryQueue(for: .seconds(3600)) == "feedloop.notifier.retry.1h")
        #expect(DeliveryTopology.retryQueue(for: .milliseconds(1500)) == "feedloop.notifier.retry.1500ms")
        let delays: [Duration] = [.seconds(10), .seconds(60), .seconds(600), .seconds(3600)]
        #expect(DeliveryTopology.queue(toWait: .seconds(5), delays: delays).delay == .seconds(10))
        #expect(DeliveryTopology.queue(toWait: .seconds(700), delays: delays).delay == .seconds(600))
        #expect(DeliveryTopology.queue(toWait: .seconds(36000), delays: delays).delay == .seconds(3600))
    }
}
