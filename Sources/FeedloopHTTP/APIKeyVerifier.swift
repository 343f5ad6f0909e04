import FeedloopRuntime
import Foundation

/// Verifies presented API keys against `api_keys`, remembering each verdict for
/// ``ttl`` so that a busy integration costs one database round trip every few seconds rather
/// than one per request, while a revocation still takes effect within ``ttl``. Concurrent
/// requests with the same uncached key share one lookup.
public actor APIKeyVerifier {
    /// Verdicts kept at most; beyond that expired ones are dropped, and if none expired the
    /// cache starts over (a flood of made-up keys must not grow memory).
    public static let maxEntries = 10_000

    public let pool: DatabasePool
    public let ttl: Duration
    private var cache: [String: (verdict: APIKeyStore.Verification, expires: ContinuousClock.Instant)] = [:]
    private var lookups: [String: Task<APIKeyStore.Verification, Error>] = [:]

    public init(pool: DatabasePool, ttl: Duration) {
        self.pool = pool
        self.ttl = ttl
    }

    /// The verdict for `key`, from the cache when it is fresh.
    public func verify(_ key: APIKey) async throws -> APIKeyStore.Verification {
        // The digest is the cache key: the key itself is never kept in memory longer than the request.
        let digest = key.digestHex
        let now = ContinuousClock.now
        if let entry = cache[digest], entry.expires > now { return entry.verdict }
        if let running = lookups[digest] { return try await running.value }
        let pool = self.pool
        let lookup = Task { try await pool.withConnection { db in try APIKeyStore.verify(key, in: db) } }
        lookups[digest] = lookup
        defer { lookups[digest] = nil }
        let verdict = try await lookup.value
        if ttl > .zero {
            if cache.count >= Self.maxEntries {
                cache = cache.filter { $0.value.expires > now }
                if cache.count >= Self.maxEntries { cache.removeAll() }
            }
            cache[digest] = (verdict, ContinuousClock.now + ttl)
        }
        return verdict
    }
}
