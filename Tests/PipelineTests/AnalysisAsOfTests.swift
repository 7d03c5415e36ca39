import Foundation
import Pipeline
import Standards
import Store
import TestSupport
import Testing

/// Five days (1–5 October 2026, local time) of hourly NH3-N, conductivity and CODMn at the two automatic stations of
/// the fixture network, with a plume passing M-01 on 4 October from 10:00 to 20:00 and M-02 an hour later. The
/// values are a fixed wobble around each station's level, so every run builds the same store.
private func hourlyRows() -> [(time: Date, row: String)] {
    let first = Date(timeIntervalSince1970: 1_790_784_000)  // 2026-10-01 00:00 +08:00
    let stations: [(id: String, lag: Int, level: Double)] = [("M-01", 0, 1.0), ("M-02", 1, 1.2)]
    let parameters: [(code: String, unit: String, level: Double, plume: Double)] = [
        ("nh3n", "mg/L", 0.5, 2.0), ("cond", "µS/cm", 450, 400), ("codmn", "mg/L", 4, 6),
    ]
    var rows: [(Date, String)] = []
    for hour in 0..<(5 * 24) {
        let time = first.addingTimeInterval(Double(hour) * 3_600)
        let local = String(format: "2026-10-%02d %02d:00:00+08:00", hour / 24 + 1, hour % 24)
        for station in stations {
            let plumeHour = hour - (3 * 24 + 10 + station.lag)
            for (index, parameter) in parameters.enumerated() {
                let wobble = 0.03 * sin(Double(hour * 7 + index * 3) * 1.3)
                var value = parameter.level * station.level * (1 + wobble)
                if (0..<11).contains(plumeHour) { value += parameter.plume }
                rows.append((time, "\(station.id),\(local),\(parameter.code),\(String(format: "%.3f", value)),\(parameter.unit),N\n"))
            }
        }
    }
    return rows
}

/// A fresh in-memory store holding the rows whose time passes `keep`.
private func store(keeping keep: (Date) -> Bool) throws -> ReadingStore {
    let text = longHeader + hourlyRows().filter { keep($0.time) }.map(\.row).joined()
    return try ingestOne(try scratchFile(text)).1
}

/// The analysis of October 2026 as JSON (sorted keys: the bytes `analyze --json` would compare).
private func analysis(_ store: ReadingStore, asOf: Date? = nil) throws -> String {
    let period = try #require(PeriodParser.parse("2026-10", timeZone: .chinaStandard))
    let document = try AnalysisJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard, asOf: asOf)
        .run(period: period)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(document), as: UTF8.self)
}

@Suite("analysis as of a moment: what an hourly run knew then")
struct AnalysisAsOfTests {
    // 4 October 13:00 local: three hours into the plume at M-01, two at M-02; a reading lies exactly at that moment.
    static let moment = Date(timeIntervalSince1970: 1_790_784_000 + Double(3 * 24 + 13) * 3_600)

    @Test("as of t, the analysis equals the analysis of a store that holds only the readings up to and at t")
    func cutEqualsStoreWithoutLaterReadings() throws {
        let all = try store { _ in true }
        let cut = try store { $0 <= Self.moment }
        let asOf = try analysis(all, asOf: Self.moment)
        #expect(asOf == (try analysis(cut)))
        // The cut matters: the later readings change the document (the plume's end, the days after it).
        #expect(asOf != (try analysis(all)))
        // And the plume is already an event at t: the case is not an empty document on both sides.
        #expect(asOf.contains("\"events\":[{"))
    }

    @Test("as of a moment after the last reading, the analysis is the one without a cut")
    func lateCutChangesNothing() throws {
        let all = try store { _ in true }
        #expect(try analysis(all, asOf: Self.moment.addingTimeInterval(30 * 86_400)) == (try analysis(all)))
    }
}
