import Foundation
import Pipeline
import Report
import RiverModel
import Standards
import TestSupport
import Testing

/// Two months (15 September – 14 November 2026, local time) of NH3-N, conductivity and CODMn at M-01 and M-02 of the
/// fixture network, one reading every `everyHours` hours, each value a fixed wobble of 3 % around its level; at M-01
/// the reading of 15 October 08:00 is lifted in all three parameters (+2.0 mg/L, +400 µS/cm, +6 mg/L: a short pulse
/// caught by that one reading).
private func rows(everyHours: Int) -> String {
    let first = Date(timeIntervalSince1970: 1_789_401_600)  // 2026-09-15 00:00 +08:00
    let pulse = first.addingTimeInterval(Double(30 * 24 + 8) * 3_600)  // 2026-10-15 08:00 +08:00
    let parameters: [(code: String, unit: String, level: Double, plume: Double)] = [
        ("nh3n", "mg/L", 0.5, 2.0), ("cond", "µS/cm", 450, 400), ("codmn", "mg/L", 4, 6),
    ]
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = .chinaStandard
    var text = ""
    for hour in stride(from: 0, to: 61 * 24, by: everyHours) {
        let time = first.addingTimeInterval(Double(hour) * 3_600)
        for (station, level) in [("M-01", 1.0), ("M-02", 1.2)] {
            for (index, parameter) in parameters.enumerated() {
                let wobble = 0.03 * sin(Double(hour * 7 + index * 3) * 1.3)
                var value = parameter.level * level * (1 + wobble)
                if station == "M-01" && time == pulse { value += parameter.plume }
                text += "\(station),\(formatter.string(from: time)),\(parameter.code),\(String(format: "%.3f", value)),\(parameter.unit),N\n"
            }
        }
    }
    return text
}

/// The analysis of October 2026 of a store holding `rows(everyHours:)`.
private func october(everyHours: Int) throws -> AnalysisDocument {
    let store = try ingestOne(try scratchFile(longHeader + rows(everyHours: everyHours))).1
    let period = try #require(PeriodParser.parse("2026-10", timeZone: .chinaStandard))
    return try AnalysisJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard).run(period: period)
}

@Suite("analysis of stations read every few hours")
struct CoarseStationTests {
    static let pulse = Date(timeIntervalSince1970: 1_789_401_600 + Double(30 * 24 + 8) * 3_600)

    @Test("read every four hours, one reading lifted in three analysers is an event at M-01, not three spikes")
    func sharedReadingIsAnEventAtFourHours() throws {
        let document = try october(everyHours: 4)
        #expect(!document.faults.contains { $0.pointID == "M-01" && $0.kind == .spike })
        #expect(document.events.contains { $0.pointID == "M-01" && $0.start == Self.pulse })
    }

    @Test("read hourly, the same single lifted reading is a spike in each analyser and no event")
    func sharedReadingIsSpikesHourly() throws {
        let document = try october(everyHours: 1)
        let spikes = document.faults.filter { $0.pointID == "M-01" && $0.kind == .spike && $0.start == Self.pulse }
        #expect(Set(spikes.compactMap(\.parameter)) == [.ammoniaNitrogen, .conductivity, .permanganateIndex])
        #expect(!document.events.contains { $0.pointID == "M-01" && $0.start <= Self.pulse && $0.end >= Self.pulse })
    }
}
