// swift-tools-version:6.0
import PackageDescription

// One settings array for every target (the Hummingbird habit): Swift 5 language mode
// with complete concurrency checking, so data-race diagnostics show without blocking.
let swiftSettings: [SwiftSetting] = [
    .enableExperimentalFeature("StrictConcurrency=complete")
]

let package = Package(
    name: "Feedloop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "feedloop-producer", targets: ["feedloop-producer"]),
        .executable(name: "feedloop-classifier", targets: ["feedloop-classifier"]),
        .executable(name: "feedloop-escalator", targets: ["feedloop-escalator"]),
        .executable(name: "feedloop-notifier", targets: ["feedloop-notifier"]),
        .executable(name: "feedloop-analytics", targets: ["feedloop-analytics"]),
        .executable(name: "feedloopctl", targets: ["feedloopctl"]),
        .executable(name: "feedloop-bench", targets: ["feedloop-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Property-based calendar and SLA clock tests (FeedloopCoreTests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Worker metrics (docs/OBSERVABILITY.md): the swift-metrics API, exported in Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift client module.
        .systemLibrary(
            name: "CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // SMTP for the notifier's email channel (STARTTLS, AUTH), through libcurl.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "AMQP",
            dependencies: ["CRabbitMQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Postgres",
            dependencies: ["CPostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The domain: pure, no I/O, testable without any server.
        .target(name: "FeedloopCore", swiftSettings: swiftSettings),
        // What every worker shares: configuration, topology, outbox, the batched consume loop,
        // migrations, HTTP helpers, shutdown.
        .target(
            name: "FeedloopRuntime",
            dependencies: [
                "AMQP", "Postgres", "FeedloopCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // API key hashing (and the notifier's webhook signatures).
                .product(name: "Crypto", package: "swift-crypto"),
                // Taxonomy, survey and policy files, with line numbers in their errors.
                .product(name: "Yams", package: "Yams"),
                // Counters and histograms every worker exposes at /metrics.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the producer's and the analytics worker's HTTP servers share: API key checks,
        // JSON bodies and error responses.
        .target(
            name: "FeedloopHTTP",
            dependencies: ["FeedloopRuntime", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloop-producer",
            dependencies: [
                "FeedloopRuntime", "FeedloopHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/producer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloop-classifier",
            // FeedloopHTTP: the health and metrics server every consuming worker runs.
            dependencies: ["FeedloopRuntime", "FeedloopHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/classifier",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloop-escalator",
            // FeedloopHTTP: the health and metrics server every consuming worker runs.
            dependencies: ["FeedloopRuntime", "FeedloopHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/escalator",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloop-notifier",
            dependencies: [
                "FeedloopRuntime", "FeedloopHTTP", "CCurl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // Notification templates (config/templates), checked at start.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Sources/notifier",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloop-analytics",
            dependencies: [
                "FeedloopRuntime", "FeedloopHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/analytics",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "feedloopctl",
            dependencies: ["FeedloopRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/feedloopctl",
            swiftSettings: swiftSettings
        ),
        // Benchmarks: the raw broker rate and the whole pipeline, printed side by side by ops/bench.
        .executableTarget(
            name: "feedloop-bench",
            dependencies: [
                "FeedloopRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FeedloopCoreTests",
            dependencies: ["FeedloopCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"], swiftSettings: swiftSettings),
        // Scratch databases, scratch broker vhosts and worker processes for integration tests.
        .target(
            name: "FeedloopTestSupport",
            dependencies: ["FeedloopRuntime", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/FeedloopTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FeedloopRuntimeTests",
            dependencies: ["FeedloopRuntime", "FeedloopTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["FeedloopRuntime", "FeedloopTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
