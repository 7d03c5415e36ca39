import Foundation
import Pipeline
import Report
import Standards
import Store
import TestSupport
import Testing

@Suite("report job")
struct ReportJobTests {
    @Test("a re-run of a period removes the trace-back files of incidents it no longer has, and nothing else")
    func staleTraceFilesGo() throws {
        let directory = try scratchFolder("report").path
        let traces = (directory as NSString).appendingPathComponent("traces")
        try FileManager.default.createDirectory(atPath: traces, withIntermediateDirectories: true)
        for name in ["M-01-20261001-0400.md", "M-01-20261001-0400-network.svg", "notes-by-hand.txt"] {
            try Data("earlier".utf8).write(to: URL(fileURLWithPath: (traces as NSString).appendingPathComponent(name)))
        }
        let zone = TimeZone.chinaStandard
        let period = try #require(PeriodParser.parse("2026-10", timeZone: zone))
        // An empty store: the period has no events, so no incidents.
        _ = try ReportJob(store: try ReadingStore.inMemory(), network: fixtureNetwork, timeZone: zone)
            .run(period: period, language: .zh, into: directory)
        let left = try FileManager.default.contentsOfDirectory(atPath: traces)
        #expect(left == ["notes-by-hand.txt"])
        #expect(FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("report.md")))
    }
}
