import Crypto
import Foundation

/// An API key: `fl_<prefix>_<secret>`, e.g. `fl_k3x9q2mz_V4n…` (8 + 32 characters from a
/// CSPRNG). The prefix names the key in listings and logs; only the SHA-256 digest of the
/// whole key is stored, so the database never holds a usable key.
///
/// `description` shows the prefix only, so a key interpolated into a log line by mistake does
/// not leak.
public struct APIKey: Hashable, Sendable, CustomStringConvertible {
    /// Characters of the public prefix: lowercase letters and digits.
    public static let prefixLength = 8
    /// Characters of the secret: 32 base-62 characters, about 190 bits.
    public static let secretLength = 32
    static let prefixAlphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// The public part, unique among keys.
    public let prefix: String
    let secret: String

    /// The whole key, as the client sends it. Shown once, at creation.
    public var text: String { "fl_\(prefix)_\(secret)" }

    /// SHA-256 of ``text``, as stored in `api_keys.key_hash`.
    public var digest: [UInt8] { Array(SHA256.hash(data: Data(self.text.utf8))) }

    /// ``digest`` in lowercase hex, for `decode($1, 'hex')` and cache keys.
    public var digestHex: String { self.digest.map { String(format: "%02x", $0) }.joined() }

    public var description: String { "fl_\(prefix)_…" }

    init(prefix: String, secret: String) {
        self.prefix = prefix
        self.secret = secret
    }

    /// A new key from the system's cryptographically secure generator.
    public static func generate() -> APIKey {
        var rng = SystemRandomNumberGenerator()
        return APIKey(
            prefix: Self.random(Self.prefixLength, from: Self.prefixAlphabet, using: &rng),
            secret: Self.random(Self.secretLength, from: Self.secretAlphabet, using: &rng))
    }

    /// Parses a key as a client sent it; nil when it does not have the shape of one (which is
    /// then refused without a database lookup).
    public init?(_ text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "fl", parts[1].count == Self.prefixLength, parts[2].count == Self.secretLength,
            parts[1].allSatisfy(Self.prefixAlphabet.contains), parts[2].allSatisfy(Self.secretAlphabet.contains)
        else { return nil }
        self.init(prefix: String(parts[1]), secret: String(parts[2]))
    }

    /// Unbiased picks: `randomElement(using:)` draws uniformly.
    private static func random(_ count: Int, from alphabet: [Character], using rng: inout SystemRandomNumberGenerator) -> String {
        String((0..<count).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
