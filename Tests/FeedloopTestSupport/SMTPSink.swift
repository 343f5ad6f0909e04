import Foundation

/// A real SMTP server for tests: Debian's aiosmtpd (`/usr/bin/python3`, package
/// python3-aiosmtpd) in a child process, writing every accepted message to a file. Recipients
/// starting with `reject` get `550`, and while ``temporaryFailure`` is on every recipient gets
/// `451`, so tests can drive both failure kinds. With credentials it requires SMTP AUTH
/// (PLAIN or LOGIN) before accepting mail.
public final class SMTPSink: @unchecked Sendable {
    /// One accepted message: its envelope recipients and its headers.
    public struct Message: Sendable {
        public var recipients: [String]
        public var messageId: String?
        public var notificationId: String?
        public var headers: [String: String]
        public var raw: String
    }

    public let port: Int
    public let directory: URL
    private let process = Process()

    public init(credentials: (user: String, password: String)? = nil) throws {
        port = try Pipeline.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("feedloop-smtp"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("messages"), withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("sink.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, String(port), directory.path] + (credentials.map { [$0.user, $0.password] } ?? [])
        let log = directory.appendingPathComponent("sink.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        // Ready once the port accepts a connection.
        let deadline = ContinuousClock.now + .seconds(20)
        while !Self.accepts(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SinkDidNotStart(log: text)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// `smtp://127.0.0.1:PORT`
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// While true, every RCPT is answered `451 4.3.0` (a transient failure).
    public var temporaryFailure: Bool {
        get { FileManager.default.fileExists(atPath: directory.appendingPathComponent("tempfail").path) }
        set {
            let flag = directory.appendingPathComponent("tempfail")
            if newValue {
                FileManager.default.createFile(atPath: flag.path, contents: nil)
            } else {
                try? FileManager.default.removeItem(at: flag)
            }
        }
    }

    /// Every message accepted so far.
    public var messages: [Message] {
        let folder = directory.appendingPathComponent("messages")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            guard let raw = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return nil }
            return Self.parse(raw)
        }
    }

    /// SIGKILL: the child inherits the test process's blocked signals, so SIGTERM would
    /// never reach it; every accepted message is already in its file.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    static func parse(_ raw: String) -> Message {
        // The sink writes `X-Envelope-To: a, b` then a blank line then the message.
        let normalized = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let headerBlock = normalized.components(separatedBy: "\n\n").first ?? ""
        var headers: [String: String] = [:]
        var last: String?
        for line in headerBlock.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.first == " " || line.first == "\t", let key = last {
                headers[key, default: ""] += String(line)
            } else if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].lowercased()
                headers[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = key
            }
        }
        let recipients = (headers["x-envelope-to"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return Message(
            recipients: recipients, messageId: headers["message-id"], notificationId: headers["x-feedloop-notification"], headers: headers,
            raw: raw
        )
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    public struct SinkDidNotStart: Error, CustomStringConvertible {
        public var log: String
        public var description: String { "the SMTP sink (/usr/bin/python3 with aiosmtpd) did not start:\n\(log)" }
    }

    static let script = #"""
        import os, sys, time, uuid
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        port, folder = int(sys.argv[1]), sys.argv[2]

        class Sink:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.lower().startswith("reject"):
                    return "550 5.1.1 mailbox unavailable"
                if os.path.exists(os.path.join(folder, "tempfail")):
                    return "451 4.3.0 try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                name = "%d-%s" % (time.time_ns(), uuid.uuid4().hex)
                tmp = os.path.join(folder, "messages", name + ".tmp")
                with open(tmp, "wb") as f:
                    f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
                    f.write(envelope.original_content or envelope.content)
                os.rename(tmp, os.path.join(folder, "messages", name + ".eml"))
                return "250 Message accepted"

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == sys.argv[3].encode() and auth_data.password == sys.argv[4].encode()
            # handled=False: aiosmtpd answers 535 itself (handled=True would mean "already answered").
            return AuthResult(success=ok, handled=False)

        if len(sys.argv) > 4:
            # A test server without TLS: AUTH over plain text is allowed here, never in production.
            controller = Controller(Sink(), hostname="127.0.0.1", port=port, authenticator=authenticate, auth_required=True, auth_require_tls=False)
        else:
            controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        print("listening", flush=True)
        while True:
            time.sleep(3600)
        """#
}
