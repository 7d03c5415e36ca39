import Foundation
import RiverModel
@testable import Simulator
import TestSupport
import Testing

@Suite("the measurement noise's multiplier")
struct NoiseScaleTests {
    /// The clean scenario (no events, faults or dirty files) for five days with the noise × `scale`.
    func simulated(scale: Double) throws -> (truth: GroundTruth, series: [String: [Parameter: [Observation]]]) {
        var chosen = settings(.clean, days: 5, seed: 41)
        chosen.noiseScale = scale
        let run = try simulatedSeries(chosen, label: "noise-\(scale)")
        return (run.truth, run.series)
    }

    @Test("at 2 every reading is as far from the noise-free water (scale 0) as twice its distance at 1, within the dumps' rounding")
    func noiseDoubles() throws {
        let (quiet, plain, doubled) = (try simulated(scale: 0), try simulated(scale: 1), try simulated(scale: 2))
        #expect(quiet.truth.noiseScale == 0 && plain.truth.noiseScale == nil && doubled.truth.noiseScale == 2)
        // NH3-N is written with 3 decimals (relative noise, 4 % of the level), temperature with 1 (0.3 ℃ absolute):
        // each written value is off by at most half its last digit, so (v2 − v0) − 2 (v1 − v0) by four halves.
        for (parameter, halfDigit) in [(Parameter.ammoniaNitrogen, 0.000_5), (.temperature, 0.05)] {
            var compared = 0, noisy = 0
            for (pointID, byParameter) in quiet.series {
                guard let v0 = byParameter[parameter], let v1 = plain.series[pointID]?[parameter],
                      let v2 = doubled.series[pointID]?[parameter] else { continue }
                #expect(v0.map(\.time) == v1.map(\.time) && v0.map(\.time) == v2.map(\.time), "\(pointID): the same readings")
                for ((zero, one), two) in zip(zip(v0, v1), v2) {
                    let (a, b, c) = (try #require(zero.value), try #require(one.value), try #require(two.value))
                    #expect(abs((c - a) - 2 * (b - a)) <= 4 * halfDigit + 1e-9, "\(pointID) \(parameter.code) at \(zero.time)")
                    if abs(b - a) > 2 * halfDigit { noisy += 1 }
                    compared += 1
                }
            }
            #expect(compared > 100)
            #expect(noisy * 2 > compared, "\(parameter.code): most readings carry noise at scale 1")
        }
    }
}
