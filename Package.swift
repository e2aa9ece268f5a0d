// swift-tools-version:6.1
import PackageDescription

// The module graph is the pipeline, bottom to top; a module depends only on modules above it here.
//
//   C libraries        CWebSockets  CZlib  CCurl  CLlama  CSQLite  CPostgres
//   vocabulary         Timing · Sampling · Roleplay · SQLCore   (pure Swift types several layers share)
//   safe wrappers      LibWebSockets → WebSocketTransport, HTTPServer · Zlib · HTTPTransport ·
//                      LlamaRuntime · SQLite · Postgres   (the only unsafe code)
//   domain             DiscordModels → Gateway (events in), DiscordREST (replies out)
//                      Inference (the backend protocol) → LlamaInference, OpenAIInference → Benchmark
//                      Conversation (memory → prompt → reply) · Configuration (the YAML file)
//   service            Metrics · Systemd · Console
//   wiring             Bot → parley
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"])
    ],
    dependencies: [
        // Exact versions: an executable pins what it ships with, so a fresh machine builds the same code.
        // (Package.resolved stays untracked: the commit ids of this workplace's package mirrors are
        // not GitHub's, so a committed one would break every other machine.)
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // C libraries: module map + shim header, nothing else.
        .systemLibrary(
            name: "CWebSockets", pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLlama", pkgConfig: "llama"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Pure Swift vocabulary under every layer above, so each idea has one type: the retry formula
        // and Duration conversions (Timing); how a reply is generated, decoded by Configuration and
        // applied by LlamaRuntime (Sampling); who the bot plays, from the YAML or a card (Roleplay).
        .target(name: "Timing"),
        .target(name: "Sampling"),
        .target(name: "Roleplay"),
        // The SQL both memory backends speak (SQLite, PostgreSQL): values, connection, dialect.
        .target(name: "SQLCore"),

        // Thin safe wrappers, each owning its C library on its own thread.
        .target(name: "LibWebSockets", dependencies: ["CWebSockets"]),
        .target(name: "WebSocketTransport", dependencies: ["CWebSockets", "LibWebSockets", "Timing"]),
        .target(name: "HTTPServer", dependencies: ["CWebSockets", "LibWebSockets", "Timing"]),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        .target(name: "HTTPTransport", dependencies: ["CCurl", "Timing"]),
        // Optimised in debug builds too: its per-token scan of the vocabulary (TopCandidates)
        // runs on every reply `make run` and `make test` produce, and is 100x slower unoptimised.
        .target(
            name: "LlamaRuntime", dependencies: ["CLlama", "Sampling", logging],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "SQLite", dependencies: ["CSQLite", "SQLCore"]),
        .target(name: "Postgres", dependencies: ["CPostgres", "SQLCore"]),

        // Domain modules.
        .target(name: "DiscordModels"),
        .target(name: "Gateway", dependencies: ["DiscordModels", "Timing", "WebSocketTransport", "Zlib", logging]),
        .target(name: "DiscordREST", dependencies: ["DiscordModels", "HTTPTransport", "Timing", logging]),
        .target(name: "Inference", dependencies: ["Sampling"]),
        .target(name: "LlamaInference", dependencies: ["Inference", "LlamaRuntime", "Sampling", "Timing", logging]),
        .target(name: "OpenAIInference", dependencies: ["Inference", "HTTPTransport", "Sampling", "Timing", logging]),
        .target(
            name: "Benchmark",
            dependencies: [
                "Conversation", "Inference", "LlamaInference", "LlamaRuntime", "Roleplay", "Sampling", "Timing", logging,
            ]),
        .target(
            name: "Conversation", dependencies: ["Inference", "Postgres", "Roleplay", "Sampling", "SQLCore", "SQLite", logging]),
        .target(name: "Configuration", dependencies: ["Roleplay", "Sampling", .product(name: "Yams", package: "Yams")]),

        // Running as a service: metrics endpoint, journald and sd_notify, the local console.
        .target(name: "Metrics", dependencies: ["Configuration", "Gateway", "HTTPServer", "Inference", logging]),
        .target(name: "Systemd", dependencies: ["Timing", logging]),
        .target(name: "Console", dependencies: ["Conversation", "Inference", "Roleplay", logging]),

        // Wiring and the executable.
        .target(
            name: "Bot",
            dependencies: [
                "Configuration", "Conversation", "DiscordModels", "DiscordREST", "Gateway", "HTTPTransport",
                "Inference", "LlamaInference", "Metrics", "OpenAIInference", "Postgres", "Roleplay", "Sampling", "Timing",
                logging,
            ]),
        .executableTarget(
            name: "parley",
            dependencies: [
                "Benchmark", "Bot", "Configuration", "Console", "Conversation", "DiscordModels", "DiscordREST",
                "Gateway", "HTTPServer", "HTTPTransport", "Inference", "LibWebSockets", "LlamaInference",
                "LlamaRuntime", "Metrics", "Systemd", "Timing", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),

        // Tests mirror the modules; fake servers and the model locator live in ParleyTestSupport.
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                "DiscordModels", "DiscordREST", "Gateway", "HTTPTransport", "Inference", "Sampling", "Timing",
                "WebSocketTransport", "Zlib",
            ], path: "Tests/ParleyTestSupport"),
        // `make bench`'s chat workload: Parley through the fake Discord against llama-server, so it
        // builds on the fakes; the logic is a library with model-free tests, the tool a thin shell.
        .target(
            name: "ChatWorkload",
            dependencies: [
                "Benchmark", "Bot", "Configuration", "Conversation", "HTTPTransport", "Inference", "ParleyTestSupport",
                "Sampling", "Timing", logging,
            ], path: "Tests/ChatWorkload"),
        .executableTarget(
            name: "parley-workload",
            dependencies: ["ChatWorkload", logging, .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/ChatWorkloadTool"),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "ParleyTestSupport", "Roleplay", "Sampling"]),
        .testTarget(
            name: "BotTests",
            dependencies: [
                "Bot", "Configuration", "Conversation", "DiscordModels", "DiscordREST", "Gateway", "HTTPTransport",
                "Inference", "LlamaInference", "Metrics", "ParleyTestSupport", "Roleplay", "Sampling", logging,
            ]),
        .testTarget(
            name: "MetricsTests",
            dependencies: [
                "Metrics", "Gateway", "Inference", "ParleyTestSupport",
            ]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", logging]),
        .testTarget(name: "LlamaRuntimeTests", dependencies: ["LlamaRuntime", "ParleyTestSupport", "Sampling", logging]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "ParleyTestSupport"]),
        .testTarget(
            name: "LlamaInferenceTests", dependencies: ["LlamaInference", "Inference", "ParleyTestSupport", "Sampling", logging]),
        .testTarget(
            name: "OpenAIInferenceTests",
            dependencies: [
                "OpenAIInference", "Inference", "Conversation", "HTTPTransport", "ParleyTestSupport", "Roleplay", "Sampling",
                logging,
            ]),
        .testTarget(
            name: "ConversationTests",
            dependencies: [
                "Conversation", "Inference", "LlamaInference", "LlamaRuntime", "Postgres", "SQLCore", "SQLite",
                "ParleyTestSupport", "Roleplay", "Sampling", logging,
            ], exclude: ["Golden"]),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "ParleyTestSupport"]),
        .testTarget(
            name: "DiscordRESTTests",
            dependencies: ["DiscordREST", "DiscordModels", "HTTPTransport", "ParleyTestSupport", logging]),
        .testTarget(
            name: "GatewayTests", dependencies: ["Gateway", "DiscordModels", "WebSocketTransport", "ParleyTestSupport", logging]),
        .testTarget(name: "WebSocketTransportTests", dependencies: ["WebSocketTransport", "ParleyTestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPTransport", "ParleyTestSupport"]),
        .testTarget(name: "ZlibTests", dependencies: ["Zlib"]),
        .testTarget(
            name: "BenchmarkTests",
            dependencies: ["Benchmark", "LlamaInference", "ParleyTestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ParleyCLITests", dependencies: ["ParleyTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ParleyTestSupport", "HTTPTransport"]),
        .testTarget(name: "DeployTests", dependencies: ["ParleyTestSupport"]),
        .testTarget(name: "TestSupportTests", dependencies: ["ParleyTestSupport", "Timing", "WebSocketTransport", "Zlib"]),
        .testTarget(
            name: "ChatWorkloadTests",
            dependencies: ["Benchmark", "ChatWorkload", "Conversation", "ParleyTestSupport", "Sampling", "Timing", logging]),
        .testTarget(name: "TimingTests", dependencies: ["Timing", "ParleyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// The compiler as guard: every existential spelled `any`, imports internal unless a public
// declaration needs them, and a member visible only where its module is imported.
for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
