import FeedloopCore

/// A valid record ready to store.
struct ImportRow {
    var line: Int
    var submission: FeedbackSubmission
    /// `import:<fingerprint>:<line>` for rows without an external_id, so that no rerun of the
    /// same file, not even `--restart`, can store them twice.
    var idempotencyKey: String?
}

/// A record refused, with every reason, as it goes to the rejects file.
struct ImportReject {
    var line: Int
    var errors: [FieldError]
    var raw: String
}

/// Consecutive records of the file, stored in one transaction together with the offset
/// after the last of them.
struct ImportBatch {
    var rows: [ImportRow] = []
    /// The rows as ``BulkTicketWriter`` copies them, ids drawn and events encoded.
    var staged: [[String?]] = []
    var rejects: [ImportReject] = []
    /// The byte after the batch's last record and the lines up to it.
    var endOffset: Int64 = 0
    var endLine = 0
    var records: Int { rows.count + rejects.count }
}
