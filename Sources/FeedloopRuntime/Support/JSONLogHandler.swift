import FeedloopCore
import Foundation
import Logging

/// One JSON object per line on standard error, for log shippers: `ts`, `level`, `logger`,
/// `msg`, then the metadata (ticket_id, message_id, queue …) as top-level fields. Chosen with
/// `FEEDLOOP_LOG_FORMAT=json`; personal data stays out of logs either way (callers log ids).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        FileHandle.standardError.write(Data(Self.line(level: event.level, label: label, message: "\(event.message)", fields: fields).utf8))
    }

    /// The encoded line, newline included; reserved keys win over metadata of the same name.
    static func line(level: Logger.Level, label: String, message: String, fields: Logger.Metadata, at date: Date = Date()) -> String {
        var out =
            "{\"ts\":\(quoted(FeedloopJSON.formatTimestamp(date))),\"level\":\(quoted(level.rawValue)),\"logger\":\(quoted(label)),\"msg\":\(quoted(message))"
        for key in fields.keys.sorted() where !["ts", "level", "logger", "msg"].contains(key) {
            out += ",\(quoted(key)):\(quoted(fields[key]!.description))"
        }
        return out + "}\n"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
