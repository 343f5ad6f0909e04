import CCurl
import FeedloopRuntime
import Foundation
import Logging

/// Email over SMTP through libcurl: STARTTLS and AUTH when configured, one message per
/// `MAIL FROM`/`RCPT TO`/`DATA`, each connection reused for the next message. Rows are spread
/// over `connections` handles working at once. A 4xx reply (or no reply: timeout, refused
/// connection) is transient, a 5xx reply permanent.
///
/// Unchecked Sendable: only the delivery thread calls ``deliver(_:)``, and within it each
/// libcurl handle is used by exactly one lane.
final class SMTPTransport: NotificationTransport, @unchecked Sendable {
    struct Settings: Sendable {
        /// `smtp://host:port` (or `smtps://`).
        var url: String
        /// `From:` header and envelope sender, e.g. `Feedloop <notify@example.com>`.
        var from: String
        var user: String?
        var password: String?
        /// Require STARTTLS before anything is sent.
        var startTLS: Bool
        var timeout: Duration
        var connections: Int
    }

    let settings: Settings
    let logger: Logger
    private let envelopeSender: String
    private let domain: String
    private var lanes: [Lane] = []

    /// One libcurl handle (which keeps its SMTP connection between messages) and its error text.
    private struct Lane: @unchecked Sendable {
        var handle: UnsafeMutableRawPointer
        var errorBuffer: UnsafeMutablePointer<CChar>
    }

    init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        envelopeSender = Self.bareAddress(settings.from)
        domain = MailMessage.domain(of: envelopeSender)
        guard Self.globalInit == CURLE_OK else {
            throw ConfigurationError(variable: "FEEDLOOP_SMTP_URL", reason: "libcurl could not initialise")
        }
    }

    deinit {
        for lane in lanes {
            curl_easy_cleanup(lane.handle)
            lane.errorBuffer.deallocate()
        }
    }

    /// `curl_global_init` once per process, before any handle.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        let wanted = max(1, min(settings.connections, rows.count))
        while lanes.count < wanted {
            guard let handle = curl_easy_init() else { break }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
            buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
            lanes.append(Lane(handle: handle, errorBuffer: buffer))
        }
        guard !lanes.isEmpty else {
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, .transient("libcurl could not create a handle")) })
        }
        let results = LaneResults(count: rows.count)
        let lanes = Array(self.lanes.prefix(wanted))
        DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
            var index = lane
            while index < rows.count {
                results.set(index, send(rows[index], handle: lanes[lane].handle, errorBuffer: lanes[lane].errorBuffer))
                index += lanes.count
            }
        }
        var outcomes: [Int64: DeliveryOutcome] = [:]
        for (index, row) in rows.enumerated() { outcomes[row.id] = results.get(index) }
        return outcomes
    }

    private func send(_ row: PendingNotification, handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) -> DeliveryOutcome {
        guard let to = row.address, to.contains("@") else { return .permanent("no email address (address is empty or has no @)") }
        let message = MailMessage(
            from: settings.from, to: to, subject: row.subject ?? "", text: row.body, html: row.bodyHTML,
            messageId: MailMessage.messageId(dedupeKey: row.dedupeKey, domain: domain), date: Date(),
            headers: [("X-Feedloop-Notification", String(row.id)), ("X-Feedloop-Event", row.eventType)]
        )
        let upload = UploadBuffer(Array(message.rendered().utf8))
        errorBuffer[0] = 0
        var recipients: UnsafeMutablePointer<curl_slist>? = nil
        recipients = curl_slist_append(recipients, "<\(Self.bareAddress(to))>")
        defer { curl_slist_free_all(recipients) }
        var setup = [
            feedloop_curl_setopt_string(handle, CURLOPT_URL, settings.url),
            feedloop_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(envelopeSender)>"),
            feedloop_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients),
            feedloop_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
            feedloop_curl_setopt_read_function(handle, uploadRead),
            feedloop_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque()),
            feedloop_curl_setopt_long(handle, CURLOPT_INFILESIZE, upload.bytes.count),
            // Signals are not thread-safe: timeouts must not use SIGALRM.
            feedloop_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            feedloop_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.wholeMilliseconds)),
            feedloop_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.timeout.wholeMilliseconds)),
            feedloop_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(settings.startTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue)),
            feedloop_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
        ]
        if let user = settings.user {
            setup.append(feedloop_curl_setopt_string(handle, CURLOPT_USERNAME, user))
            setup.append(feedloop_curl_setopt_string(handle, CURLOPT_PASSWORD, settings.password ?? ""))
        }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            return .permanent("libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }
        let result = curl_easy_perform(handle)
        var code = 0
        _ = feedloop_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        withExtendedLifetime(upload) {}
        if result == CURLE_OK { return .delivered(code: code == 0 ? nil : code) }
        let reason = String(cString: curl_easy_strerror(result))
        let said = String(cString: errorBuffer)
        let detail = said.isEmpty || said == reason ? reason : "\(reason): \(said)"
        switch code {
        case 500..<600: return .permanent("SMTP \(code): \(detail)", code: code)
        case 400..<500: return .transient("SMTP \(code): \(detail)", code: code)
        default:
            // A login the server refused will not succeed on retry either.
            if result == CURLE_LOGIN_DENIED { return .permanent(detail, code: code == 0 ? nil : code) }
            return .transient(detail, code: code == 0 ? nil : code)
        }
    }

    /// `Name <a@b>` → `a@b`.
    static func bareAddress(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// The message being uploaded, read by libcurl through ``uploadRead``.
private final class UploadBuffer {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// CURLOPT_READFUNCTION: copies the next piece of the message; 0 ends the upload.
private let uploadRead: feedloop_curl_read_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let upload = Unmanaged<UploadBuffer>.fromOpaque(context).takeUnretainedValue()
    let n = min(size * count, upload.bytes.count - upload.offset)
    guard n > 0 else { return 0 }
    upload.bytes.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: n)
    }
    upload.offset += n
    return n
}

/// One outcome per row, written by the lanes of ``SMTPTransport/deliver(_:)`` at once.
private final class LaneResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [DeliveryOutcome?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: DeliveryOutcome) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
    func get(_ index: Int) -> DeliveryOutcome {
        lock.lock()
        defer { lock.unlock() }
        return values[index] ?? .transient("no outcome")
    }
}
