import Foundation
import RiverModel
import TestSupport
import Testing
@testable import Trace

/// Two rivers and a confluence, worked by hand: main river M (10 km, 0.5 m/s = 1.8 km/h) with M1 at km 2 and M2 at
/// km 8 (its own target class III: an assessed section); tributary T (3 km, 0.25 m/s = 0.9 km/h) joins M at km 5,
/// with T1 at its km 1.
///
/// T1 → M2: 2 km of T at 0.9 km/h = 8,000 s, then 3 km of M at 1.8 km/h = 6,000 s: 14,000 s (3.889 h).
/// M1 → M2: 6 km of M at 1.8 km/h = 12,000 s.
private let network = Network(
    rivers: [
        River("M", name: "Main", velocityMetresPerSecond: 0.5, targetClass: .iv),
        River("T", name: "Tributary", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 3, velocityMetresPerSecond: 0.25,
              targetClass: .iv),
    ],
    points: [
        MonitoringPoint("M1", riverID: "M", kilometre: 2, kind: .automatic),
        MonitoringPoint("M2", riverID: "M", kilometre: 8, ownTargetClass: .iii, kind: .automatic),
        MonitoringPoint("T1", riverID: "T", kilometre: 1, kind: .automatic),
    ],
    sources: [])

/// Flows given by hand: T carries 2, M 6 above the confluence and 8 below it (no inflow along the banks).
private let handFlows = FlowIndex(network: network, headwater: ["M": 6, "T": 2], lateralPerKilometre: [:])

private let onset = Date(timeIntervalSince1970: 1_782_864_000)

/// An event at `point`: NH3-N up `increment` (score `score`) and conductivity up 200 µS/cm (score 8), peak 2 h in.
private func event(at point: String, increment: Double = 0.8, score: Double = 16) -> AnomalyEvent {
    let peak = onset.addingTimeInterval(7_200)
    return AnomalyEvent(pointID: point, start: onset, end: onset.addingTimeInterval(4 * 3_600), peakTime: peak, parameters: [
        EventParameter(parameter: .ammoniaNitrogen, direction: .rose, peak: 0.6 + increment, baseline: 0.6,
                       increment: increment, score: score, peakTime: peak),
        EventParameter(parameter: .conductivity, direction: .rose, peak: 800, baseline: 600, increment: 200, score: 8,
                       peakTime: peak),
    ])
}

private func forecast(at point: String, flows: FlowIndex = handFlows, settings: ForecastSettings = ForecastSettings(),
                      levels: [String: [Parameter: StationLevel]] = [:], from: Date? = nil) throws -> DownstreamForecast {
    DownstreamForecaster(network: network, flows: flows, settings: settings)
        .forecast(event(at: point), issued: onset.addingTimeInterval(3_600), onset: from, levels: levels)
}

@Suite("Downstream arrival forecast on a hand-made network")
struct DownstreamForecastTests {
    @Test("T1 → M2 through the confluence: window by hand (14,000 s; velocity ±30 %; one reading each side)")
    func arrivalWindowThroughConfluence() throws {
        let result = try forecast(at: "T1")
        // M1 lies above the confluence: not downstream of T1.
        #expect(result.points.map(\.pointID) == ["M2"])
        let m2 = try #require(result.points.first)
        #expect(abs(m2.travelHours - 14_000.0 / 3_600) < 1e-9)
        #expect(abs(m2.kilometres - 5) < 1e-9)
        // earliest: 14,000 / 1.3 − 3,600 = 7,169.23 s; latest: 14,000 / 0.7 + 3,600 = 23,600 s.
        #expect(abs(m2.earliest.timeIntervalSince(onset) - 7_169.230_769) < 1e-3)
        #expect(abs(m2.expected.timeIntervalSince(onset) - 14_000) < 1e-6)
        #expect(abs(m2.latest.timeIntervalSince(onset) - 23_600) < 1e-6)
        // The event peaked 7,200 s after onset: 21,200 s.
        #expect(abs(m2.expectedPeakTime.timeIntervalSince(onset) - 21_200) < 1e-6)
        #expect(result.issued == onset.addingTimeInterval(3_600))
    }

    @Test("M1 → M2 on one river: window by hand (12,000 s); nothing upstream or on the tributary is forecast")
    func arrivalWindowOnOneRiver() throws {
        let result = try forecast(at: "M1")
        #expect(result.points.map(\.pointID) == ["M2"])
        let m2 = try #require(result.points.first)
        // 12,000 / 1.3 − 3,600 = 5,630.77 s; 12,000 / 0.7 + 3,600 = 20,742.86 s.
        #expect(abs(m2.earliest.timeIntervalSince(onset) - 5_630.769_231) < 1e-3)
        #expect(abs(m2.expected.timeIntervalSince(onset) - 12_000) < 1e-6)
        #expect(abs(m2.latest.timeIntervalSince(onset) - 20_742.857_143) < 1e-3)
        #expect(try forecast(at: "M2").points.isEmpty)
    }

    @Test("a narrower band and no reading slack: 14,000 s ± 10 % of velocity gives 12,727 … 15,556 s")
    func settingsWidenTheWindow() throws {
        var settings = ForecastSettings()
        settings.velocityUncertainty = 0.1
        settings.readingInterval = 0
        let m2 = try #require(try forecast(at: "T1", settings: settings).points.first)
        #expect(abs(m2.earliest.timeIntervalSince(onset) - 12_727.272_727) < 1e-3)
        #expect(abs(m2.latest.timeIntervalSince(onset) - 15_555.555_556) < 1e-3)
    }

    @Test("the plume's anchor is the trace's arrival time when given (a plume that arrived during rain)")
    func onsetOverride() throws {
        let later = onset.addingTimeInterval(5 * 3_600)
        let m2 = try #require(try forecast(at: "T1", from: later).points.first)
        #expect(abs(m2.expected.timeIntervalSince(later) - 14_000) < 1e-6)
    }

    @Test("dilution at the confluence by hand: T brings 2 into M's 6, so 0.8 mg/L at T1 is 0.8 × 2 / 8 = 0.2 at M2")
    func dilutionAtConfluence() throws {
        let m2 = try #require(try forecast(at: "T1").points.first)
        #expect(abs(m2.flowRatio - 0.25) < 1e-12)
        let ammonia = try #require(m2.parameters.first { $0.parameter == .ammoniaNitrogen })
        #expect(abs(ammonia.increment - 0.2) < 1e-12)
        let conductivity = try #require(m2.parameters.first { $0.parameter == .conductivity })
        #expect(abs(conductivity.increment - 50) < 1e-9)
        // From M1, above the confluence, M's own 6 meets T's 2: 6 / 8.
        let fromMain = try #require(try forecast(at: "M1").points.first)
        #expect(abs(fromMain.flowRatio - 0.75) < 1e-12)
    }

    @Test("flows from river lengths by hand: T1 8.5, T's outlet 10.5, M2 25 + 8 + 10.5 = 43.5")
    func flowsFromLengths() throws {
        let flows = FlowIndex.fromRiverLengths(network)
        // T: headwater 2.5 × 3 = 7.5, +1 per km: 8.5 at km 1, 10.5 at its mouth (km 3).
        #expect(abs(flows.flow(at: try #require(network.point("T1"))) - 8.5) < 1e-12)
        #expect(abs(flows.flow(river: "T", kilometre: 3) - 10.5) < 1e-12)
        // M: headwater 2.5 × 10 = 25; 27 at km 2; at km 8, 25 + 8 + T's 10.5.
        #expect(abs(flows.flow(at: try #require(network.point("M1"))) - 27) < 1e-12)
        #expect(abs(flows.flow(at: try #require(network.point("M2"))) - 43.5) < 1e-12)
        let m2 = try #require(try forecast(at: "T1", flows: flows).points.first)
        #expect(abs(m2.flowRatio - 8.5 / 43.5) < 1e-12)
    }

    @Test("expected peak = background + diluted change; its score in M2's noise: 0.6 + 0.2 = 0.8 mg/L, 0.2 / 0.05 = 4")
    func expectedPeakAgainstBackground() throws {
        let m2 = try #require(try forecast(at: "T1", levels: ["M2": [.ammoniaNitrogen: StationLevel(level: 0.6, noise: 0.05)]])
            .points.first)
        let ammonia = try #require(m2.parameters.first { $0.parameter == .ammoniaNitrogen })
        #expect(ammonia.background == 0.6)
        #expect(abs(try #require(ammonia.peak) - 0.8) < 1e-12)
        #expect(abs(ammonia.expectedScore - 4) < 1e-12)
        #expect(m2.isNoticeable)
        // Conductivity has no level given: no concentration, scored by T1's noise (score 8 × 0.25 = 2).
        let conductivity = try #require(m2.parameters.first { $0.parameter == .conductivity })
        #expect(conductivity.peak == nil)
        #expect(abs(conductivity.expectedScore - 2) < 1e-12)
    }

    @Test("a change diluted below three noise widths everywhere is listed but not noticeable")
    func weakPlumeIsNotNoticeable() throws {
        // NH3-N score 8 at T1 × 0.25 = 2; conductivity 8 × 0.25 = 2.
        let m2 = try #require(DownstreamForecaster(network: network, flows: handFlows)
            .forecast(event(at: "T1", increment: 0.4, score: 8), issued: onset).points.first)
        #expect(!m2.isNoticeable)
    }

    @Test("first-order decay when a rate is given: 0.3 per day over 3.889 h leaves exp(−0.048611) = 0.952552")
    func decayInTransit() throws {
        var settings = ForecastSettings()
        settings.decayPerDay = [.ammoniaNitrogen: 0.3]
        let m2 = try #require(try forecast(at: "T1", settings: settings).points.first)
        let ammonia = try #require(m2.parameters.first { $0.parameter == .ammoniaNitrogen })
        #expect(abs(ammonia.increment - 0.2 * 0.952_552) < 1e-6)
        // Conductivity has no rate: conservative.
        #expect(abs(try #require(m2.parameters.first { $0.parameter == .conductivity }).increment - 50) < 1e-9)
    }

    @Test("only the plume's parameters travel when the trace names them (rain's conductivity drop stays home)")
    func plumeParameters() throws {
        let m2 = try #require(DownstreamForecaster(network: network, flows: handFlows)
            .forecast(event(at: "T1"), issued: onset, plumeParameters: [.ammoniaNitrogen]).points.first)
        #expect(m2.parameters.map(\.parameter) == [.ammoniaNitrogen])
    }

    @Test("a station's level from recent readings: median 3, noise 1.4826 × MAD 1 (1, 2, 3, 4, 100 by hand)")
    func levelFromRecentReadings() throws {
        let level = try #require(StationLevel.recent([1, 2, 3, 4, 100], minimumNoise: 0.01))
        #expect(level == StationLevel(level: 3, noise: 1.4826))
        // Four values: median (2 + 3) / 2 = 2.5; deviations 1.5, 0.5, 0.5, 1.5, their median 1.
        #expect(StationLevel.recent([1, 2, 3, 4], minimumNoise: 0.01) == StationLevel(level: 2.5, noise: 1.4826))
        // A flat series has no spread: the floor.
        #expect(StationLevel.recent([5, 5, 5], minimumNoise: 0.1) == StationLevel(level: 5, noise: 0.1))
        #expect(StationLevel.recent([], minimumNoise: 0.1) == nil)
    }

    @Test("a point with its own target class is an assessed section; one that inherits its river's is not")
    func assessedSections() throws {
        let result = try forecast(at: "M1")
        #expect(result.assessed.map(\.pointID) == ["M2"])
        #expect(result.points.first?.targetClass == .iii)
        #expect(try #require(network.point("M1")).isAssessedSection == false)
    }

    @Test("the forecast encodes to JSON without NaN or infinity")
    func encodes() throws {
        let data = try JSONEncoder().encode(try forecast(at: "T1"))
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"flow_ratio\":0.25"))
        #expect(!text.lowercased().contains("nan") && !text.lowercased().contains("inf"))
    }
}

@Suite("Verifying a downstream arrival forecast")
struct ArrivalCheckTests {
    /// The T1 → M2 window: 7,169 … 23,600 s after onset.
    private func m2() throws -> PointForecast { try #require(try forecast(at: "T1").points.first) }

    private func seen(at point: String = "M2", after seconds: Double, _ parameter: Parameter = .ammoniaNitrogen,
                      _ direction: Direction = .rose) -> AnomalyEvent {
        let start = onset.addingTimeInterval(seconds)
        return AnomalyEvent(pointID: point, start: start, end: start.addingTimeInterval(7_200), peakTime: start,
                            parameters: [EventParameter(parameter: parameter, direction: direction, peak: 1, baseline: 0.6,
                                                        increment: 0.4, score: 6, peakTime: start)])
    }

    @Test("an event at M2 starting inside the window with NH3-N up: verified, with its onset")
    func verified() throws {
        let check = try m2().check(events: [seen(after: 15_000)], readUntil: onset.addingTimeInterval(10_000))
        #expect(check == ArrivalCheck(state: .verified, arrived: onset.addingTimeInterval(15_000), evidence: .event))
    }

    @Test("the window's edges count: an event at 7,169.3 s or 23,600 s verifies")
    func edges() throws {
        let until = onset.addingTimeInterval(30_000)
        #expect(try m2().check(events: [seen(after: 7_169.3)], readUntil: until).state == .verified)
        #expect(try m2().check(events: [seen(after: 23_600)], readUntil: until).state == .verified)
    }

    @Test("nothing yet and the station has not reported past 23,600 s: pending")
    func pending() throws {
        #expect(try m2().check(events: [], readUntil: onset.addingTimeInterval(23_599)).state == .pending)
    }

    @Test("the station reported past the window and saw nothing: missed")
    func missed() throws {
        #expect(try m2().check(events: [], readUntil: onset.addingTimeInterval(23_600)) == ArrivalCheck(state: .missed))
    }

    @Test("events that do not confirm: before the window, after it, at another point, another parameter, the other way")
    func notConfirming() throws {
        let until = onset.addingTimeInterval(40_000)
        let others = [seen(after: 7_000), seen(after: 23_700), seen(at: "M1", after: 15_000),
                      seen(after: 15_000, .totalPhosphorus), seen(after: 15_000, .ammoniaNitrogen, .fell)]
        #expect(try m2().check(events: others, readUntil: until).state == .missed)
    }

    /// Hourly NH3-N readings at M2 from the onset, level 0.6 mg/L, noise 0.05 (3 noise widths = 0.75 mg/L).
    private func readings(_ values: [Double]) -> [Parameter: [Observation]] {
        [.ammoniaNitrogen: values.enumerated().map { Observation(time: onset.addingTimeInterval(Double($0.offset) * 3_600), value: $0.element) }]
    }
    private let level: [Parameter: StationLevel] = [.ammoniaNitrogen: StationLevel(level: 0.6, noise: 0.05)]

    @Test("two successive readings 3 noise widths up, the first inside the window (3 h = 10,800 s): verified by readings")
    func verifiedByReadings() throws {
        // Scores: 0.4, 0, 0.2, 4, 3.6 — the run begins at 10,800 s.
        let check = try m2().check(events: [], readings: readings([0.62, 0.6, 0.61, 0.8, 0.78]), levels: level,
                                   readUntil: onset.addingTimeInterval(14_400))
        #expect(check == ArrivalCheck(state: .verified, arrived: onset.addingTimeInterval(10_800), evidence: .readings))
    }

    @Test("readings that do not confirm: one high reading alone, a run begun before the window (1 h), a fall")
    func readingsNotConfirming() throws {
        let until = onset.addingTimeInterval(30_000)
        #expect(try m2().check(events: [], readings: readings([0.6, 0.6, 0.6, 0.8, 0.6, 0.6, 0.6]), levels: level,
                               readUntil: until).state == .missed)
        #expect(try m2().check(events: [], readings: readings([0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]), levels: level,
                               readUntil: until).state == .missed)
        #expect(try m2().check(events: [], readings: readings([0.6, 0.6, 0.6, 0.4, 0.4, 0.6, 0.6]), levels: level,
                               readUntil: until).state == .missed)
        // Without a level the readings say nothing.
        #expect(try m2().check(events: [], readings: readings([0.6, 0.6, 0.6, 0.8, 0.8]), readUntil: until).state == .missed)
    }

    @Test("of two confirming events, the earlier onset is the arrival")
    func earliest() throws {
        let check = try m2().check(events: [seen(after: 16_000, .conductivity), seen(after: 12_000)],
                                   readUntil: onset.addingTimeInterval(10_000))
        #expect(check.arrived == onset.addingTimeInterval(12_000))
    }
}
