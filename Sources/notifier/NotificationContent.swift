import FeedloopRuntime
import Foundation

/// What the notifier sends to whom, loaded and checked once at start: the routing, the staff
/// directory, the templates, the rating links and the unhappy score. Any problem stops the
/// notifier before it consumes anything, naming the file and line or the variable.
struct NotificationContent: Sendable {
    let routing: NotificationRouting
    let staff: StaffDirectory
    let templates: TemplateSet
    /// Nil when `FEEDLOOP_SURVEY_LINK_SECRET` is unset: resolved tickets get no rating link.
    let surveyLinks: SurveyLinkIssuer?
    /// A valid survey answer with an overall score at or below this reopens the ticket.
    let unhappyScore: Int

    static let unhappyScoreVariable = "FEEDLOOP_UNHAPPY_SCORE"

    /// For the notifier's `--help`.
    static let helpText = """
          FEEDLOOP_NOTIFICATIONS        routing file: events, audiences, channels, locales (default
                                        config/notifications.yaml, else /etc/feedloop/notifications.yaml)
          FEEDLOOP_STAFF                staff directory (default staff.yaml beside the routing file)
          FEEDLOOP_SURVEY_LINK_SECRET   HMAC key of the rating links sent with resolved tickets, at
                                        least 16 bytes, the producer's too (unset: no rating link)
          FEEDLOOP_SURVEY_LINK_BASE_URL the links' prefix; the token is appended after a / (default
                                        http://127.0.0.1:8080/v1/survey-links)
          FEEDLOOP_SURVEY_LINK_TTL      how long a link works: 7d, 36h, 90m, 600s (default 7d)
          FEEDLOOP_UNHAPPY_SCORE        a valid answer with overall at or below it reopens the ticket
                                        and tells the department head (1-5, default 2)
        """

    static func load(_ environment: Environment) throws -> NotificationContent {
        let routingPath = try Self.routingPath(environment)
        let routing = try NotificationRouting.load(path: routingPath)
        let staffPath =
            environment.optionalString(StaffDirectory.environmentVariable)
            ?? URL(fileURLWithPath: routingPath).deletingLastPathComponent().appendingPathComponent("staff.yaml").path
        let staff = try StaffDirectory.load(path: staffPath)
        let templates = try TemplateSet.load(routing: routing)
        let links = try SurveyLinkIssuer.from(environment, surveyId: routing.surveyId)
        let unhappy = try environment.int(Self.unhappyScoreVariable, default: 2, range: 1...5)
        return NotificationContent(routing: routing, staff: staff, templates: templates, surveyLinks: links, unhappyScore: unhappy)
    }

    static func routingPath(_ environment: Environment) throws -> String {
        if let path = environment.optionalString(NotificationRouting.environmentVariable) { return path }
        if let found = NotificationRouting.defaultPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw ConfigurationError(
            variable: NotificationRouting.environmentVariable,
            reason: "not set, and none of \(NotificationRouting.defaultPaths.joined(separator: ", ")) exists")
    }
}
