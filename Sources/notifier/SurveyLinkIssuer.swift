import FeedloopRuntime
import Foundation
import Postgres

/// Issues the rating link of a resolved ticket: a signed, expiring token whose nonce is
/// recorded in `survey_links` in the handler's transaction, so the producer accepts the link
/// once (docs/NOTIFICATIONS.md, "Satisfaction loop").
struct SurveyLinkIssuer: Sendable {
    let secret: SurveyLinkSecret
    /// The link is this followed by `/` and the token (e.g. `https://feedback.example.com/v1/survey-links`).
    let baseURL: String
    let ttl: Duration
    let surveyId: String

    static let baseURLVariable = "FEEDLOOP_SURVEY_LINK_BASE_URL"
    static let ttlVariable = "FEEDLOOP_SURVEY_LINK_TTL"
    static let defaultBaseURL = "http://127.0.0.1:8080/v1/survey-links"

    /// From the environment; nil (with no links offered) when `FEEDLOOP_SURVEY_LINK_SECRET` is unset.
    static func from(_ environment: Environment, surveyId: String) throws -> SurveyLinkIssuer? {
        guard let secret = try SurveyLinkSecret.from(environment) else { return nil }
        let base = environment.string(baseURLVariable, default: defaultBaseURL)
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ConfigurationError(variable: baseURLVariable, reason: "expected an http:// or https:// URL")
        }
        let ttl = try SurveyLinkTTL.parse(environment.string(ttlVariable, default: "7d"), variable: ttlVariable)
        return SurveyLinkIssuer(secret: secret, baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, ttl: ttl, surveyId: surveyId)
    }

    /// A new link for `ticketId`, recorded in `survey_links` through `tx`.
    func issue(ticketId: Int64, now: Date, in tx: PostgresConnection) throws -> SurveyLinkOffer {
        let token = SurveyLinkToken.issue(ticketId: ticketId, surveyId: surveyId, now: now, ttl: ttl)
        try tx.query(
            "INSERT INTO survey_links (token_id, ticket_id, survey_id, expires_at) VALUES ($1, $2, $3, $4)",
            [.text(token.nonce), .int(ticketId), .text(surveyId), .timestamp(token.expiresAt)])
        return SurveyLinkOffer(url: baseURL + "/" + token.signed(with: secret), expiresAt: token.expiresAt)
    }
}

/// `FEEDLOOP_SURVEY_LINK_TTL`: a whole number with a unit, `7d`, `36h`, `90m` or `600s`.
enum SurveyLinkTTL {
    static func parse(_ text: String, variable: String) throws -> Duration {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let factor = units[unit], let count = Int64(trimmed.dropLast()), count > 0, count * factor <= 366 * 86_400 else {
            throw ConfigurationError(variable: variable, reason: "expected a positive duration up to a year like 7d, 36h, 90m or 600s, got \"\(text)\"")
        }
        return .seconds(count * factor)
    }
}
