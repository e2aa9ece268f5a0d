public import Configuration
public import Inference
public import LlamaInference

/// Translates the operator's YAML into the settings of each part. Kept in one place so a new key
/// is wired once.
extension EngineConfiguration {
    public init(_ config: ParleyConfig, modelPath: String) {
        self.init(modelPath: modelPath, contextSize: config.model.context, threads: config.model.threads,
                  gpuLayers: config.model.gpuLayers, batchSize: config.model.batch,
                  slots: config.workers.slots, queueLimit: config.workers.queueLimit,
                  prefillChunk: config.workers.prefillChunk, cacheMegabytes: config.workers.cacheMB,
                  adaptiveThreads: config.model.adaptThreads)
    }
}

extension GenerationOptions {
    public init(_ generation: GenerationConfig) {
        self.init(maxTokens: generation.maxTokens, temperature: generation.temperature, topK: generation.topK,
                  topP: generation.topP, minP: generation.minP, repeatPenalty: generation.repeatPenalty,
                  repeatLastN: generation.repeatLastN, frequencyPenalty: generation.frequencyPenalty,
                  presencePenalty: generation.presencePenalty,
                  seed: generation.seed.map { UInt32(truncatingIfNeeded: $0) }, stop: generation.stop)
    }
}
