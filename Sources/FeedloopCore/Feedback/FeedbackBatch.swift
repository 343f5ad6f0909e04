/// A batch of feedback items as `POST /v1/feedback:batch` takes it: `{"items": [...]}`.
///
/// A batch is all or nothing: ``parse(json:maxItems:)`` validates every item and reports every
/// problem with the item's index (`items[3].text`), so the sender can fix them all and resend
/// the whole batch.
public enum FeedbackBatch {
    /// Decodes and validates a batch of at most `maxItems` items; throws
    /// ``FeedbackBatchTooLarge`` when it holds more (before looking at any item), otherwise
    /// ``FeedbackValidationError`` listing every problem of every item.
    public static func parse(json: [UInt8], maxItems: Int) throws -> [FeedbackSubmission] {
        let object = try FeedbackSubmission.jsonValue(json)
        guard let dict = object as? [String: Any] else {
            throw FeedbackValidationError(errors: [FieldError(field: "body", reason: "must be a JSON object with an items array")])
        }
        var errors: [FieldError] = []
        for key in dict.keys.sorted() where key != "items" {
            errors.append(FieldError(field: key.count > 40 ? String(key.prefix(40)) + "…" : key, reason: "is not a known field"))
        }
        guard let value = dict["items"] else {
            throw FeedbackValidationError(errors: [FieldError(field: "items", reason: "is required")] + errors)
        }
        guard let items = value as? [Any] else {
            throw FeedbackValidationError(errors: [FieldError(field: "items", reason: "must be an array of feedback objects")] + errors)
        }
        if items.count > maxItems {
            throw FeedbackBatchTooLarge(count: items.count, limit: maxItems)
        }
        if items.isEmpty {
            errors.insert(FieldError(field: "items", reason: "must hold at least one item"), at: 0)
        }
        var submissions: [FeedbackSubmission] = []
        submissions.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let prefix = "items[\(index)]"
            guard let object = item as? [String: Any] else {
                errors.append(FieldError(field: prefix, reason: "must be a JSON object"))
                continue
            }
            do {
                submissions.append(try FeedbackSubmission.parse(object: object))
            } catch let error as FeedbackValidationError {
                errors += error.errors.map { FieldError(field: prefix + "." + $0.field, reason: $0.reason) }
            }
        }
        guard errors.isEmpty else { throw FeedbackValidationError(errors: errors) }
        return submissions
    }
}

/// A batch with more items than the intake takes at once.
public struct FeedbackBatchTooLarge: Error, Hashable, Sendable, CustomStringConvertible {
    /// Items in the refused batch.
    public var count: Int
    /// Items a batch may hold.
    public var limit: Int

    public init(count: Int, limit: Int) {
        self.count = count
        self.limit = limit
    }

    public var description: String { "items: must hold at most \(limit) items, got \(count)" }
}
