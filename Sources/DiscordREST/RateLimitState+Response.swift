import Foundation
import HTTPTransport

extension RateLimitState {
    /// Learns from a response's headers and decides what happens to the request.
    public mutating func complete(_ ticket: Ticket, _ route: Route, bucket: String, response: HTTPResponse,
                                  now: ContinuousClock.Instant) -> Outcome {
        buckets[bucket]?.busy = false
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
            state.resetAt = resetAfter <= 0 ? now : now + .milliseconds(Int((resetAfter * 1000).rounded(.up))) + Self.resetMargin
        }
        buckets[key] = state

        switch response.status {
        case 200..<300:
            dequeue(ticket)
            return .done
        case 429:
            return rateLimited(ticket, key: key, response: response, now: now)
        case 401:
            invalid.append(now)
            halted = .unauthorized
            dequeue(ticket)
            return .fail(.unauthorized)
        case 500..<600:
            return .serverError
        default:
            if response.status == 403 { invalid.append(now) }
            dequeue(ticket)
            return .fail(Self.apiError(response, route: route))
        }
    }

    private mutating func rateLimited(_ ticket: Ticket, key: String, response: HTTPResponse, now: ContinuousClock.Instant) -> Outcome {
        rateLimited += 1
        let headerRetry = response.headers["Retry-After"].flatMap { Double($0) }
        guard let body = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            halted = .cloudflareBan(retryAfter: headerRetry)
            dequeue(ticket)
            return .fail(.cloudflareBan(retryAfter: headerRetry))
        }
        let retryAfter = (body["retry_after"] as? Double) ?? headerRetry ?? 1
        let wait = Duration.milliseconds(Int((retryAfter * 1000).rounded(.up))) + Self.resetMargin  // as for Reset-After
        let scope = response.headers["X-RateLimit-Scope"]
        if body["global"] as? Bool == true || scope == "global" {
            globalUntil = now + wait
        } else {
            buckets[key, default: Bucket()].remaining = 0
            buckets[key]?.resetAt = now + wait
        }
        // A shared-resource limit is not our fault and does not count towards the ban threshold.
        if scope != "shared" { invalid.append(now) }
        return .retry(after: wait)
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
