import Foundation

/// The text encodings PostgreSQL uses on the wire: timestamps, array literals, COPY fields and
/// quoted identifiers. Pure functions, public so other modules and tests can rely on them.
public enum PostgresTextFormat {
    // MARK: Timestamps

    /// `2026-11-23 08:15:00.123456+00`: ISO 8601 in UTC with microseconds, the precision
    /// PostgreSQL stores. Years before 1 get the ` BC` suffix PostgreSQL expects.
    /// Values PostgreSQL cannot hold produce text the server rejects rather than a crash.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        if seconds == .infinity { return "infinity" }
        if seconds == -.infinity { return "-infinity" }
        let scaled = (seconds * 1_000_000).rounded()
        // ±2^63 µs is far beyond PostgreSQL's range (year 294276) anyway.
        guard scaled.isFinite, abs(scaled) < 9.2e18 else { return "invalid" }
        let micros = Int64(scaled)
        let (wholeSeconds, fraction) = floorDivMod(micros, 1_000_000)
        let (days, secondOfDay) = floorDivMod(wholeSeconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(32)
        text += pad(year > 0 ? year : 1 - year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += "." + pad(fraction, 6) + "+00"
        if year <= 0 { text += " BC" }
        return text
    }

    /// Parses PostgreSQL's ISO output of `timestamptz` (`2026-11-23 08:15:00.123456+00`, the
    /// fraction optional, offsets like `+00`, `+05:30`, `-08`), of `timestamp` (no offset: taken
    /// as UTC) and of `date` (`2026-11-23`: UTC midnight). Also accepts `T` as the separator,
    /// `Z`, a ` BC` suffix and `infinity` / `-infinity` (as `distantFuture` / `distantPast`).
    public static func parseTimestamp(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var scanner = ByteScanner(text)
        guard let year = scanner.digits(min: 4, max: 9), scanner.take(UInt8(ascii: "-")),
            let month = scanner.digits(min: 2, max: 2), scanner.take(UInt8(ascii: "-")),
            let day = scanner.digits(min: 2, max: 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if scanner.take(UInt8(ascii: " ")) || scanner.take(UInt8(ascii: "T")) {
            guard let hour = scanner.digits(min: 2, max: 2), scanner.take(UInt8(ascii: ":")),
                let minute = scanner.digits(min: 2, max: 2), scanner.take(UInt8(ascii: ":")),
                let second = scanner.digits(min: 2, max: 2),
                hour <= 24, minute <= 59, second <= 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.take(UInt8(ascii: ".")) {
                let start = scanner.index
                guard let fraction = scanner.digits(min: 1, max: 9) else { return nil }
                let count = scanner.index - start
                // Scale to microseconds: pad short fractions, round long ones.
                var value = fraction
                if count < 6 {
                    for _ in count..<6 { value *= 10 }
                } else if count > 6 {
                    var divisor: Int64 = 1
                    for _ in 6..<count { divisor *= 10 }
                    value = (value + divisor / 2) / divisor
                }
                micros = value
            }
            if scanner.take(UInt8(ascii: "Z")) {
                offsetSeconds = 0
            } else if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                scanner.index += 1
                guard let hours = scanner.digits(min: 2, max: 2) else { return nil }
                var offset = hours * 3600
                if scanner.take(UInt8(ascii: ":")) {
                    guard let minutes = scanner.digits(min: 2, max: 2) else { return nil }
                    offset += minutes * 60
                    if scanner.take(UInt8(ascii: ":")) {
                        guard let seconds = scanner.digits(min: 2, max: 2) else { return nil }
                        offset += seconds
                    }
                }
                offsetSeconds = sign == UInt8(ascii: "-") ? -offset : offset
            }
        }
        var astronomicalYear = year
        if scanner.take(" BC") { astronomicalYear = 1 - year }
        guard scanner.isAtEnd else { return nil }
        let days = days(fromCivil: astronomicalYear, month, day)
        let seconds = days * 86_400 + secondOfDay - offsetSeconds
        // Dividing the exact microsecond count gives the same Double as the literal
        // `seconds.micros`, so a Date survives the round trip unchanged.
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    // MARK: Array literals

    /// `{"a","b \"quoted\""}`: every element double-quoted, so `NULL`, commas, braces and
    /// whitespace are data, with backslashes and quotes escaped.
    public static func arrayLiteral(_ elements: [String]) -> String {
        var text = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { text += "," }
            text += "\""
            for ch in element.unicodeScalars {
                if ch == "\\" || ch == "\"" { text += "\\" }
                text.unicodeScalars.append(ch)
            }
            text += "\""
        }
        return text + "}"
    }

    /// `{1,-2,3}`
    public static func arrayLiteral(_ elements: [Int64]) -> String {
        "{" + elements.map(String.init).joined(separator: ",") + "}"
    }

    /// Parses a one-dimensional array literal as PostgreSQL prints it (elements quoted or not,
    /// backslash escapes, unquoted `NULL` as nil, an optional `[1:3]=` bounds prefix).
    /// Nil for malformed or multi-dimensional input.
    public static func parseArrayLiteral(_ text: String) -> [String?]? {
        var scanner = ByteScanner(text)
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "[") {
            // Non-default lower bounds: `[0:2]={…}`; the bounds carry no data we keep.
            while let byte = scanner.peek, byte != UInt8(ascii: "=") { scanner.index += 1 }
            guard scanner.take(UInt8(ascii: "=")) else { return nil }
        }
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var elements: [String?] = []
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "}")) {
            scanner.skipWhitespace()
            return scanner.isAtEnd ? elements : nil
        }
        while true {
            scanner.skipWhitespace()
            guard let first = scanner.peek else { return nil }
            if first == UInt8(ascii: "{") { return nil }
            var bytes: [UInt8] = []
            if first == UInt8(ascii: "\"") {
                scanner.index += 1
                var closed = false
                while let byte = scanner.next() {
                    if byte == UInt8(ascii: "\\") {
                        guard let escaped = scanner.next() else { return nil }
                        bytes.append(escaped)
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        bytes.append(byte)
                    }
                }
                guard closed else { return nil }
                scanner.skipWhitespace()
                elements.append(String(decoding: bytes, as: UTF8.self))
            } else {
                var sawEscape = false
                // Trailing whitespace is not part of an unquoted element, escaped whitespace is.
                var keep = 0
                while let byte = scanner.peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}") {
                    scanner.index += 1
                    if byte == UInt8(ascii: "\\") {
                        guard let escaped = scanner.next() else { return nil }
                        bytes.append(escaped)
                        sawEscape = true
                        keep = bytes.count
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{") {
                        return nil
                    } else {
                        bytes.append(byte)
                        if !isWhitespace(byte) { keep = bytes.count }
                    }
                }
                bytes.removeLast(bytes.count - keep)
                guard !bytes.isEmpty else { return nil }
                let value = String(decoding: bytes, as: UTF8.self)
                elements.append(!sawEscape && value.uppercased() == "NULL" ? nil : value)
            }
            if scanner.take(UInt8(ascii: ",")) { continue }
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
            scanner.skipWhitespace()
            return scanner.isAtEnd ? elements : nil
        }
    }

    // MARK: COPY and identifiers

    /// Appends one field in COPY text format: `\N` for NULL; backslash, tab, newline and
    /// carriage return escaped so they cannot be read as delimiters.
    public static func appendCopyField(_ value: String?, to buffer: inout [UInt8]) {
        guard let value else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
            default: buffer.append(byte)
            }
        }
    }

    /// One field in COPY text format (see ``appendCopyField(_:to:)``).
    public static func copyField(_ value: String?) -> String {
        var buffer: [UInt8] = []
        appendCopyField(value, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `"name"`, with embedded double quotes doubled: safe for any identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A possibly schema-qualified name (`public.tickets`): each dot-separated part quoted.
    public static func quoteQualifiedName(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false)
            .map { quoteIdentifier(String($0)) }
            .joined(separator: ".")
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, UTC; no Calendar or locale involved)

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    fileprivate static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}

/// Cursor over UTF-8 bytes; the formats it reads are delimited by ASCII, which never occurs
/// inside a multi-byte UTF-8 sequence.
private struct ByteScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let matches = literal.withUTF8Buffer { Array($0) == Array(bytes[index..<index + count]) }
        if matches { index += count }
        return matches
    }

    mutating func skipWhitespace() {
        while let byte = peek, PostgresTextFormat.isWhitespace(byte) { index += 1 }
    }

    /// Between `min` and `max` ASCII digits as a number, or nil (consuming nothing).
    mutating func digits(min: Int, max: Int) -> Int64? {
        let start = index
        var value: Int64 = 0
        while index - start < max, let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            index += 1
        }
        guard index - start >= min else {
            index = start
            return nil
        }
        return value
    }
}
