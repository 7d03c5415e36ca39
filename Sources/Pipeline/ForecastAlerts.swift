import Foundation
import Report
import RiverModel
import Standards
import Store
import Trace

/// Downstream arrival forecasts (提前预警) as alerts: for each recent event traced to a source, every assessed
/// section downstream the plume should reach noticeably, with its arrival window and expected peak and class.
struct ForecastAlerts {
    let network: Network
    let store: ReadingStore
    let timeZone: TimeZone
    let forecaster: DownstreamForecaster

    init(network: Network, store: ReadingStore, timeZone: TimeZone) {
        self.network = network
        self.store = store
        self.timeZone = timeZone
        forecaster = DownstreamForecaster(network: network)
    }

    /// Alerts for the source traces of `document` whose events ended at or after `since`, forecast at `now`.
    /// A forecast is ongoing while its window is open (pending); verified or missed, it is not, and the run clears it.
    func alerts(in document: AnalysisDocument, since: Date, now: Date, lastReadings: [String: Date]) throws -> [Alert] {
        var alerts: [Alert] = []
        for trace in document.traces where trace.verdict == .source {
            guard let event = document.events.first(where: { $0.pointID == trace.pointID && $0.start == trace.eventStart }),
                  event.end >= since else { continue }
            let plume = trace.districtPattern.flatMap { $0.handling == .notTraced ? nil : $0.parameters }
            let draft = forecaster.forecast(event, issued: now, onset: trace.tracedFrom, plumeParameters: plume)
            let targets = draft.points.filter(\.isAssessed)
            guard !targets.isEmpty else { continue }
            // Each section's level and noise now: its last week of readings.
            var levels: [String: [Parameter: StationLevel]] = [:]
            var recent: [String: [Parameter: [Observation]]] = [:]
            for point in targets {
                for parameter in point.parameters.map(\.parameter) {
                    let readings = try store.series(point: point.pointID, parameter: parameter,
                                                    from: now.addingTimeInterval(-7 * 86_400), to: now.addingTimeInterval(1))
                    recent[point.pointID, default: [:]][parameter] = readings
                    if let level = StationLevel.recent(readings.compactMap { $0.waterValue(of: parameter) },
                                                       minimumNoise: parameter.smallestMeaningfulChange) {
                        levels[point.pointID, default: [:]][parameter] = level
                    }
                }
            }
            let forecast = forecaster.forecast(event, issued: now, onset: trace.tracedFrom, levels: levels, plumeParameters: plume)
            for point in forecast.points where point.isAssessed && point.isNoticeable {
                let check = point.check(events: document.events, readings: recent[point.pointID] ?? [:],
                                        levels: levels[point.pointID] ?? [:],
                                        readUntil: lastReadings[point.pointID] ?? .distantPast)
                alerts.append(alert(point, from: event, check: check))
            }
        }
        return alerts
    }

    private func alert(_ point: PointForecast, from event: AnomalyEvent, check: ArrivalCheck) -> Alert {
        let lead = point.parameters.max { $0.expectedScore < $1.expectedScore }
        let body = network.river(point.riverID)?.waterBody ?? .river
        let peakClass = lead.flatMap { lead in lead.peak.flatMap { GB3838.classify(lead.parameter, $0, body: body) } }
        let worseThanTarget = peakClass.flatMap { peak in point.targetClass.map { peak > $0 } } ?? false
        let window = local(point.earliest) + " – " + local(point.latest)
        let name = network.point(point.pointID).map { "\($0.id) \($0.name)" } ?? point.pointID
        let origin = network.point(event.pointID).map { "\($0.id) \($0.name)" } ?? event.pointID
        let peakText = lead.flatMap { lead in lead.peak.map { formatValue($0) + " " + lead.parameter.canonicalUnit.rawValue } }
        let outcomeZh: String
        let outcomeEn: String
        switch check.state {
        case .pending: (outcomeZh, outcomeEn) = ("", "")
        case .verified:
            (outcomeZh, outcomeEn) = ("；已于 \(check.arrived.map(local) ?? "窗口内") 到达（预报已验证）",
                                      "; arrived \(check.arrived.map(local) ?? "within the window") (forecast verified)")
        case .missed: (outcomeZh, outcomeEn) = ("；窗口已过未见到达（预报未验证）", "; the window passed without it (forecast missed)")
        }
        return Alert(
            id: "downstream_forecast/\(point.pointID)/\(lead?.parameter.code ?? "*")/"
                + localTime(event.start, in: timeZone, format: "yyyyMMdd'T'HHmm"),
            kind: .downstreamForecast, severity: worseThanTarget ? .critical : .warning, pointID: point.pointID,
            parameter: lead?.parameter, start: point.earliest, end: point.latest, ongoing: check.state == .pending,
            value: lead?.peak, limit: lead.flatMap { lead in point.targetClass.flatMap { GB3838.limit(lead.parameter, $0, body: body) } },
            exceedanceMultiple: nil,
            messageZh: "预警：上游 \(origin) 的污染预计 \(window) 到达考核断面 \(name)（\(lead?.parameter.chineseName ?? "")）"
                + (peakText.map { "，预计峰值约 \($0)" } ?? "") + (peakClass.map { "（\($0.roman)类" } ?? "")
                + (peakClass != nil ? (point.targetClass.map { "，目标 \($0.roman)类）" } ?? "）") : "") + outcomeZh,
            messageEn: "forecast: the plume seen at \(origin) should reach the assessed section \(name) \(window)"
                + " (\(lead?.parameter.code ?? ""))" + (peakText.map { ", expected peak about \($0)" } ?? "")
                + (peakClass.map { " (class \($0.roman)" + (point.targetClass.map { ", target \($0.roman))" } ?? ")") } ?? "")
                + outcomeEn)
    }

    private func local(_ date: Date) -> String { localTime(date, in: timeZone) }
}
