import ArgumentParser
import Crypto
import FeedloopCore
import Foundation

extension ImportFormat: ExpressibleByArgument {}

/// The file being imported: read in fixed-size chunks from any offset, so memory stays
/// constant however large it is, and fingerprinted so that a later run recognises it.
struct ImportSource {
    /// Bytes per read.
    static let defaultChunkSize = 1 << 20
    /// Bytes hashed at each end of the file for the fingerprint.
    static let fingerprintSpan = 1 << 20

    let path: String
    let size: Int64
    let chunkSize: Int

    init(path: String, chunkSize: Int = ImportSource.defaultChunkSize) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw ImportSourceError("\(path) is not a regular file")
        }
        self.path = path
        self.size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        self.chunkSize = chunkSize
    }

    /// SHA-256 (hex) of the size, the first MiB and the last MiB. The path is left out on
    /// purpose: the same file copied elsewhere is the same import. Any edit inside the first or
    /// last MiB, or any change of size, makes it a different file.
    func fingerprint() throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        hasher.update(data: Data("feedloop-import-v1 \(size)\n".utf8))
        hasher.update(data: try handle.read(upToCount: Self.fingerprintSpan) ?? Data())
        if size > Int64(Self.fingerprintSpan) {
            try handle.seek(toOffset: UInt64(max(Int64(Self.fingerprintSpan), size - Int64(Self.fingerprintSpan))))
            hasher.update(data: try handle.read(upToCount: Self.fingerprintSpan) ?? Data())
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Calls `body` with successive chunks from `offset` to the end; `body` returns false to stop.
    func read(from offset: Int64, _ body: ([UInt8]) throws -> Bool) throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
            guard try body(Array(data)) else { return }
        }
    }

    /// The CSV header record (always the file's first record), read from the start of the file.
    func csvHeader() throws -> ImportRawRecord? {
        var reader = ImportRecordReader(format: .csv)
        var header: ImportRawRecord?
        try read(from: 0) { chunk in
            reader.feed(chunk) { record in if header == nil { header = record } }
            return header == nil
        }
        if header == nil { reader.finish { record in if header == nil { header = record } } }
        return header
    }
}

/// The file cannot be imported at all.
struct ImportSourceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
