import Foundation
import Ingest
import Pipeline
import RiverModel
@testable import Simulator
import Store
import TestSupport
import Testing

@Suite("stations read at different intervals")
struct StationIntervalTests {
    /// The stress scenario (every point a station) for 4 days, every station hourly or each at 1, 2 or 4 h.
    func ingested(stationIntervals: [Int]) throws -> (truth: GroundTruth, series: [String: [Parameter: [Observation]]]) {
        var chosen = settings(.stress, days: 4, seed: 21)
        chosen.stationIntervalChoices = stationIntervals
        let run = try simulatedSeries(chosen, label: "intervals")
        #expect(run.report.totals.accepted == run.truth.expectedIngest.accepted)
        return (run.truth, run.series)
    }

    @Test("each station keeps the readings its interval falls on, and they are the all-hourly run's readings")
    func mixedIsHourlyThinned() throws {
        let hourly = try ingested(stationIntervals: [])
        let mixed = try ingested(stationIntervals: [60, 120, 240])
        #expect(hourly.truth.stationIntervalMinutes == nil)
        let intervals = try #require(mixed.truth.stationIntervalMinutes)
        #expect(intervals.count == sampleNetwork.points.count, "every point is a station in the stress scenario")
        #expect(Set(intervals.values) == [60, 120, 240], "33 draws give each choice")
        for (pointID, minutes) in intervals {
            let all = try #require(hourly.series[pointID]?[.ammoniaNitrogen])
            let kept = try #require(mixed.series[pointID]?[.ammoniaNitrogen])
            // Hours since the start on the station's grid (a dropout or a shifted clock may remove a few).
            let onGrid = all.filter { Int($0.time.timeIntervalSince(hourly.truth.start)) % (minutes * 60) == 0 }
            #expect(kept.map(\.time) == onGrid.map(\.time), "\(pointID) every \(minutes) min")
            #expect(kept.map(\.value) == onGrid.map(\.value), "\(pointID): the same water")
            #expect(kept.count >= 4 * 24 * 60 / minutes - 3)
            // The clean series are counted at the steps the station reports: 96 hours / its interval.
            let clean = try #require(mixed.truth.cleanSeries.first { $0.pointID == pointID && $0.parameter == .ammoniaNitrogen })
            #expect(clean.count == 4 * 24 * 60 / minutes, "\(pointID) every \(minutes) min")
        }
    }

    @Test("the library refuses station intervals below the step, off its multiples, or given twice, before writing anything",
          arguments: [[30], [60, 90], [60, 60, 240], [0]])
    func refusedChoices(_ choices: [Int]) throws {
        var chosen = settings(.stress, days: 1, seed: 21)
        chosen.stationIntervalChoices = choices
        let directory = try scratchPath("dumps", label: "refused")
        #expect(throws: SimulationError.self) { try DistrictSimulator(network: sampleNetwork, settings: chosen).run(into: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
