import Testing
import Timing

@Suite struct DurationConversionTests {
    @Test func floatingPointUnits() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.milliseconds(1500).inMilliseconds == 1500)
        #expect(Duration.microseconds(-250).inSeconds == -0.00025)
        #expect(Duration.zero.inSeconds == 0)
    }

    @Test func wholeUnitsTruncateTowardZero() {
        #expect(Duration.microseconds(1999).wholeMilliseconds == 1)
        #expect(Duration.microseconds(-1999).wholeMilliseconds == -1)
        #expect(Duration.nanoseconds(1999).wholeMicroseconds == 1)
        #expect(Duration.seconds(3).wholeMicroseconds == 3_000_000)
        #expect(Duration.seconds(-3).wholeMilliseconds == -3000)
    }

    @Test func wholeUnitsSaturate() {
        let huge = Duration.seconds(Int64.max)
        #expect(huge.wholeMicroseconds == .max)
        #expect(huge.wholeMilliseconds == .max)
        #expect((.zero - huge).wholeMicroseconds == .min)
    }

    @Test func secondsToMillisecondsRounds() {
        #expect(Duration.milliseconds(ofSeconds: 0.0019) == .milliseconds(1))
        #expect(
            Duration.milliseconds(ofSeconds: 4.999, rounding: .up) == .milliseconds(4999), "4.999 × 1000 is 4998.99… in binary")
        #expect(Duration.milliseconds(ofSeconds: 0.0011, rounding: .up) == .milliseconds(2))
        #expect(Duration.milliseconds(ofSeconds: 2.5) == .milliseconds(2500))
    }

    @Test func nonFiniteSecondsDoNotTrap() {
        #expect(Duration.milliseconds(ofSeconds: .nan) == .zero)
        #expect(Duration.milliseconds(ofSeconds: .infinity) > .seconds(1_000_000_000))
        #expect(Duration.milliseconds(ofSeconds: -.infinity) < .zero)
        #expect(Duration.milliseconds(ofSeconds: 1e300, rounding: .up) == Duration.milliseconds(ofSeconds: .infinity))
    }

    /// Whole milliseconds back to seconds and to a Duration again: the same value.
    @Test func roundTrips() {
        for ms in [0, 1, 7, 999, 1000, 1001, 86_400_000, -5, -1234] {
            let duration = Duration.milliseconds(ms)
            #expect(duration.wholeMilliseconds == ms)
            #expect(Duration.milliseconds(ofSeconds: duration.inSeconds, rounding: .toNearestOrAwayFromZero) == duration)
            #expect(Duration.microseconds(duration.wholeMicroseconds) == duration)
        }
    }
}
