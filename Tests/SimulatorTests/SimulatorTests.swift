import CSV
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
@testable import Simulator
import Standards
import Store
import TestSupport
import Testing

/// 2026-07-01 00:00 Beijing time.
let julyFirst = Date(timeIntervalSince1970: 1_782_835_200)

func settings(_ scenario: ScenarioName = .demo, days: Int, seed: UInt64 = 11) -> SimulationSettings {
    var settings = SimulationSettings(start: julyFirst)
    settings.scenario = scenario
    settings.days = days
    settings.seed = seed
    return settings
}

/// The discharges of a varied stress run on the sample network without and with an extra kind of event (`knob` set to
/// `perMonth`), whose ids begin with `prefix`; checks that the scenario's own events are the same in both.
func dischargesWithAndWithout(_ knob: WritableKeyPath<SimulationSettings, Double>, perMonth: Double, prefix: String,
                              days: Int, seed: UInt64) throws -> [Discharge] {
    var plain = settings(.stress, days: days, seed: seed)
    plain.vary = true
    let without = try DistrictSimulator(network: sampleNetwork, settings: plain)
        .run(into: try scratchPath("dumps", label: "without-\(prefix)"))
    plain[keyPath: knob] = perMonth
    let with = try DistrictSimulator(network: sampleNetwork, settings: plain)
        .run(into: try scratchPath("dumps", label: "with-\(prefix)"))
    #expect(without.discharges.allSatisfy { !$0.id.hasPrefix(prefix) })
    let others = with.discharges.filter { !$0.id.hasPrefix(prefix) }
    #expect(others.map(\.id) == without.discharges.map(\.id), "the scenario's events as before")
    #expect(others.map(\.start) == without.discharges.map(\.start))
    return with.discharges.filter { $0.id.hasPrefix(prefix) }
}

/// A run of `settings` on the sample network, ingested into a store in memory: its truth and every series read back.
func simulatedSeries(_ settings: SimulationSettings, label: String) throws
    -> (truth: GroundTruth, report: IngestReport, series: [String: [Parameter: [Observation]]]) {
    let directory = try scratchPath("dumps", label: label)
    let truth = try DistrictSimulator(network: sampleNetwork, settings: settings).run(into: directory)
    let store = try ReadingStore.inMemory()
    let report = try IngestJob(store: store, network: sampleNetwork, options: IngestOptions()).run(paths: [directory])
    return (truth, report, try store.allSeries(from: truth.start, to: truth.end))
}

/// One demo run shared by the tests that only read it (simulating and ingesting once keeps the suite fast).
let demoRun: (directory: String, truth: GroundTruth, store: ReadingStore, report: IngestReport) = {
    let directory = try! scratchPath("dumps", label: "demo")
    let truth = try! DistrictSimulator(network: sampleNetwork, settings: settings(days: 75)).run(into: directory)
    let store = try! ReadingStore.inMemory()
    let report = try! IngestJob(store: store, network: sampleNetwork, options: IngestOptions()).run(paths: [directory])
    return (directory, truth, store, report)
}()

/// The analysis of the whole demo run, made once for the tests that hold its findings against truth.json (each
/// made its own before: four analyses of 75 days where one serves).
let demoAnalysis = Result {
    try AnalysisJob(store: demoRun.store, network: sampleNetwork, timeZone: .chinaStandard)
        .run(period: EvaluationPeriod(label: "demo", start: demoRun.truth.start, end: demoRun.truth.end))
}

@Suite("the simulator")
struct SimulatorTests {
    @Test("the same seed writes the same bytes; another seed does not")
    func determinism() throws {
        let (first, second, third) = (try scratchPath("dumps"), try scratchPath("dumps"), try scratchPath("dumps"))
        _ = try DistrictSimulator(network: sampleNetwork, settings: settings(days: 35)).run(into: first)
        _ = try DistrictSimulator(network: sampleNetwork, settings: settings(days: 35)).run(into: second)
        _ = try DistrictSimulator(network: sampleNetwork, settings: settings(days: 35, seed: 12)).run(into: third)
        let files = try FileManager.default.subpathsOfDirectory(atPath: first).sorted()
        #expect(files.count > 60)
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: second).sorted()))
        var identical = true
        var differs = false
        for file in files {
            let a = FileManager.default.contents(atPath: (first as NSString).appendingPathComponent(file))
            let b = FileManager.default.contents(atPath: (second as NSString).appendingPathComponent(file))
            let c = FileManager.default.contents(atPath: (third as NSString).appendingPathComponent(file))
            if a != b { identical = false }
            if a != c { differs = true }
        }
        #expect(identical)
        #expect(differs)
    }

    @Test("flows add up at confluences (fixture: TRIB 3 km joins MAIN at km 4; hand-worked)")
    func flowsAddUp() {
        let hydrology = Hydrology(network: fixtureNetwork)
        // Headwater 0.05 m³/s per km of length, lateral 0.02 m³/s per km.
        #expect(abs(hydrology.flow(river: "TRIB", kilometre: 3) - 0.21) < 1e-12)
        #expect(abs(hydrology.flow(river: "MAIN", kilometre: 3.99) - (0.5 + 0.0798)) < 1e-12)
        #expect(abs(hydrology.flow(river: "MAIN", kilometre: 8) - (0.5 + 0.16 + 0.21)) < 1e-12)
    }

    @Test("travel time is distance / velocity along the tree (T-01 → M-02: 0.5 km at 0.2 m/s + 4 km at 0.3 m/s)")
    func travelTime() throws {
        let hydrology = Hydrology(network: fixtureNetwork)
        let target = try #require(fixtureNetwork.point("M-02"))
        let path = try #require(hydrology.path(fromRiver: "TRIB", kilometre: 2.5, to: target))
        #expect(abs(path.kilometres - 4.5) < 1e-12)
        #expect(abs(path.hours - (500 / 0.2 + 4000 / 0.3) / 3600) < 1e-12)
        #expect(hydrology.path(fromRiver: "MAIN", kilometre: 9, to: target) == nil, "upstream points are not reached")
    }

    @Test("mass balance: a conservative load is the same at a tributary point and below the confluence")
    func massBalance() throws {
        let hydrology = Hydrology(network: fixtureNetwork)
        var plan = SimulationPlan(settings: settings(.clean, days: 10), network: fixtureNetwork, hydrology: hydrology)
        let leak = plan.discharge(id: "T", kind: .sewageLeak, registered: nil, riverID: "TRIB", km: 1.0,
                                  begin: julyFirst, end: julyFirst.addingTimeInterval(9 * 86_400), flow: 0.01,
                                  effluent: ["cond": 1_000], rainID: nil, network: fixtureNetwork, hydrology: hydrology)
        plan.discharges = [leak]
        let points = fixtureNetwork.points
        var random = RandomSource(seed: 1)
        let model = WaterQualityModel(points: points, network: fixtureNetwork, plan: plan, start: julyFirst, random: &random)
        func excess(_ id: String) throws -> Double {
            let index = try #require(points.firstIndex { $0.id == id })
            var values = [Double](repeating: 0, count: Slot.count)
            model.background(point: index, hour: 100, dayOfYear: 186, hourOfDay: 4, runoff: 0, into: &values)
            let before = values[Slot.conductivity.rawValue]
            for impact in model.impacts where impact.pointIndex == index {
                WaterQualityModel.apply(impact, hour: 100, to: &values)
            }
            return (values[Slot.conductivity.rawValue] - before) / (1_000 - before)
        }
        // Excess fraction × (river flow + discharge flow) = discharge flow, at both points.
        let tributary = try excess("T-01") * (hydrology.flow(river: "TRIB", kilometre: 2.5) + 0.01)
        let below = try excess("M-02") * (hydrology.flow(river: "MAIN", kilometre: 8) + 0.01)
        #expect(abs(tributary - 0.01) < 1e-9)
        #expect(abs(below - 0.01) < 1e-9)
        #expect(try excess("M-01") == 0, "upstream of the confluence sees nothing")
    }

    @Test("the dumps ingest exactly as truth.json predicts: no unexpected quarantine, duplicates or skips")
    func ingestAsPredicted() throws {
        let (_, truth, _, report) = demoRun
        let expected = truth.expectedIngest
        #expect(report.totals.files == expected.files)
        #expect(report.totals.skippedFiles == expected.skippedFiles)
        #expect(report.totals.readingsRead == expected.readingsRead)
        #expect(report.totals.accepted == expected.accepted)
        #expect(report.totals.duplicates == expected.duplicates)
        #expect(report.totals.conflicts == 0)
        #expect(report.totals.quarantinedByReason == expected.quarantinedByReason)
        #expect(expected.skippedFiles > 0 && expected.duplicates > 0, "the demo carries its dirt")
    }
}

@Suite("the clean scenario")
struct CleanScenarioTests {
    @Test("every point meets its target class in mid-winter and mid-summer (GB 3838 monthly means)",
          .tags(.slow), .enabled(if: slowTestsEnabled), arguments: [
        ("2027-01", 1_798_732_800.0), ("2027-07", 1_814_371_200.0),
    ])
    func meetsTargets(label: String, start: Double) throws {
        var clean = SimulationSettings(start: Date(timeIntervalSince1970: start))
        clean.scenario = .clean
        clean.days = 31
        let directory = try scratchPath("dumps", label: "clean")
        _ = try DistrictSimulator(network: sampleNetwork, settings: clean).run(into: directory)
        let store = try ReadingStore.inMemory()
        _ = try IngestJob(store: store, network: sampleNetwork, options: IngestOptions()).run(paths: [directory])
        let zone = TimeZone.chinaStandard
        let document = try AnalysisJob(store: store, network: sampleNetwork, timeZone: zone)
            .run(period: try #require(PeriodParser.parse(label, timeZone: zone)))
        let missed = document.points.filter { $0.meetsTarget != true }.map(\.pointID)
        #expect(missed.isEmpty, "\(label): \(missed)")
    }
}
