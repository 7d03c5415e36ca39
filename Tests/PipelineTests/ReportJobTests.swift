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
        for name in ["M-01-20261001-0400.md", "M-01-20261001-0400-network.svg", "M-01-20261001-0400.geojson", "notes-by-hand.txt"] {
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

    func emptyReport() throws -> (ReportJob, ReportInput) {
        let zone = TimeZone.chinaStandard
        let period = try #require(PeriodParser.parse("2026-10", timeZone: zone))
        var job = ReportJob(store: try ReadingStore.inMemory(), network: fixtureNetwork, timeZone: zone)
        job.browser = nil
        return (job, try job.prepare(period: period))
    }

    @Test("--format html adds report.html beside the Markdown; a later Markdown-only run removes the stale HTML")
    func htmlAdded() throws {
        let directory = try scratchFolder("report-html").path
        let (job, input) = try emptyReport()
        let written = try job.write(input, language: .zh, into: directory, formats: [.markdown, .html])
        let html = directory + "/report.html"
        #expect(written.contains(html))
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<section class=\"page river\""))
        _ = try job.write(input, language: .zh, into: directory, formats: [.markdown])
        #expect(!FileManager.default.fileExists(atPath: html))
        #expect(FileManager.default.fileExists(atPath: directory + "/report.md"))
    }

    @Test("--format pdf without Chromium says how to get it, after writing the Markdown and the HTML")
    func pdfWithoutBrowser() throws {
        let directory = try scratchFolder("report-pdf").path
        let (job, input) = try emptyReport()
        let error = #expect(throws: BrowserError.self) {
            try job.write(input, language: .en, into: directory, formats: [.pdf])
        }
        #expect(error?.message.contains("apt-get install chromium") == true)
        #expect(FileManager.default.fileExists(atPath: directory + "/report.md"))
        #expect(FileManager.default.fileExists(atPath: directory + "/report.html"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/report.pdf"))
    }

    @Test("the browser is found by RIVERTRACE_CHROMIUM, else by its names on PATH, else not at all")
    func findBrowser() throws {
        let folder = try scratchFolder("browser-path").path
        let fake = folder + "/chromium-browser"
        #expect(FileManager.default.createFile(atPath: fake, contents: Data("#!/bin/sh\n".utf8),
                                               attributes: [.posixPermissions: 0o755]))
        #expect(HeadlessChromium.find(environment: ["PATH": "/nonexistent:" + folder])?.executable == fake)
        #expect(HeadlessChromium.find(environment: ["PATH": "/nonexistent"]) == nil)
        #expect(HeadlessChromium.find(environment: ["RIVERTRACE_CHROMIUM": fake, "PATH": ""])?.executable == fake)
        // A named browser that is not there is not replaced by another one: the operator asked for that one.
        #expect(HeadlessChromium.find(environment: ["RIVERTRACE_CHROMIUM": folder + "/none", "PATH": folder]) == nil)
    }
}
