import Foundation
@testable import Pipeline
import Report
import Standards
import Store
import TestSupport
import Testing

/// August to October 2026 (local time) of hourly NH3-N, conductivity and CODMn at the two automatic stations of the
/// fixture network, with a plume passing M-01 for eleven hours (M-02 an hour later) starting at each of `plumes`
/// (hours from 1 August 00:00 +08:00), at `plumeStations` only. The values are a fixed wobble around each station's level.
func quarterRows(plumes: [Int], at plumeStations: Set<String> = ["M-01", "M-02"]) -> String {
    let first = Date(timeIntervalSince1970: 1_785_513_600)  // 2026-08-01 00:00 +08:00
    let stations: [(id: String, lag: Int, level: Double)] = [("M-01", 0, 1.0), ("M-02", 1, 1.2)]
    let parameters: [(code: String, unit: String, level: Double, plume: Double)] = [
        ("nh3n", "mg/L", 0.5, 2.0), ("cond", "µS/cm", 450, 400), ("codmn", "mg/L", 4, 6),
    ]
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
    var text = longHeader
    for hour in 0..<(92 * 24) {
        let local = formatter.string(from: first.addingTimeInterval(Double(hour) * 3_600))
        for station in stations {
            for (index, parameter) in parameters.enumerated() {
                let wobble = 0.03 * sin(Double(hour * 7 + index * 3) * 1.3) + 0.02 * sin(Double(hour) / 97)
                var value = parameter.level * station.level * (1 + wobble)
                if plumeStations.contains(station.id), plumes.contains(where: { (0..<11).contains(hour - $0 - station.lag) }) {
                    value += parameter.plume
                }
                text += "\(station.id),\(local),\(parameter.code),\(String(format: "%.3f", value)),\(parameter.unit),N\n"
            }
        }
    }
    return text
}

@Suite("a long period read in parts")
struct AnalysisInPartsTests {
    /// The analysis of August to October 2026, read at once or in parts of `monthsPerPart` months, as sorted JSON.
    private func analysis(_ store: ReadingStore, monthsPerPart: Int?) throws -> String {
        let period = EvaluationPeriod(label: "2026-08..2026-10", start: Date(timeIntervalSince1970: 1_785_513_600),
                                      end: Date(timeIntervalSince1970: 1_785_513_600 + 92 * 86_400))
        var job = AnalysisJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard)
        if let monthsPerPart {
            job.monthsReadAtOnce = 0
            job.monthsPerPart = monthsPerPart
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(try job.run(period: period)), as: UTF8.self)
    }

    @Test("read a month or two at a time, the document is byte for byte the one read at once, events at the months' turns included")
    func sameDocument() throws {
        // 20 August 10:00; 30 September 20:00, running into October; 15 October 02:00.
        let plumes = [19 * 24 + 10, 60 * 24 + 20, 75 * 24 + 2]
        let store = try ingestOne(try scratchFile(quarterRows(plumes: plumes))).1
        let once = try analysis(store, monthsPerPart: nil)
        #expect(try analysis(store, monthsPerPart: 1) == once)
        #expect(try analysis(store, monthsPerPart: 2) == once)
        // Not an empty comparison: the three plumes are events at M-01, and the evaluation is there.
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(once.utf8))
        let starts = Set(document.events.filter { $0.pointID == "M-01" }.map(\.start))
        for hour in plumes {
            #expect(starts.contains(Date(timeIntervalSince1970: 1_785_513_600 + Double(hour) * 3_600)), "plume at hour \(hour)")
        }
        #expect(document.points.contains { $0.pointID == "M-01" && !$0.parameters.isEmpty })
    }

    /// Eight analyses at once, each read in parts of one and of two months. With the months' `concurrentPerform`
    /// started from a `Background` thread, glibc aborted the process (`tcache_thread_shutdown(): unaligned tcache chunk
    /// detected`) in 13 of 15 runs of eight such analyses; the months are now searched from the calling thread, as a
    /// period read at once is.
    @Test("eight analyses read in parts at once run to their end with the document read at once",
          .tags(.slow), .enabled(if: slowTestsEnabled), arguments: 0..<8)
    func manyAtOnce(_ run: Int) throws {
        let store = try ingestOne(try scratchFile(quarterRows(plumes: [19 * 24 + 10 + run, 60 * 24 + 20]))).1
        let once = try analysis(store, monthsPerPart: nil)
        #expect(try analysis(store, monthsPerPart: 1) == once)
        #expect(try analysis(store, monthsPerPart: 2) == once)
    }
}
