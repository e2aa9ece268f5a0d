/// How the local engine is set up; built by the daemon from `model` and `workers` config.
public struct EngineConfiguration: Sendable, Equatable {
    public var modelPath: String
    /// Tokens one conversation may use (prompt + reply).
    public var contextSize: Int
    public var threads: Int
    /// Decode with fewer threads while other processes hold the cores (see `ThreadGovernor`).
    public var adaptiveThreads: Bool
    public var gpuLayers: Int
    public var batchSize: Int
    /// Conversations decoded together.
    public var slots: Int
    /// Requests waiting beyond the busy slots before `.busy` is answered.
    public var queueLimit: Int
    /// Prompt tokens prefilled per engine step, so a long prompt never stalls other slots for long.
    public var prefillChunk: Int
    /// Host RAM for the states of conversations that lost their slot (0 disables the cache).
    public var cacheMegabytes: Int
    /// Copy the KV of a prefix other conversations already hold (a shared card or system prompt)
    /// instead of prefilling it again (`SharedPrefix`).
    public var sharePrefixes: Bool
    /// Where engine states are saved on graceful shutdown (nil: not saved).
    public var stateDirectory: String?
    /// Identity of the model file; saved states are only loaded by the same model.
    public var modelFingerprint: String?

    public init(
        modelPath: String, contextSize: Int = 4096, threads: Int = 0, gpuLayers: Int = 0,
        batchSize: Int = 512, slots: Int = 4, queueLimit: Int = 32, prefillChunk: Int = 192,
        cacheMegabytes: Int = 256, stateDirectory: String? = nil, adaptiveThreads: Bool = true,
        sharePrefixes: Bool = true
    ) {
        self.modelPath = modelPath
        self.contextSize = contextSize
        self.threads = threads
        self.adaptiveThreads = adaptiveThreads
        self.gpuLayers = gpuLayers
        self.batchSize = batchSize
        self.slots = slots
        self.queueLimit = queueLimit
        self.prefillChunk = prefillChunk
        self.cacheMegabytes = cacheMegabytes
        self.sharePrefixes = sharePrefixes
        self.stateDirectory = stateDirectory
        self.modelFingerprint = stateDirectory == nil ? nil : ModelFingerprint.of(path: modelPath)
    }
}
