import Foundation
@testable import Statistics
import Testing

/// Hourly series built by hand: a known level, a daily cycle, deterministic pseudo-noise of known width.
private struct HandSeries {
    var times: [Date] = []
    var values: [Double] = []

    /// `days` of readings every `everyHours` hours from 2026-07-01 00:00 UTC: level + amplitude × sin(hour) + noise
    /// of width `noise`.
    init(days: Int, level: Double, amplitude: Double = 0, noise: Double, seed: UInt64 = 7, everyHours: Int = 1) {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let start = Date(timeIntervalSince1970: 1_782_864_000)
        for hour in stride(from: 0, to: days * 24, by: everyHours) {
            // Box–Muller: a normal deviate from two uniforms.
            let gauss = (-2 * log(max(uniform(), 1e-12))).squareRoot() * cos(2 * .pi * uniform())
            times.append(start.addingTimeInterval(Double(hour) * 3_600))
            values.append(level + amplitude * sin(2 * .pi * Double(hour % 24) / 24) + noise * gauss)
        }
    }

    /// Adds `increment` to the readings at the indices `hours` (hours of an hourly series, readings otherwise).
    mutating func add(_ increment: Double, hours: Range<Int>) {
        for hour in hours { values[hour] += increment }
    }
}

@Suite("Robust baselines and anomaly events")
struct AnomalyTests {
    @Test("the baseline of a noisy level finds the level and a scale near the noise width")
    func baselineOfNoise() {
        let series = HandSeries(days: 40, level: 600, noise: 12)
        let fitted = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 2)
        let middle = series.times.count / 2
        #expect(abs(fitted.expected[middle] - 600) < 5)
        #expect(fitted.scale[middle] > 9 && fitted.scale[middle] < 15)
    }

    @Test("an intermittent leak on 18 of the 31 days lifts a median level but not a raised parameter's 35th percentile")
    func leakOnMostDaysKeepsTheBackground() {
        // Level 0.67, noise 0.02; the leak adds 0.13 on days 12–19 and 22–31 (18 days of the ±15 around day 20).
        var series = HandSeries(days: 40, level: 0.67, noise: 0.02, seed: 3)
        series.add(0.13, hours: (12 * 24)..<(20 * 24))
        series.add(0.13, hours: (22 * 24)..<(32 * 24))
        let noon = 20 * 24 + 12
        let median = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.01)
        let background = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0,
                                            minimumScale: 0.01, pollution: .raises)
        #expect(median.expected[noon] > 0.75)
        #expect(abs(background.expected[noon] - 0.67) < 0.02)
        // The mirror image: a parameter effluent lowers keeps its upper percentile.
        let lowered = series.values.map { 1.34 - $0 }
        let mirrored = RobustBaseline.fit(times: series.times, values: lowered, secondsFromGMT: 0, minimumScale: 0.01,
                                          pollution: .lowers)
        #expect(abs(mirrored.expected[noon] - 0.67) < 0.02)
    }

    @Test("a leak on 14 of the 35 days around a week does not widen a raised parameter's scale: it scores 5, not 2")
    func leakDoesNotWidenTheScale() {
        // Noise σ = 0.02 (normal), the leak adds 0.13 on days 14–27. Two-sided, the residuals split into two clusters
        // and the scale comes out 2.5 σ wide; even the clean (lower) side's is 1.75 σ.
        var series = HandSeries(days: 42, level: 0.67, noise: 0.02, seed: 5)
        series.add(0.13, hours: (14 * 24)..<(28 * 24))
        let noon = 21 * 24 + 12
        let either = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.001)
        let raised = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.001,
                                        pollution: .raises)
        // By hand, the raised one: within days σ = 0.02; from day to day, the median of 24 normal readings has
        // σ ≈ 1.2533 × 0.02 / √24 = 0.0051 (the leak's two steps are 2 of 34 differences). √(0.02² + 0.0051²) × 1.2
        // = 0.0248.
        #expect(abs(raised.scale[noon] - 0.0248) < 0.003)
        #expect(either.scale[noon] > 0.045)
        #expect(raised.score(noon) >= 4.5)
        #expect(either.score(noon) < 3)
    }

    @Test("on clean noise a raised parameter's scale stays the noise width")
    func raisedScaleOfCleanNoise() {
        let series = HandSeries(days: 42, level: 0.67, noise: 0.02, seed: 9)
        let raised = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.001,
                                        pollution: .raises)
        let noon = 21 * 24 + 12
        #expect(raised.scale[noon] > 0.017 && raised.scale[noon] < 0.025)
    }

    @Test("successive differences measure noise: 0, 1, 0, 1 differ by 1 each time, σ = 1.4826 / √2 (by hand)")
    func successiveDifferencesByHand() {
        #expect(abs(RobustBaseline.successiveDifferenceScale([0, 1, 0, 1]) - 1.048_35) < 1e-5)
        // A step moves one difference of five: the median of |Δ| = 0.1, 0.1, 5, 0.1, 0.1 is 0.1.
        #expect(abs(RobustBaseline.successiveDifferenceScale([0, 0.1, 0, 5, 5.1, 5]) - 0.104_835) < 1e-6)
    }

    @Test("a day's baseline is the same whether 90 days or the 87 from day 3 around it are fitted", arguments: [
        PollutionDirection.either, .raises,
    ])
    func baselineDoesNotDependOnTheSpan(pollution: PollutionDirection) {
        // Day 45 lies in the epoch-aligned week of days 43–49, whose profile and scale come from days 29–63, whose
        // levels come from days 14–78: both spans hold them. Weeks counted from the first reading would differ.
        let whole = HandSeries(days: 90, level: 0.67, amplitude: 0.05, noise: 0.02, seed: 11)
        let part = (3 * 24)..<(90 * 24)
        let long = RobustBaseline.fit(times: whole.times, values: whole.values, secondsFromGMT: 0, minimumScale: 0.001,
                                      pollution: pollution)
        let short = RobustBaseline.fit(times: Array(whole.times[part]), values: Array(whole.values[part]), secondsFromGMT: 0,
                                       minimumScale: 0.001, pollution: pollution)
        for hour in (45 * 24)..<(46 * 24) {
            #expect(abs(long.expected[hour] - short.expected[hour - part.lowerBound]) < 1e-12)
            #expect(abs(long.scale[hour] - short.scale[hour - part.lowerBound]) < 1e-12)
        }
    }

    @Test("the quantile interpolates between order statistics (Hyndman & Fan type 7, worked by hand)")
    func quantileByHand() {
        // Sorted 1, 2, 4, 8, 16: position 0.35 × 4 = 1.4, so 2 + 0.4 × (4 − 2) = 2.8; the median is 4.
        #expect(abs(RobustBaseline.quantile([8, 1, 16, 4, 2], 0.35) - 2.8) < 1e-12)
        #expect(RobustBaseline.quantile([8, 1, 16, 4, 2], 0.5) == 4)
    }

    @Test("a daily cycle is part of the baseline, not an anomaly")
    func dailyCycleIsNormal() {
        let series = HandSeries(days: 40, level: 7, amplitude: 1.0, noise: 0.1)
        let fitted = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.05)
        let detector = AnomalyDetector()
        #expect(detector.excursions(label: "do", in: fitted, interval: 3_600).allSatisfy { abs($0.peakScore) < 5 })
        #expect(detector.eventGroups(detector.excursions(label: "do", in: fitted, interval: 3_600), interval: 3_600).isEmpty)
    }

    @Test("a four-hour pulse of 8 noise widths is one event with its onset, peak and signature")
    func pulseIsAnEvent() throws {
        var conductivity = HandSeries(days: 40, level: 600, noise: 12, seed: 1)
        var permanganate = HandSeries(days: 40, level: 5, noise: 0.12, seed: 2)
        let onset = 20 * 24 + 10
        conductivity.add(100, hours: onset..<(onset + 4))
        permanganate.add(-1.0, hours: onset..<(onset + 4))
        let detector = AnomalyDetector()
        let excursions = [("cond", conductivity), ("codmn", permanganate)].flatMap { code, series in
            detector.excursions(label: code, in: RobustBaseline.fit(times: series.times, values: series.values,
                                                                        secondsFromGMT: 0, minimumScale: 0.1),
                                interval: 3_600)
        }
        let events = detector.eventGroups(excursions, interval: 3_600)
        let event = try #require(events.first { $0.start <= conductivity.times[onset + 3] && $0.end >= conductivity.times[onset] })
        #expect(event.start == conductivity.times[onset])
        #expect(event.end == conductivity.times[onset + 3])
        #expect(event.strongest.filter { $0.direction > 0 }.map(\.label) == ["cond"])
        #expect(event.strongest.filter { $0.direction < 0 }.map(\.label) == ["codmn"])
        let rise = try #require(event.strongest.first { $0.label == "cond" })
        #expect(abs(rise.peakValue - rise.baseline - 100) < 30)
    }

    @Test("one reading far off is a spike for the fault detector, not an event")
    func singleReadingIsNoEvent() {
        var series = HandSeries(days: 30, level: 1.0, noise: 0.02)
        series.add(1.5, hours: 400..<401)
        let detector = AnomalyDetector()
        let fitted = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.01)
        let events = detector.eventGroups(detector.excursions(label: "nh3n", in: fitted, interval: 3_600), interval: 3_600)
        #expect(!events.contains { $0.start <= series.times[400] && $0.end >= series.times[400] })
    }

    @Test("a five-day leak of 3 noise widths is found by its length")
    func leakIsFoundByLength() {
        var series = HandSeries(days: 45, level: 0.8, noise: 0.02, seed: 3)
        series.add(0.06, hours: (20 * 24)..<(25 * 24))
        let detector = AnomalyDetector()
        let fitted = RobustBaseline.fit(times: series.times, values: series.values, secondsFromGMT: 0, minimumScale: 0.01)
        let events = detector.eventGroups(detector.excursions(label: "nh3n", in: fitted, interval: 3_600), interval: 3_600)
        #expect(events.contains { $0.start < series.times[25 * 24] && $0.end > series.times[20 * 24]
            && $0.strongest.map(\.label) == ["nh3n"] && $0.strongest.allSatisfy { $0.direction > 0 } })
    }

    @Test("forty days of pure noise give no event on two independent parameters")
    func noiseGivesNoEvents() {
        let detector = AnomalyDetector()
        let excursions = [("cond", HandSeries(days: 40, level: 600, noise: 12, seed: 11)),
                          ("tp", HandSeries(days: 40, level: 0.15, noise: 0.004, seed: 12))].flatMap { code, series in
            detector.excursions(label: code, in: RobustBaseline.fit(times: series.times, values: series.values,
                                                                        secondsFromGMT: 0, minimumScale: 0.001),
                                interval: 3_600)
        }
        #expect(detector.eventGroups(excursions, interval: 3_600).isEmpty)
    }

    /// Excursions and events of cond and codmn, each series fitted as the analysis fits it.
    private func events(_ series: [(String, HandSeries)], interval: TimeInterval,
                        minimumScale: Double = 0.1) -> [ExcursionGroup] {
        let detector = AnomalyDetector()
        let excursions = series.flatMap { code, series in
            detector.excursions(label: code, in: RobustBaseline.fit(times: series.times, values: series.values,
                                                                        secondsFromGMT: 0, minimumScale: minimumScale),
                                interval: interval)
        }
        return detector.eventGroups(excursions, interval: interval)
    }

    @Test("read every 3 h or less often, a pulse caught by one reading of two parameters is an event; every 2 h or hourly, it is not",
          arguments: [(4, true), (3, true), (2, false), (1, false)])
    func singleReadingOfTwoParameters(everyHours: Int, isEvent: Bool) {
        // 8 noise widths in both, at one reading: from 3 h a pulse of 2–6 h can fall on one reading; at 2 h and
        // hourly it mostly reaches two, and one reading stays a spike.
        var conductivity = HandSeries(days: 40, level: 600, noise: 12, seed: 1, everyHours: everyHours)
        var permanganate = HandSeries(days: 40, level: 5, noise: 0.12, seed: 2, everyHours: everyHours)
        let reading = 20 * 24 / everyHours + 2
        conductivity.add(100, hours: reading..<(reading + 1))
        permanganate.add(1.0, hours: reading..<(reading + 1))
        let found = events([("cond", conductivity), ("codmn", permanganate)], interval: Double(everyHours) * 3_600)
        let pulse = found.first { $0.start <= conductivity.times[reading] && $0.end >= conductivity.times[reading] }
        #expect((pulse != nil) == isEvent)
        if let pulse { #expect(Set(pulse.strongest.map(\.label)) == ["cond", "codmn"]) }
    }

    @Test("read every four hours, one reading of one parameter far off is still no event")
    func singleReadingOfOneParameterAtFourHours() {
        var conductivity = HandSeries(days: 40, level: 600, noise: 12, seed: 1, everyHours: 4)
        let permanganate = HandSeries(days: 40, level: 5, noise: 0.12, seed: 2, everyHours: 4)
        conductivity.add(150, hours: 122..<123)
        let found = events([("cond", conductivity), ("codmn", permanganate)], interval: 4 * 3_600)
        #expect(!found.contains { $0.start <= conductivity.times[122] && $0.end >= conductivity.times[122] })
    }

    @Test("a sustained run lasts as long as twelve hourly readings span (11 h): 1 + ⌈11 h / interval⌉ readings",
          arguments: [(1_800.0, 12), (3_600.0, 12), (3_700.0, 12), (3_960.0, 11), (7_200.0, 7), (9_000.0, 6),
                      (10_800.0, 5), (14_400.0, 4), (18_000.0, 4)])
    func sustainedRunByInterval(interval: TimeInterval, readings: Int) {
        // Worked by hand: 3,700 s → 1 + ⌈10.7⌉ = 12; 66 min → 1 + ⌈10⌉ = 11; 2 h → 1 + ⌈5.5⌉ = 7; 2.5 h → 1 + ⌈4.4⌉ = 6;
        // 3 h → 1 + ⌈3.67⌉ = 5; 4 h → 1 + ⌈2.75⌉ = 4; 5 h → 1 + ⌈2.2⌉ = 4; half-hourly stations keep the count of 12.
        #expect(AnomalyDetector().sustainedRun(interval: interval) == readings)
    }

    @Test("read every four hours, a leak over four readings (12 h) is a sustained excursion, over three it is not",
          arguments: [(4, true), (3, false)])
    func sustainedLeakAtFourHours(readings: Int, sustained: Bool) throws {
        var ammonia = HandSeries(days: 40, level: 0.8, noise: 0.02, seed: 3, everyHours: 4)
        ammonia.add(0.2, hours: 120..<(120 + readings))
        let fitted = RobustBaseline.fit(times: ammonia.times, values: ammonia.values, secondsFromGMT: 0, minimumScale: 0.01)
        let leak = try #require(AnomalyDetector().excursions(label: "nh3n", in: fitted, interval: 4 * 3_600)
            .first { $0.start <= ammonia.times[120] && $0.end >= ammonia.times[120] })
        #expect(leak.readings == readings)
        #expect(leak.sustained == sustained)
    }
}
