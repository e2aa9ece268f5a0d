import Foundation

/// llama.cpp's own benchmark tools, built by `make anchors` from the very source Parley links:
/// what `parley bench` divides its own figures by. Both run in the same `parley bench`, one after
/// the other, on the same model with the same thread count, so a ratio compares the engines and
/// not two machines or two moments.
public struct AnchorTools: Sendable {
    /// The folder holding `llama-bench` and `llama-batched-bench`.
    public var directory: String
    public var modelPath: String
    public var threads: Int

    public init(directory: String, modelPath: String, threads: Int) {
        self.directory = directory
        self.modelPath = modelPath
        self.threads = threads
    }

    /// `llama-bench -p 0 -n tokens`: one stream's generation, tokens/s (the mean of its runs).
    public func singleStream(tokens: Int, repetitions: Int = 3) async throws(AnchorError) -> Double {
        let output = try await run(
            "llama-bench",
            [
                "-m", modelPath, "-p", "0", "-n", "\(tokens)", "-t", "\(threads)",
                "-r", "\(repetitions)", "-o", "json",
            ])
        return try LlamaBenchOutput.generationTPS(output, tokens: tokens)
    }

    /// `llama-batched-bench`: `B` streams of `promptTokens` then `tokens` each; S_TG (tokens/s of
    /// the generation phase, all streams together) per B.
    public func batched(promptTokens: Int, tokens: Int, streams: [Int]) async throws(AnchorError) -> [Int: Double] {
        let context = (streams.max() ?? 1) * (promptTokens + tokens) + 64
        let output = try await run(
            "llama-batched-bench",
            [
                "-m", modelPath, "-c", "\(context)", "-b", "2048", "-ub", "512", "-npp", "\(promptTokens)",
                "-ntg", "\(tokens)", "-npl", streams.map(String.init).joined(separator: ","),
                "-t", "\(threads)", "-tb", "\(threads)", "--output-format", "jsonl",
            ])
        return try BatchedBenchOutput.generationTPS(output)
    }

    /// Runs a tool to completion; its standard output, or an error naming the tool, its status and
    /// the end of what it printed on stderr.
    func run(_ tool: String, _ arguments: [String]) async throws(AnchorError) -> String {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(tool).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw AnchorError(tool: tool, reason: "not found in \(directory) (run `make anchors`)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let (exits, exit) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = {
            exit.yield($0.terminationStatus)
            exit.finish()
        }
        do { try process.run() } catch { throw AnchorError(tool: tool, reason: "cannot start: \(error)") }
        // Both pipes drain while the tool runs, so neither fills up and blocks it.
        async let output = Self.readToEnd(stdout.fileHandleForReading)
        async let errors = Self.readToEnd(stderr.fileHandleForReading)
        let (outputData, errorData) = await (output, errors)
        var status: Int32 = -1
        for await code in exits { status = code }
        guard status == 0 else {
            let text = String(decoding: errorData, as: UTF8.self)
            throw AnchorError(tool: tool, reason: "exited with \(status): \(text.suffix(400))")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// A blocking read, on a thread of its own rather than the cooperative pool.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }
}

public struct AnchorError: Error, CustomStringConvertible, Equatable {
    public var tool: String
    public var reason: String
    public var description: String { "\(tool): \(reason)" }
}
