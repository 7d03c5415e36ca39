import Foundation
import Report
import RiverModel
import Standards
import Store
import Trace

/// What an alert is about (`alerts/*.json` `kind`).
public enum AlertKind: String, Sendable, Codable, CaseIterable, Labelled {
    case exceedance
    case pollutionEvent = "pollution_event"
    case blackOdorous = "black_odorous"
    case sensorFault = "sensor_fault"
    case silentStation = "silent_station"
    /// A plume seen upstream, forecast to reach an assessed section (提前预警).
    case downstreamForecast = "downstream_forecast"
    /// An event traced below the confidence a field team is sent at: what would settle it.
    case uncertainTrace = "uncertain_trace"

    public var code: String { rawValue }
    public var chinese: String {
        switch self {
        case .exceedance: "超标"
        case .pollutionEvent: "污染事件"
        case .blackOdorous: "黑臭"
        case .sensorFault: "仪器故障"
        case .silentStation: "站点无数据"
        case .downstreamForecast: "下游到达预报"
        case .uncertainTrace: "溯源不确定"
        }
    }
    public var english: String {
        switch self {
        case .exceedance: "exceedance"
        case .pollutionEvent: "pollution event"
        case .blackOdorous: "black-odorous"
        case .sensorFault: "sensor fault"
        case .silentStation: "silent station"
        case .downstreamForecast: "downstream forecast"
        case .uncertainTrace: "uncertain trace"
        }
    }
}

/// How soon a person must look.
public enum AlertSeverity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, critical

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One alert: a condition the data show, raised once under a stable id and cleared when it ends.
public struct Alert: Sendable, Codable, Equatable {
    /// `kind/point/parameter/start` (start as local `yyyyMMdd'T'HHmm`): the same condition always has the same id.
    public var id: String
    public var kind: AlertKind
    public var severity: AlertSeverity
    public var pointID: String?
    public var parameter: Parameter?
    /// When the condition began in the data.
    public var start: Date
    /// The last reading that shows it.
    public var end: Date
    /// Whether it still holds at the latest reading of its point.
    public var ongoing: Bool
    /// The value that raised it (peak concentration, share of readings), in the parameter's unit.
    public var value: Double?
    /// The limit it was compared with.
    public var limit: Double?
    /// 超标倍数 (value − limit) / limit, for parameters pollution raises.
    public var exceedanceMultiple: Double?
    /// One sentence in Chinese and one in English.
    public var messageZh: String
    public var messageEn: String
    /// For pollution events: the trace-back's suspect stretch and the first candidate to check.
    public var suspectStretch: String?
    public var checkFirst: String?
}

/// Derives the alerts the data show now.
public struct AlertRules {
    public let network: Network
    public let settings: RunSettings
    public let timeZone: TimeZone

    public init(network: Network, settings: RunSettings, timeZone: TimeZone) {
        self.network = network
        self.settings = settings
        self.timeZone = timeZone
    }

    /// Alerts from one analysed period, given each point's latest reading time (for "ongoing").
    public func alerts(in document: AnalysisDocument, lastReadings: [String: Date]) -> [Alert] {
        var alerts: [Alert] = []
        // A condition whose last reading is within two reading intervals of the point's latest still holds.
        func ongoing(_ pointID: String, _ end: Date) -> Bool {
            guard let last = lastReadings[pointID] else { return false }
            return last.timeIntervalSince(end) <= 2 * 3600
        }
        for episode in Self.joined(document.exceedances) {
            let raises = episode.parameter.pollutionEffect == .raises
            let multiple = raises && episode.limit > 0 ? (episode.peak - episode.limit) / episode.limit : nil
            let severity: AlertSeverity = (multiple ?? 0) >= 1 ? .critical : .warning
            let value = formatValue(episode.peak) + " " + episode.parameter.canonicalUnit.rawValue
            let times = multiple.map { String(format: "%.2f", $0) }
            alerts.append(Alert(
                id: id(.exceedance, episode.pointID, episode.parameter, episode.start), kind: .exceedance,
                severity: severity, pointID: episode.pointID, parameter: episode.parameter, start: episode.start,
                end: episode.end, ongoing: ongoing(episode.pointID, episode.end), value: episode.peak,
                limit: episode.limit, exceedanceMultiple: multiple,
                messageZh: "\(name(episode.pointID)) \(episode.parameter.chineseName) 自 \(local(episode.start)) 起超过"
                    + "\(episode.targetClass.roman)类目标限值 \(formatValue(episode.limit))，峰值 \(value)"
                    + (times.map { "（超标 \($0) 倍）" } ?? ""),
                messageEn: "\(name(episode.pointID)) \(episode.parameter.code) above its class \(episode.targetClass.roman) "
                    + "target limit \(formatValue(episode.limit)) since \(local(episode.start)), peak \(value)"
                    + (times.map { " (\($0) × over)" } ?? "")))
        }
        let eventEnds = Dictionary(document.events.map { ("\($0.pointID)@\($0.start.timeIntervalSince1970)", $0.end) },
                                   uniquingKeysWith: max)
        let recurring = recurrences(in: document)
        for trace in document.traces where trace.verdict == .source {
            let end = eventEnds["\(trace.pointID)@\(trace.eventStart.timeIntervalSince1970)"] ?? trace.eventStart
            let recurrence = recurring["\(trace.pointID)@\(trace.eventStart.timeIntervalSince1970)"].map(recurrencePhrase) ?? ("", "")
            let stretch = trace.suspectSegment.map { segment in
                "\(segment.riverID) km \(formatValue(segment.fromKilometre))–\(formatValue(segment.toKilometre))"
            }
            let first = trace.candidates.first.map { candidate in
                candidate.sourceID.map { id in "\(id) \(network.sources.first { $0.id == id }?.name ?? "")" }
                    ?? "unregistered outfall"
            }
            let moved = (trace.rose.map(\.code) + trace.fell.map(\.code)).joined(separator: ", ")
            alerts.append(Alert(
                id: id(.pollutionEvent, trace.pointID, trace.rose.first ?? trace.fell.first, trace.eventStart),
                kind: .pollutionEvent, severity: trace.confidence >= 0.5 ? .critical : .warning, pointID: trace.pointID,
                parameter: trace.rose.first ?? trace.fell.first, start: trace.eventStart, end: end,
                ongoing: ongoing(trace.pointID, end), value: nil, limit: nil, exceedanceMultiple: nil,
                messageZh: "\(name(trace.pointID)) 自 \(local(trace.eventStart)) 起出现污染事件（\(moved)）"
                    + (stretch.map { "，溯源可疑河段 \($0)" } ?? "") + (first.map { "，优先排查 \($0)" } ?? "")
                    + String(format: "，置信度 %.0f%%", trace.confidence * 100) + recurrence.0,
                messageEn: "pollution event at \(name(trace.pointID)) from \(local(trace.eventStart)) (\(moved))"
                    + (stretch.map { "; suspect stretch \($0)" } ?? "") + (first.map { "; check \($0) first" } ?? "")
                    + String(format: "; confidence %.0f %%", trace.confidence * 100) + recurrence.1,
                suspectStretch: stretch, checkFirst: first))
        }
        for trace in document.traces where trace.verdict == .uncertain {
            let end = eventEnds["\(trace.pointID)@\(trace.eventStart.timeIntervalSince1970)"] ?? trace.eventStart
            let moved = (trace.rose.map(\.code) + trace.fell.map(\.code)).joined(separator: ", ")
            let settle = trace.settledBy?.first.map(Self.settlingPhrase) ?? ("", "")
            alerts.append(Alert(
                id: id(.uncertainTrace, trace.pointID, trace.rose.first ?? trace.fell.first, trace.eventStart),
                kind: .uncertainTrace, severity: .info, pointID: trace.pointID, parameter: trace.rose.first ?? trace.fell.first,
                start: trace.eventStart, end: end, ongoing: ongoing(trace.pointID, end), value: nil, limit: nil,
                exceedanceMultiple: nil,
                messageZh: "\(name(trace.pointID)) 自 \(local(trace.eventStart)) 起出现异常（\(moved)），溯源不确定"
                    + String(format: "（置信度 %.0f%%），暂不派现场", trace.confidence * 100) + settle.0,
                messageEn: "anomaly at \(name(trace.pointID)) from \(local(trace.eventStart)) (\(moved)), trace uncertain"
                    + String(format: " (confidence %.0f %%), no field team yet", trace.confidence * 100) + settle.1))
        }
        for result in document.blackOdorous where result.grade != .none {
            alerts.append(Alert(
                id: id(.blackOdorous, result.pointID, nil, document.period.start), kind: .blackOdorous,
                severity: result.grade == .severe ? .critical : .warning, pointID: result.pointID, parameter: nil,
                start: document.period.start, end: min(document.period.end, lastReadings[result.pointID] ?? document.period.end),
                ongoing: document.period.end > (lastReadings[result.pointID] ?? .distantPast), value: nil, limit: nil,
                exceedanceMultiple: nil,
                messageZh: "\(name(result.pointID)) \(document.period.label) 判定为\(result.grade.rawValue)",
                messageEn: "\(name(result.pointID)) is \(result.grade.english) in \(document.period.label)"))
        }
        for fault in document.faults {
            alerts.append(Alert(
                id: id(.sensorFault, fault.pointID, fault.parameter, fault.start), kind: .sensorFault, severity: .info,
                pointID: fault.pointID, parameter: fault.parameter, start: fault.start, end: fault.end,
                ongoing: ongoing(fault.pointID, fault.end), value: fault.value, limit: nil, exceedanceMultiple: nil,
                messageZh: "\(name(fault.pointID)) \(fault.parameter?.chineseName ?? "全部指标") 疑似仪器故障（\(fault.kind.chinese)），"
                    + "\(local(fault.start)) – \(local(fault.end))",
                messageEn: "\(name(fault.pointID)) \(fault.parameter?.code ?? "all parameters") looks like a sensor fault "
                    + "(\(fault.kind.english)), \(local(fault.start)) – \(local(fault.end))"))
        }
        return alerts
    }

    /// Exceedance episodes of one point and parameter less than ``episodeJoinGap`` apart are one alert: a series
    /// hovering around its limit is one condition for a river chief, not one alert per crossing.
    static let episodeJoinGap: TimeInterval = 24 * 3600

    static func joined(_ episodes: [ExceedanceEpisode]) -> [ExceedanceEpisode] {
        var result: [ExceedanceEpisode] = []
        let sorted = episodes.sorted { ($0.pointID, $0.parameter, $0.start) < ($1.pointID, $1.parameter, $1.start) }
        for episode in sorted {
            if var last = result.last, last.pointID == episode.pointID, last.parameter == episode.parameter,
               episode.start.timeIntervalSince(last.end) <= episodeJoinGap {
                last.end = max(last.end, episode.end)
                // The worse peak, as ExceedanceFinder judges it: lower DO, pH farther from neutral, else higher.
                let worse = switch episode.parameter {
                case .dissolvedOxygen: episode.peak < last.peak
                case .pH: abs(episode.peak - 7.5) > abs(last.peak - 7.5)
                default: episode.peak > last.peak
                }
                if worse { last.peak = episode.peak }
                last.readings += episode.readings
                result[result.count - 1] = last
            } else {
                result.append(episode)
            }
        }
        return result
    }

    /// Stations without a reading for longer than their kind's threshold (points never heard from are `health`'s).
    public func silentStations(lastReadings: [String: Date], now: Date) -> [Alert] {
        network.points.compactMap { point in
            guard let last = lastReadings[point.id] else { return nil }
            let limit = point.kind == .automatic ? settings.silentHoursAutomatic * 3600 : settings.silentDaysManual * 86_400
            let silence = now.timeIntervalSince(last)
            guard silence > limit else { return nil }
            let hours = Int((silence / 3600).rounded(.down))
            return Alert(
                id: id(.silentStation, point.id, nil, last), kind: .silentStation,
                severity: point.kind == .automatic ? .warning : .info, pointID: point.id, parameter: nil, start: last,
                end: now, ongoing: true, value: nil, limit: nil, exceedanceMultiple: nil,
                messageZh: "\(name(point.id)) 自 \(local(last)) 起无数据（已 \(hours) 小时）",
                messageEn: "\(name(point.id)) silent since \(local(last)) (\(hours) h)")
        }
    }

    /// The recurrence (``Incident/dailyRecurrence(secondsFromGMT:)``) of the incident each source trace belongs to,
    /// keyed `point@start`: a pollution event's alert says when a discharge repeated day after day will likely come
    /// again, so that a team can be there (a night-time one is gone by morning).
    func recurrences(in document: AnalysisDocument) -> [String: DailyRecurrence] {
        var found: [String: DailyRecurrence] = [:]
        for incident in document.incidentGroups {
            guard let recurrence = incident.dailyRecurrence(secondsFromGMT: timeZone.secondsFromGMT(for: incident.lead.eventStart))
            else { continue }
            for trace in incident.traces { found["\(trace.pointID)@\(trace.eventStart.timeIntervalSince1970)"] = recurrence }
        }
        return found
    }

    /// "; the events at … have begun between … on N nights …: should it recur, inspect …", in Chinese and English.
    func recurrencePhrase(_ recurrence: DailyRecurrence) -> (String, String) {
        let seen = String(format: "%02d:00–%02d:00", recurrence.fromHour, recurrence.toHour)
        let discharge = String(format: "%02d:00–%02d:00", recurrence.dischargeFromHour, recurrence.dischargeToHour)
        let point = name(recurrence.pointID)
        return recurrence.atNight
            ? ("；\(point) 的异常已在 \(recurrence.days) 个夜间于 \(seen) 开始，排放约于 \(discharge) 开始，疑似夜间排放：如再出现，宜今夜该时段到河段排查",
               "; the events at \(point) have begun \(seen) on \(recurrence.days) nights, the discharge likely \(discharge): "
                + "should it recur, inspect the stretch tonight at that hour")
            : ("；\(point) 的异常已在 \(recurrence.days) 天于 \(seen) 开始，排放约于 \(discharge) 开始：如再出现，宜在该时段到河段排查",
               "; the events at \(point) have begun \(seen) on \(recurrence.days) days, the discharge likely \(discharge): "
                + "should it recur, inspect the stretch at that hour")
    }

    func id(_ kind: AlertKind, _ pointID: String, _ parameter: Parameter?, _ start: Date) -> String {
        "\(kind.code)/\(pointID)/\(parameter?.code ?? "*")/" + localTime(start, in: timeZone, format: "yyyyMMdd'T'HHmm")
    }

    private func name(_ pointID: String) -> String {
        network.point(pointID).map { "\($0.id) \($0.name)" } ?? pointID
    }

    private func local(_ date: Date) -> String { localTime(date, in: timeZone) }
}

extension AlertRules {
    /// The first settling step of an uncertain trace as a clause of the alert message, Chinese and English.
    static func settlingPhrase(_ step: SettlingStep) -> (String, String) {
        let point = step.pointID ?? ""
        return switch step.kind {
        case .checkBelow: ("；可调取 \(point) 的数据或采样确认", "; readings or a grab sample at \(point) would settle it")
        case .readingsAbove: ("；缺 \(point) 的数据", "; the missing readings of \(point) would settle it")
        case .sampleMouth: ("；可在汇口上游两条河采样确认", "; samples on both rivers above the mouth would settle it")
        case .sampleStretch: ("；可沿河段采样确认", "; grab samples along the stretch would settle it")
        }
    }
}

