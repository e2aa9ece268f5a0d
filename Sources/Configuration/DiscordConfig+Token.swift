import Yams

extension DiscordConfig {
    /// The systemd credential name: `LoadCredential=discord-token:/path/to/token` in the unit.
    public static let credentialName = "discord-token"

    /// Fills `token` from, in order: `token` in the file, `token_file`, then the systemd
    /// credential. Errors name paths and keys only, never file contents.
    mutating func resolveToken(in section: ConfigMapping?, context: DecodingContext,
                               credential: String = DiscordConfig.credentialName) throws(ConfigError) {
        func failure(_ key: String, _ message: String) -> ConfigError {
            // Point at the key's value when the file has it; the credential has no line.
            let at = section?.raw(key) ?? ConfigNode(node: Node(""), keyPath: "discord.\(key)", context: context)
            return at.error(message)
        }
        if token != nil { return }
        if let tokenFile {
            let text: String
            do {
                text = try FileAccess.readText(tokenFile)
            } catch {
                throw failure("token_file", "cannot read \(tokenFile): \(error.reason)")
            }
            let trimmed = text.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw failure("token_file", "\(tokenFile) is empty") }
            token = Secret(trimmed)
            return
        }
        guard let directory = context.environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
            return
        }
        let path = FileAccess.resolve(credential, against: directory)
        guard FileAccess.exists(path) else { return }
        let text: String
        do {
            text = try FileAccess.readText(path)
        } catch {
            throw failure("token", "cannot read systemd credential \(path): \(error.reason)")
        }
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw failure("token", "systemd credential \(path) is empty") }
        token = Secret(trimmed)
    }
}
