public import Configuration
public import LlamaInference

/// The engine's settings from the operator's `model:` and `workers:` sections.
extension EngineConfiguration {
    public init(_ config: ParleyConfig, modelPath: String) {
        self.init(
            modelPath: modelPath, contextSize: config.model.context, threads: config.model.threads,
            gpuLayers: config.model.gpuLayers, batchSize: config.model.batch,
            slots: config.workers.slots, queueLimit: config.workers.queueLimit,
            prefillChunk: config.workers.prefillChunk, cacheMegabytes: config.workers.cacheMB,
            adaptiveThreads: config.model.adaptThreads, sharePrefixes: config.workers.sharePrefixes)
    }
}
