import Foundation

extension PostgresConnection {
    /// The URL (or key=value conninfo) with its password replaced by `***`, for logs.
    /// `postgres://app:s3cret@db:5432/feedloop` → `postgres://app:***@db:5432/feedloop`;
    /// a `password=` query parameter or conninfo key is masked too.
    public static func maskedURL(_ url: String) -> String {
        if let split = splitURL(url) {
            var masked = split.scheme
            if let userinfo = split.userinfo {
                if let colon = userinfo.firstIndex(of: ":") {
                    masked += userinfo[..<colon] + ":***@"
                } else {
                    masked += userinfo + "@"
                }
            }
            masked += split.rest
            return maskKeyValue(in: masked, separators: "&")
        }
        return maskKeyValue(in: url, separators: " \t\n")
    }

    /// Every spelling of the password in `url` (raw and percent-decoded), so error messages
    /// can be scrubbed of it whatever libpq echoes.
    static func passwords(in url: String) -> [String] {
        var found: [String] = []
        if let split = splitURL(url), let userinfo = split.userinfo, let colon = userinfo.firstIndex(of: ":") {
            let raw = String(userinfo[userinfo.index(after: colon)...])
            found.append(raw)
            if let decoded = raw.removingPercentEncoding { found.append(decoded) }
        }
        for value in keyValuePasswords(in: url) {
            found.append(value)
            if let decoded = value.removingPercentEncoding { found.append(decoded) }
        }
        return found.filter { !$0.isEmpty }
    }

    /// Replaces every occurrence of each secret with `***`.
    static func scrub(_ text: String, secrets: [String]) -> String {
        // Longest first, so a secret containing another is masked whole.
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    private static func splitURL(_ url: String) -> (scheme: String, userinfo: Substring?, rest: Substring)? {
        let lower = url.lowercased()
        guard let schemeEnd = ["postgres://", "postgresql://"].first(where: { lower.hasPrefix($0) }) else { return nil }
        let afterScheme = url.index(url.startIndex, offsetBy: schemeEnd.count)
        let authorityEnd = url[afterScheme...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? url.endIndex
        let authority = url[afterScheme..<authorityEnd]
        // The password may contain '@' only percent-encoded, but be lenient: the last '@' ends userinfo.
        guard let at = authority.lastIndex(of: "@") else {
            return (String(url[..<afterScheme]), nil, url[afterScheme...])
        }
        return (String(url[..<afterScheme]), authority[..<at], url[url.index(after: at)...])
    }

    /// Masks `password=value` (value possibly single-quoted, conninfo style) wherever the key
    /// starts a parameter: after `?`, one of `separators`, or at the very start.
    private static func maskKeyValue(in text: String, separators: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "password", options: .caseInsensitive) {
            let before: Character? = range.lowerBound > rest.startIndex ? rest[rest.index(before: range.lowerBound)] : result.last
            var cursor = range.upperBound
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            let startsParameter = before.map { $0 == "?" || separators.contains($0) } ?? true
            guard startsParameter, cursor < rest.endIndex, rest[cursor] == "=" else {
                result += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                continue
            }
            cursor = rest.index(after: cursor)
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            let valueEnd = endOfValue(in: rest, from: cursor, separators: separators)
            result += rest[..<cursor] + "***"
            rest = rest[valueEnd...]
        }
        return result + rest
    }

    private static func keyValuePasswords(in text: String) -> [String] {
        let separators = text.lowercased().hasPrefix("postgres") && text.contains("://") ? "&" : " \t\n"
        var found: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "password", options: .caseInsensitive) {
            var cursor = range.upperBound
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            guard cursor < rest.endIndex, rest[cursor] == "=" else {
                rest = rest[range.upperBound...]
                continue
            }
            cursor = rest.index(after: cursor)
            while cursor < rest.endIndex, rest[cursor] == " " { cursor = rest.index(after: cursor) }
            let end = endOfValue(in: rest, from: cursor, separators: separators)
            var value = rest[cursor..<end]
            if value.hasPrefix("'") {
                value = value.dropFirst()
                if value.hasSuffix("'") { value = value.dropLast() }
                found.append(value.replacingOccurrences(of: "\\'", with: "'").replacingOccurrences(of: "\\\\", with: "\\"))
            }
            found.append(String(value))
            rest = rest[end...]
        }
        return found
    }

    /// The end of a value: a quoted conninfo value ends at its closing quote, others at a separator.
    private static func endOfValue(in text: Substring, from start: Substring.Index, separators: String) -> Substring.Index {
        var cursor = start
        if cursor < text.endIndex, text[cursor] == "'" {
            cursor = text.index(after: cursor)
            while cursor < text.endIndex {
                if text[cursor] == "\\" {
                    cursor = text.index(after: cursor)
                    if cursor < text.endIndex { cursor = text.index(after: cursor) }
                    continue
                }
                if text[cursor] == "'" { return text.index(after: cursor) }
                cursor = text.index(after: cursor)
            }
            return text.endIndex
        }
        while cursor < text.endIndex, !separators.contains(text[cursor]) { cursor = text.index(after: cursor) }
        return cursor
    }
}
