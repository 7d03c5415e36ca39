import Foundation
import Synchronization
import RiverModel
import Standards
import Trace

/// The report's language: Chinese by default, English on request.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Everything a report is made from (values only: the caller reads the store).
public struct ReportInput: Sendable {
    public var document: AnalysisDocument
    /// The period before, for the change section (nil when the store has nothing for it).
    public var previous: AnalysisDocument?
    /// The same period one year earlier, for the year-on-year comparison (同比; nil when the store has nothing for it).
    /// Its classes only (points, rivers, district): no events, traces or trends, unless it is `previous`.
    public var yearEarlier: AnalysisDocument?
    public var network: Network
    /// Automatic stations' series in the period, as their time-series charts draw them.
    public var series: [String: [Parameter: ChartSeries]]
    /// The series trace-back charts need (points of each incident's evidence, its lead parameter), around the period.
    public var traceSeries: [String: [Parameter: [(Date, Double)]]] = [:]
    /// Quarantined rows per reason, store-wide.
    public var quarantine: [(reason: String, count: Int)]
    public var timeZone: TimeZone
    public var generatedAt: Date
    /// The period has not ended: the report says so at the top (the unattended run rewrites it as data arrive).
    public var provisional = false

    public init(document: AnalysisDocument, previous: AnalysisDocument?, network: Network,
                series: [String: [Parameter: ChartSeries]], quarantine: [(reason: String, count: Int)],
                timeZone: TimeZone, generatedAt: Date) {
        self.document = document
        self.previous = previous
        self.network = network
        self.series = series
        self.quarantine = quarantine
        self.timeZone = timeZone
        self.generatedAt = generatedAt
    }
}

/// Writes the periodic report, one page per river (一河一策) and the SVG charts, as files in memory:
/// relative path → content. The caller writes them to disk atomically.
public struct ReportWriter: Sendable {
    public let input: ReportInput
    public let language: ReportLanguage
    /// Parameters drawn on each river's longitudinal profile and on the stations' time series.
    public static let profileParameters: [Parameter] = [.ammoniaNitrogen, .totalPhosphorus, .permanganateIndex, .dissolvedOxygen]
    public static let seriesParameters: [Parameter] = [.ammoniaNitrogen, .dissolvedOxygen]
    /// The hours a trace-back's aligned chart shows before and after the event's onset (each station lag-shifted):
    /// what the report reads of the stations a trace judged (`ReportJob`).
    public static let alignedChartHours = (before: 24.0, after: 36.0)

    /// The period's incidents, grouped once (``AnalysisDocument/incidentGroups`` groups on every read, and the river
    /// pages, the map and the trace-back reports each read them).
    let incidentGroups: [Incident]
    /// Their leads, in time order.
    let incidents: [TraceResult]

    public init(input: ReportInput, language: ReportLanguage) {
        self.input = input
        self.language = language
        incidentGroups = input.document.incidentGroups
        incidents = incidentGroups.map(\.lead)
    }

    var zh: Bool { language == .zh }
    func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }

    /// All files of the report, by path relative to the report folder.
    public func files() -> [String: String] {
        let classes = Dictionary(uniqueKeysWithValues: input.document.points.compactMap { point in
            point.waterClass.map { (point.pointID, $0) }
        })
        // Each file is made on its own: they are made on every core (a year's report has some 400).
        var pages: [(name: String, make: @Sendable () -> String?)] = [
            ("network.svg", {
                var network = NetworkSchematic(title: t("河网水质示意图", "River network by water class") + " \(input.document.period.label)",
                                               network: input.network, classes: classes)
                network.language = language
                return network.svg()
            }),
            (Self.classShareChart, classShareChart),
            ("report.md", mainReport),
            ("network.geojson", networkGeoJSON),
            ("map.html", mapPage),
        ]
        for incident in incidentGroups {
            let trace = incident.lead
            let name = traceFile(trace)
            pages.append((name + ".md", { traceReport(incident) }))
            pages.append((name + ".geojson", { incidentGeoJSON(incident) }))
            pages.append((name + "-network.svg", {
                var schematic = NetworkSchematic(title: t("溯源示意图", "Trace-back") + " \(trace.pointID) \(localTime(trace.eventStart))",
                                                 network: input.network, classes: classes)
                schematic.trace = trace
                schematic.language = language
                schematic.traceLegend = [t("疑似河段", "suspect stretch"), t("其他可能河段", "also possible"), t("溯源路径", "path walked"),
                                         t("受影响", "affected"), t("未受影响", "clean"), t("无数据或此前已偏高", "no data or already off baseline")]
                return schematic.svg()
            }))
            pages.append((name + "-aligned.svg", { alignedChart(trace) }))
        }
        for river in input.network.riversInTreeOrder {
            pages.append(("rivers/" + Self.riverPage(river.id), { riverPage(river) }))
            for parameter in Self.profileParameters {
                pages.append(("rivers/" + Self.profileChart(river.id, parameter), { profile(river, parameter) }))
            }
            for point in input.network.points(on: river.id) where point.kind == .automatic {
                for parameter in Self.seriesParameters {
                    guard let values = input.series[point.id]?[parameter], !values.isEmpty else { continue }
                    let title = "\(point.id) \(displayName(point)) — \(name(parameter))"
                    pages.append(("rivers/" + Self.seriesChart(point.id, parameter), {
                        TimeSeriesChart(title: title, parameter: parameter, series: values, period: input.document.period,
                                        timeZone: input.timeZone, language: language).svg()
                    }))
                }
            }
        }
        let makers = pages.map(\.make)
        let made = Mutex([String?](repeating: nil, count: makers.count))
        DispatchQueue.concurrentPerform(iterations: makers.count) { index in
            let content = makers[index]()
            made.withLock { $0[index] = content }
        }
        var files: [String: String] = [:]
        for (page, content) in zip(pages, made.withLock { $0 }) {
            if let content { files[page.name] = content }
        }
        return files
    }

    // MARK: file names

    // Each kind of file in a folder ends in its own suffix, and no suffix ends another one; with the one-to-one
    // `ReportFileName.component`, two files can only share a name when they are the same file.

    /// The class shares of the evaluated points per river and for the district (I–III / IV / V / 劣V), at the top.
    public static let classShareChart = "class-shares.svg"

    /// A river's page in `rivers/`: `<river>.md`.
    static func riverPage(_ riverID: String) -> String { ReportFileName.component(riverID) + ".md" }

    /// A river's longitudinal profile in `rivers/`: `<river>-profile-<parameter>.svg`.
    static func profileChart(_ riverID: String, _ parameter: Parameter) -> String {
        ReportFileName.component(riverID) + "-profile-\(parameter.code).svg"
    }

    /// A station's time series in `rivers/`: `<point>-series-<parameter>.svg`.
    static func seriesChart(_ pointID: String, _ parameter: Parameter) -> String {
        ReportFileName.component(pointID) + "-series-\(parameter.code).svg"
    }

    /// A Markdown link: `[text](target)` with the text escaped and the target percent-encoded.
    func link(_ text: String, to path: String) -> String {
        "[\(escapeMarkdown(text))](\(markdownLinkTarget(path)))"
    }

    // The periodic report (report.md) is in PeriodReport.swift.

    /// A second-level section: heading, blank line, body, blank line.
    func section(_ title: String, _ body: [String]) -> [String] {
        ["## " + title, ""] + body + [""]
    }

    // MARK: words

    func name(_ parameter: Parameter?) -> String {
        guard let parameter else { return "?" }
        return label(parameter)
    }

    /// A word of the vocabulary in the report's language.
    func label(_ word: some Labelled) -> String { zh ? word.chinese : word.english }

    func className(_ waterClass: WaterClass?) -> String { language.className(waterClass) }

    func grade(_ grade: QualityGrade?) -> String {
        guard let grade else { return t("未评价", "not assessed") }
        return zh ? grade.rawValue : grade.english
    }

    func pollutantText(_ pollutant: MainPollutant) -> String {
        name(pollutant.parameter) + (pollutant.exceedanceMultiple.map { String(format: t("（%.2f）", " (%.2f)"), $0) } ?? "")
    }

    func pointName(_ id: String) -> String {
        escapeMarkdown(input.network.point(id).map(displayName) ?? id)
    }

    /// "LDH-05 李大河盘龙汇口下游": the id the charts label, with the name a field team knows.
    func pointLabel(_ id: String) -> String {
        escapeMarkdown(input.network.point(id).map { "\(id) \(displayName($0))" } ?? id)
    }

    func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }

    func localTime(_ date: Date) -> String { Report.localTime(date, in: input.timeZone) }

    /// When the incident's events at one station began at about the same hour day after day
    /// (``Incident/dailyRecurrence(secondsFromGMT:)``): the days, the clock hours, the hours the discharge may have
    /// begun (less the travel from the stretch), and the field step — inspect then (a discharge repeated at night is
    /// gone by daylight). Nil otherwise.
    func recurrenceText(_ incident: Incident) -> String? {
        guard let recurrence = incident.dailyRecurrence(secondsFromGMT: input.timeZone.secondsFromGMT(for: incident.lead.eventStart))
        else { return nil }
        let point = pointLabel(recurrence.pointID)
        let range = t("%02d:00–%02d:00", "%02d:00 and %02d:00")
        let seen = String(format: range, recurrence.fromHour, recurrence.toHour)
        let discharge = String(format: range, recurrence.dischargeFromHour, recurrence.dischargeToHour)
        let days = "\(localTime(recurrence.first)) – \(localTime(recurrence.last))"
        let when = recurrence.atNight ? t("个夜间", "nights") : t("天", "days")
        let travel = recurrence.shortestTravelHours == recurrence.longestTravelHours ? "\(recurrence.longestTravelHours)"
            : "\(recurrence.shortestTravelHours)–\(recurrence.longestTravelHours)"
        var text = t("\(point) 的异常在 \(recurrence.days) \(when)均于 \(seen) 开始（\(days)）",
                     "the events at \(point) began between \(seen) on \(recurrence.days) \(when) (\(days))")
        if recurrence.longestTravelHours > 0 {
            text += t("，自河段流至该点约 \(travel) 小时，排放约于 \(discharge) 开始",
                      "; allowing \(travel) h of travel from the stretch, the discharge began between \(discharge)")
        }
        return text + (recurrence.atNight
            ? t("：疑似夜间排放，宜在该时段夜间排查", ": likely a night-time discharge, inspect the stretch at that hour")
            : t("：宜在该时段排查", ": inspect the stretch at that hour"))
    }
}
