import FeedloopCore
import Foundation
import Hummingbird

/// The error body of every refused request: a summary and, for invalid input, one entry per
/// field problem.
public struct APIErrorBody: Codable, Sendable {
    public var error: String
    public var fields: [FieldError]?
}

/// JSON responses in Feedloop's dialect (snake_case, ISO 8601 dates).
public enum APIResponse {
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        // Our own value types always encode; an empty body would only hide a programming error.
        let data = (try? FeedloopJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    public static func error(_ status: HTTPResponse.Status, _ message: String, fields: [FieldError]? = nil, headers: HTTPFields = [:]) -> Response {
        json(APIErrorBody(error: message, fields: fields), status: status, headers: headers)
    }
}

/// A refused request, thrown by the steps of a handler and turned into its error response.
public struct APIFailure: Error {
    public var status: HTTPResponse.Status
    public var message: String
    public var fields: [FieldError]?

    public init(_ status: HTTPResponse.Status, _ message: String, fields: [FieldError]? = nil) {
        self.status = status
        self.message = message
        self.fields = fields
    }

    public var response: Response { APIResponse.error(status, message, fields: fields) }
}
