import FeedloopCore
import Foundation

/// The rejects file: one JSON object per refused record,
/// `{"line":12,"errors":[{"field":"text","reason":"must not be empty"}],"record":"…"}`,
/// where `record` is the record's original text. It holds customer data, so it is written with
/// mode 0600 and never echoed to logs.
///
/// Its length is committed with every batch; a resumed import truncates it back to that length
/// so that a record rejected by a batch that never committed is not listed twice.
final class ImportRejectsFile {
    let path: String
    private let handle: FileHandle
    private(set) var length: Int64

    /// Opens (creating if needed) and truncates to `length`, what the last committed batch left.
    init(path: String, length: Int64) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ImportSourceError("cannot create the rejects file \(path)")
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let existing = try handle.seekToEnd()
        self.length = min(length, Int64(existing))
        try handle.truncate(atOffset: UInt64(self.length))
        try handle.seek(toOffset: UInt64(self.length))
    }

    /// Appends the batch's rejects and flushes them to disk before the batch commits.
    func write(_ rejects: [ImportReject]) throws {
        guard !rejects.isEmpty else { return }
        var out: [UInt8] = []
        for reject in rejects { Self.append(reject, to: &out) }
        try handle.write(contentsOf: out)
        try handle.synchronize()
        length += Int64(out.count)
    }

    func close() {
        try? handle.close()
    }

    /// One line of the file, keys in a fixed order.
    static func append(_ reject: ImportReject, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"line":"#.utf8)
        out.append(contentsOf: String(reject.line).utf8)
        out.append(contentsOf: #","errors":["#.utf8)
        for (i, error) in reject.errors.enumerated() {
            if i > 0 { out.append(44) }
            out.append(contentsOf: #"{"field":"#.utf8)
            ImportEventEncoder.appendJSONString(error.field, to: &out)
            out.append(contentsOf: #","reason":"#.utf8)
            ImportEventEncoder.appendJSONString(error.reason, to: &out)
            out.append(125)
        }
        out.append(contentsOf: #"],"record":"#.utf8)
        ImportEventEncoder.appendJSONString(reject.raw, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}
