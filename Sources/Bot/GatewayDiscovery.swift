public import DiscordModels
public import DiscordREST
public import Logging

/// Where to connect: `GET /gateway/bot` (URL, recommended shards, identify budget); servers
/// without it (404/501) get `GET /gateway`, then the configured `discord.gateway_url`. A 404 or
/// 501 is an answer, asked once: the REST client retries only outages (500/502/503/504, network).
public enum GatewayDiscovery {
    public static func discover(rest: any DiscordClient, configuredURL: String, logger: Logger) async -> GatewayBotInfo {
        do {
            let info = try await rest.gatewayBot()
            if let limit = info.sessionStartLimit {
                logger.info(
                    "gateway discovered",
                    metadata: [
                        "url": "\(info.url)", "shards": "\(info.shards ?? 1)",
                        "identifies_left": "\(limit.remaining)/\(limit.total)",
                    ])
            }
            return info
        } catch let RESTError.http(status, _, _, _) where status == 404 || status == 501 {
            logger.notice("this server has no /gateway/bot; trying /gateway")
        } catch {
            logger.warning("GET /gateway/bot failed; using the configured gateway_url", metadata: ["error": "\(error)"])
            return GatewayBotInfo(url: configuredURL)
        }
        if let plain = try? await rest.gateway() { return plain }
        return GatewayBotInfo(url: configuredURL)
    }
}

extension GatewayBotInfo {
    public init(url: String) {
        self.init(url: url, shards: nil, sessionStartLimit: nil)
    }
}
