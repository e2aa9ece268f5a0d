extension DiscordConfig {
    /// The systemd credential name: `LoadCredential=discord-token:/path/to/token` in the unit.
    public static let credentialName = "discord-token"

    /// Fills `token` from, in order: `token` in the file, `token_file`, then the systemd
    /// credential (see `SecretSource`).
    mutating func resolveToken(
        in section: ConfigMapping?, context: DecodingContext,
        credential: String = DiscordConfig.credentialName
    ) throws(ConfigError) {
        let source = SecretSource(section: "discord", valueKey: "token", fileKey: "token_file", credential: credential)
        token = try source.resolve(inline: token, file: tokenFile, in: section, context: context)
    }
}
