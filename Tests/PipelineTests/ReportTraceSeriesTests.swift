import Foundation
@testable import Pipeline
import Report
import RiverModel
import Standards
import Store
import TestSupport
import Testing

@Suite("the trace-back charts' series, read in the hours the charts show")
struct TraceSeriesWindowTests {
    @Test("the report's files are byte for byte those made from every reading of the period, from a fraction of them")
    func sameChartsFromWindows() throws {
        // Plumes at M-02 only: each trace judges M-01 above it (clean), and its chart aligns the two stations.
        let store = try ingestOne(try scratchFile(quarterRows(plumes: [19 * 24 + 10, 60 * 24 + 20, 75 * 24 + 2], at: ["M-02"]))).1
        let period = EvaluationPeriod(label: "2026-08..2026-10", start: Date(timeIntervalSince1970: 1_785_513_600),
                                      end: Date(timeIntervalSince1970: 1_785_513_600 + 92 * 86_400))
        let job = ReportJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard)
        let input = try job.prepare(period: period, now: period.end.addingTimeInterval(86_400))
        // What the report read before: each source trace's lead parameter at every point it judged, the whole period
        // and a day either side.
        var whole = input
        whole.traceSeries = [:]
        for trace in input.document.traces where trace.verdict == .source {
            guard let parameter = trace.evidence.first?.parameter else { continue }
            for item in trace.evidence where whole.traceSeries[item.pointID]?[parameter] == nil {
                whole.traceSeries[item.pointID, default: [:]][parameter] = try store.series(
                    point: item.pointID, parameter: parameter, from: period.start.addingTimeInterval(-86_400),
                    to: period.end.addingTimeInterval(86_400))
                    .compactMap { reading in reading.waterValue(of: parameter).map { (reading.time, $0) } }
            }
        }
        let files = ReportWriter(input: input, language: .en).files()
        #expect(files.keys.filter { $0.hasSuffix("-aligned.svg") }.count >= 2)
        let reference = ReportWriter(input: whole, language: .en).files()
        #expect(Set(files.keys) == Set(reference.keys))
        let differing = files.keys.filter { files[$0] != reference[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing)")
        let count = { (series: [String: [Parameter: [(Date, Double)]]]) in series.values.flatMap(\.values).map(\.count).reduce(0, +) }
        #expect(count(input.traceSeries) * 5 < count(whole.traceSeries))
    }
}
