import Logging

/// Process-wide logging set-up, done once by each executable's entry point.
public enum FeedloopLogging {
    /// Logs to standard error at `level`.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The logger of one executable.
    public static func logger(_ label: String) -> Logger {
        Logger(label: label)
    }
}
