import Foundation
import Testing

@testable import Configuration

@Suite("Discord token resolution and redaction")
struct TokenResolutionTests {
    @Test func tokenBeatsTokenFileBeatsCredential() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let tokenFile = try directory.write("token.txt", "  from-file\n")
        try directory.write("discord-token", "from-credential\n")
        let environment = ["CREDENTIALS_DIRECTORY": directory.path]

        let all = try parse("discord: {token: from-yaml, token_file: \(tokenFile)}", environment: environment)
        #expect(all.discord.token?.value == "from-yaml")

        let fileAndCredential = try parse(
            "discord: {token: \"${DISCORD_TOKEN:-}\", token_file: \(tokenFile)}", environment: environment)
        #expect(fileAndCredential.discord.token?.value == "from-file")
        #expect(fileAndCredential.discord.tokenFile == tokenFile)

        let credentialOnly = try parse("discord: {token: \"${DISCORD_TOKEN:-}\"}", environment: environment)
        #expect(credentialOnly.discord.token?.value == "from-credential")
        // Even with no discord section at all, and with an empty file.
        #expect(try parse("", environment: environment).discord.token?.value == "from-credential")

        #expect(try parse("discord: {token: \"\"}").discord.token == nil)
    }

    @Test func relativeTokenFileIsResolvedAgainstTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("token", "relative-token")
        let configPath = try directory.write("parley.yaml", "discord:\n  token_file: token\n")
        let config = try ConfigLoader.load(path: configPath, environment: [:])
        #expect(config.discord.token?.value == "relative-token")
        #expect(config.discord.tokenFile == (directory.path as NSString).appendingPathComponent("token"))
    }

    @Test func missingCredentialFileMeansNoToken() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        #expect(try parse("", environment: ["CREDENTIALS_DIRECTORY": directory.path]).discord.token == nil)
    }

    @Test func unreadableTokenFileNamesTheKeyNotThePath() throws {
        // The path may be the token itself, pasted where the path goes: it is never shown.
        let error = try #require(parseError("discord:\n  token_file: /nonexistent/token\n"))
        #expect(
            error.description
                == "<string>:2:15: discord.token_file: cannot read the file token_file names: No such file or directory "
                + "(token_file takes the path of a file holding the secret, not the secret itself; "
                + "the path is not shown in case it is)")
    }

    @Test func emptyTokenFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("empty", " \n")
        let error = try #require(parseError("discord: {token_file: \(path)}"))
        #expect(error.message == "the file token_file names is empty")
    }

    @Test func secretNeverAppearsInDescriptions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let config = try parse(
            """
            discord:
              token: abc.SECRET.xyz
            model:
              api_key: sk-SECRET-key
            """)
        #expect(config.discord.token?.value == "abc.SECRET.xyz")
        #expect(config.model.apiKey?.value == "sk-SECRET-key")

        var dumped = ""
        dump(config, to: &dumped)
        var dumpedSecret = ""
        dump(config.discord.token, to: &dumpedSecret)
        let renderings = [
            String(describing: config), String(reflecting: config), dumped, dumpedSecret,
            "\(config.discord)", String(reflecting: config.discord.token), "\(config.model.apiKey as Any)",
            Mirror(reflecting: config.discord.token!).children.map { "\($0.value)" }.joined(),
        ]
        for text in renderings {
            #expect(!text.contains("SECRET"), "leaked in: \(text)")
        }
        #expect(String(describing: config).contains("<redacted>"))

        // Errors provoked around a config holding the token must not echo it either.
        let tokenLine = "discord:\n  token: abc.SECRET.xyz\n"
        let unreadable = "\(tokenLine)  token_file: /nonexistent/SECRETLESS\n"
        let errors = [
            parseError(tokenLine + "  bogus: 1\n"),
            parseError(tokenLine + "  compress: maybe\n"),
            parseError(tokenLine + "  token: again\n"), // duplicate key
            parseError(tokenLine + "  shards: [unclosed\n"), // YAML syntax error near the token
            parseError("discord:\n  token: abc.SECRET.xyz\n   bad_indent: 1\n"),
            parseError("discord:\n  token: [abc.SECRET.xyz]\n"),
            parseError("discord:\n  token: \"abc.SECRET.${MISSING}\"\n"),
            parseError("discord:\n  token_file: /nonexistent/file\n  token: \"${T:-}\"\n", environment: ["X": "abc.SECRET.xyz"]),
        ]
        for error in errors {
            let error = try #require(error)
            #expect(!error.description.contains("SECRET"), "leaked in: \(error)")
        }
        // A valid token_file alongside a token is fine (token wins); the unreadable one is only
        // read when no token is given.
        #expect(try parse(unreadable).discord.token?.value == "abc.SECRET.xyz")
    }

    @Test func secretValueAndEquality() {
        let secret = Secret("abc")
        #expect(secret.value == "abc")
        #expect(secret == Secret("abc"))
        #expect(secret != Secret("abd"))
        #expect("\(secret)" == "<redacted>")
        #expect(secret.debugDescription == "<redacted>")
    }
}
