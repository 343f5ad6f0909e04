/// What an import can fill from a column (CSV) or key (JSON lines). `--map field=column`
/// names the source of each; unmapped fields come from a column or key of their own name
/// (in JSON lines the customer fields default to the `customer` object, as in the HTTP API).
public enum ImportField: String, CaseIterable, Sendable, Hashable {
    case channel
    case externalId = "external_id"
    case text
    case customerRef = "customer_ref"
    case customerTier = "customer_tier"
    case customerName = "customer_name"
    case customerPhone = "customer_phone"
    case customerEmail = "customer_email"
    case customerLocale = "customer_locale"
    case receivedAt = "received_at"

    /// Position in ``ImportValues``.
    var index: Int { Self.allCases.firstIndex(of: self)! }

    /// The key a JSON-lines record carries this field under when not mapped: a dotted path
    /// into nested objects, the shape of `POST /v1/feedback`.
    public var defaultJSONPath: String {
        switch self {
        case .customerRef: return "customer.ref"
        case .customerTier: return "customer.tier"
        case .customerName: return "customer.name"
        case .customerPhone: return "customer.phone"
        case .customerEmail: return "customer.email"
        case .customerLocale: return "customer.locale"
        default: return rawValue
        }
    }

    /// The names `--map` accepts, for usage errors.
    public static var knownNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One raw value per ``ImportField`` for a record, nil where the source has none.
public struct ImportValues: Sendable, Hashable {
    private var values: [String?] = Array(repeating: nil, count: ImportField.allCases.count)

    public init() {}

    public subscript(field: ImportField) -> String? {
        get { values[field.index] }
        set { values[field.index] = newValue }
    }
}
