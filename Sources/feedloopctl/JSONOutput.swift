import FeedloopCore
import Foundation

/// Machine-readable output: Feedloop's JSON dialect (snake_case, ISO 8601), indented.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = FeedloopJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
