import Bot
import Configuration
import Conversation
import Foundation
import Logging
import ParleyTestSupport

/// The llama-server side: the same scripts through Parley's own `ConversationPipeline` (its
/// memory, prompt builder, stops and reply cleaning) with llama-server as the model, its own
/// replies as the bot's turns (closed loop). The restart run starts a new llama-server (cold: it
/// re-prefills every channel) on the same memory.
struct LlamaServerSide {
    let settings: WorkloadSettings
    let directory: TemporaryDirectory
    let config: ParleyConfig
    let clock: RunClock
    let children: ChildProcesses
    let logger: Logger

    func run(_ scripts: [ChannelScript]) async throws -> WorkloadReport.Side {
        let memory = try ChannelMemory(path: directory.file("llama-server-memory.sqlite3"))
        let personas = try PersonaLibrary(config.roleplay)
        var server = try await start(log: "llama-server-cold")
        defer { if server.process.isRunning { server.process.signal(SIGKILL) } }
        var backend = try await LlamaServerBackend(baseURL: server.baseURL, contextSize: settings.contextPerSlot)
        for script in scripts {
            for (n, line) in script.history.enumerated() {
                try await memory.append(
                    StoredTurn(
                        channel: script.channel, messageID: "h\(script.channel)-\(n)", authorID: line.authorID,
                        turn: Turn(role: .ambient, author: line.author, content: line.text), guild: WorkloadSettings.guild))
            }
        }
        let cold = try await withLog(of: server) {
            try await questions(scripts, 0..<settings.questions, memory, backend, personas)
        }
        var firstPrompts: [String: Int] = [:]
        for script in scripts {
            if let first = backend.completions(for: script.channel).first {
                firstPrompts[script.channel] = first.promptTokens + first.cachedTokens
            }
        }
        let resident = ServingMemory.read(pid: server.process.pid, modelPath: settings.model, log: server.process.log)
        guard settings.restartQuestions > 0 else {
            return .init(cold: cold, restart: nil, firstPromptTokens: firstPrompts, memory: resident)
        }
        await stop(server)
        server = try await start(log: "llama-server-restart")
        backend = try await LlamaServerBackend(baseURL: server.baseURL, contextSize: settings.contextPerSlot)
        let range = settings.questions..<(settings.questions + settings.restartQuestions)
        let restart = try await withLog(of: server) { try await questions(scripts, range, memory, backend, personas) }
        await stop(server)
        return .init(cold: cold, restart: restart, firstPromptTokens: firstPrompts, memory: resident)
    }

    private func start(log: String) async throws -> LlamaServerProcess {
        let server = try LlamaServerProcess(
            binary: settings.llamaServer, model: settings.model, slots: settings.slots,
            contextPerSlot: settings.contextPerSlot, threads: settings.threads, port: try LoopbackPort.free(),
            logPrefix: directory.file(log), extraArguments: Self.serverArguments)
        children.started(server.process.pid)
        try await server.waitUntilReady()
        return server
    }

    /// `-lv 4`: llama.cpp's load lines (the KV and repacked buffers the memory row reads), a few
    /// lines per request besides. Otherwise llama-server's defaults: its RAM prompt cache (it
    /// copies each idle slot's state there at every new request) stays on. Off (`--cache-ram 0`)
    /// it held half the memory, and its speed moved both ways within the host's noise.
    static let serverArguments = ["-lv", "4"]

    /// A failure comes back with the end of the server's log.
    private func withLog<T>(of server: LlamaServerProcess, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as WorkloadError { throw error } catch {
            throw WorkloadError("llama-server run failed: \(error)", log: server.process.logFile)
        }
    }

    private func stop(_ server: LlamaServerProcess) async {
        await server.stop()
        children.ended(server.process.pid)
    }

    private func questions(
        _ scripts: [ChannelScript], _ range: Range<Int>, _ memory: ChannelMemory, _ backend: LlamaServerBackend,
        _ personas: PersonaLibrary
    ) async throws -> RunFigures {
        let pipeline = ConversationPipeline(memory: memory, backend: backend, logger: logger)
        let (config, clock) = (config, clock)
        let samples = try await ClosedLoop.run(scripts, questions: range) { script, index in
            let channelSettings = ChannelSettings(
                config: config, channel: script.channel, personas: personas, botName: WorkloadSettings.botName)
            let question = script.questions[index]
            let sent = clock.now
            let before = backend.completions(for: script.channel).count
            try await pipeline.record(
                StoredTurn(
                    channel: script.channel, messageID: "q\(script.channel)-\(index)", authorID: question.authorID,
                    turn: Turn(role: .user, author: question.author, content: question.text), guild: WorkloadSettings.guild))
            let reply = try await pipeline.generateReply(channel: script.channel, settings: channelSettings)
            let complete = clock.now
            try await pipeline.recordReply(
                reply.text, channel: script.channel, messageID: "r\(script.channel)-\(index)", settings: channelSettings,
                botID: WorkloadSettings.botID)
            let first = backend.completions(for: script.channel).dropFirst(before).compactMap(\.firstText).first
            return ReplySample(
                channel: script.channel, index: index, sent: sent, firstText: first.map(clock.seconds), complete: complete,
                tokens: reply.tokens)
        }
        let tokens = samples.compactMap(\.tokens).reduce(0, +)
        return RunFigures(samples: samples, tokensGenerated: tokens, firstQuestion: range.lowerBound)
    }
}

/// Seconds since the run began, on the monotonic clock both sides share.
public struct RunClock: Sendable {
    public let origin = ContinuousClock.now
    public init() {}
    public var now: Double { seconds(ContinuousClock.now) }
    public func seconds(_ instant: ContinuousClock.Instant) -> Double {
        let d = instant - origin
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
