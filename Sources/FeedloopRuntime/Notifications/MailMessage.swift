import Crypto
import Foundation

/// One email as RFC 5322 text with CRLF line ends, ready for SMTP `DATA`: UTF-8 headers as
/// RFC 2047 encoded words, plain text alone or with an HTML alternative, bodies in base64 so
/// that no line is too long and no line starts with a dot whatever the content.
public struct MailMessage: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    /// `<…@…>`; the same notification always gets the same id, so a receiver can drop a repeat.
    public var messageId: String
    public var date: Date
    /// Extra headers, ASCII only (e.g. `X-Feedloop-Notification`).
    public var headers: [(String, String)]

    public init(from: String, to: String, subject: String, text: String, html: String?, messageId: String, date: Date, headers: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageId = messageId
        self.date = date
        self.headers = headers
    }

    /// A Message-ID derived from the notification's dedupe key: stable across retries,
    /// replays and replicas, and revealing nothing about the key.
    public static func messageId(dedupeKey: String, domain: String) -> String {
        let digest = SHA256.hash(data: Data(dedupeKey.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        return "<\(digest)@\(domain)>"
    }

    /// The domain part of an address (`notify@example.com` → `example.com`), for Message-IDs.
    public static func domain(of address: String) -> String {
        let bare = address.split(separator: "<").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "> ")) } ?? address
        return bare.split(separator: "@").last.map(String.init) ?? "feedloop.local"
    }

    public func rendered() -> String {
        var lines = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
        ]
        lines += headers.map { "\($0.0): \($0.1)" }
        if let html {
            let boundary = "feedloop-" + String(messageId.filter { $0.isLetter || $0.isNumber }.prefix(32))
            lines.append("Content-Type: multipart/alternative;")
            lines.append(" boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += Self.part(text, type: "text/plain")
            lines.append("--\(boundary)")
            lines += Self.part(html, type: "text/html")
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(text, type: "text/plain").dropLast()  // no blank line before the end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Headers and base64 body of one text part, then a blank line.
    static func part(_ content: String, type: String) -> [String] {
        var lines = ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
        lines += wrap(Data(content.utf8).base64EncodedString(), width: 76)
        lines.append("")
        return lines
    }

    /// Plain ASCII stays as it is; anything else becomes `=?UTF-8?B?…?=` words of at most 64
    /// characters (whole characters per word, so the first fits after `Subject: ` in 78), folded
    /// onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text where !character.isNewline {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: width, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(String(text[index..<next]))
            index = next
        }
        return lines
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
