import ArgumentParser
import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Logging

/// `feedloop-producer routes`: the routes `serve` registers, from the router itself.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Lists the HTTP routes `serve` registers, one `METHOD PATH` per line.",
        discussion: """
            Built from the same router `serve` runs, without connecting to anything; the OpenAPI document (GET /v1/openapi.yaml, docs/openapi.yaml) describes every one, which the tests check.
            """
    )

    func run() throws {
        let logger = Logger(label: "feedloop.producer.routes")
        // Nothing connects: the pool opens connections on first use only.
        let pool = DatabasePool(url: "postgres://unused@127.0.0.1/unused", size: 1, logger: logger)
        let feedback = FeedbackRoutes(
            pool: pool, intake: IntakeBatcher(pool: pool, writers: 1, logger: logger), wakeup: RelayWakeup(), maxBatchItems: 1, logger: logger
        )
        let surveys = SurveyRoutes(pool: pool, catalog: .builtIn, wakeup: RelayWakeup(), logger: logger)
        let surveyLinks = SurveyLinkRoutes(pool: pool, catalog: .builtIn, secret: nil, wakeup: RelayWakeup(), logger: logger)
        let router = ProducerRouter.build(
            feedback: feedback, surveys: surveys, surveyLinks: surveyLinks, verifier: APIKeyVerifier(pool: pool, ttl: .zero), logger: logger)
        for route in router.routes.map({ "\($0.method) \($0.path)" }).sorted() {
            print(route)
        }
    }
}
