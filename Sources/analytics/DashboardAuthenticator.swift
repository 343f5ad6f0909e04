import FeedloopHTTP
import FeedloopRuntime
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Lets a browser into the dashboard with an API key of role agent or admin. A browser cannot
/// send `Authorization` headers from a link, so the key is presented once — as `?key=` in the
/// URL or through the sign-in form (POST) — and then kept in an HttpOnly, SameSite=Strict
/// cookie; the answer is a 303 redirect to the same URL without the key, so it leaves the
/// address bar and the history. Requests with the cookie, or with the API's own headers, are
/// verified by the shared ``APIKeyVerifier`` on every request (a revoked key stops working
/// within its cache time and its cookie is cleared). Without a usable key the answer is the
/// sign-in page with 401 (403 for a key of another role). Logs name keys by prefix only.
struct DashboardAuthenticator: RouterMiddleware {
    typealias Context = FeedloopRequestContext

    static let cookieName = "feedloop_key"
    /// How long the browser keeps the key: a working day and a half.
    static let cookieSeconds = 12 * 3600
    static let roles: Set<APIRole> = [.agent, .admin]
    /// The sign-in form's body is a few dozen bytes; anything larger is refused unread.
    static let formLimit = 4096

    let verifier: APIKeyVerifier
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let language = Self.language(request)
        if request.method == .post {
            let form = await Self.form(request)
            return try await self.signIn(form["key"] ?? "", redirect: "/" + (form["lang"].map { "?lang=" + DashboardQuery.encode($0) } ?? ""), language)
        }
        if let presented = request.uri.queryParameters.get("key") {
            return try await self.signIn(presented, redirect: Self.withoutKey(path: request.uri.path, query: request.uri.query), language)
        }
        let fromCookie = request.cookies[Self.cookieName]?.value
        guard let presented = fromCookie ?? APIKeyAuthenticator.presentedKey(request.headers), !presented.isEmpty else {
            return Self.signInPage(.unauthorized, language, reason: nil)
        }
        switch await self.check(presented) {
        case .allowed(let record):
            var context = context
            context.apiKey = record
            context.logger[metadataKey: "key_prefix"] = "\(record.prefix)"
            return try await next(request, context)
        case .refused(let status, let reason):
            var response = Self.signInPage(status, language, reason: reason)
            if fromCookie != nil { response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(value: "", maxAge: 0))) }
            return response
        }
    }

    enum Verdict {
        case allowed(APIKeyRecord)
        case refused(HTTPResponse.Status, String)
    }

    /// The key checked like ``APIKeyAuthenticator`` does, with the reason for people.
    func check(_ presented: String) async -> Verdict {
        guard let key = APIKey(presented) else { return .refused(.unauthorized, "malformed API key: expected fl_<prefix>_<secret>") }
        let verdict: APIKeyStore.Verification
        do {
            verdict = try await self.verifier.verify(key)
        } catch {
            self.logger.error("verifying an API key failed", metadata: ["key_prefix": "\(key.prefix)", "error": "\(String(reflecting: error))"])
            return .refused(.serviceUnavailable, "the API key could not be verified; retry later")
        }
        switch verdict {
        case .unknown:
            self.logger.notice("dashboard request with an unknown API key", metadata: ["key_prefix": "\(key.prefix)"])
            return .refused(.unauthorized, "unknown API key")
        case .revoked(let record):
            self.logger.notice("dashboard request with a revoked API key", metadata: ["key_prefix": "\(record.prefix)"])
            return .refused(.unauthorized, "API key revoked")
        case .valid(let record):
            guard Self.roles.contains(record.role) else {
                return .refused(.forbidden, "this key's role \(record.role.rawValue) may not open the dashboard; it needs agent or admin")
            }
            return .allowed(record)
        }
    }

    /// Checks a presented key and, if it may open the dashboard, stores it in the cookie and
    /// redirects to `redirect`.
    func signIn(_ presented: String, redirect: String, _ language: ReportDocument.Language) async throws -> Response {
        switch await self.check(presented.trimmingCharacters(in: .whitespaces)) {
        case .allowed(let record):
            self.logger.info("dashboard sign-in", metadata: ["key_prefix": "\(record.prefix)"])
            var headers = HTTPFields()
            headers[.location] = redirect
            headers[.cacheControl] = "no-store"
            headers.append(HTTPField(name: .setCookie, value: Self.cookie(value: presented.trimmingCharacters(in: .whitespaces), maxAge: Self.cookieSeconds)))
            return Response(status: .seeOther, headers: headers)
        case .refused(let status, let reason):
            return Self.signInPage(status, language, reason: reason)
        }
    }

    /// `feedloop_key=…; Path=/; Max-Age=…; HttpOnly; SameSite=Strict` (keys hold only letters,
    /// digits and `_`, so the value needs no quoting).
    static func cookie(value: String, maxAge: Int) -> String {
        "\(cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    /// The request's path and query without `key`, as a same-site relative URL.
    static func withoutKey(path rawPath: String, query: String?) -> String {
        let path = rawPath.hasPrefix("/") && !rawPath.hasPrefix("//") ? rawPath : "/"
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("key=") && $0 != "key" }
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }

    static func language(_ request: Request) -> ReportDocument.Language {
        if let code = request.uri.queryParameters.get("lang"), let language = ReportDocument.Language(code: code) { return language }
        if let header = request.headers[.acceptLanguage], let language = ReportDocument.Language(acceptLanguage: header) { return language }
        return .zh
    }

    static func signInPage(_ status: HTTPResponse.Status, _ language: ReportDocument.Language, reason: String?) -> Response {
        let labels = ReportDocument.Labels(language: language)
        let text = labels[.signInText] + (reason.map { " (\($0))" } ?? "")
        let html = DashboardPage.message(title: labels[.signInTitle], text: text, language: language, keyForm: true, hiddenLanguage: true)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="feedloop""# }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The fields of an `application/x-www-form-urlencoded` body (empty if it is anything else).
    static func form(_ request: Request) async -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let body = try? await request.body.collect(upTo: formLimit)
        else { return [:] }
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
