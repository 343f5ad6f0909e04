import FeedloopRuntime
import Hummingbird

/// The request context of Feedloop's HTTP servers (producer, analytics): Hummingbird's core storage plus the API key the request
/// was authenticated with, set by ``APIKeyAuthenticator`` before a protected route runs.
public struct FeedloopRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified key; nil on open routes (`/health`, `/v1/openapi.yaml`).
    public var apiKey: APIKeyRecord?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
    }
}
