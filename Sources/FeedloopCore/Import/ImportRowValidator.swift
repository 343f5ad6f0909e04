/// Turns one record's raw values into a submission with exactly the checks of the HTTP API
/// (``FeedbackSubmission/parse(csvHeader:row:line:)``, contact fields included). Error fields
/// are ``ImportField`` names (`customer_ref`, `text`, …) or `row`.
public enum ImportRowValidator {
    private static let columns = ImportField.allCases.map(\.rawValue)

    /// The submission, or every problem with the row. `defaultChannel` (`--channel`) fills
    /// rows whose channel is absent or blank.
    public static func validate(_ values: ImportValues, defaultChannel: Channel?) throws(FeedbackValidationError) -> FeedbackSubmission {
        var row = ImportField.allCases.map { values[$0] ?? "" }
        if let fallback = defaultChannel, row[ImportField.channel.index].trimmingSpaces.isEmpty {
            row[ImportField.channel.index] = fallback.rawValue
        }
        do {
            return try FeedbackSubmission.parse(csvHeader: columns, row: row)
        } catch let error as FeedbackValidationError {
            throw error
        } catch {
            throw FeedbackValidationError(errors: [FieldError(field: "row", reason: "could not be read: \(error)")])
        }
    }
}
