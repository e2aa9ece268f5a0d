public import Foundation
import Yams

/// Turns a YAML file into a validated `ParleyConfig`, or one precise `ConfigError`.
public enum ConfigLoader {
    /// Reads and validates a file. `environment` is used for `${VAR}` substitution and
    /// `CREDENTIALS_DIRECTORY`; relative `token_file` and `cards` paths are resolved against
    /// the file's directory.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> ParleyConfig {
        let text: String
        do {
            text = try FileAccess.readText(path)
        } catch {
            throw ConfigError(source: path, keyPath: "", message: "cannot read config file: \(error.reason)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, source: path, baseDirectory: directory, environment: environment)
    }

    /// Validates YAML given as a string. `source` names it in errors (`"<string>"` by
    /// convention); `baseDirectory` is where relative paths are resolved (nil: the working
    /// directory).
    public static func parse(
        yaml: String, source: String, baseDirectory: String?, environment: [String: String]
    ) throws(ConfigError) -> ParleyConfig {
        let context = DecodingContext(source: source, environment: environment, baseDirectory: baseDirectory)
        let root: Node?
        do {
            // UTF-8 explicitly: the default consults YAMS_DEFAULT_ENCODING and prints to stdout.
            root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch let error as YamlError {
            throw ConfigError(yamlError: error, source: source, yaml: yaml)
        } catch {
            throw ConfigError(source: source, keyPath: "", message: "cannot parse YAML")
        }
        // Empty or comments-only: every default.
        guard let root else {
            var config = ParleyConfig()
            try config.discord.resolveToken(in: nil, context: context)
            try config.model.resolveAPIKey(in: nil, context: context)
            return config
        }
        return try ParleyConfig(from: ConfigNode(node: root, keyPath: "", context: context))
    }
}
