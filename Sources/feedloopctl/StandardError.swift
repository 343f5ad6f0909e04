import Foundation

/// Diagnostics go to standard error, so that standard output stays the command's answer.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
