import Logging

/// Process-wide logging set-up, done once by each executable's entry point.
public enum FeedloopLogging {
    /// How log lines look: `text` for people (the default), `json` for log shippers.
    public enum Format: String, Sendable {
        case text, json
    }

    /// `FEEDLOOP_LOG_FORMAT`; an unknown value falls back to text with a warning line, since
    /// logging must work before anything else can report a configuration error.
    public static func format(from environment: Environment = Environment()) -> (format: Format, problem: String?) {
        let raw = environment.string("FEEDLOOP_LOG_FORMAT", default: "text").lowercased()
        guard let format = Format(rawValue: raw) else {
            return (.text, "FEEDLOOP_LOG_FORMAT must be text or json, got \"\(raw)\"; logging as text")
        }
        return (format, nil)
    }

    /// Logs to standard error at `level`, as text or JSON lines (`FEEDLOOP_LOG_FORMAT`).
    public static func bootstrap(level: Logger.Level) {
        let (format, problem) = self.format()
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        if let problem { Logger(label: "feedloop").warning("\(problem)") }
    }

    /// The logger of one executable.
    public static func logger(_ label: String) -> Logger {
        Logger(label: label)
    }
}
