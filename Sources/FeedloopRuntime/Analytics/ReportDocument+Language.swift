import Foundation

extension ReportDocument {
    /// The languages documents and the dashboard are written in.
    public enum Language: String, CaseIterable, Sendable {
        case zh, en

        /// The `lang` attribute of an HTML document.
        public var htmlCode: String { self == .zh ? "zh-CN" : "en" }

        /// `zh` or `en` (also `zh-CN`, `en-GB`, any case); nil for anything else.
        public init?(code: String) {
            let primary = code.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "-").first.map(String.init) ?? ""
            guard let language = Language(rawValue: primary) else { return nil }
            self = language
        }

        /// The first of `zh` and `en` in an `Accept-Language` header, by its weight (`q`) and,
        /// between equal weights, by order; nil when the header names neither.
        public init?(acceptLanguage header: String) {
            var best: (language: Language, weight: Double)?
            for entry in header.split(separator: ",") {
                let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let tag = parts.first, let language = Language(code: tag) else { continue }
                var weight = 1.0
                for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                    weight = Double(parameter.dropFirst(2)) ?? 0
                }
                if weight > 0, weight > (best?.weight ?? 0) { best = (language, weight) }
            }
            guard let best else { return nil }
            self = best.language
        }
    }
}
