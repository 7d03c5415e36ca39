import Foundation
import Ingest
import Pipeline
import RiverModel
@testable import Simulator
import Store
import TestSupport
import Testing

@Suite("patchy rain")
struct PatchyRainTests {
    /// The stress scenario for 20 days of July (rain on a fifth of the days), with or without patchy rain.
    func simulated(patchy: Bool) throws -> (truth: GroundTruth, series: [String: [Parameter: [Observation]]]) {
        var chosen = settings(.stress, days: 20, seed: 31)
        chosen.patchyRain = patchy
        let run = try simulatedSeries(chosen, label: patchy ? "patchy" : "uniform")
        return (run.truth, run.series)
    }

    @Test("patchy rain changes only the water under rain: the same rain times, events and faults, the same readings before the first rain")
    func onlyTheRainChanges() throws {
        let uniform = try simulated(patchy: false)
        let patchy = try simulated(patchy: true)
        #expect(uniform.truth.patchyRain == nil)
        #expect(patchy.truth.patchyRain == true)
        #expect(patchy.truth.rain.map(\.start) == uniform.truth.rain.map(\.start))
        #expect(patchy.truth.rain.map(\.intensity) == uniform.truth.rain.map(\.intensity))
        #expect(patchy.truth.discharges.map(\.id) == uniform.truth.discharges.map(\.id))
        #expect(patchy.truth.faults.map(\.start) == uniform.truth.faults.map(\.start))
        let firstRain = try #require(uniform.truth.rain.first?.start)
        var differUnderRain = 0
        for (pointID, byParameter) in uniform.series {
            let before = try #require(byParameter[.turbidity]).filter { $0.time < firstRain }
            let after = try #require(patchy.series[pointID]?[.turbidity]).filter { $0.time < firstRain }
            #expect(before.map(\.value) == after.map(\.value), "\(pointID): nothing differs before the first rain")
            let uniformAll = try #require(byParameter[.turbidity]), patchyAll = try #require(patchy.series[pointID]?[.turbidity])
            differUnderRain += zip(uniformAll, patchyAll).filter { $0.time >= firstRain && $0.value != $1.value }.count
        }
        #expect(differUnderRain > 0, "the rain fell otherwise")
    }

    @Test("truth.json gives each rain's share at every point, 0–1, and a delay of at most the district's width over the slowest storm")
    func sharesInTruth() throws {
        let truth = try simulated(patchy: true).truth
        #expect(!truth.rain.isEmpty)
        for rain in truth.rain {
            let shares = try #require(rain.pointShares)
            let delays = try #require(rain.pointDelayHours)
            #expect(Set(shares.keys) == Set(sampleNetwork.points.map(\.id)))
            #expect(shares.values.allSatisfy { (0...1).contains($0) })
            // The sample district is about 12 km across; storms move at 10 km/h or faster.
            #expect(delays.values.allSatisfy { (0...2).contains($0) })
            #expect(delays.values.contains(0), "the storm begins somewhere at the rain's start")
        }
        // Over the run's rains, some are cells: a point far from the cell gets little.
        #expect(truth.rain.contains { ($0.pointShares?.values.min() ?? 1) < 0.3 })
    }

    @Test("the runoff at a point: share 0.5, 1 h late, rising over 4 h: three hours into a rain of intensity 0.8, 0.8 × 0.5 × 2/4 = 0.2")
    func runoffByHand() throws {
        var random = RandomSource(seed: 1, stream: 2)
        var plan = SimulationPlan(settings: settings(.clean, days: 2, seed: 1), network: sampleNetwork,
                                  hydrology: Hydrology(network: sampleNetwork, flowScale: 1, velocityFactors: [:]), variation: nil)
        plan.rain = [RainEvent(id: 1, start: plan.origin.addingTimeInterval(10 * 3_600),
                               end: plan.origin.addingTimeInterval(16 * 3_600), intensity: 0.8)]
        let points = sampleNetwork.riversInTreeOrder.flatMap { sampleNetwork.points(on: $0.id) }
        var model = WaterQualityModel(points: points, network: sampleNetwork, plan: plan, start: plan.origin, random: &random)
        model.footprint = RainFootprint(share: [points.map { _ in 0.5 }], delayHours: [points.map { _ in 1 }],
                                        riseHours: [points.map { _ in 4 }])
        #expect(abs(model.runoff(at: 13, point: 0) - 0.2) < 1e-12)
        #expect(model.runoff(at: 10.5, point: 0) == 0, "not yet begun there")
        // After the rain (it ends at 17 h there): the level it reached, 0.8 × 0.5 × min(1, 6/4), decaying with 10 h.
        #expect(abs(model.runoff(at: 27, point: 0) - 0.4 * exp(-1)) < 1e-12)
    }
}
