import Foundation
import RiverModel
import Statistics
import TestSupport
import Testing
@testable import Trace

/// A hand-made district: main river M (10 km, 0.5 m/s = 1.8 km/h) with stations M1 (km 2) and M2 (km 8); tributary
/// T (3 km, 0.5 m/s) joins M at km 5, station T1 at its km 1. Travel times by hand: M1→M2 6 km = 3.33 h;
/// T1→M2 2 km on T + 3 km on M = 2.78 h.
private let network = Network(
    rivers: [
        River("M", name: "Main", velocityMetresPerSecond: 0.5, targetClass: .iii),
        River("T", name: "Tributary", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 3, velocityMetresPerSecond: 0.5,
              targetClass: .iv),
    ],
    points: [
        MonitoringPoint("M1", riverID: "M", kilometre: 2, kind: .automatic),
        MonitoringPoint("M2", riverID: "M", kilometre: 8, kind: .automatic),
        MonitoringPoint("T1", riverID: "T", kilometre: 1, kind: .automatic),
    ],
    sources: [
        RegisteredSource(id: "S-IND", name: "plating works", kind: "enterprise", riverID: "M", kilometre: 4, signature: .industrial),
        RegisteredSource(id: "S-DOM", name: "housing outfall", kind: "outfall", riverID: "M", kilometre: 6, signature: .domestic),
        RegisteredSource(id: "S-TRIB", name: "tributary works", kind: "enterprise", riverID: "T", kilometre: 0.5, signature: .industrial),
    ])

private let start = Date(timeIntervalSince1970: 1_782_864_000)

/// Twenty days of hourly readings at `level` with a small deterministic wobble, plus pulses (hour, length, increment).
private func series(level: Double, wobble: Double, pulses: [(hour: Int, hours: Int, increment: Double)]) -> BaselineSeries {
    var values = (0..<480).map { hour in level + wobble * sin(Double(hour) * 2.3) * cos(Double(hour) * 0.7) }
    for pulse in pulses { for hour in pulse.hour..<(pulse.hour + pulse.hours) { values[hour] += pulse.increment } }
    let times = (0..<480).map { start.addingTimeInterval(Double($0) * 3_600) }
    return RobustBaseline.fit(times: times, values: values, secondsFromGMT: 0, minimumScale: 0.01 * level)
}

/// Conductivity and CODMn at each station, with the given pulses.
private func baselines(_ pulses: [String: [(hour: Int, hours: Int, increment: Double)]]) -> [String: [Parameter: BaselineSeries]] {
    Dictionary(uniqueKeysWithValues: ["M1", "M2", "T1"].map { id in
        let here = pulses[id] ?? []
        return (id, [.conductivity: series(level: 600, wobble: 12, pulses: here.map { ($0.hour, $0.hours, 20 * $0.increment) }),
                     .permanganateIndex: series(level: 5, wobble: 0.1, pulses: here.map { ($0.hour, $0.hours, 0.2 * $0.increment) })])
    })
}

private func events(_ baselines: [String: [Parameter: BaselineSeries]]) -> [AnomalyEvent] {
    baselines.keys.sorted().flatMap { point in
        AnomalyEvent.events(pointID: point, baselines: baselines[point]!, interval: 3_600)
    }
}

@Suite("Trace-back on a hand-made network")
struct TraceTests {
    @Test("travel times along the tree are distance over velocity, by hand")
    func travelTimes() throws {
        let m1 = try #require(network.point("M1")), m2 = try #require(network.point("M2")), t1 = try #require(network.point("T1"))
        #expect(abs(try #require(network.downstreamPath(from: m1, to: m2)).hours - 6 / 1.8) < 1e-9)
        #expect(abs(try #require(network.downstreamPath(from: t1, to: m2)).hours - 5 / 1.8) < 1e-9)
        #expect(network.downstreamPath(from: m2, to: m1) == nil)
        #expect(network.downstreamPath(from: t1, to: m1) == nil)
    }

    @Test("a pulse seen at M2 only lies between M1 and M2, and the industrial works there ranks first")
    func pulseBetweenStations() throws {
        let data = baselines(["M2": [(hour: 300, hours: 4, increment: 8)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        // From 200 m above the clean station (`TraceEngine.mixingMargin`): an outfall there may pass M1 unmixed.
        #expect(trace.suspectSegment == SuspectSegment(riverID: "M", fromPointID: "M1", toPointID: "M2", fromKilometre: 1.8, toKilometre: 8))
        #expect(trace.candidates.first?.sourceID == "S-IND")
        #expect(trace.evidence.contains { $0.pointID == "M1" && $0.role == .clean })
        #expect(trace.evidence.contains { $0.pointID == "T1" && $0.role == .clean })
        // Above the clean T1, the tributary works stays on the list, after the stretch's own: a diluted plume may
        // have passed T1 unseen.
        let tributary = try #require(trace.candidates.firstIndex { $0.sourceID == "S-TRIB" })
        #expect(tributary > 0)
        #expect(trace.candidates[tributary].place == .aboveCleanStation)
    }

    @Test("a pulse seen first at T1 and three hours later at M2 is traced up the tributary, above T1")
    func pulseUpTheTributary() throws {
        let data = baselines(["T1": [(hour: 300, hours: 4, increment: 10)], "M2": [(hour: 303, hours: 4, increment: 6)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.walked == ["M2", "T1"])
        #expect(trace.suspectSegment?.riverID == "T")
        #expect(trace.suspectSegment?.toPointID == "T1")
        #expect(trace.candidates.first?.sourceID == "S-TRIB")
        let lag = try #require(trace.evidence.first { $0.pointID == "T1" })
        #expect(abs(lag.nominalLagHours - 5 / 1.8) < 1e-9)
        #expect(lag.lagHours == 3)
    }

    @Test("the same rise at every station at once is district-wide, not a source")
    func simultaneousRiseIsDistrictWide() throws {
        let pulse: [(hour: Int, hours: Int, increment: Double)] = [(hour: 300, hours: 10, increment: 8)]
        let data = baselines(["M1": pulse, "M2": pulse, "T1": pulse])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .districtWide)
        #expect(trace.suspectSegment == nil)
    }

    @Test("a plume reaching M2 seven hours into district-wide rain is traced from its arrival, between M1 and M2")
    func plumeDuringRain() throws {
        // Rain from hour 300 to 312 at every station: CODMn up 0.5 mg/L (10 %), conductivity diluted by 60. A plume
        // between M1 and M2 raises CODMn by 6 mg/L (120 %) at M2 from hour 307: more than rain does anywhere.
        func station(plumeHour: Int?) -> [Parameter: BaselineSeries] {
            let plume = plumeHour.map { [(hour: $0, hours: 4, increment: 6.0)] } ?? []
            return [.conductivity: series(level: 600, wobble: 12, pulses: [(hour: 300, hours: 12, increment: -60)]),
                    .permanganateIndex: series(level: 5, wobble: 0.1, pulses: [(hour: 300, hours: 12, increment: 0.5)] + plume)]
        }
        let data = ["M1": station(plumeHour: nil), "T1": station(plumeHour: nil), "M2": station(plumeHour: 307)]
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        #expect(event.start == start.addingTimeInterval(300 * 3_600))
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        // Traced — how surely is the confidence model's to say (one parameter, a tributary's mouth on the stretch).
        #expect([.source, .uncertain].contains(trace.verdict))
        #expect(trace.eventStart == event.start)
        #expect(trace.tracedFrom == start.addingTimeInterval(307 * 3_600))
        #expect(trace.districtPattern?.handling == .distinctive)
        #expect(trace.districtPattern?.parameters == [.permanganateIndex])
        #expect(trace.districtPattern?.stationsWithEvents == 3)
        #expect(trace.suspectSegment?.riverID == "M")
        #expect(trace.suspectSegment?.fromPointID == "M1")
        #expect(trace.evidence.contains { $0.pointID == "M1" && $0.role == .clean })
    }

    @Test("a leak that begins in rain and outlasts it is traced from 2 h after the rain ended elsewhere")
    func leakOutlastingRain() throws {
        // Rain at every station from hour 300 to 310 (CODMn up 0.5 mg/L, conductivity diluted); at M2 a leak from
        // hour 305 keeps CODMn 1 mg/L up to hour 400. The other stations are back on their baselines from hour 310.
        func station(leak: Bool) -> [Parameter: BaselineSeries] {
            [.permanganateIndex: series(level: 5, wobble: 0.1, pulses: [(300, 10, 0.5)] + (leak ? [(305, 95, 1.0)] : [])),
             .conductivity: series(level: 600, wobble: 12, pulses: [(300, 10, -60)])]
        }
        let data = ["M1": station(leak: false), "T1": station(leak: false), "M2": station(leak: true)]
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start == start.addingTimeInterval(300 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        #expect(trace.districtPattern?.handling == .continuation)
        // The rain's last raised reading elsewhere is hour 309; the pattern ends with it, the trace 2 h later.
        let from = try #require(trace.tracedFrom)
        #expect(from >= start.addingTimeInterval(310 * 3_600) && from <= start.addingTimeInterval(312 * 3_600))
        #expect(trace.suspectSegment?.riverID == "M")
    }

    @Test("a station that answers rain weakly shows a plume in rain that a district-typical answer would hide")
    func stationRainResponse() throws {
        // Five rains (hours 60, 130, 200, 270, 340; 8 h each): CODMn +2.5 mg/L (+50 %) at M1 and T1, +1.25 (+25 %)
        // at M2, conductivity diluted everywhere. In the last, a plume adds 5.9 mg/L at M2: +143 % in all.
        let rains = [60, 130, 200, 270, 340]
        func station(codmn rise: Double, plume: Double = 0) -> [Parameter: BaselineSeries] {
            [.permanganateIndex: series(level: 5, wobble: 0.1, pulses: rains.map { ($0, 8, rise) } + [(340, 8, plume)]),
             .conductivity: series(level: 600, wobble: 12, pulses: rains.map { ($0, 8, -60) })]
        }
        let data = ["M1": station(codmn: 2.5), "T1": station(codmn: 2.5), "M2": station(codmn: 1.25, plume: 5.9)]
        let found = events(data)
        let engine = TraceEngine(network: network, baselines: data, events: found)
        // By hand: at M2 each rain's rise is 0.25 against the others' typical 0.5, a ratio of 0.5 (the plume's rain,
        // 2.9, is one of five).
        let response = try #require(engine.stationResponse["M2"]?[ParameterMove(parameter: .permanganateIndex, direction: .rose)])
        #expect(abs(response - 0.5) < 0.1)
        // The rain's typical rise is 0.5: 1.43 is not 3 × 0.5 nor 0.5 + 1 = 1.5. What rain does at M2 is 0.25, and
        // 1.43 is more than 0.25 + 1.
        let event = try #require(found.first { $0.pointID == "M2" && abs($0.start.timeIntervalSince(start) - 340 * 3_600) < 7_200 })
        let trace = engine.trace(event)
        #expect(trace.districtPattern?.handling == .distinctive)
        #expect([.source, .uncertain].contains(trace.verdict))
    }

    @Test("a raised level that lasts into the next rain is that rain, not a leak outlasting the first")
    func nextRainIsNoLeak() throws {
        // Rain at every station from hour 300 to 310 and again from 322 to 332 (CODMn up 0.5 mg/L); at M2 it stays
        // up from 300 to 335 without a break. Persisting after the first rain would make it a leak, but the second
        // rain begins at the other stations within the day after the first ended.
        let rains: [(hour: Int, hours: Int, increment: Double)] = [(300, 10, 0.5), (322, 10, 0.5)]
        func station(_ pulses: [(hour: Int, hours: Int, increment: Double)]) -> [Parameter: BaselineSeries] {
            [.permanganateIndex: series(level: 5, wobble: 0.1, pulses: pulses),
             .conductivity: series(level: 600, wobble: 12, pulses: pulses.map { ($0.hour, $0.hours, -120 * $0.increment) })]
        }
        let data = ["M1": station(rains), "T1": station(rains), "M2": station([(300, 35, 0.5)])]
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start == start.addingTimeInterval(300 * 3_600) })
        #expect(event.end >= start.addingTimeInterval(334 * 3_600))
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .districtWide)
    }

    @Test("an event over a known sensor fault is a fault, not a source")
    func faultIsNoSource() throws {
        let data = baselines(["M2": [(hour: 300, hours: 4, increment: 8)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let fault = FaultWindow(pointID: "M2", parameter: nil, start: event.start, end: event.end)
        let trace = TraceEngine(network: network, baselines: data, events: found, faults: [fault]).trace(event)
        #expect(trace.verdict == .sensorFault)
    }

    @Test("an unregistered outfall ranks below a registered one on the stretch that fits, above one that does not")
    func unregisteredAgainstRegistered() {
        let engine = TraceEngine(network: network, baselines: [:], events: [])
        let main = SuspectSegment(riverID: "M", fromPointID: "M1", toPointID: "M2", fromKilometre: 2, toKilometre: 8)
        let passed = SuspectSegment(riverID: "T", fromPointID: nil, toPointID: nil, fromKilometre: 0, toKilometre: 3)
        let ranked = engine.rank(main: main, alternatives: [], fallback: [passed], changes: [.ammoniaNitrogen: 1.0, .totalPhosphorus: 0.8, .dissolvedOxygen: -0.5])
        // By hand: S-DOM fits 0.6 (see the signature test), 1 × (0.25 + 0.75 × 0.6) = 0.7. The best profile is that
        // domestic 0.6 (agricultural (0.6 × 0.8 + 0.2 × 1) / 2.5 = 0.272, stormwater 0.6 × 0.8 / 2.6 = 0.185), so the
        // unregistered outfall is credited 0.8 × 0.6 = 0.48: 0.25 + 0.75 × 0.48 = 0.61. S-IND fits 0, 0.25; S-TRIB fits
        // 0 and lies on a passed stretch, 0.6 × 0.25 = 0.15.
        #expect(ranked.map(\.sourceID) == ["S-DOM", nil, "S-IND", "S-TRIB"])
        #expect(ranked.first { $0.sourceID == "S-DOM" }?.score == 0.7)
        #expect(ranked.first { $0.sourceID == nil }?.score == 0.61)
        #expect(ranked.first { $0.sourceID == nil }?.reasons.last == "registered S-DOM fits the event better")
        #expect(ranked.first { $0.sourceID == "S-IND" }?.score == 0.25)
        #expect(ranked.first { $0.sourceID == "S-TRIB" }?.score == 0.15)
    }

    @Test("an unregistered outfall between km 2 and km 8 ranks first when no registered source fits, and says why")
    func unregisteredFirst() throws {
        let engine = TraceEngine(network: network, baselines: [:], events: [])
        let main = SuspectSegment(riverID: "M", fromPointID: "M1", toPointID: "M2", fromKilometre: 2, toKilometre: 8)
        // Turbidity and TN up: farmland runoff, which neither the plating works nor the housing outfall makes.
        let ranked = engine.rank(main: main, alternatives: [], changes: [.turbidity: 1, .totalNitrogen: 0.8])
        let first = try #require(ranked.first)
        #expect(first.sourceID == nil)
        #expect(first.reasons.first == "an unregistered outfall or illegal connection between km 2.0 and km 8.0 of M")
        // S-IND fits 0 (no conductivity, CODMn, pH) and S-DOM 0.5 × 0.8 / 3.1 = 0.129 → 13 %; the agricultural profile
        // (1 × 1 + 0.7 × 0.8) / 2.5 = 0.624 → 62 %, so the unregistered outfall scores 0.25 + 0.75 × 0.8 × 0.624 = 0.624.
        #expect(first.score == 0.624)
        #expect(first.reasons.last == "no registered source here fits the event better (best: S-DOM 13 % by signature, "
                + "against 62 % for the agricultural profile)")
    }

    @Test("signatures: NH3-N and TP up with DO down fits domestic sewage better than industry")
    func domesticSignature() {
        let changes: [Parameter: Double] = [.ammoniaNitrogen: 1.0, .totalPhosphorus: 0.8, .dissolvedOxygen: -0.5]
        // By hand: (1×1 + 0.7×0.8 + 0.6×0.5) / (1 + 0.7 + 0.6 + 0.5 + 0.3) = 1.86 / 3.1 = 0.6.
        #expect(abs(SignatureFit.fit(.domestic, changes: changes) - 0.6) < 1e-12)
        #expect(SignatureFit.fit(.industrial, changes: changes) < 0.1)
        #expect(SignatureFit.fit(.industrial, changes: [.conductivity: 1, .permanganateIndex: 1, .pH: 0.8]) > 0.7)
    }

    @Test("signatures: a profile is weighed over the parameters the station measures")
    func signatureOverMeasuredParameters() {
        // Conductivity +1 and CODMn +0.5 at a station without a COD analyser. By hand: industrial over conductivity,
        // CODMn and pH (1 + 0.7 × 0.5) / (1 + 0.7 + 0.6) = 1.35 / 2.3; counting the unmeasured COD, 1.35 / 2.8.
        let changes: [Parameter: Double] = [.conductivity: 1, .permanganateIndex: 0.5]
        let measured: Set<Parameter> = [.conductivity, .permanganateIndex, .pH, .ammoniaNitrogen, .totalPhosphorus,
                                        .totalNitrogen, .dissolvedOxygen, .turbidity]
        #expect(abs(SignatureFit.fit(.industrial, changes: changes, measured: measured) - 1.35 / 2.3) < 1e-12)
        #expect(abs(SignatureFit.fit(.industrial, changes: changes) - 1.35 / 2.8) < 1e-12)
        // Mixed: 0.9 × the better of domestic (0.3 × 0.5 / 3.1) and industrial.
        #expect(abs(SignatureFit.fit(.mixed, changes: changes, measured: measured) - 0.9 * 1.35 / 2.3) < 1e-12)
        // A station that measures none of a profile's parameters shows nothing of it, and one that sees only a minor
        // part cannot confirm it: domestic over CODMn alone is weighed over half its weight, 0.3 × 1 / (3.1 / 2).
        #expect(SignatureFit.fit(.agricultural, changes: changes, measured: [.conductivity]) == 0)
        #expect(abs(SignatureFit.fit(.domestic, changes: [.permanganateIndex: 1], measured: [.conductivity, .permanganateIndex])
                    - 0.3 / 1.55) < 1e-12)
    }
}

@Suite("Persistent pollution along the rivers")
struct PersistentPollutionTests {
    /// Main M: A (km 1), B (km 9), C (km 12); tributary T (4 km) joins at km 5 with its point T1.
    let network = Network(
        rivers: [
            River("M", lengthKilometres: 12),
            River("T", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 4),
        ],
        points: ["A": ("M", 1.0), "B": ("M", 9.0), "C": ("M", 12.0), "T1": ("T", 3.0)].map { id, place in
            MonitoringPoint(id, riverID: place.0, kilometre: place.1)
        },
        sources: [])

    @Test("mixing shares from conductivity: (600 − 800) / (400 − 800) = ½, so B expects 1.5 mg/L and rises 0.3 (by hand)")
    func conductivityMixing() throws {
        let means: [String: [Parameter: Double]] = [
            "A": [.conductivity: 400, .ammoniaNitrogen: 1], "T1": [.conductivity: 800, .ammoniaNitrogen: 2],
            "B": [.conductivity: 600, .ammoniaNitrogen: 1.8], "C": [.conductivity: 600, .ammoniaNitrogen: 2]]
        let steps = PersistentPollution.rank(network: network, means: means, limits: [.ammoniaNitrogen: 1.0])
        let ab = try #require(steps.first { $0.fromPointID == "A" && $0.toPointID == "B" })
        #expect(ab.mixing == .conductivity)
        #expect(abs(ab.expected - 1.5) < 1e-12)
        #expect(abs(ab.increase - 0.3) < 1e-12)
        #expect(ab.rank == 1)
        let bc = try #require(steps.first { $0.fromPointID == "B" && $0.toPointID == "C" })
        #expect(bc.mixing == MixingBasis.none)
        #expect(abs(bc.increase - 0.2) < 1e-12)
        #expect(bc.rank == 2)
    }

    @Test("without conductivity the shares follow river length: A has 1 km above it, T 4 km, so B expects (1·1 + 4·2)/5")
    func lengthMixing() throws {
        let means: [String: [Parameter: Double]] = ["A": [.ammoniaNitrogen: 1], "T1": [.ammoniaNitrogen: 2], "B": [.ammoniaNitrogen: 1.8]]
        let steps = PersistentPollution.rank(network: network, means: means, limits: [.ammoniaNitrogen: 1.0])
        let ab = try #require(steps.first { $0.fromPointID == "A" })
        #expect(ab.mixing == .length)
        #expect(abs(ab.expected - 9.0 / 5) < 1e-12)
    }
}
