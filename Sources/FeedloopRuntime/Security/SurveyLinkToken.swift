import Crypto
import FeedloopCore
import Foundation

/// The credential in a satisfaction survey link (`…/v1/survey-links/{token}`): which ticket and
/// questionnaire it is for, until when, and a random nonce that names the link in
/// `survey_links`. The notifier signs it when a ticket is resolved; the producer verifies it,
/// so the customer answers without an API key and without being able to answer for another
/// ticket.
///
/// Text form: `<payload>.<signature>`, both base64url without padding. The payload is
/// `v1|<ticket>|<survey>|<expires unix seconds>|<nonce>` and the signature is
/// HMAC-SHA256 over the payload's base64url text with `FEEDLOOP_SURVEY_LINK_SECRET`.
/// `description` shows the nonce only: a token in a log line is not a usable link.
public struct SurveyLinkToken: Hashable, Sendable, CustomStringConvertible {
    /// Shortest accepted secret, in bytes of UTF-8.
    public static let minimumSecretBytes = 16
    /// Bytes of randomness in a nonce.
    static let nonceBytes = 16

    public var ticketId: Int64
    public var surveyId: String
    /// Whole seconds: the link stops working at this instant.
    public var expiresAt: Date
    /// base64url text, the primary key of `survey_links` (`token_id`).
    public var nonce: String

    public init(ticketId: Int64, surveyId: String, expiresAt: Date, nonce: String) {
        self.ticketId = ticketId
        self.surveyId = surveyId
        self.expiresAt = Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down))
        self.nonce = nonce
    }

    /// A new link for `ticketId`, valid for `ttl` from `now`, with a nonce from the system's
    /// cryptographically secure generator.
    public static func issue(ticketId: Int64, surveyId: String, now: Date, ttl: Duration) -> SurveyLinkToken {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<Self.nonceBytes).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let seconds = Double(ttl.components.seconds)
        return SurveyLinkToken(ticketId: ticketId, surveyId: surveyId, expiresAt: now.addingTimeInterval(seconds), nonce: Self.base64URL(bytes))
    }

    public var description: String { "survey link \(nonce)" }

    /// The signed text that goes into the link.
    public func signed(with secret: SurveyLinkSecret) -> String {
        let payload = Self.base64URL(Array(self.payloadText.utf8))
        return payload + "." + Self.base64URL(secret.signature(of: payload))
    }

    var payloadText: String {
        ["v1", String(ticketId), surveyId, String(Int64(expiresAt.timeIntervalSince1970)), nonce].joined(separator: "|")
    }

    /// Checks the signature first (a forged token learns nothing else), then the expiry.
    public static func verify(_ text: String, with secret: SurveyLinkSecret, now: Date) throws(SurveyLinkError) -> SurveyLinkToken {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = Self.bytes(base64URL: parts[1]) else { throw .forged }
        let payload = String(parts[0])
        // Constant-time comparison: timing must not reveal how much of a guess was right.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(payload.utf8), using: secret.key) else {
            throw .forged
        }
        guard let bytes = Self.bytes(base64URL: parts[0]), let fields = String(bytes: bytes, encoding: .utf8)?.split(separator: "|"),
            fields.count == 5, fields[0] == "v1", let ticket = Int64(fields[1]), let expires = Int64(fields[3]), !fields[2].isEmpty,
            !fields[4].isEmpty
        else {
            // Signed by us but unreadable: only a different format version could do this.
            throw .forged
        }
        let token = SurveyLinkToken(
            ticketId: ticket, surveyId: String(fields[2]), expiresAt: Date(timeIntervalSince1970: TimeInterval(expires)), nonce: String(fields[4]))
        guard now < token.expiresAt else { throw .expired(token) }
        return token
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64URL text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}

/// Why a survey link was refused.
public enum SurveyLinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The signature does not match, or the text is not a token at all: HTTP 403.
    case forged
    /// Genuine but past its expiry: HTTP 410.
    case expired(SurveyLinkToken)

    public var description: String {
        switch self {
        case .forged: return "the survey link is not valid"
        case .expired(let token): return "the survey link expired at \(FeedloopJSON.formatTimestamp(token.expiresAt))"
        }
    }
}

/// `FEEDLOOP_SURVEY_LINK_SECRET`, shared by the notifier (which signs) and the producer
/// (which verifies). `description` never shows it.
public struct SurveyLinkSecret: Sendable, CustomStringConvertible {
    let key: SymmetricKey

    /// Nil when `text` is shorter than ``SurveyLinkToken/minimumSecretBytes``.
    public init?(_ text: String) {
        guard text.utf8.count >= SurveyLinkToken.minimumSecretBytes else { return nil }
        key = SymmetricKey(data: Data(text.utf8))
    }

    func signature(of payload: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key))
    }

    public var description: String { "SurveyLinkSecret(…)" }

    /// The environment variable both the notifier and the producer read.
    public static let environmentVariable = "FEEDLOOP_SURVEY_LINK_SECRET"

    /// The secret from the environment: nil when unset, an error naming the variable when too short.
    public static func from(_ environment: Environment) throws -> SurveyLinkSecret? {
        guard let text = environment.optionalString(Self.environmentVariable) else { return nil }
        guard let secret = SurveyLinkSecret(text) else {
            throw ConfigurationError(
                variable: Self.environmentVariable, reason: "must be at least \(SurveyLinkToken.minimumSecretBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        return secret
    }
}
