import FeedloopRuntime
import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// The alternative to `Authorization: Bearer` for clients that cannot set it.
    public static let apiKey = HTTPField.Name("X-API-Key")!
}

/// Lets a request through only with a valid API key of one of ``roles``: the key comes from
/// `Authorization: Bearer <key>` or `X-API-Key`. Missing, malformed, unknown and revoked keys
/// get 401 with `WWW-Authenticate`; a valid key of another role gets 403. Logs name a key by
/// its prefix only.
public struct APIKeyAuthenticator: RouterMiddleware {
    public typealias Context = FeedloopRequestContext

    public let roles: Set<APIRole>
    public let verifier: APIKeyVerifier
    public let logger: Logger

    public init(roles: Set<APIRole>, verifier: APIKeyVerifier, logger: Logger) {
        self.roles = roles
        self.verifier = verifier
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = Self.presentedKey(request.headers) else {
            return Self.unauthorized("missing API key: send Authorization: Bearer <key> or X-API-Key: <key>")
        }
        guard let key = APIKey(presented) else {
            return Self.unauthorized("malformed API key: expected fl_<prefix>_<secret>")
        }
        let verdict: APIKeyStore.Verification
        do {
            verdict = try await verifier.verify(key)
        } catch {
            logger.error("verifying an API key failed", metadata: ["key_prefix": "\(key.prefix)", "error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the API key could not be verified; retry later")
        }
        switch verdict {
        case .unknown:
            logger.notice("request with an unknown API key", metadata: ["key_prefix": "\(key.prefix)"])
            return Self.unauthorized("unknown API key")
        case .revoked(let record):
            logger.notice("request with a revoked API key", metadata: ["key_prefix": "\(record.prefix)", "key_name": "\(record.name)"])
            return Self.unauthorized("API key revoked")
        case .valid(let record):
            guard roles.contains(record.role) else {
                let allowed = APIRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: " or ")
                return APIResponse.error(.forbidden, "this key's role \(record.role.rawValue) may not use this route; it needs \(allowed)")
            }
            var context = context
            context.apiKey = record
            context.logger[metadataKey: "key_prefix"] = "\(record.prefix)"
            return try await next(request, context)
        }
    }

    /// The key from `Authorization: Bearer` (scheme case-insensitive), else from `X-API-Key`.
    public static func presentedKey(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
            return ""
        }
        return headers[.apiKey]?.trimmingCharacters(in: .whitespaces)
    }

    public static func unauthorized(_ reason: String) -> Response {
        APIResponse.error(.unauthorized, reason, headers: [.wwwAuthenticate: #"Bearer realm="feedloop""#])
    }
}
