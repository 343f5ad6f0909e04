import FeedloopCore
import Foundation
import Hummingbird
import NIOCore

/// The checks every JSON route makes before parsing: the media type (JSON in UTF-8, else 415)
/// and the size (else 413), so that refused bodies are never parsed, let alone stored.
public enum JSONRequestBody {
    /// The body's bytes, or an ``APIFailure`` saying why not.
    public static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        guard Self.isJSONUTF8(request.headers[.contentType]) else {
            throw APIFailure(.unsupportedMediaType, "Content-Type must be application/json (UTF-8; charset, if given, must be utf-8)")
        }
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw APIFailure(.contentTooLarge, "request body is larger than \(limit) bytes")
        } catch {
            throw APIFailure(.badRequest, "request body could not be read")
        }
    }

    /// `application/json`, without parameters or with `charset=utf-8` (any case, quoted or not).
    public static func isJSONUTF8(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let mediaType = parts.first, mediaType.lowercased() == "application/json" else { return false }
        for parameter in parts.dropFirst() where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "charset" else { return false }
            let charset = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            guard charset == "utf-8" || charset == "utf8" else { return false }
        }
        return true
    }
}
