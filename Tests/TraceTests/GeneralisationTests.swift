import Foundation
import RiverModel
import Statistics
import Testing
@testable import Trace

/// Main river M (12 km, configured 0.5 m/s = 1.8 km/h) with stations M1 (km 2) and M2 (km 8); tributary T (3 km,
/// 0.5 m/s) joins M at km 5, station T1 at its km 1. Configured travel: M1 → M2 6 km = 3.333 h.
private let network = Network(
    rivers: [
        River("M", name: "Main", lengthKilometres: 12, velocityMetresPerSecond: 0.5, targetClass: .iii),
        River("T", name: "Tributary", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 3,
              velocityMetresPerSecond: 0.5, targetClass: .iv),
    ],
    points: [
        MonitoringPoint("M1", riverID: "M", kilometre: 2, kind: .automatic),
        MonitoringPoint("M2", riverID: "M", kilometre: 8, kind: .automatic),
        MonitoringPoint("T1", riverID: "T", kilometre: 1, kind: .automatic),
    ],
    sources: [
        RegisteredSource(id: "S-IND", name: "plating works", kind: "enterprise", riverID: "M", kilometre: 6,
                         signature: .industrial),
    ])

private let start = Date(timeIntervalSince1970: 1_782_864_000)
private let hours = 720

/// A change added to a series: `increment` over `hours` readings from `hour`, ramping up linearly over `ramp` of them.
private struct Pulse {
    var hour: Int
    var hours: Int
    var increment: Double
    var ramp = 0
}

/// Thirty days of readings every `everyHours` hours at `level` with a small deterministic wobble, plus the pulses
/// (their `hour` and `hours` count readings).
private func series(level: Double, wobble: Double, _ pulses: [Pulse], everyHours: Int = 1) -> BaselineSeries {
    let count = hours / everyHours
    var values = (0..<count).map { hour in level + wobble * sin(Double(hour) * 2.3) * cos(Double(hour) * 0.7) }
    for pulse in pulses {
        for offset in 0..<pulse.hours where pulse.hour + offset < count {
            let share = pulse.ramp > 0 ? min(1, Double(offset + 1) / Double(pulse.ramp)) : 1
            values[pulse.hour + offset] += share * pulse.increment
        }
    }
    let times = (0..<count).map { start.addingTimeInterval(Double($0 * everyHours) * 3_600) }
    return RobustBaseline.fit(times: times, values: values, secondsFromGMT: 0, minimumScale: 0.01 * level)
}

/// Conductivity (µS/cm, level 600) and CODMn (mg/L, level 5) per station; `pulses` in conductivity units, CODMn
/// moving by 1/100 of them (an industrial plume moves both); `conductivityOnly` pulses move conductivity alone.
/// `everyHoursAt` reads some stations at another interval than `everyHours` (their pulses count their own readings).
private func stations(_ pulses: [String: [Pulse]], conductivityOnly: [String: [Pulse]] = [:], everyHours: Int = 1,
                      everyHoursAt: [String: Int] = [:]) -> [String: [Parameter: BaselineSeries]] {
    Dictionary(uniqueKeysWithValues: ["M1", "M2", "T1"].map { id in
        let plume = pulses[id] ?? []
        let codmn = plume.map { Pulse(hour: $0.hour, hours: $0.hours, increment: $0.increment / 100, ramp: $0.ramp) }
        let every = everyHoursAt[id] ?? everyHours
        return (id, [.conductivity: series(level: 600, wobble: 12, plume + (conductivityOnly[id] ?? []), everyHours: every),
                     .permanganateIndex: series(level: 5, wobble: 0.1, codmn, everyHours: every)])
    })
}

private func events(_ data: [String: [Parameter: BaselineSeries]], everyHours: Int = 1,
                    everyHoursAt: [String: Int] = [:]) -> [AnomalyEvent] {
    data.keys.sorted().flatMap { id in
        AnomalyEvent.events(pointID: id, baselines: data[id]!, interval: Double(everyHoursAt[id] ?? everyHours) * 3_600)
    }
}

@Suite("Trace-back on rivers it was not tuned on")
struct GeneralisationTests {
    @Test("two readings of conductivity alone at M2 are a spike: a sensor fault, not traced")
    func spike() throws {
        let data = stations([:], conductivityOnly: ["M2": [Pulse(hour: 400, hours: 2, increment: 300)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .sensorFault)
        #expect(trace.suspectedFault == .spike)
        #expect(trace.suspectSegment == nil)
    }

    @Test("conductivity alone creeping up for four days at M2 is a drift: a sensor fault, not traced")
    func drift() throws {
        // +150 µS/cm reached over 96 h (hour 300 → 396), held 24 h: 80 % of the peak after about 77 h, far beyond the
        // 24 h a plume takes to arrive.
        let data = stations([:], conductivityOnly: ["M2": [Pulse(hour: 300, hours: 120, increment: 150, ramp: 96)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start > start.addingTimeInterval(300 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .sensorFault)
        #expect(trace.suspectedFault == .drift)
    }

    @Test("the same creep at M2 that M1 above showed three hours before is water, not a drift: traced up to M1")
    func driftSeenAboveIsWater() throws {
        let data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 297, hours: 120, increment: 220, ramp: 96)],
                                                    "M2": [Pulse(hour: 300, hours: 120, increment: 150, ramp: 96)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start > start.addingTimeInterval(300 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.suspectedFault == nil)
        #expect(trace.walked.contains("M1"))
    }

    @Test("a night found with the nights around it (conductivity and CODMn 2 noise widths up) is traced; the same event found alone would be no pollution")
    func foldedNightIsTraced() throws {
        let data = stations([:])
        let night = start.addingTimeInterval(400 * 3_600)
        func parameter(_ parameter: Parameter, _ level: Double, _ score: Double) -> EventParameter {
            EventParameter(parameter: parameter, direction: .rose, peak: level * 1.04, baseline: level,
                           increment: level * 0.04, score: score, peakTime: night.addingTimeInterval(3_600))
        }
        var event = AnomalyEvent(pointID: "M2", start: night, end: night.addingTimeInterval(3 * 3_600),
                                 peakTime: night.addingTimeInterval(3_600),
                                 parameters: [parameter(.conductivity, 600, 2.2), parameter(.permanganateIndex, 5, 2.0)])
        #expect(TraceEngine(network: network, baselines: data, events: [event]).trace(event).verdict == .notPollution)
        event.foldedScore = 7.4
        let trace = TraceEngine(network: network, baselines: data, events: [event]).trace(event)
        #expect(trace.verdict == .source || trace.verdict == .uncertain)
        #expect(trace.suspectSegment != nil)
    }

    @Test("conductivity alone 20 % high from one reading on for three days at M1, CODMn unmoved: a calibration step, not traced")
    func calibrationStep() throws {
        // +120 µS/cm on 600 from hour 300 to 371, at once: level from its first reading, and CODMn (read by the same
        // station) stays within its noise; M2 below reads on and sees nothing.
        let data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 72, increment: 120)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M1" && $0.start >= start.addingTimeInterval(299 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .sensorFault)
        #expect(trace.suspectedFault == .calibrationStep)
        #expect(trace.suspectSegment == nil)
    }

    /// Brine let out above M1 for three days from hour 300: conductivity alone, +120 µS/cm at M1 and, diluted, +80 at
    /// M2 from hour 303 (M1 → M2 takes 3.3 h): each station's shift alone looks like a calibration step. The trace of
    /// the event at `pointID` beginning from hour `hour` on.
    private func brineAboveM1(tracedAt pointID: String, from hour: Int) throws -> TraceResult {
        let data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 72, increment: 120)],
                                                    "M2": [Pulse(hour: 303, hours: 72, increment: 80)]])
        let found = events(data)
        let event = try #require(found.first {
            $0.pointID == pointID && $0.start >= start.addingTimeInterval(Double(hour) * 3_600)
        })
        return TraceEngine(network: network, baselines: data, events: found).trace(event)
    }

    @Test("the same conductivity step at M1 seen at M2 three hours later is water (brine above M1): traced above M1, not a calibration step")
    func stepSeenBelowIsWater() throws {
        let trace = try brineAboveM1(tracedAt: "M1", from: 299)
        #expect(trace.suspectedFault == nil)
        #expect(trace.verdict == .source || trace.verdict == .uncertain)
        let stretch = try #require(trace.suspectSegment)
        #expect(stretch.riverID == "M" && stretch.toKilometre == 2, "the stretch above M1")
    }

    @Test("M2's shift, which M1 above showed three hours before, is water too: its walk goes up to M1")
    func stepSeenAboveIsWater() throws {
        let trace = try brineAboveM1(tracedAt: "M2", from: 302)
        #expect(trace.suspectedFault == nil)
        #expect(trace.walked.contains("M1"))
        #expect(trace.suspectSegment?.toKilometre == 2, "the stretch above M1")
    }

    @Test("an eight-day conductivity step during which CODMn peaks above 3 for four readings is still a calibration step: levels, not peaks")
    func longStepWithBlip() throws {
        // +120 µS/cm from hour 300 for 192 h; CODMn +0.5 mg/L for four readings from hour 301, a peak of some 9 noise
        // widths that leaves its median over the eight days where it was.
        var data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 192, increment: 120)]])
        data["M1"]?[.permanganateIndex] = series(level: 5, wobble: 0.1, [Pulse(hour: 301, hours: 4, increment: 0.5)])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M1" && $0.start >= start.addingTimeInterval(299 * 3_600) })
        #expect(event.parameters.filter { abs($0.score) >= 3 }.count == 2, "CODMn's blip counts as moving by its peak")
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .sensorFault)
        #expect(trace.suspectedFault == .calibrationStep)
    }

    @Test("the same three days with CODMn lifted 2.5 noise widths at M1 (a weak leak: under the score of 3, so conductivity moves alone): traced, not a calibration step")
    func weakLeakIsNoStep() throws {
        // CODMn read with little wobble (0.01 on 5 mg/L), so its scale is the floor of 1 % of its level, 0.05 mg/L:
        // +0.125 mg/L is a score of 2.5 at every reading of the three days, never 3.
        var data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 72, increment: 120)]])
        data["M1"]?[.permanganateIndex] = series(level: 5, wobble: 0.01, [Pulse(hour: 300, hours: 72, increment: 0.125)])
        let codmn = try #require(data["M1"]?[.permanganateIndex])
        let during = (300..<372).map { codmn.score($0) }
        #expect(during.allSatisfy { $0 > 2 && $0 < 3 }, "CODMn between 2 and 3 noise widths throughout")
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M1" && $0.start >= start.addingTimeInterval(299 * 3_600) })
        #expect(event.parameters.filter { abs($0.score) >= 3 }.map(\.parameter) == [.conductivity], "conductivity alone moves")
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.suspectedFault == nil)
        #expect(trace.verdict != .sensorFault)
    }

    @Test("a conductivity step at M1 during which rain lowers conductivity at every station is still a calibration step: rain does not raise it")
    func stepThroughRain() throws {
        // The step: +120 µS/cm at M1 from hour 300 for 72 h. The rain: conductivity −150 at M2 and T1 at once for 8 h
        // from hour 330, −60 at M1 (whose step holds it above its normal): a district-wide pattern beginning during the
        // step, which moves conductivity down, not up.
        let rain = Pulse(hour: 330, hours: 8, increment: -150)
        let data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 72, increment: 120),
                                                           Pulse(hour: 330, hours: 8, increment: -60)],
                                                    "M2": [rain], "T1": [rain]])
        let found = events(data)
        #expect(Set(found.filter { $0.start == start.addingTimeInterval(330 * 3_600) }.map(\.pointID)) == ["M2", "T1"])
        let event = try #require(found.first { $0.pointID == "M1" && $0.start >= start.addingTimeInterval(299 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.suspectedFault == .calibrationStep)
    }

    /// The step at M1 (+120 µS/cm from hour 300 for 72 h) with a pattern from `rainHour` raising conductivity at
    /// every station for 8 h (+150 at M2 and T1, +60 more at M1): the trace of M1's event.
    private func stepWithRisingPattern(at rainHour: Int) throws -> TraceResult {
        let rise = Pulse(hour: rainHour, hours: 8, increment: 150)
        let data = stations([:], conductivityOnly: ["M1": [Pulse(hour: 300, hours: 72, increment: 120),
                                                           Pulse(hour: rainHour, hours: 8, increment: 60)],
                                                    "M2": [rise], "T1": [rise]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M1" && $0.start >= start.addingTimeInterval(299 * 3_600) })
        return TraceEngine(network: network, baselines: data, events: found).trace(event)
    }

    @Test("the step with the stations' events raising conductivity too from 15 h into it is not a step: the pattern moves it the same way, and 14 h before it are too few")
    func stepLikeThePattern() throws {
        #expect(try stepWithRisingPattern(at: 315).suspectedFault != .calibrationStep)
    }

    @Test("the same pattern beginning 40 h into the step: the 39 h before it are a step of conductivity alone")
    func stepBeforeThePattern() throws {
        #expect(try stepWithRisingPattern(at: 340).suspectedFault == .calibrationStep)
    }

    @Test("conductivity and CODMn falling together at M2 is no pollution: effluent raises both")
    func notPollution() throws {
        let data = stations(["M2": [Pulse(hour: 400, hours: 6, increment: -200)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .notPollution)
        #expect(trace.suspectSegment == nil)
    }

    @Test("the same rise in conductivity and CODMn over four hours is a plume, traced")
    func plumeIsNotASpike() throws {
        let data = stations(["M2": [Pulse(hour: 400, hours: 4, increment: 300)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        #expect(trace.suspectedFault == nil)
    }

    @Test("read every four hours, a plume caught by one reading at M1 and the next at M2 is traced above M1")
    func plumeAtFourHours() throws {
        // Reading 100 (hour 400) at M1, reading 101 (hour 404) at M2: 4 h later, the configured 3.3 h ± 3.7 h slack.
        // One reading each: hourly, a plume reaching only one reading would be a spike, and M1 would not count.
        let data = stations(["M1": [Pulse(hour: 100, hours: 1, increment: 300)],
                             "M2": [Pulse(hour: 101, hours: 1, increment: 300)]], everyHours: 4)
        let found = events(data, everyHours: 4)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        #expect(trace.walked == ["M2", "M1"])
        #expect(trace.suspectSegment?.toPointID == "M1")
    }

    @Test("M1 read every 2 h, M2 hourly: a two-hour plume at M2 that lifted one reading of two parameters at M1 is traced above M1")
    func plumeAtACoarserStationUpstream() throws {
        // M2: hours 403–404 (3.3 h after M1's hour 400). M1 every 2 h: its reading 200 (hour 400) alone is lifted;
        // two hourly readings at M2 span one of M1's intervals, so one reading there is all the plume could leave.
        let data = stations(["M1": [Pulse(hour: 200, hours: 1, increment: 300)],
                             "M2": [Pulse(hour: 403, hours: 2, increment: 300)]], everyHoursAt: ["M1": 2])
        let found = events(data, everyHoursAt: ["M1": 2])
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.evidence.first { $0.pointID == "M1" }?.role == .affected)
        #expect(trace.suspectSegment?.toPointID == "M1")
    }

    @Test("M1 and M2 hourly: one lifted reading at M1 does not make it affected; the stretch stays between M1 and M2")
    func oneReadingAtAnHourlyStationUpstream() throws {
        let data = stations(["M1": [Pulse(hour: 400, hours: 1, increment: 300)],
                             "M2": [Pulse(hour: 403, hours: 2, increment: 300)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.evidence.first { $0.pointID == "M1" }?.role == .clean)
        #expect(trace.suspectSegment?.fromPointID == "M1" && trace.suspectSegment?.toPointID == "M2")
    }

    @Test("read every four hours, one parameter alone over two readings is put down to a spike, and the note says a short pulse would look the same")
    func spikeAtFourHours() throws {
        let data = stations([:], conductivityOnly: ["M2": [Pulse(hour: 100, hours: 2, increment: 300)]], everyHours: 4)
        let found = events(data, everyHours: 4)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .sensorFault)
        #expect(trace.suspectedFault == .spike)
        #expect(trace.note == "spike: 2 readings of cond rose and no other parameter moved; readings 4 h apart, so a short "
                    + "pulse of one parameter would look the same")
    }

    @Test("a river three times slower than configured: lags learned from earlier plumes find M1 affected 10 h up")
    func slowRiver() throws {
        // Three earlier plumes and the traced one pass M1 and, 10 h later, M2: 3 × the configured 3.333 h. By hand:
        // each plume is one observation of log(10 / 3.333) = log 3 on M; with the configured velocity as two
        // observations of log 1, the network's weighted median is log 3 (weights 2 at log 1 and 4 at log 3: the half,
        // 3, falls between two observations of log 3), and M's too (its prior is the network's log 3).
        let plumes = [100, 250, 400, 550]
        let data = stations(["M1": plumes.map { Pulse(hour: $0, hours: 4, increment: 400) },
                             "M2": plumes.map { Pulse(hour: $0 + 10, hours: 4, increment: 240) }])
        let found = events(data)
        let engine = TraceEngine(network: network, baselines: data, events: found)
        #expect(abs(engine.travelTimes.factor(river: "M") - 3) < 1e-9)
        #expect(abs(engine.travelTimes.networkFactor - 3) < 1e-9)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start == start.addingTimeInterval(560 * 3_600) })
        let trace = engine.trace(event)
        #expect(trace.walked == ["M2", "M1"])
        #expect(trace.suspectSegment == SuspectSegment(riverID: "M", fromPointID: nil, toPointID: "M1", fromKilometre: 0,
                                                       toKilometre: 2))
        let m1 = try #require(trace.evidence.first { $0.pointID == "M1" })
        #expect(abs(m1.nominalLagHours - 6 / 1.8) < 1e-9)
        #expect(m1.learnedLagHours == 10)
        #expect(m1.lagHours == 10)
    }

    @Test("with the configured velocity the same slow plume is missed at M1: the window ends 3.3 h too early")
    func slowRiverWithoutLearning() throws {
        // Only the traced plume: nothing to learn from. M1's window: 560 − 3.333 − (2 + 1.667) = hour 553.0 to
        // 563 (onset end 566) − 3.333 + 3.667 = 563.3; M1's rise at hours 550–553 leaves one reading in it.
        let data = stations(["M1": [Pulse(hour: 550, hours: 4, increment: 400)],
                             "M2": [Pulse(hour: 560, hours: 4, increment: 240)]])
        let found = events(data)
        let engine = TraceEngine(network: network, baselines: data, events: found)
        #expect(engine.travelTimes.factor(river: "M") == 1)
        let event = try #require(found.first { $0.pointID == "M2" })
        #expect(engine.trace(event).walked == ["M2"])
    }

    @Test("a plume at M2 alone: the stretch takes in T's mouth below T1, so the field step is the mouth first")
    func confluenceInseparable() throws {
        let data = stations(["M2": [Pulse(hour: 400, hours: 4, increment: 300)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        #expect(trace.confluence == ConfluenceCheck(tributaryID: "T", receivingRiverID: "M", confluenceKilometre: 5,
                                                    finding: .inseparable))
    }

    @Test("both branches rise: T1's load explains 73 % of the rise at M2 (mass balance by hand), the walk goes up T")
    func confluenceMassBalanceTributary() throws {
        // Flows from river lengths (2.5 per km of length at the head, 1 per km along): M1 30 + 2 = 32, T1 7.5 + 1 = 8.5,
        // M2 30 + 8 + (7.5 + 3) = 48.5. Relative rises: M1 60 / 600 = 0.1, T1 600 / 600 = 1. Loads: 0.1 × 32 / 48.5 =
        // 0.066 and 1 × 8.5 / 48.5 = 0.175; T's share 0.175 / 0.241 = 0.727, M's 0.273 (< half of T's: separable).
        let data = stations(["M1": [Pulse(hour: 400, hours: 4, increment: 60)],
                             "T1": [Pulse(hour: 400, hours: 4, increment: 600)],
                             "M2": [Pulse(hour: 403, hours: 4, increment: 100)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.walked == ["M2", "T1"])
        let check = try #require(trace.confluence)
        #expect(check.finding == .tributary)
        #expect(abs((check.tributaryShare ?? 0) - 0.727) < 0.03)
        #expect(abs((check.receivingShare ?? 0) - 0.273) < 0.03)
    }

    @Test("both branches rise alike: loads 0.110 (M1) and 0.117 (T1) by hand, so the branches cannot be told apart")
    func confluenceMassBalanceInseparable() throws {
        // M1 100 / 600 = 0.167 × 32 / 48.5 = 0.110; T1 400 / 600 = 0.667 × 8.5 / 48.5 = 0.117: shares 0.485 and 0.515.
        let data = stations(["M1": [Pulse(hour: 400, hours: 4, increment: 100)],
                             "T1": [Pulse(hour: 400, hours: 4, increment: 400)],
                             "M2": [Pulse(hour: 403, hours: 4, increment: 120)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        let check = try #require(trace.confluence)
        #expect(check.finding == .inseparable)
        #expect(abs((check.tributaryShare ?? 0) - 0.515) < 0.03)
    }

    /// Rain at every station from hour 400 to 412: conductivity diluted by 60 µS/cm, CODMn up 0.5 mg/L; `extra` on top.
    private func rain(_ extra: [String: [Parameter: [Pulse]]]) -> [String: [Parameter: BaselineSeries]] {
        Dictionary(uniqueKeysWithValues: ["M1", "M2", "T1"].map { id in
            (id, [.conductivity: series(level: 600, wobble: 12, [Pulse(hour: 400, hours: 12, increment: -60)]
                                            + (extra[id]?[.conductivity] ?? [])),
                  .permanganateIndex: series(level: 5, wobble: 0.1, [Pulse(hour: 400, hours: 12, increment: 0.5)]
                                                 + (extra[id]?[.permanganateIndex] ?? []))])
        })
    }

    @Test("a weak rise 4 h before rain that the rain's peak carries on is the rain: district-wide, not traced")
    func weakRiseBeforeRain() throws {
        // CODMn +0.2 mg/L at M2 from hour 396: above the entry score but a single parameter below the peak score, so
        // no event by itself; the rain from hour 400 makes it one.
        let data = rain(["M2": [.permanganateIndex: [Pulse(hour: 396, hours: 16, increment: 0.2)]]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start == start.addingTimeInterval(396 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .districtWide)
        #expect(trace.note?.hasPrefix("began 4 h before a district-wide pattern") == true)
    }

    @Test("a leak 10 h before rain is traced by its part before the rain, with the leak's own signature")
    func leakBeforeRain() throws {
        // From hour 390 at M2: conductivity +150 µS/cm and CODMn +3 mg/L, on through the rain. Before the rain both
        // rose (an industrial profile); in the rain conductivity would read diluted.
        let leak = [Pulse(hour: 390, hours: 40, increment: 150)]
        let data = rain(["M2": [.conductivity: leak, .permanganateIndex: leak.map { Pulse(hour: $0.hour, hours: $0.hours, increment: 3) }]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M2" && $0.start == start.addingTimeInterval(390 * 3_600) })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .source)
        #expect(trace.districtPattern?.handling == .partBefore)
        #expect(Set(trace.districtPattern?.parameters ?? []) == [.conductivity, .permanganateIndex])
        #expect(trace.suspectSegment?.toPointID == "M2")
        #expect(trace.candidates.first?.sourceID == "S-IND")
    }
}

@Suite("Calibrated confidence")
struct ConfidenceModelTests {
    private func basis(strength: Double, parameters: Int, affected: Int, cleanAbove: Bool, noData: Int, fit: Double,
                       inPattern: Bool, inseparable: Bool, downstream: Int, hours: Double, underWay: Bool = false,
                       muddied: Bool = false, othersMuddied: Int = 0) -> ConfidenceBasis {
        ConfidenceBasis(logStrength: log(strength), parameters: parameters, affected: affected, cleanAbove: cleanAbove,
                        noData: noData, profileFit: fit, inPattern: inPattern, inseparable: inseparable,
                        downstream: downstream, logHours: log(hours), upstreamUnderWay: underWay, muddied: muddied,
                        othersMuddied: othersMuddied)
    }

    @Test("a plume confirmed above and below: z = −4.231 + 0.663 ln 10 − 0.207 × 2 + 1.216 + 1.136 + 5.233 × 0.6 + 1.262 + 0.032 ln 4 = 3.6798, model 0.975392, calibrated 0.975")
    func confirmedPlume() {
        let facts = basis(strength: 10, parameters: 2, affected: 1, cleanAbove: true, noData: 0, fit: 0.6,
                          inPattern: false, inseparable: false, downstream: 1, hours: 4)
        // σ(3.6798) = 0.975392, under the cap of 0.98.
        #expect(abs(ConfidenceModel.modelProbability(facts) - 0.975392) < 1e-6)
        // Between the knots (0.975, 0.975) and (1, 1): 0.975 + (0.975392 − 0.975) / 0.025 × 0.025 = 0.975392.
        #expect(ConfidenceModel.probability(facts) == 0.975)
    }

    @Test("the same plume with one under way above, turbidity up and two other stations muddied: z = 3.6798 − 1.679 − 1.236 − 0.603 × 2 = −0.4412, model 0.391449, calibrated 0.357: uncertain")
    func runoffAndPlumeUnderWay() {
        let facts = basis(strength: 10, parameters: 2, affected: 1, cleanAbove: true, noData: 0, fit: 0.6,
                          inPattern: false, inseparable: false, downstream: 1, hours: 4, underWay: true, muddied: true,
                          othersMuddied: 2)
        #expect(abs(ConfidenceModel.modelProbability(facts) - 0.391449) < 1e-6)
        // Between the knots (0.374, 0.346) and (0.423, 0.378): 0.346 + (0.391449 − 0.374) / 0.049 × 0.032 = 0.35740.
        #expect(ConfidenceModel.probability(facts) == 0.357)
    }

    @Test("a model probability of one half is stated as 0.557: 0.544 + (0.5 − 0.475) / 0.05 × 0.026, the share right near it")
    func calibratedHalf() {
        #expect(abs(ConfidenceModel.calibrated(0.5) - 0.557) < 1e-12)
        #expect(ConfidenceModel.calibrated(0) == 0)
        #expect(ConfidenceModel.calibrated(1) == 1)
    }

    @Test("the calibration keeps the model's order: its knots rise in both coordinates, so a higher model probability is never stated lower")
    func calibrationIsMonotone() {
        let knots = ConfidenceModel.calibration
        #expect(zip(knots, knots.dropFirst()).allSatisfy { $0.model < $1.model && $0.right <= $1.right })
        let grid = stride(from: 0.0, through: 1.0, by: 0.001).map(ConfidenceModel.calibrated)
        #expect(zip(grid, grid.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("an excursion of one station, unconfirmed below, at a confluence: z = −5.6455, floored at 0.02, calibrated 0.023")
    func unconfirmedExcursion() {
        // −4.231 + 0.663 ln 6 − 0.207 + 0 + 0 − 2.558 + 5.233 × 0.3 + 0.151 − 1.267 − 0.365 + 0.032 ln 10 = −5.6455;
        // σ = 0.0035, floored at 0.02; between (0, 0) and (0.029, 0.034): 0.02 / 0.029 × 0.034 = 0.02345.
        let p = ConfidenceModel.probability(basis(strength: 6, parameters: 1, affected: 0, cleanAbove: false, noData: 1, fit: 0.3,
                                                  inPattern: true, inseparable: true, downstream: -1, hours: 10))
        #expect(p == 0.023)
    }

    @Test("a trace below the threshold is uncertain, with what would settle it: the station below first")
    func uncertainVerdict() throws {
        // A single spike-free but weak rise at M1 alone (conductivity and CODMn, 5 h): M2 below sees nothing although
        // it reports; nothing above M1 to confirm it.
        let data = stations(["M1": [Pulse(hour: 400, hours: 5, increment: 45)]])
        let found = events(data)
        let event = try #require(found.first { $0.pointID == "M1" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.downstream?.pointID == "M2")
        #expect(trace.downstream?.finding == .notSeen)
        #expect(trace.confidence < TraceEngine.defaultUncertainBelow)
        #expect(trace.verdict == .uncertain)
        #expect(trace.settledBy?.first?.kind == .checkBelow)
        #expect(trace.settledBy?.first?.pointID == "M2")
        // A district that sends a team for any trace (uncertain_below = 0) gets the same trace as a source verdict.
        var sendAll = TraceEngine(network: network, baselines: data, events: found)
        sendAll.uncertainBelow = 0
        let sent = sendAll.trace(event)
        #expect(sent.verdict == .source)
        #expect(sent.confidence == trace.confidence)
    }
}
