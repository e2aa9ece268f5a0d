import Gateway
import Inference

/// The snapshot as Prometheus text. Per-bot families carry a `bot` label; engine families none.
extension MetricsSnapshot {
    public var prometheusText: String {
        var out = PrometheusText()
        func perBot(_ value: (Bot) -> Int) -> [(labels: PrometheusText.Labels, value: Double)] {
            bots.map { ([("bot", $0.name)], Double(value($0))) }
        }
        out.counter("parley_messages_seen_total", help: "Messages received from the gateway.", perBot(\.messagesSeen))
        out.counter(
            "parley_messages_merged_total", help: "Messages answered together with the same person's next one.",
            perBot(\.messagesMerged))
        out.counter("parley_replies_sent_total", help: "Replies posted.", perBot(\.repliesSent))
        out.counter("parley_reply_errors_total", help: "Replies that failed (generation or posting).", perBot(\.replyErrors))
        out.histogram(
            "parley_reply_latency_seconds", help: "Time from a message to its posted reply.",
            bots.map { ([("bot", $0.name)], $0.replyLatency) })
        out.counter("parley_gateway_reconnects_total", help: "Gateway connections lost and retried.", perBot(\.gatewayReconnects))
        out.counter("parley_gateway_resumes_total", help: "Gateway sessions resumed after a reconnect.", perBot(\.gatewayResumes))
        out.counter(
            "parley_backfilled_messages_total",
            help: "Messages read back from channel history after a session that could not be resumed.",
            perBot(\.backfilledMessages))
        out.gauge(
            "parley_gateway_shard_connected", help: "1 while the gateway shard is connected.",
            bots.flatMap { bot in
                bot.shards.map { ([("bot", bot.name), ("shard", "\($0.id)")], $0.status == .connected ? 1 : 0) }
            })
        out.counter("parley_rest_rate_limited_total", help: "Discord REST responses with status 429.", perBot(\.restRateLimited))
        out.counter(
            "parley_rest_retries_total", help: "Discord REST requests retried after a server or network error.",
            perBot(\.restRetries))
        out.gauge(
            "parley_rest_halted",
            help: "1 while the bot's Discord REST requests are halted (Cloudflare 429, rejected token, invalid-request breaker).",
            bots.map { ([("bot", $0.name)], $0.restHalt == nil ? 0 : 1) })
        out.counter(
            "parley_rest_halts_total", help: "Discord REST halts begun (Cloudflare 429, rejected token).", perBot(\.restHalts))
        out.counter(
            "parley_gateway_events_dropped_total",
            help: "Gateway events dropped past the intake bound (none a reply was promised to).",
            perBot(\.eventsDropped))
        out.counter(
            "parley_gateway_events_spilled_total",
            help: "Gateway events kept past the intake bound (replies, edits, deletes, state).",
            perBot(\.eventsSpilled))
        out.counter(
            "parley_notices_dropped_total", help: "Command answers or notices dropped: too many waited in one channel.",
            perBot(\.noticesDropped))
        out.counter(
            "parley_interactions_total",
            help:
                "Slash commands and autocomplete requests by outcome (received, answered, expired, already_answered, invalid, …).",
            bots.flatMap { bot in
                bot.interactions.sorted { $0.key < $1.key }.map { ([("bot", bot.name), ("outcome", $0.key)], Double($0.value)) }
            })
        out.counter(
            "parley_command_registration_errors_total", help: "Failed attempts to register the slash commands.",
            perBot(\.commandRegistrationErrors))
        out.gauge(
            "parley_bot_up", help: "1 for a bot that runs, 0 for one that failed (see /healthz for why).",
            bots.map { ([("bot", $0.name)], 1) } + failedBots.map { ([("bot", $0.name)], 0) })
        out.gauge("parley_engine_up", help: "1 while the inference engine takes requests.", [([], engine.running ? 1 : 0)])
        if !endpoints.isEmpty { endpointFamilies(&out) }
        guard let stats = engine.statistics else { return out.text }
        out.gauge(
            "parley_engine_queue_depth", help: "Requests waiting or being generated.", [([], Double(stats.queued + stats.active))]
        )
        out.gauge("parley_engine_active_requests", help: "Requests being generated.", [([], Double(stats.active))])
        out.gauge(
            "parley_engine_decode_threads", help: "Threads decoding now (fewer while other processes hold the cores).",
            [([], Double(stats.threads))])
        out.counter("parley_engine_requests_total", help: "Generation requests finished.", [([], Double(stats.requests))])
        out.counter("parley_engine_generated_tokens_total", help: "Tokens generated.", [([], Double(stats.generatedTokens))])
        out.gauge(
            "parley_engine_tokens_per_second", help: "Tokens generated per second since the previous scrape.",
            [([], engine.tokensPerSecond)])
        out.gauge(
            "parley_engine_prefix_cache_hit_ratio", help: "Share of prompt tokens reused from the prefix cache.",
            [([], stats.prefixHitRatio)])
        out.counter(
            "parley_engine_shared_prefix_tokens_total",
            help: "Prompt tokens copied from another conversation's KV (a shared card) instead of prefilled.",
            [([], Double(stats.sharedTokens))])
        out.counter(
            "parley_engine_batched_decodes_total", help: "Decode steps run over the conversations replying together.",
            [([], Double(stats.batchedDecodes))])
        out.counter(
            "parley_engine_sequence_runs_total",
            help: "Runs of consecutive KV sequences in those steps, each one llama.cpp pass (one per step when kept adjacent).",
            [([], Double(stats.sequenceRuns))])
        out.counter(
            "parley_engine_sequence_swaps_total", help: "KV swaps that moved replying conversations onto adjacent sequences.",
            [([], Double(stats.sequenceSwaps))])
        return out.text
    }
}

extension MetricsSnapshot {
    /// The remote replicas, labelled `endpoint` (scheme, host, port and path: no credentials, no query).
    fileprivate func endpointFamilies(_ out: inout PrometheusText) {
        func each(_ value: (EndpointStatus) -> Double) -> [(labels: PrometheusText.Labels, value: Double)] {
            endpoints.map { ([("endpoint", $0.label)], value($0)) }
        }
        out.counter(
            "parley_model_endpoint_requests_total", help: "Generation attempts sent to the model endpoint.",
            each { Double($0.requests) })
        out.counter(
            "parley_model_endpoint_failures_total",
            help: "Attempts that failed there (unreachable, an error status, cut off); each was retried elsewhere or reported.",
            each { Double($0.failures) })
        out.gauge("parley_model_endpoint_in_flight", help: "Attempts under way there now.", each { Double($0.inFlight) })
        out.gauge(
            "parley_model_endpoint_up", help: "1 while the endpoint takes requests, 0 while it is left alone after failures.",
            each { $0.isUsable ? 1 : 0 })
        out.gauge(
            "parley_model_endpoint_backoff_seconds", help: "Seconds until a failed endpoint is tried again (0 while up).",
            each {
                guard case let .backoff(remaining, _) = $0.state else { return 0 }
                return Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
            })
    }
}
