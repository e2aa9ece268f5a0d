import Foundation
import Testing

@testable import Configuration

/// No config error may contain a secret, whatever key it sits under and whatever shape of
/// mistake put it there.
@Suite("Secrets never appear in config errors")
struct SecretLeakTests {
    /// Shaped like a real bot token (base64 user id . timestamp . HMAC), and real-looking keys.
    static let token = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GxYz12.AbCdEfGhIj-KlMnOpQrSt_UvWxYz0123456789"
    static let apiKey = "sk-proj-4fG7hK2mQ9xZ1vB8nL3pR6tY0wE5uIaS"
    static let hexKey = "3f9a1c0e7b2d4f6a8c9e0b1d2f3a4c5e6b7d8f90"
    static let secrets = [token, apiKey, hexKey]

    /// Every section with its keys, straight from the decoders, so a new key is covered too.
    static let sections: [(String, [String])] = [
        ("discord", DiscordConfig.keys), ("model", ModelConfig.keys), ("workers", WorkersConfig.keys),
        ("generation", GenerationKey.names), ("prompt", PromptConfig.keys), ("memory", MemoryConfig.keys),
        ("triggers", TriggersConfig.keys), ("roleplay", RoleplayConfig.keys), ("access", AccessConfig.keys),
        ("reply", ReplyConfig.keys), ("metrics", MetricsConfig.keys), ("log", LogConfig.keys),
    ]

    /// Documents that misplace `secret`: wrong types, unknown keys, missing files, environment
    /// references, duplicate keys, syntax errors, under every key there is.
    static func documents(_ secret: String) -> [(yaml: String, environment: [String: String])] {
        let environment = ["LEAKY": secret]
        var documents: [(String, [String: String])] = []
        let values = [
            secret, "\"Bot \(secret)\"", "[\(secret)]", "{\(secret): 1}", "{nested: \(secret)}", "/etc/parley/\(secret)",
            "\"${LEAKY}\"", "\"${\(secret)}\"", "\"${\(secret)\"", "\"x ${LEAKY} y\"",
        ]
        for (section, keys) in sections {
            documents.append(("\(section): \(secret)\n", environment))
            documents.append(("\(section): [\(secret)]\n", environment))
            documents.append(("\(section):\n  \(secret): 1\n", environment))
            documents.append(("\(section):\n  \(secret): 1\n  \(secret): 2\n", environment))
            for key in keys {
                for value in values {
                    documents.append(("\(section):\n  \(key): \(value)\n", environment))
                }
                // A syntax error right after the secret.
                documents.append(("\(section):\n  \(key): \(secret)\n   bad: [\n", environment))
            }
        }
        documents += [
            ("\(secret)\n", environment),
            ("\(secret): 1\n", environment),
            ("channels:\n  \(secret): {}\n", environment),
            ("channels:\n  \"123\": {persona: \(secret)}\n", environment),
            ("bots:\n  - name: \(secret)\n", environment),
            ("bots:\n  - name: a\n    discord: {token_file: \(secret)}\n", environment),
            ("bots:\n  - name: a\n    discord: \(secret)\n", environment),
            ("model: {backend: openai, url: \"http://10.0.0.2/v1\", api_key: \(secret)}\n", environment),
            ("discord: {token: \(secret), api_base: \"http://\(secret).example/\"}\n", environment),
        ]
        return documents
    }

    /// Every 8-character window of `secret`: any leak of 8 or more characters contains one.
    static func windows(_ secret: String) -> [String] {
        let characters = Array(secret)
        return (0...(characters.count - 8)).map { String(characters[$0..<($0 + 8)]) }
    }

    @Test func noErrorQuotesASecretWhereverItIsPlaced() throws {
        var errors = 0
        var documentsTried = 0
        for secret in Self.secrets {
            let windows = Self.windows(secret)
            for (yaml, environment) in Self.documents(secret) {
                documentsTried += 1
                let error: ConfigError
                do {
                    _ = try parse(yaml, environment: environment)
                    continue
                } catch let thrown {
                    error = thrown
                }
                errors += 1
                let rendered = [error.description, error.message, error.keyPath, error.hint ?? "", error.source]
                    .joined(separator: "\n")
                let leaked = windows.filter { rendered.contains($0) }
                #expect(leaked.isEmpty, "\(leaked.first ?? "") leaked from:\n\(yaml)\nas: \(error)")
            }
        }
        print("SecretLeakTests: \(documentsTried) documents, \(errors) errors checked against \(Self.secrets.count) secrets")
        // Most shapes must actually produce an error, or the test proves nothing.
        #expect(errors > documentsTried / 2)
    }

    @Test func tokenPastedAsTheTokenFileIsNotEchoed() throws {
        let error = try #require(parseError("discord:\n  token_file: \(Self.token)\n"))
        #expect(
            error.description == "<string>:2:15: discord.token_file: cannot read the file token_file names: "
                + "No such file or directory (token_file takes the path of a file holding the secret, not the secret "
                + "itself; the path is not shown in case it is)")
    }

    @Test func tokenWhereTheDiscordSectionGoesIsNotEchoed() throws {
        let error = try #require(parseError("discord: \(Self.token)\n"))
        #expect(error.description == "<string>:1:10: discord: expected a mapping (key: value), got <not shown>")
    }

    @Test func valuesUnderSecretBearingKeysAreHiddenWhateverTheirShape() throws {
        // Not token-shaped, so only the key path protects it.
        #expect(parseError("discord: {compress: hunter2}")?.message == "expected true or false, got <not shown>")
        #expect(
            parseError("discord: {api_base: hunter2}")?.description
                == "<string>:1:21: discord.api_base: expected a URL starting with https:// or http://, got <not shown>")
        #expect(parseError("model: {api_key: [hunter2]}")?.message == "expected a string, got a list")
        #expect(parseError("discord: {shards: [hunter2]}")?.hint == nil)
        #expect(parseError("hunter2")?.description.contains("hunter2") == false)
    }

    @Test func valuesOfOrdinaryKeysAreStillQuoted() throws {
        #expect(parseError("generation: {temperature: hot}")?.message == "expected a number, got 'hot'")
        // Shapes of secrets are redacted even under ordinary keys.
        #expect(parseError("generation: {temperature: \(Self.token)}")?.message == "expected a number, got '<redacted>'")
        // A value from the environment is shown as written, never expanded.
        #expect(
            parseError("generation: {temperature: \"${T}\"}", environment: ["T": "hot"])?.message
                == "expected a number, got '${T}' (from the environment)")
    }

    @Test func redactionKeepsWordsIdsAndPaths() {
        for harmless in [
            "generation.temperature", "123456789012345678", "https://discord.com/api/v10", "wss://gateway.discord.gg",
            "/var/cache/parley/models/gemma-3-270m-it-Q4_K_M.gguf", "DISCORD_TOKEN_FOR_MIRA", "bots[0].discord.token_file",
        ] {
            #expect(SecretRedaction.redact(harmless) == harmless)
        }
        for secret in Self.secrets {
            #expect(SecretRedaction.redact("got \(secret)!") == "got <redacted>!")
        }
    }

    @Test func secretBearingKeyPaths() {
        for path in ["discord", "discord.api_base", "bots[1].discord.shards.ids[0]", "model.api_key", "model.api_key_file", ""] {
            #expect(SecretRedaction.isSecretBearing(keyPath: path), "\(path)")
        }
        for path in ["generation.max_tokens", "prompt.system", "model.url", "channels.123.persona"] {
            #expect(!SecretRedaction.isSecretBearing(keyPath: path), "\(path)")
        }
    }
}
