// swift-tools-version:6.1
import PackageDescription

// Layers, bottom to top: C system libraries → thin safe wrappers (the only unsafe code) →
// domain modules → Bot → the `parley` executable. A module depends only on modules below it.
let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // C libraries: module map + shim header, nothing else.
        .systemLibrary(name: "CWebSockets", pkgConfig: "libwebsockets",
                       providers: [.apt(["libwebsockets-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLlama", pkgConfig: "llama"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Thin safe wrappers, each owning its C library on its own thread.
        .target(name: "WebSocketTransport", dependencies: ["CWebSockets"]),
        .target(name: "HTTPTransport", dependencies: ["CCurl"]),
        .target(name: "LlamaRuntime", dependencies: ["CLlama", .product(name: "Logging", package: "swift-log")]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),

        // Domain modules.
        .target(name: "DiscordModels"),
        .target(name: "Gateway", dependencies: [
            "DiscordModels", "WebSocketTransport", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "DiscordREST", dependencies: [
            "DiscordModels", "HTTPTransport", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Inference", dependencies: [
            "LlamaRuntime", "HTTPTransport", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Conversation", dependencies: [
            "Inference", "SQLite",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Configuration", dependencies: [
            .product(name: "Yams", package: "Yams"),
        ]),

        // Wiring and the executable.
        .target(name: "Bot", dependencies: [
            "Configuration", "Conversation", "Inference", "Gateway", "DiscordREST", "DiscordModels",
            "LlamaRuntime", "HTTPTransport", "WebSocketTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "parley", dependencies: [
            "Bot", "Configuration", "Inference",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),

        // Tests mirror the modules; fake servers and the model locator live in ParleyTestSupport.
        .target(name: "ParleyTestSupport", dependencies: [
            "WebSocketTransport", "Gateway", "DiscordREST", "DiscordModels", "Inference",
        ], path: "Tests/ParleyTestSupport"),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "ParleyTestSupport"]),
        .testTarget(name: "BotTests", dependencies: ["Bot", "Configuration", "Conversation", "DiscordModels", "Gateway", "HTTPTransport", "Inference", "ParleyTestSupport"]),
        .testTarget(name: "LlamaRuntimeTests", dependencies: [
            "LlamaRuntime", "ParleyTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "InferenceTests", dependencies: [
            "Inference", "Conversation", "HTTPTransport", "ParleyTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ConversationTests", dependencies: ["Conversation", "Inference", "LlamaRuntime", "SQLite", "ParleyTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "ParleyTestSupport"]),
        .testTarget(name: "DiscordRESTTests", dependencies: ["DiscordREST", "DiscordModels", "HTTPTransport", "ParleyTestSupport"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "DiscordModels", "ParleyTestSupport"]),
        .testTarget(name: "WebSocketTransportTests", dependencies: ["WebSocketTransport", "HTTPTransport", "ParleyTestSupport"]),
        .testTarget(name: "ParleyCLITests", dependencies: ["ParleyTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ParleyTestSupport", "HTTPTransport"]),
        .testTarget(name: "DeployTests", dependencies: ["ParleyTestSupport"]),
        .testTarget(name: "TestSupportTests", dependencies: ["ParleyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
