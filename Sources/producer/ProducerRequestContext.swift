import FeedloopRuntime
import Hummingbird

/// The producer's request context: Hummingbird's core storage plus the API key the request
/// was authenticated with, set by ``APIKeyAuthenticator`` before a protected route runs.
struct ProducerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The verified key; nil on open routes (`/health`, `/v1/openapi.yaml`).
    var apiKey: APIKeyRecord?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
    }
}
