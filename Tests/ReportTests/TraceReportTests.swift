import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import RiverModel
import Standards
import Statistics
import TestSupport
import Testing
import Trace

/// A hand-written trace-back (as `analyze --json` writes it): the report must say what it says.
private let traceJSON = """
{"point_id": "M-02", "event_start": "2026-10-05T02:00:00Z", "traced_from": "2026-10-05T03:00:00Z",
 "district_pattern": {"stations_with_events": 9, "stations": 12, "without_lag": 7, "within_hours": 3, "handling": "distinctive",
                      "parameters": ["cond"]}, "peak_time": "2026-10-05T04:00:00Z", "verdict": "source",
 "rose": ["cond", "codmn"], "fell": [],
 "suspect_segment": {"river_id": "M", "from_point_id": "M-01", "to_point_id": "M-02", "from_km": 1, "to_km": 6},
 "alternative_segments": [],
 "candidates": [{"source_id": "S1", "score": 0.82, "reasons": ["signature industrial fits 82 %"], "place": "suspect_stretch",
                 "signature_fit": 0.82},
                {"score": 0.15, "reasons": ["an unregistered outfall or illegal connection on the stretch"]},
                {"source_id": "S0", "score": 0.12, "reasons": ["signature domestic fits 40 %",
                 "above a station that looked clean, should the plume have passed it too diluted to see"],
                 "place": "above_clean_station", "signature_fit": 0.4}],
 "confidence": 0.77,
 "evidence": [{"point_id": "M-02", "role": "event", "parameter": "cond", "nominal_lag_hours": 0, "lag_hours": 0,
               "window_start": "2026-10-05T02:00:00Z", "window_end": "2026-10-05T06:00:00Z", "baseline": 600, "observed": 760, "score": 9.1},
              {"point_id": "M-01", "role": "clean", "parameter": "cond", "nominal_lag_hours": 4.6, "lag_hours": 4.6,
               "window_start": "2026-10-04T19:00:00Z", "window_end": "2026-10-05T06:00:00Z", "baseline": 590, "observed": 600, "score": 0.6}],
 "walked": ["M-02"]}
"""
private let eventJSON = """
{"point_id": "M-02", "start": "2026-10-05T02:00:00Z", "end": "2026-10-05T06:00:00Z", "peak_time": "2026-10-05T04:00:00Z",
 "parameters": [{"parameter": "cond", "direction": "rose", "peak": 760, "baseline": 600, "increment": 160, "score": 9.1,
                 "peak_time": "2026-10-05T04:00:00Z"}]}
"""

private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(text.utf8))
}

private let network = Network(
    rivers: [River("M", name: "主河", targetClass: .iv)],
    points: [MonitoringPoint("M-01", name: "上游站", riverID: "M", kilometre: 1, kind: .automatic),
             MonitoringPoint("M-02", name: "下游站", riverID: "M", kilometre: 6, kind: .automatic),
             MonitoringPoint("M-1B", name: "中游断面", riverID: "M", kilometre: 3.5)],
    sources: [RegisteredSource(id: "S1", name: "某电镀厂", kind: "enterprise", riverID: "M", kilometre: 3, signature: .industrial),
              RegisteredSource(id: "S0", name: "上游小区排口", kind: "outfall", riverID: "M", kilometre: 0.5, signature: .domestic)])

private func files(_ language: ReportLanguage) throws -> [String: String] {
    var document = emptyOctoberDocument()
    document.events = [try decode(AnomalyEvent.self, eventJSON)]
    document.traces = [try decode(TraceResult.self, traceJSON)]
    let onset = document.events[0].start
    var input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                            timeZone: TimeZone.chinaStandard, generatedAt: october2026.end)
    input.traceSeries = ["M-01": [.conductivity: (0..<30).map { (onset.addingTimeInterval(Double($0 - 15) * 3600), 600.0) }],
                         "M-02": [.conductivity: (0..<30).map { (onset.addingTimeInterval(Double($0 - 10) * 3600), $0 == 12 ? 760 : 600) }]]
    return ReportWriter(input: input, language: language).files()
}

@Suite("trace-back reports")
struct TraceReportTests {
    @Test("traces to one stretch, each within three days of the one before, are one incident; its most confident speaks")
    func incidentsChain() throws {
        func trace(day: Double, confidence: Double, to: String = "M-02") throws -> TraceResult {
            var trace = try decode(TraceResult.self, traceJSON)
            trace.eventStart = Date(timeIntervalSince1970: 1_790_784_000 + day * 86_400)
            trace.confidence = confidence
            trace.suspectSegment?.toPointID = to
            return trace
        }
        var document = emptyOctoberDocument()
        // Days 0, 2.5 and 5 chain into one leak (5 days from the first, but never more than 3 apart); day 9 is
        // another; day 1 on another stretch is its own.
        document.traces = [try trace(day: 0, confidence: 0.5), try trace(day: 2.5, confidence: 0.8),
                           try trace(day: 5, confidence: 0.6), try trace(day: 9, confidence: 0.4),
                           try trace(day: 1, confidence: 0.9, to: "M-01")]
        let incidents = document.incidents
        #expect(incidents.count == 3)
        // In the time order of the traces that speak: day 1 (M-01), day 2.5, day 9.
        #expect(incidents.map(\.confidence) == [0.9, 0.8, 0.4])
        // A leak whose event at day 5 lasts until day 7: the trace at day 9 is within three days of its end.
        var leak = try decode(AnomalyEvent.self, eventJSON)
        leak.start = document.traces[2].eventStart
        leak.end = leak.start.addingTimeInterval(2 * 86_400)
        document.events = [leak]
        #expect(document.incidents.map(\.confidence) == [0.9, 0.8])
    }

    @Test("the monthly report lists the incident with its stretch, first candidate and a link; local times")
    func monthlyReportLinks() throws {
        let report = try #require(try files(.zh)["report.md"])
        #expect(report.contains("溯源指向污染源河段 1 起"))
        // 02:00 UTC is 10:00 in Asia/Shanghai.
        #expect(report.contains("| 2026-10-05 10:00 | M-02 下游站 |"))
        #expect(report.contains("某电镀厂 (S1)"))
        #expect(report.contains("(traces/M-02-20261005-1000.md)"))
        let river = try #require(try files(.zh)["rivers/M.md"])
        #expect(river.contains("- 2026-10-05 10:00 M-02 下游站：主河（M-01 上游站 → M-02 下游站，km 1–6），首要排查 某电镀厂 (S1) — [溯源报告](../traces/M-02-20261005-1000.md)"))
    }

    @Test("the trace-back report names the stretch, the evidence, the candidates and what to sample")
    func traceReportContent() throws {
        let all = try files(.en)
        let page = try #require(all["traces/M-02-20261005-1000.md"])
        #expect(page.contains("主河 (M-01 上游站 → M-02 下游站, km 1–6)"))
        #expect(page.contains("| M-01 上游站 | clean | conductivity |"))
        // S1 at km 3 to M-02 at km 6: 3 km at 0.3 m/s = 2.78 h before the onset (10:00 local) is 07:13, give or take
        // 2 h + half of it (3.39 h): 03:50 to 10:00 (never after the onset). The network has no coordinates.
        #expect(page.contains("| 1 | S1 | 某电镀厂 | enterprise | 主河 | 3 | — | 2026-10-05 07:13 ± 3.4 h (2026-10-05 03:50 – 2026-10-05 10:00) | "
                              + "82% (industrial effluent) | 0.82 | its signature (industrial effluent) fits the event 82 %; on the suspect stretch |"))
        #expect(page.contains("Inspect these outfalls and enterprises, in order: 某电镀厂 (S1)"))
        #expect(page.contains("Confidence: 77%"))
        #expect(page.contains("The plume reached this point at 2026-10-05 11:00 (during the rain)"))
        // The discharge window, by hand: from km 1 to M-02 (km 6) is 5 km at 0.3 m/s = 4.63 h, widened by 2 h and
        // half of it: 8.94 h before the onset (the event window's start, 10:00 local) is 01:03; from the stretch's
        // lower end (M-02 itself) nothing to take off: 10:00.
        #expect(page.contains("the discharge passed in 2026-10-05 01:03 – 2026-10-05 10:00"))
        #expect(page.contains("Take grab samples at the points on the stretch, M-1B 中游断面"))
        let zh = try #require(try files(.zh)["traces/M-02-20261005-1000.md"])
        #expect(zh.contains("位于未见异常的站点上游（污染团经稀释后可能未被该站测出）"))
        #expect(zh.contains("说明：该事件发生在全区同步变化期间（3 小时内 12 个站点中 9 个出现异常，其中 7 个没有污染团顺流传播应有的时差，多为降雨）；仅按降雨无法解释的指标（电导率）溯源。"))
        #expect(page.contains("Note: This event came during a district-wide change (events at 9 of 12 stations within 3 h, 7 of them without the travel lag a plume would show: mostly rain); it was traced only by what rain cannot explain (conductivity)."))
        #expect(all["traces/M-02-20261005-1000-network.svg"] != nil)
        let aligned = try #require(all["traces/M-02-20261005-1000-aligned.svg"])
        #expect(XMLParser(data: Data(aligned.utf8)).parse())
    }
}
