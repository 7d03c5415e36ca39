import Foundation
import Ingest
@testable import Pipeline
import Report
import RiverModel
import Standards
import Store
import TestSupport
import Testing
@testable import Trace

@Suite("early warning: a plume traced upstream is forecast to the assessed section downstream, then verified or missed")
struct ForecastAlertTests {
    // River R, 10 km at 0.5 m/s: U at km 1 (a station), D at km 8.2 (assessed: its own target, class III).
    // 7.2 km at 0.5 m/s = 14,400 s = 4 h of travel, by hand.
    let network = Network(
        rivers: [River("R", name: "河", velocityMetresPerSecond: 0.5, targetClass: .iv)],
        points: [MonitoringPoint("U", name: "上游站", riverID: "R", kilometre: 1, kind: .automatic),
                 MonitoringPoint("D", name: "考核断面", riverID: "R", kilometre: 8.2, ownTargetClass: .iii, kind: .automatic)],
        sources: [])
    let onset = Date(timeIntervalSince1970: 1_790_000_000)  // a whole hour

    func document(_ events: [AnomalyEvent]) -> AnalysisDocument {
        let period = EvaluationPeriod(label: "test", start: onset.addingTimeInterval(-10 * 86_400),
                                      end: onset.addingTimeInterval(10 * 86_400))
        let district = GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil, method: .none,
                                   waterClass: nil, mainPollutants: [])
        var document = AnalysisDocument(period: period, timeZone: "Asia/Shanghai", points: [], rivers: [], district: district,
                                        exceedances: [])
        document.events = events
        document.traces = [TraceResult(pointID: "U", eventStart: onset, tracedFrom: nil, peakTime: onset.addingTimeInterval(7_200),
                                       verdict: .source, rose: [.ammoniaNitrogen], fell: [], suspectSegment: nil,
                                       alternativeSegments: [], candidates: [], confidence: 0.7, evidence: [], walked: ["U"],
                                       note: nil, districtPattern: nil)]
        return document
    }

    /// D's NH3-N for the week before, 0.30 ± 0.02 mg/L, then `after` from the onset on.
    func store(after: [Double]) throws -> ReadingStore {
        let store = try ReadingStore.inMemory()
        try store.saveNetwork(network)
        var rows = ["point_id,time,parameter,value,unit,flag"]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .chinaStandard
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        for hour in -168..<0 {
            rows.append("D,\(formatter.string(from: onset.addingTimeInterval(Double(hour) * 3600))),nh3n,\(hour % 2 == 0 ? 0.28 : 0.32),mg/L,N")
        }
        for (hour, value) in after.enumerated() {
            rows.append("D,\(formatter.string(from: onset.addingTimeInterval(Double(hour) * 3600))),nh3n,\(value),mg/L,N")
        }
        let path = try scratchFile(rows.joined(separator: "\n") + "\n")
        _ = try IngestJob(store: store, network: network, options: IngestOptions()).run(paths: [path])
        return store
    }

    // The event at U: NH3-N up by 3.0 mg/L over its baseline 0.3 (2 h after onset, still rising when seen).
    var event: AnomalyEvent {
        AnomalyEvent(pointID: "U", start: onset, end: onset.addingTimeInterval(3 * 3600), peakTime: onset.addingTimeInterval(7_200),
                     parameters: [EventParameter(parameter: .ammoniaNitrogen, direction: .rose, peak: 3.3, baseline: 0.3,
                                                 increment: 3.0, score: 40, peakTime: onset.addingTimeInterval(7_200))])
    }

    @Test("issued three hours after the onset: a pending forecast for D with its window, peak and class, raised as critical")
    func pendingForecast() throws {
        let store = try store(after: [0.3, 0.31, 0.29])
        let now = onset.addingTimeInterval(3 * 3600)
        let alerts = try ForecastAlerts(network: network, store: store, timeZone: .chinaStandard)
            .alerts(in: document([event]), since: onset.addingTimeInterval(-86_400), now: now,
                    lastReadings: ["D": onset.addingTimeInterval(2 * 3600)])
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.kind == .downstreamForecast)
        #expect(alert.pointID == "D")
        #expect(alert.ongoing, "the window has not closed")
        // The plume travels 4 h at 0.5 m/s; the window is that at velocity ± 30 %, a reading either side:
        // 14,400 s / 1.3 − 3,600 s = 7,477 s and 14,400 s / 0.7 + 3,600 s = 24,171 s after the onset, by hand.
        #expect(abs(alert.start.timeIntervalSince(onset) - 7_477) < 1)
        #expect(abs(alert.end.timeIntervalSince(onset) - 24_171) < 1)
        // One river, no confluence, no decay: the full 3.0 mg/L over D's 0.30 level → about 3.3, worse than V
        // (limit 2.0) and worse than its target III (limit 1.0): critical.
        let peak = try #require(alert.value)
        #expect(peak > 2.0)
        #expect(alert.limit == 1.0)
        #expect(alert.severity == .critical)
        #expect(alert.messageZh.contains("考核断面"))
        #expect(alert.id == "downstream_forecast/D/nh3n/" + localTime(onset, in: .chinaStandard, format: "yyyyMMdd'T'HHmm"))
    }

    @Test("once D has reported past the window without a rise, the forecast is missed and no longer ongoing")
    func missedForecast() throws {
        let store = try store(after: Array(repeating: 0.3, count: 24))
        let now = onset.addingTimeInterval(24 * 3600)
        let alerts = try ForecastAlerts(network: network, store: store, timeZone: .chinaStandard)
            .alerts(in: document([event]), since: onset.addingTimeInterval(-86_400), now: now,
                    lastReadings: ["D": onset.addingTimeInterval(23 * 3600)])
        let alert = try #require(alerts.first)
        #expect(!alert.ongoing)
        #expect(alert.messageEn.contains("forecast missed"))
    }
}

@Suite("an uncertain trace is an info alert, not a pollution event")
struct UncertainTraceAlertTests {
    @Test("an uncertain trace raises one info alert naming what would settle it, and no pollution_event")
    func uncertainTraceAlert() throws {
        let network = Network(rivers: [River("R", name: "河", velocityMetresPerSecond: 0.5, targetClass: .iv)],
                              points: [MonitoringPoint("U", name: "上游站", riverID: "R", kilometre: 1, kind: .automatic),
                                       MonitoringPoint("D", name: "下游站", riverID: "R", kilometre: 8, kind: .automatic)],
                              sources: [])
        let onset = Date(timeIntervalSince1970: 1_790_000_000)
        let period = EvaluationPeriod(label: "test", start: onset.addingTimeInterval(-86_400), end: onset.addingTimeInterval(86_400))
        let district = GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil, method: .none,
                                   waterClass: nil, mainPollutants: [])
        var document = AnalysisDocument(period: period, timeZone: "Asia/Shanghai", points: [], rivers: [], district: district,
                                        exceedances: [])
        var trace = TraceResult(pointID: "U", eventStart: onset, tracedFrom: nil, peakTime: onset, verdict: .uncertain,
                                rose: [.ammoniaNitrogen], fell: [], suspectSegment: nil, alternativeSegments: [], candidates: [],
                                confidence: 0.34, evidence: [], walked: ["U"], note: nil, districtPattern: nil)
        trace.settledBy = [SettlingStep(kind: .checkBelow, pointID: "D", windowStart: onset, windowEnd: onset.addingTimeInterval(7_200))]
        document.traces = [trace]
        let alerts = AlertRules(network: network, settings: RunSettings(), timeZone: .chinaStandard)
            .alerts(in: document, lastReadings: [:])
        #expect(!alerts.contains { $0.kind == .pollutionEvent })
        let alert = try #require(alerts.first { $0.kind == .uncertainTrace })
        #expect(alert.severity == .info)
        #expect(alert.messageEn.contains("confidence 34 %"))
        #expect(alert.messageEn.hasSuffix("readings or a grab sample at D would settle it"))
    }
}

@Suite("a pollution event repeated night after night says when to be there")
struct RecurringAlertTests {
    let network = Network(rivers: [River("R", name: "河", velocityMetresPerSecond: 0.5, targetClass: .iv)],
                          points: [MonitoringPoint("U", name: "上游站", riverID: "R", kilometre: 1, kind: .automatic),
                                   MonitoringPoint("D", name: "下游站", riverID: "R", kilometre: 8, kind: .automatic)],
                          sources: [])

    /// Source traces at D to the stretch U → D (U clean 4 h above), beginning at the given UTC times.
    func alerts(_ starts: [Date]) -> [Alert] {
        let base = starts[0]
        let period = EvaluationPeriod(label: "test", start: base.addingTimeInterval(-86_400), end: base.addingTimeInterval(10 * 86_400))
        let district = GroupResult(id: nil, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil, method: .none,
                                   waterClass: nil, mainPollutants: [])
        var document = AnalysisDocument(period: period, timeZone: "Asia/Shanghai", points: [], rivers: [], district: district,
                                        exceedances: [])
        let stretch = SuspectSegment(riverID: "R", fromPointID: "U", toPointID: "D", fromKilometre: 1, toKilometre: 8)
        document.traces = starts.map { start in
            TraceResult(pointID: "D", eventStart: start, tracedFrom: nil, peakTime: start, verdict: .source,
                        rose: [.conductivity], fell: [], suspectSegment: stretch, alternativeSegments: [], candidates: [],
                        confidence: 0.9, evidence: [TraceEvidence(pointID: "U", role: .clean, nominalLagHours: 4, lagHours: 4,
                                                                  windowStart: start, windowEnd: start)],
                        walked: ["D", "U"], note: nil, districtPattern: nil)
        }
        return AlertRules(network: network, settings: RunSettings(), timeZone: .chinaStandard).alerts(in: document, lastReadings: [:])
    }

    @Test("events at D from 23:00 Beijing time on three nights: each alert says 23:00–00:00, the discharge 19:00–00:00, inspect tonight")
    func threeNights() throws {
        // 15:00 UTC is 23:00 in Beijing.
        let first = Date(timeIntervalSince1970: 1_790_002_800)
        #expect(localTime(first, in: .chinaStandard) == "2026-09-21 23:00")
        let raised = alerts([first, first.addingTimeInterval(86_400), first.addingTimeInterval(2 * 86_400 + 1_800)])
            .filter { $0.kind == .pollutionEvent }
        #expect(raised.count == 3)
        for alert in raised {
            #expect(alert.messageZh.hasSuffix("；D 下游站 的异常已在 3 个夜间于 23:00–00:00 开始，排放约于 19:00–00:00 开始，"
                                              + "疑似夜间排放：如再出现，宜今夜该时段到河段排查"), "\(alert.messageZh)")
            #expect(alert.messageEn.contains("have begun 23:00–00:00 on 3 nights, the discharge likely 19:00–00:00: "
                                             + "should it recur, inspect the stretch tonight at that hour"))
        }
    }

    @Test("two nights, or one event, carry no recurrence")
    func tooFew() {
        let first = Date(timeIntervalSince1970: 1_790_002_800)
        #expect(alerts([first, first.addingTimeInterval(86_400)]).allSatisfy { !$0.messageEn.contains("should it recur") })
        #expect(alerts([first]).allSatisfy { !$0.messageZh.contains("如再出现") })
    }
}
