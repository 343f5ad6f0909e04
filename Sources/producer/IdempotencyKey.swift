import FeedloopCore
import FeedloopHTTP
import HTTPTypes

extension HTTPField.Name {
    /// A client's key for retrying a request safely (draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

/// The `Idempotency-Key` header: for items without an external_id, a retried request with the
/// same key (on the same channel) gets the ticket of the first instead of a new one.
enum IdempotencyKey {
    /// Longest accepted key; UUIDs and request ids fit with room to spare.
    static let maxLength = 128

    /// The request's key, nil without the header; refuses empty, long and unprintable keys (a
    /// key is stored and compared, so it must be an exact token).
    static func read(_ headers: HTTPFields) throws -> String? {
        guard let value = headers[.idempotencyKey] else { return nil }
        let field = "Idempotency-Key"
        guard !value.isEmpty else {
            throw APIFailure(.badRequest, "invalid Idempotency-Key header", fields: [FieldError(field: field, reason: "must not be empty")])
        }
        guard value.utf8.count <= Self.maxLength else {
            throw APIFailure(
                .badRequest, "invalid Idempotency-Key header",
                fields: [FieldError(field: field, reason: "must be at most \(Self.maxLength) characters, got \(value.utf8.count)")])
        }
        guard value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIFailure(
                .badRequest, "invalid Idempotency-Key header",
                fields: [FieldError(field: field, reason: "must be printable ASCII without spaces")])
        }
        return value
    }

    /// The key of item `index` of a batch sent with `key`: each item needs its own, and a
    /// retried batch gives each item the same one again.
    static func forItem(_ key: String?, index: Int) -> String? {
        key.map { "\($0)#\(index)" }
    }
}
