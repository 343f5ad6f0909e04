/// Why a survey answer was refused: every structural problem found, one per field
/// (`scores.attitude: must be an integer 1–5`). Nothing is stored for a refused answer.
public struct SurveyValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    public var fields: [String] { errors.map(\.field) }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
