import Foundation

/// Per-bucket, per-class document counts of the buckets that occur at all, in bucket order.
///
/// Packed as LEB128 varints (bucket delta, then one count per class), which keeps a model
/// trained on 60,000 reviews near a megabyte instead of the megabytes of a dense table.
struct SparseCounts: Equatable, Sendable {
    let classes: Int
    /// Occupied buckets, ascending.
    private(set) var buckets: [UInt32]
    /// `values[i * classes + c]`: documents of class c that contained `buckets[i]`.
    private(set) var values: [UInt32]

    var occupiedBuckets: Int { self.buckets.count }

    /// Collects the non-zero rows of a dense bucket-major table.
    init(dense: [UInt32], classes: Int) {
        self.classes = classes
        var buckets: [UInt32] = []
        var values: [UInt32] = []
        let bucketCount = dense.count / classes
        for b in 0..<bucketCount {
            let row = dense[(b * classes)..<((b + 1) * classes)]
            if row.contains(where: { $0 != 0 }) {
                buckets.append(UInt32(b))
                values.append(contentsOf: row)
            }
        }
        self.buckets = buckets
        self.values = values
    }

    /// Calls `body` with each occupied bucket and its per-class counts.
    func forEach(_ body: (UInt32, ArraySlice<UInt32>) -> Void) {
        for (i, bucket) in self.buckets.enumerated() {
            body(bucket, self.values[(i * self.classes)..<((i + 1) * self.classes)])
        }
    }

    func packed() -> Data {
        var out = Data()
        out.reserveCapacity(self.buckets.count * (self.classes + 2))
        var previous: UInt32 = 0
        for (i, bucket) in self.buckets.enumerated() {
            Self.appendVarint(bucket - previous, to: &out)
            previous = bucket
            for c in 0..<self.classes {
                Self.appendVarint(self.values[i * self.classes + c], to: &out)
            }
        }
        return out
    }

    /// Reads packed counts; nil when they are truncated or point past `bucketCount`.
    init?(packed data: Data, classes: Int, bucketCount: Int) {
        self.classes = classes
        var buckets: [UInt32] = []
        var values: [UInt32] = []
        var bucket: UInt32 = 0
        var ok = true
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var i = 0
            func next() -> UInt32? {
                var result: UInt32 = 0
                var shift: UInt32 = 0
                while i < raw.count, shift < 35 {
                    let byte = raw[i]
                    i += 1
                    result |= UInt32(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { return result }
                    shift += 7
                }
                return nil
            }
            while i < raw.count {
                guard let delta = next(), buckets.isEmpty || delta > 0 else { ok = false; return }
                bucket += delta
                guard Int(bucket) < bucketCount else { ok = false; return }
                buckets.append(bucket)
                for _ in 0..<classes {
                    guard let v = next() else { ok = false; return }
                    values.append(v)
                }
            }
        }
        guard ok else { return nil }
        self.buckets = buckets
        self.values = values
    }

    private static func appendVarint(_ value: UInt32, to out: inout Data) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
