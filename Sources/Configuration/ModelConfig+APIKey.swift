import Yams

extension ModelConfig {
    /// The systemd credential name: `LoadCredential=openai-api-key:/path/to/key` in the unit.
    public static let apiKeyCredentialName = "openai-api-key"

    /// Fills `apiKey` from `api_key`, `api_key_file`, then the systemd credential (see
    /// `SecretSource`), and then refuses to send it in clear text to another machine. The check
    /// comes after resolution because a credential is a key too.
    mutating func resolveAPIKey(in section: ConfigMapping?, context: DecodingContext) throws(ConfigError) {
        let source = SecretSource(
            section: "model", valueKey: "api_key", fileKey: "api_key_file",
            credential: Self.apiKeyCredentialName)
        apiKey = try source.resolve(inline: apiKey, file: apiKeyFile, in: section, context: context)
        guard apiKey != nil, !allowInsecure else { return }
        // Every replica gets the key: each must be encrypted or on loopback.
        var exposed: [ConfigNode] = []
        if let url, ClearTextPolicy.exposes(url), let node = section?.raw("url") { exposed.append(node) }
        if let items = try? section?.raw("urls")?.sequence() {
            for (item, url) in zip(items, urls) where ClearTextPolicy.exposes(url) { exposed.append(item) }
        }
        guard let node = exposed.first else { return }
        throw node.error(
            "http:// to a host that is not loopback would send the API key unencrypted",
            hint: "use https://, or set model.allow_insecure: true on a trusted network")
    }
}
