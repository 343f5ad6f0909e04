import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Hummingbird
import Logging

/// Every route of the producer and who may call it. `serve` builds its router here and
/// `routes` lists it, so the list (and the test that holds it against the OpenAPI document)
/// is the router itself.
enum ProducerRouter {
    /// Roles that may submit feedback and survey answers.
    static let intakeRoles: Set<APIRole> = [.intake, .admin]
    /// Every role: reading tickets.
    static let anyRole = Set(APIRole.allCases)
    /// Staff acting on tickets.
    static let staffRoles: Set<APIRole> = [.agent, .admin]

    static func build(
        feedback: FeedbackRoutes, surveys: SurveyRoutes, surveyLinks: SurveyLinkRoutes, verifier: APIKeyVerifier, logger: Logger,
        readiness: Readiness = Readiness()
    ) -> Router<FeedloopRequestContext> {
        let router = Router(context: FeedloopRequestContext.self)
        router.add(middleware: MetricsMiddleware())

        // Open: load balancers and API clients' code generators need no key.
        router.get("/health") { _, _ in await feedback.health() }
        // The database check is a query on the request pool, made when readiness is probed;
        // the broker and topology checks come from startup and the outbox relay.
        ObservabilityRoutes(readiness: readiness) {
            do {
                _ = try await feedback.pool.withConnection { db in try db.query("SELECT 1") }
                readiness.pass(.database)
            } catch {
                readiness.fail(.database, "database unreachable")
            }
        }.register(on: router)
        router.get("/v1/openapi.yaml") { _, _ in OpenAPIDocument.response() }

        router.group("/v1")
            .add(middleware: APIKeyAuthenticator(roles: Self.intakeRoles, verifier: verifier, logger: logger))
            .post("feedback") { request, _ in await feedback.submit(request) }
            // A literal path element: Hummingbird only treats `{…}`, a leading `:` and `*` specially.
            .post("feedback:batch") { request, _ in await feedback.submitBatch(request) }
            .post("surveys/{survey}/responses") { request, context in
                await surveys.submit(request, surveyID: context.parameters.get("survey") ?? "")
            }

        router.group("/v1")
            .add(middleware: APIKeyAuthenticator(roles: Self.anyRole, verifier: verifier, logger: logger))
            .get("tickets/{id}") { _, context in await feedback.ticket(context.parameters.get("id")) }

        let actions = TicketActionRoutes(pool: feedback.pool, wakeup: feedback.wakeup, logger: logger)
        let staff = router.group("/v1").add(middleware: APIKeyAuthenticator(roles: Self.staffRoles, verifier: verifier, logger: logger))
        for action in TicketAction.allCases {
            staff.post("tickets/{id}/\(action.pathComponent)") { request, context in
                await actions.apply(action, rawId: context.parameters.get("id"), request: request, context: context)
            }
        }

        // Satisfaction survey links: no API key, the signed token in the path is the credential.
        router.get("/v1/survey-links/{token}") { _, context in await surveyLinks.show(token: context.parameters.get("token") ?? "") }
        router.post("/v1/survey-links/{token}/responses") { request, context in
            await surveyLinks.submit(request, token: context.parameters.get("token") ?? "")
        }

        return router
    }
}
