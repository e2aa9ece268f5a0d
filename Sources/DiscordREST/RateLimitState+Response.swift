import Foundation
public import HTTPTransport
import Timing

extension RateLimitState {
    /// Learns from a response's headers and decides what happens to the request.
    public mutating func complete(
        _ ticket: Ticket, _ route: Route, bucket: String, response: HTTPResponse,
        now: ContinuousClock.Instant
    ) -> Outcome {
        freeBucket(of: ticket)
        var key = bucket
        if let hash = response.headers["X-RateLimit-Bucket"], !hash.isEmpty {
            // A new or changed hash moves the route to that bucket (shared with other routes).
            routeBuckets[route.routeKey] = hash
            key = bucketKey(for: route)
        }
        var state = buckets[key] ?? Bucket()
        if let remaining = response.headers["X-RateLimit-Remaining"].flatMap({ Int($0) }) { state.remaining = remaining }
        // Reset-After is relative; the absolute Reset is in other units on some compatible servers.
        // It is rounded to milliseconds (and 4.999 × 1000 is 4998.99… in binary): waking a hair
        // late costs nothing, a hair early costs a 429, so round up and keep a small margin.
        if let resetAfter = response.headers["X-RateLimit-Reset-After"].flatMap({ Double($0) }) {
            state.resetAt = resetAfter <= 0 ? now : now + .milliseconds(ofSeconds: resetAfter, rounding: .up) + Self.resetMargin
        }
        buckets[key] = state
        prune(now: now)

        switch response.status {
        case 200..<300:
            dequeue(ticket)
            return .done
        case 429:
            return rateLimited(ticket, route, key: key, response: response, now: now)
        case 401 where route.usesBotToken:
            breaker.record(at: now)
            beginHalt(.unauthorized, until: nil)
            dequeue(ticket)
            return .fail(.unauthorized)
        case _ where Self.isUnavailable(response.status):
            return .serverError
        default:
            // Other 4xx, and 5xx that are answers (501 Not Implemented, 505): retrying cannot help.
            // A 401 on an interaction route is that interaction's token expiring, not the bot's.
            if response.status == 403 || response.status == 401 { breaker.record(at: now) }
            dequeue(ticket)
            return .fail(Self.apiError(response, route: route))
        }
    }

    private mutating func rateLimited(
        _ ticket: Ticket, _ route: Route, key: String, response: HTTPResponse, now: ContinuousClock.Instant
    ) -> Outcome {
        rateLimited += 1
        let headerRetry = response.headers["Retry-After"].flatMap { Double($0) }
        guard let body = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            // Not the API but its edge (Cloudflare) or a proxy: every request stops until
            // Retry-After (seconds) has passed, then resumes. A short halt is this request's retry.
            let error = RESTError.cloudflareBan(retryAfter: headerRetry)
            let wait = headerRetry.map { Self.duration(seconds: $0) } ?? limits.defaultHalt
            beginHalt(error, until: now + wait)
            guard wait <= limits.haltWaitLimit else {
                dequeue(ticket)
                return .fail(error)
            }
            return .retry(after: wait)
        }
        let retryAfter = (body["retry_after"] as? Double) ?? headerRetry ?? 1
        let wait = Self.duration(seconds: retryAfter)
        let scope = response.headers["X-RateLimit-Scope"]
        if route.usesBotToken, body["global"] as? Bool == true || scope == "global" {
            globalUntil = now + wait
        } else {
            buckets[key, default: Bucket()].remaining = 0
            buckets[key]?.resetAt = now + wait
        }
        // A shared-resource limit is not our fault and does not count towards the ban threshold.
        if scope != "shared" { breaker.record(at: now) }
        return .retry(after: wait)
    }

    /// Seconds from Discord as a wait: rounded up to milliseconds, plus the margin (as for Reset-After).
    static func duration(seconds: Double) -> Duration {
        .milliseconds(ofSeconds: max(0, seconds), rounding: .up) + resetMargin
    }

    /// Statuses that mean "not now" rather than an answer: internal error, bad gateway, service
    /// unavailable, gateway timeout, and Cloudflare's 520–524 (origin unreachable or timed out).
    /// 501 (Discord-compatible servers without a route) and other 5xx are final.
    static func isUnavailable(_ status: Int) -> Bool {
        [500, 502, 503, 504].contains(status) || (520...524).contains(status)
    }

    /// Discord's error body `{code, message, errors}` as a RESTError.
    static func apiError(_ response: HTTPResponse, route: Route) -> RESTError {
        let body = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        var message = body?["message"] as? String ?? String(decoding: response.body.prefix(200), as: UTF8.self)
        if let errors = body?["errors"], let data = try? JSONSerialization.data(withJSONObject: errors, options: [.sortedKeys]) {
            message += " " + String(decoding: data.prefix(300), as: UTF8.self)
        }
        return .http(status: response.status, code: body?["code"] as? Int, message: message, route: route.description)
    }
}
