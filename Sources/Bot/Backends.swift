public import Configuration
import Foundation
import HTTPTransport
public import Inference
import LlamaInference
public import Logging
import OpenAIInference
import Timing

/// The model backend the configuration asks for, and how to stop it.
public struct Backends: Sendable {
    public let backend: any InferenceBackend
    private let stop: @Sendable () async -> Void

    public func shutdown() async { await stop() }

    /// What the daemon knows of the backend before `make` returns, from the configuration: the
    /// queue is sized by it and prompts wait for the loaded model (`LoadingBackend`).
    public static func placeholder(_ config: ParleyConfig) -> LoadingBackend.Placeholder {
        switch config.model.backend {
        case .llama:
            let file = config.model.path.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the default model"
            return .init(contextSize: config.model.context, capacity: config.workers.slots, description: file)
        case .openai:
            return .init(contextSize: config.model.context, capacity: .max, description: "a remote model")
        }
    }

    /// `model.backend: llama` loads the GGUF in-process; `openai` streams from a remote server.
    /// `stateDirectory` (daemon only) keeps engine states across graceful restarts.
    public static func make(
        _ config: ParleyConfig, environment: [String: String], logger: Logger,
        stateDirectory: String? = nil
    ) async throws -> Backends {
        switch config.model.backend {
        case .llama:
            let path = try ModelLocator.resolve(configured: config.model.path, environment: environment)
            var engineConfig = EngineConfiguration(config, modelPath: path)
            engineConfig.stateDirectory = stateDirectory
            engineConfig.modelFingerprint = stateDirectory == nil ? nil : ModelFingerprint.of(path: path)
            let engine = try await LlamaEngine(configuration: engineConfig, logger: logger)
            return Backends(backend: engine, stop: { await engine.shutdown() })
        case .openai:
            let client = HTTPClient()
            let remote = OpenAIBackend(
                configuration: .init(
                    url: config.model.url ?? "", replicas: config.model.urls,
                    api: config.model.api == .chat ? .chat : .completions,
                    apiKey: config.model.apiKey?.value,
                    contextSize: config.model.context,
                    idleTimeout: .milliseconds(ofSeconds: config.model.requestTimeout)),
                client: client, logger: logger)
            return Backends(backend: remote, stop: { client.shutdown() })
        }
    }
}
