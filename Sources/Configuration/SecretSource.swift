import Yams

/// Where one secret may come from, in order: the value in the file (`token`), a file holding
/// it (`token_file`), then the systemd credential `$CREDENTIALS_DIRECTORY/<credential>`.
///
/// The one place secrets are read, for the Discord token and the model's API key alike. Errors
/// name keys and the credential path only: never file contents, and never the path given in
/// the file key (an operator may have pasted the secret itself there).
struct SecretSource {
    /// The section's key path for errors when the file has no such key (`discord`, `model`).
    var section: String
    /// `token` / `api_key`.
    var valueKey: String
    /// `token_file` / `api_key_file`.
    var fileKey: String
    /// The systemd credential name, e.g. `discord-token`.
    var credential: String

    /// The secret, or nil when none of the three places has one. `file` is already resolved
    /// against the config file's directory.
    func resolve(
        inline: Secret?, file: String?, in mapping: ConfigMapping?, context: DecodingContext
    )
        throws(ConfigError) -> Secret?
    {
        func failure(_ key: String, _ message: String, hint: String? = nil) -> ConfigError {
            // Point at the key's value when the file has it; the credential has no line.
            let at = mapping?.raw(key) ?? ConfigNode(node: Node(""), keyPath: "\(section).\(key)", context: context)
            return at.error(message, hint: hint)
        }
        if let inline { return inline }
        if let file {
            let hint =
                "\(fileKey) takes the path of a file holding the secret, not the secret itself; "
                + "the path is not shown in case it is"
            let text: String
            do {
                text = try FileAccess.readText(file)
            } catch {
                throw failure(fileKey, "cannot read the file \(fileKey) names: \(error.reason)", hint: hint)
            }
            let trimmed = text.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw failure(fileKey, "the file \(fileKey) names is empty") }
            return Secret(trimmed)
        }
        guard let directory = context.environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
            return nil
        }
        let path = FileAccess.resolve(credential, against: directory)
        guard FileAccess.exists(path) else { return nil }
        let text: String
        do {
            text = try FileAccess.readText(path)
        } catch {
            throw failure(valueKey, "cannot read systemd credential \(path): \(error.reason)")
        }
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw failure(valueKey, "systemd credential \(path) is empty") }
        return Secret(trimmed)
    }
}
