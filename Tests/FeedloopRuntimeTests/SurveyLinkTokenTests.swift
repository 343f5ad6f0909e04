import FeedloopRuntime
import Foundation
import Testing

/// Survey link tokens: a genuine token verifies until it expires; any change to it, or another
/// secret, makes it forged.
struct SurveyLinkTokenTests {
    let secret = SurveyLinkSecret("0123456789abcdef0123456789abcdef")!
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aSignedTokenVerifiesWithItsFieldsUntilItExpires() throws {
        let token = SurveyLinkToken.issue(ticketId: 42, surveyId: "resolution_followup", now: now, ttl: .seconds(7 * 86_400))
        let text = token.signed(with: secret)
        let verified = try SurveyLinkToken.verify(text, with: secret, now: now.addingTimeInterval(3600))
        #expect(verified == token)
        #expect(verified.ticketId == 42)
        #expect(verified.surveyId == "resolution_followup")
        #expect(verified.expiresAt == now.addingTimeInterval(7 * 86_400))
        #expect(!text.contains("/") && !text.contains("+") && !text.contains("="), "URL-safe: \(text)")
        #expect(throws: SurveyLinkError.expired(token)) {
            try SurveyLinkToken.verify(text, with: secret, now: now.addingTimeInterval(7 * 86_400))
        }
    }

    @Test func twoLinksForOneTicketHaveDifferentNonces() {
        let a = SurveyLinkToken.issue(ticketId: 1, surveyId: "s", now: now, ttl: .seconds(60))
        let b = SurveyLinkToken.issue(ticketId: 1, surveyId: "s", now: now, ttl: .seconds(60))
        #expect(a.nonce != b.nonce)
        #expect(a.nonce.count >= 22)
    }

    @Test func anyChangeOrAnotherSecretIsForged() throws {
        let token = SurveyLinkToken(ticketId: 42, surveyId: "resolution_followup", expiresAt: now.addingTimeInterval(600), nonce: "abc")
        let text = token.signed(with: secret)
        let parts = text.split(separator: ".").map(String.init)
        // Another ticket under the original signature.
        let other = SurveyLinkToken(ticketId: 43, surveyId: "resolution_followup", expiresAt: token.expiresAt, nonce: "abc")
        let swapped = other.signed(with: secret).split(separator: ".")[0] + "." + parts[1]
        // A later expiry under the original signature: expired tokens cannot be revived.
        let extended = SurveyLinkToken(ticketId: 42, surveyId: "resolution_followup", expiresAt: now.addingTimeInterval(9999), nonce: "abc")
        let revived = extended.signed(with: secret).split(separator: ".")[0] + "." + parts[1]
        var flipped = Array(parts[1])
        flipped[0] = flipped[0] == "A" ? "B" : "A"
        let cases = [
            swapped, revived, parts[0] + "." + String(flipped), parts[0], "", "not-a-token", text + ".x", parts[0] + ".!!",
            token.signed(with: SurveyLinkSecret("another secret of enough bytes")!),
        ]
        for forged in cases {
            #expect(throws: SurveyLinkError.forged, "\(forged)") { try SurveyLinkToken.verify(forged, with: secret, now: now) }
        }
    }

    @Test func shortSecretsAreRefusedNamingTheVariable() throws {
        #expect(SurveyLinkSecret("too short") == nil)
        #expect(throws: ConfigurationError.self) {
            try SurveyLinkSecret.from(Environment(["FEEDLOOP_SURVEY_LINK_SECRET": "short"]))
        }
        #expect(try SurveyLinkSecret.from(Environment([:])) == nil)
        #expect(!"\(secret)".contains("0123456789"), "the secret never prints")
    }
}
