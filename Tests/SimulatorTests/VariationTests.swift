import Foundation
import RiverModel
@testable import Simulator
import SystemPackage
import TestSupport
import Testing

/// A varied stress run of the sample district, shared by the tests that only read its truth.json.
let variedRun: (directory: String, truth: GroundTruth) = {
    let directory = try! scratchPath("dumps", label: "varied")
    var varied = settings(.stress, days: 120, seed: 501)
    varied.vary = true
    let truth = try! DistrictSimulator(network: sampleNetwork, settings: varied).run(into: directory)
    return (directory, truth)
}()

/// Hours since 2026-07-01 00:00 Beijing time.
private func at(_ hours: Double) -> Date { julyFirst.addingTimeInterval(hours * 3_600) }

@Suite("simulate --vary")
struct VariationTests {
    @Test("without --vary truth.json carries none of the varied keys and impacts travel at rivers.csv velocities")
    func offIsUnchanged() throws {
        let truth = demoRun.truth
        let text = try String(contentsOfFile: FilePath(demoRun.directory).appending("truth.json").string, encoding: .utf8)
        for key in ["\"vary\"", "\"variation\"", "\"conditions\"", "\"velocity_factor\"", "\"window_start\""] {
            #expect(!text.contains(key), "\(key) in a run without --vary")
        }
        // On the discharge's own river: km from points.csv over velocity_m_s from rivers.csv.
        var checked = 0
        for discharge in truth.discharges {
            let velocity = try #require(sampleNetwork.river(discharge.riverID)).velocityMetresPerSecond
            for impact in discharge.impacts {
                let point = try #require(sampleNetwork.point(impact.pointID))
                guard point.riverID == discharge.riverID else { continue }
                let expected = (point.kilometre - discharge.kilometre) * 1_000 / velocity / 3_600
                #expect(abs(impact.travelHours - expected) < 1e-9)
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test("the same seed with --vary writes the same bytes")
    func variedIsDeterministic() throws {
        var varied = settings(.stress, days: 20, seed: 7)
        varied.vary = true
        let (first, second) = (try scratchPath("dumps"), try scratchPath("dumps"))
        _ = try DistrictSimulator(network: sampleNetwork, settings: varied).run(into: first)
        _ = try DistrictSimulator(network: sampleNetwork, settings: varied).run(into: second)
        let files = try FileManager.default.subpathsOfDirectory(atPath: first).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: second).sorted()))
        for file in files {
            let a = FileManager.default.contents(atPath: FilePath(first).appending(file).string)
            let b = FileManager.default.contents(atPath: FilePath(second).appending(file).string)
            #expect(a == b, "\(file)")
        }
    }

    @Test("truth.json records --vary and each river's true velocity = rivers.csv velocity × a factor in 0.5–1.5")
    func recordsVelocities() throws {
        let truth = variedRun.truth
        #expect(truth.vary == true)
        let variation = try #require(truth.variation)
        #expect(truth.rivers.count == sampleNetwork.rivers.count)
        for flow in truth.rivers {
            let factor = try #require(flow.velocityFactor)
            #expect((0.5...1.5).contains(factor))
            #expect(variation.velocityFactors[flow.riverID] == factor)
            let configured = try #require(sampleNetwork.river(flow.riverID)).velocityMetresPerSecond
            #expect(abs(try #require(flow.velocityMetresPerSecond) - configured * factor) < 1e-4)
        }
        #expect((1...3).contains(variation.dispersionFactor))
        #expect(variation.decayFactors.values.allSatisfy { (0.5...2).contains($0) })
        #expect(Set(variation.confluenceMixing.keys) == Set(sampleNetwork.rivers.filter { $0.flowsInto != nil }.map(\.id)))
    }

    @Test("in dry weather a varied plume travels distance / (rivers.csv velocity × the river's factor)")
    func dryTravelMatchesFactors() throws {
        let truth = variedRun.truth
        let factor = Dictionary(uniqueKeysWithValues: truth.rivers.map { ($0.riverID, $0.velocityFactor ?? .nan) })
        func hours(_ kilometres: Double, on riverID: String) throws -> Double {
            kilometres * 1_000 / (try #require(sampleNetwork.river(riverID)).velocityMetresPerSecond * factor[riverID]!) / 3_600
        }
        // The runoff factor is 0 outside every [rain start, rain end + 60 h).
        func dry(_ from: Date, _ to: Date) -> Bool {
            !truth.rain.contains { $0.start < to && $0.end.addingTimeInterval(60 * 3_600) > from }
        }
        var sameRiver = 0, acrossConfluence = 0
        for discharge in truth.discharges {
            for impact in discharge.impacts {
                let arrival = try #require(impact.arrival)
                guard dry(discharge.start.addingTimeInterval(-3_600), arrival.addingTimeInterval(3_600)) else { continue }
                let point = try #require(sampleNetwork.point(impact.pointID))
                let river = try #require(sampleNetwork.river(discharge.riverID))
                var expected: Double
                if point.riverID == discharge.riverID {
                    expected = try hours(point.kilometre - discharge.kilometre, on: discharge.riverID)
                    sameRiver += 1
                } else if river.flowsInto == point.riverID, let mouth = river.confluenceKilometres {
                    // Down the tributary to its mouth, then down the river it joins.
                    expected = try hours(river.lengthKilometres - discharge.kilometre, on: river.id)
                        + hours(point.kilometre - mouth, on: point.riverID)
                    acrossConfluence += 1
                } else {
                    continue
                }
                #expect(abs(impact.travelHours - expected) < 1e-6, "\(discharge.id) → \(impact.pointID)")
                #expect(abs(arrival.timeIntervalSince(discharge.start) - expected * 3_600) < 1.5,
                        "arrival is the start + the travel, to the second")
            }
        }
        #expect(sameRiver >= 5 && acrossConfluence >= 5, "\(sameRiver) on their own river, \(acrossConfluence) across one mouth")
    }

    @Test("in full runoff water runs (1 + 2)^0.4 = 1.5518 times faster; 60 h after the rain, at base speed")
    func rainSpeedsTheWaterUp() {
        let variation = SimulationVariation(velocityFactors: [:])
        // Intensity 1 from hour 0 to 100: the runoff factor is 1 from hour 2 to 100, 0 from hour 160.
        let clock = FlowClock(rain: [(start: 0, end: 100, intensity: 1)], hours: 400, variation: variation)
        #expect(abs(clock.flowHour(50) - clock.flowHour(10) - 40 * 1.551_845_574) < 1e-6)
        #expect(abs(clock.travelHours(from: 10, flowHours: 15.518_455_74) - 10) < 1e-6)
        #expect(abs(clock.travelHours(from: 200, flowHours: 5) - 5) < 1e-9, "dry again")
        #expect(abs(clock.realHour(clock.flowHour(123.4)) - 123.4) < 1e-9)
    }

    @Test("the model's plume front reaches M-02 when the true velocity says (5 km at 0.3 × 0.5 m/s = 9.26 h)")
    func modelUsesTheFactors() throws {
        let variation = SimulationVariation(velocityFactors: ["MAIN": 0.5, "TRIB": 1.5])
        let hydrology = Hydrology(network: fixtureNetwork, velocityFactors: variation.velocityFactors)
        var plan = SimulationPlan(settings: settings(.stress, days: 10), network: fixtureNetwork, hydrology: hydrology,
                                  variation: variation)
        plan.rain = []
        plan.flowClock = FlowClock(rain: [], hours: 240, variation: variation)
        let leak = plan.discharge(id: "V", kind: .sewageLeak, registered: nil, riverID: "MAIN", km: 3,
                                  begin: at(24), end: at(200), flow: 0.01, effluent: ["cond": 1_000], rainID: nil,
                                  network: fixtureNetwork, hydrology: hydrology)
        plan.discharges = [leak]
        let expected = 5_000 / (0.3 * 0.5) / 3_600
        let impact = try #require(leak.impacts.first { $0.pointID == "M-02" })
        #expect(abs(impact.travelHours - expected) < 1e-6)
        var random = RandomSource(seed: 1)
        let points = fixtureNetwork.points
        let model = WaterQualityModel(points: points, network: fixtureNetwork, plan: plan, start: julyFirst,
                                      random: &random)
        let index = try #require(points.firstIndex { $0.id == "M-02" })
        let clock = try #require(model.flowClock)
        func excess(_ t: Double) -> Double {
            var values = [Double](repeating: 0, count: Slot.count)
            model.background(point: index, hour: t, dayOfYear: 186, hourOfDay: 4, runoff: 0, into: &values)
            let before = values[Slot.conductivity.rawValue]
            for active in model.impacts where active.pointIndex == index {
                WaterQualityModel.apply(active, clockHour: clock.flowHour(t),
                                        decayHours: t - clock.realHour(clock.flowHour(t) - active.travelHours), to: &values)
            }
            return values[Slot.conductivity.rawValue] - before
        }
        // A long release: at the front's arrival half the full rise (the spreading is symmetric).
        #expect(abs(excess(24 + expected) / excess(150) - 0.5) < 1e-3)
        #expect(excess(24 + expected - 8) < 0.05 * excess(150), "nothing much before the front")
    }

    @Test("below a confluence the first station sees the tributary's mixing share of the fully mixed rise (× 1.5)")
    func confluenceMixing() throws {
        let variation = SimulationVariation(velocityFactors: ["MAIN": 1, "TRIB": 1], confluenceMixing: ["TRIB": 1.5])
        let hydrology = Hydrology(network: fixtureNetwork, velocityFactors: variation.velocityFactors)
        var plan = SimulationPlan(settings: settings(.stress, days: 10), network: fixtureNetwork, hydrology: hydrology,
                                  variation: variation)
        plan.flowClock = FlowClock(rain: [], hours: 240, variation: variation)
        func dilution(_ river: String, _ km: Double, at point: String) throws -> Double {
            let discharge = plan.discharge(id: "X", kind: .sewageLeak, registered: nil, riverID: river, km: km,
                                           begin: at(24), end: at(48), flow: 0.01, effluent: [:], rainID: nil,
                                           network: fixtureNetwork, hydrology: hydrology)
            return try #require(discharge.impacts.first { $0.pointID == point }).dilution
        }
        // Flows (hand-worked in "flows add up"): TRIB at 2.5 km 0.2, MAIN at 8 km 0.5 + 0.16 + 0.21 = 0.87 m³/s.
        #expect(abs(try dilution("TRIB", 1, at: "M-02") - 0.01 / 0.87 * 1.5) < 1e-12)
        #expect(abs(try dilution("TRIB", 1, at: "T-01") - 0.01 / 0.2) < 1e-12, "on the tributary: fully mixed")
        #expect(abs(try dilution("MAIN", 3, at: "M-02") - 0.01 / 0.87) < 1e-12, "the receiving river's own plume")
    }

    @Test("conditions, worked by hand on the fixture network", arguments: [
        ("A", ["overlapping", "successive", "before_rain", "slow_river", "below_confluence", "fault_on_path"]),
        ("B", ["unregistered", "overlapping", "before_rain", "fast_river", "fault_on_path"]),
        ("C", ["unregistered", "successive", "before_rain", "slow_river"]),
        ("D", ["unregistered", "successive", "during_rain", "slow_river", "below_confluence"]),
        ("E", ["unregistered", "successive", "after_rain", "fast_river"]),
    ])
    func conditions(id: String, expected: [String]) throws {
        let hydrology = Hydrology(network: fixtureNetwork)
        let plan = SimulationPlan(settings: settings(.clean, days: 10), network: fixtureNetwork, hydrology: hydrology)
        let s01 = fixtureNetwork.sources.first { $0.id == "S-01" }
        func discharge(_ id: String, _ river: String, _ km: Double, _ from: Double, _ to: Double,
                       _ registered: RegisteredSource? = nil) -> Discharge {
            plan.discharge(id: id, kind: .industrialPulse, registered: registered, riverID: river, km: km,
                           begin: at(from), end: at(to), flow: 0.05, effluent: [:], rainID: nil,
                           network: fixtureNetwork, hydrology: hydrology)
        }
        // A at S-01 (MAIN km 3): first station M-02, the first below TRIB's mouth (km 4); window there
        // 100 + 4.63 − 4 × 0.84 … 110 + 4.63 + 4 × 0.84 h. B on TRIB overlaps it, and its plume passes M-02.
        // C (above M-01) begins 10 h after A ends; D 5 h after C, in the rain; E 12 h after D, 10 h after the rain.
        // Only A is at a registered source.
        let all = [
            discharge("A", "MAIN", 3, 100, 110, s01), discharge("B", "TRIB", 1, 105, 108),
            discharge("C", "MAIN", 0.5, 120, 121), discharge("D", "MAIN", 5, 126, 128),
            discharge("E", "TRIB", 2, 140, 142),
        ]
        let conditions = DischargeConditions(
            network: fixtureNetwork, stations: Set(fixtureNetwork.points.map(\.id)),
            rain: [RainEvent(id: 1, start: at(124), end: at(130), intensity: 0.5)],
            faults: [SensorFault(id: "F1", kind: .stuck, pointID: "M-02", parameters: [.conductivity],
                                 start: at(112), end: at(113), magnitude: 0)],
            velocityFactors: ["MAIN": 0.7, "TRIB": 1.3])
        let discharge = try #require(all.first { $0.id == id })
        #expect(conditions.of(discharge, among: all) == expected)
    }

    @Test("a varied year's discharges all carry conditions: about half unregistered, some overlapping or successive")
    func conditionsPresent() throws {
        let truth = variedRun.truth
        let sources = truth.discharges.filter { $0.kind != .stormwaterOverflow }
        #expect(sources.count >= 15)
        #expect(truth.discharges.allSatisfy { $0.conditions != nil })
        let known = Set(DischargeConditions.all)
        #expect(sources.allSatisfy { Set($0.conditions ?? []).isSubset(of: known) })
        func share(_ tag: String) -> Double {
            Double(sources.filter { $0.conditions?.contains(tag) == true }.count) / Double(sources.count)
        }
        #expect((0.3...0.75).contains(share("unregistered")))
        #expect(sources.filter { ($0.conditions ?? []).contains { $0 == "overlapping" || $0 == "successive" } }.count >= 3)
        #expect(sources.allSatisfy { ($0.conditions?.contains("unregistered") == true) == ($0.registeredSourceID == nil) })
        #expect(truth.faults.count > Int((120.0 / 30 * 4).rounded()), "faults on the plumes' paths besides the scenario's")
        for discharge in sources {
            let factor = try #require(truth.rivers.first { $0.riverID == discharge.riverID }?.velocityFactor)
            #expect((discharge.conditions?.contains("slow_river") == true) == (factor < 0.8))
            #expect((discharge.conditions?.contains("fast_river") == true) == (factor > 1.2))
        }
    }
}
