import Foundation
import Testing

@testable import Configuration

/// `model.api_key` resolves like the Discord token: the value, else `api_key_file`, else the
/// systemd credential `openai-api-key`.
@Suite("Model API key resolution")
struct APIKeyResolutionTests {
    @Test func keyBeatsKeyFileBeatsCredential() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let keyFile = try directory.write("key.txt", "  from-file\n")
        try directory.write("openai-api-key", "from-credential\n")
        let environment = ["CREDENTIALS_DIRECTORY": directory.path]

        let all = try parse("model: {api_key: from-yaml, api_key_file: \(keyFile)}", environment: environment)
        #expect(all.model.apiKey?.value == "from-yaml")

        let fileAndCredential = try parse(
            "model: {api_key: \"${OPENAI_API_KEY:-}\", api_key_file: \(keyFile)}", environment: environment)
        #expect(fileAndCredential.model.apiKey?.value == "from-file")
        #expect(fileAndCredential.model.apiKeyFile == keyFile)

        #expect(try parse("model: {backend: llama}", environment: environment).model.apiKey?.value == "from-credential")
        #expect(try parse("", environment: environment).model.apiKey?.value == "from-credential")
        #expect(try parse("model: {api_key: \"\"}").model.apiKey == nil)
        // The credentials are separate: the Discord one is not the model's.
        #expect(try parse("", environment: environment).discord.token == nil)
    }

    @Test func relativeKeyFileIsResolvedAgainstTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("api-key", "relative-key")
        let configPath = try directory.write("parley.yaml", "model:\n  api_key_file: api-key\n")
        let config = try ConfigLoader.load(path: configPath, environment: [:])
        #expect(config.model.apiKey?.value == "relative-key")
    }

    @Test func unreadableOrEmptyKeyFileIsAnErrorThatHidesThePath() throws {
        let missing = try #require(parseError("model:\n  api_key_file: /nonexistent/sk-key-path\n"))
        #expect(missing.keyPath == "model.api_key_file")
        #expect(missing.line == 2)
        #expect(missing.message == "cannot read the file api_key_file names: No such file or directory")
        #expect(!missing.description.contains("nonexistent"))
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let empty = try directory.write("empty", "\n")
        #expect(parseError("model: {api_key_file: \(empty)}")?.message == "the file api_key_file names is empty")
        try directory.write("openai-api-key", " ")
        let credential = try #require(parseError("", environment: ["CREDENTIALS_DIRECTORY": directory.path]))
        #expect(credential.keyPath == "model.api_key")
        #expect(credential.message.hasPrefix("systemd credential "))
    }

    @Test func keyNeverAppearsInDescriptions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let keyFile = try directory.write("key", "sk-FILE-SECRET\n")
        let config = try parse("model: {api_key_file: \(keyFile)}")
        #expect(config.model.apiKey?.value == "sk-FILE-SECRET")
        var dumped = ""
        dump(config, to: &dumped)
        #expect(!dumped.contains("SECRET") && !"\(config)".contains("SECRET"))
    }
}
