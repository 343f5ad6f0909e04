import FeedloopCore
import Foundation

/// Reads a labeled file for `model train` / `model eval`, with progress on standard error.
enum ModelDataFile {
    static func read(_ path: String) throws -> [LabeledExample] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CtlError("cannot read \(path): not a readable UTF-8 file")
        }
        let format = TrainingDataReader.Format.detect(fileName: path, text: text)
        do {
            let rows = try TrainingDataReader.read(text, format: format) { lines in
                StandardError.print("read \(lines) lines…")
            }
            StandardError.print("read \(rows.count) rows from \((path as NSString).lastPathComponent) (\(format.rawValue))")
            return rows
        } catch let error as TrainingDataError {
            throw CtlError("\(path): \(error)")
        }
    }
}
