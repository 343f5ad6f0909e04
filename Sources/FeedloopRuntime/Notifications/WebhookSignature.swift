import Crypto
import Foundation

/// The `X-Feedloop-Signature` header of a webhook delivery: `t=<unix seconds>,v1=<hex
/// HMAC-SHA256(secret, "<t>.<body>")>`. Signing the timestamp with the body lets a receiver
/// check both that the notifier sent it and that it is fresh, so a captured request cannot be
/// replayed later.
public enum WebhookSignature {
    public static let header = "X-Feedloop-Signature"

    public static func sign(body: some DataProtocol, secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hex(mac(body: body, secret: secret, timestamp: timestamp)))"
    }

    /// Why a receiver refused a delivery.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed
        case stale(ageSeconds: Int64)
        case mismatch

        public var description: String {
            switch self {
            case .malformed: "signature header is not t=<unix>,v1=<hex>"
            case .stale(let age): "signature timestamp is \(age) s away from now"
            case .mismatch: "signature does not match the body"
            }
        }
    }

    /// Checks `header` against `body`; a timestamp further than `tolerance` from `now` (either
    /// way) is refused even when the MAC matches.
    public static func verify(header: String, body: some DataProtocol, secret: String, now: Date = Date(), tolerance: Duration = .seconds(300)) throws {
        var timestamp: Int64?
        var signatures: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw Failure.malformed }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1":
                guard let bytes = unhex(pair[1]) else { throw Failure.malformed }
                signatures.append(bytes)
            default: continue  // later versions may add schemes
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw Failure.malformed }
        let age = Int64(now.timeIntervalSince1970) - timestamp
        guard abs(age) <= tolerance.components.seconds else { throw Failure.stale(ageSeconds: age) }
        let key = SymmetricKey(data: Data(secret.utf8))
        let signed = Data("\(timestamp).".utf8) + Data(body)
        guard signatures.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key) }) else {
            throw Failure.mismatch
        }
    }

    static func mac(body: some DataProtocol, secret: String, timestamp: Int64) -> Data {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
        hmac.update(data: Data("\(timestamp).".utf8))
        hmac.update(data: Data(body))
        return Data(hmac.finalize())
    }

    static func hex(_ bytes: Data) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func unhex(_ text: String) -> Data? {
        guard text.count % 2 == 0 else { return nil }
        var data = Data(capacity: text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
