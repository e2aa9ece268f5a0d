import Inference
import Testing

@testable import Metrics

/// The remote replicas on `/metrics` (one labelled family each) and `/healthz` (each one's state;
/// unhealthy only when none is usable).
@Suite struct EndpointMetricsTests {
    static let up = EndpointStatus(label: "http://10.0.0.2:8080/v1", requests: 7, failures: 0, inFlight: 2)
    static let down = EndpointStatus(
        label: "http://10.0.0.3:8080/v1", requests: 4, failures: 3, state: .backoff(remaining: .milliseconds(2500), failures: 2))

    func snapshot(_ endpoints: [EndpointStatus]) -> MetricsSnapshot {
        var snapshot = MetricsSnapshot(bots: [], engine: .init())
        snapshot.endpoints = endpoints
        return snapshot
    }

    @Test func eachEndpointIsALabelledSeries() {
        let text = snapshot([Self.up, Self.down]).prometheusText
        for line in [
            #"parley_model_endpoint_requests_total{endpoint="http://10.0.0.2:8080/v1"} 7"#,
            #"parley_model_endpoint_requests_total{endpoint="http://10.0.0.3:8080/v1"} 4"#,
            #"parley_model_endpoint_failures_total{endpoint="http://10.0.0.3:8080/v1"} 3"#,
            #"parley_model_endpoint_in_flight{endpoint="http://10.0.0.2:8080/v1"} 2"#,
            #"parley_model_endpoint_up{endpoint="http://10.0.0.2:8080/v1"} 1"#,
            #"parley_model_endpoint_up{endpoint="http://10.0.0.3:8080/v1"} 0"#,
            #"parley_model_endpoint_backoff_seconds{endpoint="http://10.0.0.3:8080/v1"} 2.5"#,
            #"parley_model_endpoint_backoff_seconds{endpoint="http://10.0.0.2:8080/v1"} 0"#,
            "# TYPE parley_model_endpoint_requests_total counter", "# TYPE parley_model_endpoint_up gauge",
        ] {
            #expect(text.contains(line + "\n"), "missing \(line)")
        }
        #expect(!MetricsSnapshot(bots: [], engine: .init()).prometheusText.contains("endpoint"), "the local engine has none")
    }

    @Test func oneReplicaDownIsHealthyNoneUsableIsNot() async {
        #expect(snapshot([Self.up, Self.down]).health == .ok)
        #expect(snapshot([]).health == .ok)
        #expect(
            snapshot([Self.down, Self.down]).health
                == .unhealthy("no model endpoint is usable: all 2 are in backoff after failures"))
        var trial = Self.down
        trial.state = .up(afterFailures: 2)
        #expect(snapshot([Self.down, trial]).health == .ok, "one on trial may be tried")
    }

    @Test func healthzListsEveryEndpointsState() async {
        let healthy = await MetricsServer.answer(path: "/healthz") { _ in snapshot([Self.up, Self.down]) }
        #expect(healthy.status == 200)
        #expect(
            healthy.body == """
                ok
                model endpoint http://10.0.0.2:8080/v1: up, 2 in flight
                model endpoint http://10.0.0.3:8080/v1: backoff for 3 s more after 2 failures in a row, 0 in flight

                """)
        let unhealthy = await MetricsServer.answer(path: "/healthz") { _ in snapshot([Self.down]) }
        #expect(unhealthy.status == 503)
        #expect(
            unhealthy.body == """
                no model endpoint is usable: the only one is in backoff after failures
                model endpoint http://10.0.0.3:8080/v1: backoff for 3 s more after 2 failures in a row, 0 in flight

                """)
    }
}
