import Foundation
@testable import Report
import RiverModel
import Standards
import TestSupport
import Testing
import Trace

/// Two stations on river M: M-01 above, M-02 below.
private let network = Network(rivers: [River("M", name: "主河", targetClass: .iii)],
                              points: [MonitoringPoint("M-01", name: "一号桥", riverID: "M", kilometre: 2, kind: .automatic),
                                       MonitoringPoint("M-02", name: "二号桥", riverID: "M", kilometre: 6, kind: .automatic)],
                              sources: [])

/// Source traces at M-02 to the stretch M-01 → M-02 (M-01 clean, 2.4 h above), beginning at the given UTC times.
private func traces(_ starts: [String]) throws -> [TraceResult] {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try starts.map { start in
        let json = """
        {"point_id": "M-02", "event_start": "\(start)", "peak_time": "\(start)", "verdict": "source",
         "rose": ["cond"], "fell": [], "alternative_segments": [], "candidates": [], "confidence": 0.9,
         "suspect_segment": {"river_id": "M", "from_point_id": "M-01", "to_point_id": "M-02", "from_km": 2, "to_km": 6},
         "evidence": [{"point_id": "M-01", "role": "clean", "nominal_lag_hours": 2.4, "lag_hours": 2.4,
                       "window_start": "\(start)", "window_end": "\(start)"}],
         "walked": ["M-02", "M-01"]}
        """
        return try decoder.decode(TraceResult.self, from: Data(json.utf8))
    }
}

/// The report.md of October and the lead's trace report, with `traces` and nothing else found.
private func report(_ language: ReportLanguage, traces: [TraceResult]) throws -> (period: String, trace: String) {
    var document = emptyOctoberDocument()
    document.traces = traces
    let input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                            timeZone: .chinaStandard, generatedAt: october2026.end)
    let files = ReportWriter(input: input, language: language).files()
    let page = try #require(files.first { $0.key.hasPrefix("traces/") && $0.key.hasSuffix(".md") }?.value)
    return (try #require(files["report.md"]), page)
}

@Suite("an incident recurring at night, in the report")
struct RecurrenceReportTests {
    // 23:00, 23:30 and 00:00 Beijing time on three nights (15:00, 15:30, 16:00 UTC).
    let nights = ["2026-10-05T15:00:00Z", "2026-10-06T15:30:00Z", "2026-10-07T16:00:00Z"]

    @Test("three nights from 23:00 at M-02: the action says when, allows the travel from the stretch, and says inspect at night")
    func nightly() throws {
        let zh = try report(.zh, traces: try traces(nights))
        let action = "M-02 二号桥 的异常在 3 个夜间均于 23:00–00:00 开始（2026-10-05 23:00 – 2026-10-08 00:00），"
            + "自河段流至该点约 0–3 小时，排放约于 20:00–00:00 开始：疑似夜间排放，宜在该时段夜间排查"
        #expect(zh.period.contains(action))
        #expect(zh.trace.contains("**重复出现：**" + action))
        let en = try report(.en, traces: try traces(nights))
        #expect(en.period.contains("the events at M-02 二号桥 began between 23:00 and 00:00 on 3 nights"))
        #expect(en.period.contains("allowing 0–3 h of travel from the stretch, the discharge began between 20:00 and 00:00: "
                                   + "likely a night-time discharge, inspect the stretch at that hour"))
    }

    @Test("a night found with the nights around it is marked in the incident's table, with what that means, in both languages")
    func foldedNightMarked() throws {
        let found = try traces(nights)
        var document = emptyOctoberDocument()
        document.traces = found
        document.events = found.enumerated().map { index, trace in
            AnomalyEvent(pointID: trace.pointID, start: trace.eventStart, end: trace.eventStart.addingTimeInterval(3 * 3_600),
                         peakTime: trace.eventStart,
                         parameters: [EventParameter(parameter: .conductivity, direction: .rose, peak: 660, baseline: 630,
                                                     increment: 30, score: 2.1, peakTime: trace.eventStart)],
                         foldedScore: index == 1 ? 7.4 : nil)
        }
        for (language, marker, note) in [(ReportLanguage.zh, "电导率 升高（多夜叠加）", "多夜叠加：该夜单独未达检出门槛"),
                                         (.en, " (nights together)", "Nights together: under the bar on its own night")] {
            let input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                                    timeZone: .chinaStandard, generatedAt: october2026.end)
            let files = ReportWriter(input: input, language: language).files()
            let page = try #require(files.first { $0.key.hasPrefix("traces/") && $0.key.hasSuffix(".md") }?.value)
            #expect(page.components(separatedBy: marker).count == 2, "one row marked (\(language))")
            #expect(page.contains(note))
        }
    }

    @Test("analyze --json gives the incident its daily_recurrence in the document's time zone; none for random hours")
    func json() throws {
        var document = emptyOctoberDocument()
        document.traces = try traces(nights)
        var text = Data()
        try document.writeJSON { text.append($0) }
        let incidents = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])["incidents"] as? [[String: Any]]
        let recurrence = try #require(incidents?.first?["daily_recurrence"] as? [String: Any])
        #expect(recurrence["days"] as? Int == 3 && recurrence["from_hour"] as? Int == 23 && recurrence["to_hour"] as? Int == 0)
        #expect(recurrence["discharge_from_hour"] as? Int == 20 && recurrence["discharge_to_hour"] as? Int == 0)
        #expect(recurrence["longest_travel_hours"] as? Int == 3 && recurrence["shortest_travel_hours"] as? Int == 0)
        #expect(recurrence["point_id"] as? String == "M-02")
        #expect(recurrence["at_night"] as? Bool == true && recurrence["first"] as? String == "2026-10-05T15:00:00Z")
        document.traces = try traces(["2026-10-05T01:00:00Z", "2026-10-06T08:00:00Z", "2026-10-07T15:00:00Z"])
        text = Data()
        try document.writeJSON { text.append($0) }
        let plain = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])["incidents"] as? [[String: Any]]
        #expect(plain?.count == 1 && plain?.first?["daily_recurrence"] == nil)
    }

    @Test("events at random hours carry no recurrence")
    func randomHours() throws {
        let zh = try report(.zh, traces: try traces(["2026-10-05T01:00:00Z", "2026-10-06T08:00:00Z", "2026-10-07T15:00:00Z"]))
        #expect(!zh.period.contains("均于"))
        #expect(!zh.trace.contains("重复出现"))
    }
}
