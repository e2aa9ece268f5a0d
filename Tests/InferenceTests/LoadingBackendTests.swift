import Inference
import ParleyTestSupport
import Synchronization
import Testing

/// The backend the daemon serves from while the model loads: requests wait, in order, for the
/// loaded one; a failed load fails them; a cancelled one stops waiting.
@Suite struct LoadingBackendTests {
    static let placeholder = LoadingBackend.Placeholder(contextSize: 2048, capacity: 3, description: "model.gguf")

    static func request(_ conversation: String) -> GenerationRequest {
        GenerationRequest(conversation: conversation, prompt: Prompt())
    }

    /// Collects a generation's text (or its error) in a task of its own.
    static func collect(_ stream: AsyncThrowingStream<String, any Error>) -> Task<String, any Error> {
        Task {
            var text = ""
            for try await piece in stream { text += piece }
            return text
        }
    }

    @Test func requestsWaitForTheLoadAndGoOnInTheOrderTheyCame() async throws {
        let loading = LoadingBackend(Self.placeholder)
        #expect(loading.contextSize == 2048 && loading.capacity == 3 && loading.status.contains("loading"))
        let first = Self.collect(loading.generate(Self.request("a")))
        let second = Self.collect(loading.generate(Self.request("b")))
        let ready = Task { try await loading.waitUntilReady() }
        try await Task.sleep(for: .milliseconds(50)) // a moment for them all to be waiting
        let scripted = ScriptedBackend([.pieces(["one"]), .pieces(["two"])], capacity: 2, contextSize: 1024)
        #expect(scripted.requests.isEmpty, "nothing reaches a model that is not loaded")
        loading.resolve(scripted)
        try await ready.value
        #expect(try await first.value == "one")
        #expect(try await second.value == "two")
        #expect(scripted.requests.map(\.conversation) == ["a", "b"])
        #expect(loading.contextSize == 1024 && loading.capacity == 2 && loading.modelDescription == "scripted")
        #expect(try await loading.tokenCount("abcdefgh", scaffold: false) == 2)
    }

    @Test func aFailedLoadFailsWhatWaitsAndWhatComesLater() async throws {
        let loading = LoadingBackend(Self.placeholder)
        let waiting = Self.collect(loading.generate(Self.request("a")))
        try await Task.sleep(for: .milliseconds(20))
        loading.fail("out of memory")
        for task in [waiting, Self.collect(loading.generate(Self.request("b")))] {
            await #expect(throws: LoadingBackend.LoadFailed.self) { try await task.value }
        }
        await #expect(throws: LoadingBackend.LoadFailed.self) { try await loading.waitUntilReady() }
        #expect(loading.loaded == nil)
        loading.resolve(ScriptedBackend()) // settled once: a late resolve changes nothing
        #expect(loading.loaded == nil)
    }

    /// A reply stopped (or its channel reset) while the model loads gives up its place; the model
    /// never sees it.
    @Test func aCancelledRequestStopsWaiting() async throws {
        let loading = LoadingBackend(Self.placeholder)
        let cancelled = Self.collect(loading.generate(Self.request("gone")))
        let kept = Self.collect(loading.generate(Self.request("kept")))
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        #expect((try? await cancelled.value) ?? "" == "", "it ends with nothing written")
        let scripted = ScriptedBackend([.pieces(["hi"])])
        loading.resolve(scripted)
        #expect(try await kept.value == "hi")
        #expect(scripted.requests.map(\.conversation) == ["kept"])
    }

    /// Many requests racing the load, some cancelled: each either gets its reply or stops, none
    /// is lost or left waiting (bounded: 200 requests, every third cancelled).
    @Test func requestsRacingTheLoadAllSettle() async throws {
        let loading = LoadingBackend(Self.placeholder)
        let scripted = ScriptedBackend(fallback: ["ok"], capacity: 200)
        var tasks: [(Task<String, any Error>, cancel: Bool)] = []
        for n in 0..<200 {
            if n == 100 { loading.resolve(scripted) }
            let task = Self.collect(loading.generate(Self.request("\(n)")))
            let cancel = n % 3 == 0
            if cancel { task.cancel() }
            tasks.append((task, cancel))
        }
        for (task, cancel) in tasks {
            switch await task.result {
            case let .success(text): #expect(text == "ok" || (cancel && text.isEmpty))
            case let .failure(error): #expect(cancel && error is CancellationError)
            }
        }
        #expect(scripted.requests.count <= 200)
    }
}
