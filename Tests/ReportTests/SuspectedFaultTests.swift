import Foundation
@testable import Report
import RiverModel
import Standards
import TestSupport
import Testing
import Trace

/// One station, M-01, on river M.
private let network = Network(rivers: [River("M", name: "主河", targetClass: .iii)],
                              points: [MonitoringPoint("M-01", name: "一号桥", riverID: "M", kilometre: 2, kind: .automatic)], sources: [])

/// A trace the trace-back judged an analyser's: a calibration step of conductivity at M-01.
private func calibrationStepTrace() throws -> TraceResult {
    let json = """
    {"point_id": "M-01", "event_start": "2026-10-05T02:00:00Z", "peak_time": "2026-10-06T04:00:00Z",
     "verdict": "sensor_fault", "rose": ["cond", "codmn"], "fell": [], "alternative_segments": [], "candidates": [],
     "confidence": 0, "evidence": [], "walked": ["M-01"], "suspected_fault": "calibration_step",
     "suspected_fault_parameter": "cond", "note": "calibration step: cond alone shifted 9.1 noise widths"}
    """
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(TraceResult.self, from: Data(json.utf8))
}

/// The report.md of October with `traces` and nothing else found.
private func report(_ language: ReportLanguage, traces: [TraceResult]) throws -> String {
    var document = emptyOctoberDocument()
    document.traces = traces
    let input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                            timeZone: .chinaStandard, generatedAt: october2026.end)
    return try #require(ReportWriter(input: input, language: language).files()["report.md"])
}

@Suite("instrument faults the trace-back suspected, in the report")
struct SuspectedFaultTests {
    @Test("a calibration step no detected fault covers is listed under sensor faults with its one analyser, in Chinese and English")
    func listed() throws {
        let zh = try report(.zh, traces: [try calibrationStepTrace()])
        #expect(!zh.contains("未发现仪器故障"))
        // 10:00 Beijing time is 02:00 UTC; conductivity alone, though CODMn also rose by its peak.
        #expect(zh.contains("| M-01 一号桥 | 电导率 | 校准偏移 | 2026-10-05 10:00 |"))
        let en = try report(.en, traces: [try calibrationStepTrace()])
        #expect(en.contains("look instrument-made"))
        #expect(en.contains("| calibration step | 2026-10-05 10:00 |"))
        #expect(en.contains("Conductivity") || en.contains("conductivity"))
    }

    @Test("a trace with no suspected fault is not listed: with no detected fault either, the report says none was found")
    func notListed() throws {
        var trace = try calibrationStepTrace()
        trace.suspectedFault = nil
        trace.suspectedFaultParameter = nil
        #expect(try report(.zh, traces: [trace]).contains("未发现仪器故障"))
    }
}
