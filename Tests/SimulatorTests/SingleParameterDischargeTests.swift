import Foundation
import RiverModel
@testable import Simulator
import TestSupport
import Testing

@Suite("single-parameter discharges")
struct SingleParameterDischargeTests {
    @Test("sand-washing water and brine are let out for 1–5 days and raise turbidity or conductivity alone, leaving the other events as they were")
    func oneParameterForDays() throws {
        let single = try dischargesWithAndWithout(\.singleParameterDischargesPerMonth, perMonth: 2, prefix: "S",
                                                  days: 90, seed: 62)
        // 90 days at 2 a month: six, less any whose plume reaches no station.
        #expect((4...6).contains(single.count))
        #expect(Set(single.map(\.kind)) == [.sandWashing, .brine], "both kinds in six draws with this seed")
        for discharge in single {
            let hours = discharge.end.timeIntervalSince(discharge.start) / 3_600
            #expect((24...120).contains(hours), "\(discharge.id) lasts \(hours) h")
            #expect((0.01...0.04).contains(discharge.flowM3PerSecond))
            let moved: Parameter = discharge.kind == .sandWashing ? .turbidity : .conductivity
            #expect(discharge.effluent.keys.sorted() == [moved.code], "\(discharge.id): one parameter in the effluent")
            let first = try #require(discharge.impacts.min { $0.travelHours < $1.travelHours })
            #expect(Set(first.peakIncrement.keys) == [moved], "\(discharge.id) changes \(moved.code) alone")
            #expect((first.peakIncrement[moved] ?? 0) > 0, "\(discharge.id) raises it at \(first.pointID)")
        }
    }
}
