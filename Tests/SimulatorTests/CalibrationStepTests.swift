import Foundation
import RiverModel
@testable import Simulator
import Testing

@Suite("calibration steps")
struct CalibrationStepTests {
    @Test("a calibration step multiplies its analyser's readings by 1 + its share inside its window and changes nothing else")
    func stepsScaleTheirWindowOnly() throws {
        var plain = settings(.stress, days: 20, seed: 51)
        let without = try simulatedSeries(plain, label: "no-steps")
        plain.calibrationStepsPerMonth = 6
        let with = try simulatedSeries(plain, label: "steps")
        let steps = with.truth.faults.filter { $0.kind == .step }
        #expect(steps.count == 4, "20 days at 6 a month")
        #expect(without.truth.faults.allSatisfy { $0.kind != .step })
        #expect(with.truth.faults.filter { $0.kind != .step }.map(\.id) == without.truth.faults.map(\.id), "the scenario's faults as before")
        #expect(steps.allSatisfy { (0.15...0.4).contains(abs($0.magnitude)) && $0.parameters.count == 1 })
        var inside = 0
        for (pointID, byParameter) in without.series {
            for (parameter, readings) in byParameter {
                let stepped = try #require(with.series[pointID]?[parameter])
                #expect(stepped.map(\.time) == readings.map(\.time), "\(pointID) \(parameter.code): the same readings")
                let mine = steps.filter { $0.pointID == pointID && $0.parameters == [parameter] }
                for (before, after) in zip(readings, stepped) {
                    let (a, b) = (try #require(before.value), try #require(after.value))
                    guard let step = mine.first(where: { $0.start <= before.time && before.time <= $0.end }) else {
                        #expect(a == b, "\(pointID) \(parameter.code) at \(before.time): outside every step")
                        continue
                    }
                    // The dumps round to the parameter's decimals: within one last digit of the multiplied value.
                    let slot = try #require(Slot.allCases.first { $0.parameter == parameter })
                    let digit = pow(10, -Double(DumpWriter.decimals(slot)))
                    #expect(abs(b - a * (1 + step.magnitude)) <= digit * (1 + abs(step.magnitude)), "\(pointID) \(parameter.code)")
                    inside += 1
                }
            }
        }
        #expect(inside > 48, "the steps' windows hold readings")
    }
}
