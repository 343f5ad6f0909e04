/// A 64-bit SimHash (Charikar) of a text's ``Shingles``: texts that share most of their
/// shingles get fingerprints that differ in few bits, so the Hamming distance between two
/// fingerprints estimates how different the texts are.
///
/// Shingles are hashed with FNV-1a and a SplitMix64 finaliser rather than Swift's `Hasher`,
/// which is seeded per process: a fingerprint is stored in the database and compared by
/// other replicas and later runs, so it must be the same everywhere.
public struct SimHash: Hashable, Sendable, CustomStringConvertible {
    /// The fingerprint's bits.
    public var value: UInt64

    /// Wraps a stored fingerprint.
    public init(value: UInt64) {
        self.value = value
    }

    /// A stored `bigint` fingerprint.
    public init(bitPattern: Int64) {
        self.value = UInt64(bitPattern: bitPattern)
    }

    /// Fingerprints `text`; an empty or punctuation-only text has fingerprint 0.
    public init(text: String) {
        var counts = [Int](repeating: 0, count: 64)
        let shingles = Shingles.of(text)
        for shingle in shingles {
            let h = Self.stableHash(shingle)
            for bit in 0..<64 {
                counts[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1
            }
        }
        var value: UInt64 = 0
        if !shingles.isEmpty {
            for bit in 0..<64 where counts[bit] > 0 {
                value |= 1 << UInt64(bit)
            }
        }
        self.value = value
    }

    /// The fingerprint as PostgreSQL's signed `bigint` stores it.
    public var bitPattern: Int64 { Int64(bitPattern: self.value) }

    /// How many bits differ: 0 for identical shingles, about 32 for unrelated texts.
    public func distance(to other: SimHash) -> Int {
        (self.value ^ other.value).nonzeroBitCount
    }

    /// Number of ``bands``.
    public static let bandCount = 8

    /// Locality-sensitive keys: the fingerprint cut into 8 bands of 8 bits, each tagged with its
    /// position (`band * 256 + bits`). Two fingerprints within distance 7 share at least one
    /// key (8 bands cannot all hold one of 7 differing bits), so looking up the keys finds
    /// every such neighbour, while an unrelated fingerprint shares one only about 3 % of the time.
    public var bands: [Int] {
        (0..<Self.bandCount).map { band in band * 256 + Int((self.value >> UInt64(band * 8)) & 0xFF) }
    }

    public var description: String {
        let hex = String(self.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// FNV-1a over the UTF-8 bytes, finished with SplitMix64 so every output bit depends on
    /// every input byte (FNV alone leaves the high bits of short inputs poorly mixed). The same
    /// in every process and release, unlike `Hasher`: fit for values that are stored.
    public static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        h ^= h >> 30
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27
        h = h &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }
}
