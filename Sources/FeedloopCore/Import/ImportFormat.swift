/// The file formats `feedloop-producer import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// One JSON object per line.
    case jsonl
    /// RFC 4180 CSV with a header row.
    case csv

    /// The format a file name's extension implies, if any.
    public init?(fileName: String) {
        let name = fileName.lowercased()
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") {
            self = .jsonl
        } else if name.hasSuffix(".csv") {
            self = .csv
        } else {
            return nil
        }
    }
}
