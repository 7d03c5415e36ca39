import Foundation
import RiverModel
import Standards

/// The report's language: Chinese by default, English on request.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Everything a report is made from (values only: the caller reads the store).
public struct ReportInput: Sendable {
    public var document: AnalysisDocument
    /// The period before, for the change section (nil when the store has nothing for it).
    public var previous: AnalysisDocument?
    public var network: Network
    /// Automatic stations' series in the period, for the time-series charts.
    public var series: [String: [Parameter: [(Date, Double)]]]
    /// The series trace-back charts need (points of each incident's evidence, its lead parameter), around the period.
    public var traceSeries: [String: [Parameter: [(Date, Double)]]] = [:]
    /// Quarantined rows per reason, store-wide.
    public var quarantine: [(reason: String, count: Int)]
    public var timeZone: TimeZone
    public var generatedAt: Date
    /// The period has not ended: the report says so at the top (the unattended run rewrites it as data arrive).
    public var provisional = false

    public init(document: AnalysisDocument, previous: AnalysisDocument?, network: Network,
                series: [String: [Parameter: [(Date, Double)]]], quarantine: [(reason: String, count: Int)],
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
public struct ReportWriter {
    public let input: ReportInput
    public let language: ReportLanguage
    /// Parameters drawn on each river's longitudinal profile and on the stations' time series.
    public static let profileParameters: [Parameter] = [.ammoniaNitrogen, .totalPhosphorus, .permanganateIndex, .dissolvedOxygen]
    public static let seriesParameters: [Parameter] = [.ammoniaNitrogen, .dissolvedOxygen]

    public init(input: ReportInput, language: ReportLanguage) {
        self.input = input
        self.language = language
    }

    var zh: Bool { language == .zh }
    func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }

    /// All files of the report, by path relative to the report folder.
    public func files() -> [String: String] {
        var files: [String: String] = [:]
        let classes = Dictionary(uniqueKeysWithValues: input.document.points.compactMap { point in
            point.waterClass.map { (point.pointID, $0) }
        })
        var network = NetworkSchematic(title: t("河网水质示意图", "River network by water class") + " \(input.document.period.label)",
                                       network: input.network, classes: classes)
        network.language = language
        files["network.svg"] = network.svg()
        files[Self.classShareChart] = classShareChart()
        files["report.md"] = mainReport()
        files["network.geojson"] = networkGeoJSON()
        files["map.html"] = mapPage()
        for incident in input.document.incidentGroups {
            let trace = incident.lead
            files[traceFile(trace) + ".md"] = traceReport(incident)
            files[traceFile(trace) + ".geojson"] = incidentGeoJSON(incident)
            var schematic = NetworkSchematic(title: t("溯源示意图", "Trace-back") + " \(trace.pointID) \(localTime(trace.eventStart))",
                                             network: input.network, classes: classes)
            schematic.trace = trace
            schematic.language = language
            schematic.traceLegend = [t("疑似河段", "suspect stretch"), t("其他可能河段", "also possible"), t("溯源路径", "path walked"),
                                     t("受影响", "affected"), t("未受影响", "clean"), t("无数据或此前已偏高", "no data or already off baseline")]
            files[traceFile(trace) + "-network.svg"] = schematic.svg()
            if let chart = alignedChart(trace) { files[traceFile(trace) + "-aligned.svg"] = chart }
        }
        for river in input.network.riversInTreeOrder {
            files["rivers/" + Self.riverPage(river.id)] = riverPage(river)
            for parameter in Self.profileParameters {
                files["rivers/" + Self.profileChart(river.id, parameter)] = profile(river, parameter)
            }
            for point in input.network.points(on: river.id) where point.kind == .automatic {
                for parameter in Self.seriesParameters {
                    guard let values = input.series[point.id]?[parameter], !values.isEmpty else { continue }
                    let title = "\(point.id) \(displayName(point)) — \(name(parameter))"
                    files["rivers/" + Self.seriesChart(point.id, parameter)] = TimeSeriesChart(
                        title: title, parameter: parameter, series: values, period: input.document.period,
                        timeZone: input.timeZone, language: language).svg()
                }
            }
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

    // MARK: the periodic report

    func mainReport() -> String {
        let document = input.document
        var md: [String] = []
        md.append("# " + t("水质监测报告 \(document.period.label)", "Water quality report \(document.period.label)"))
        md.append("")
        md.append(t("生成时间：", "Generated: ") + localTime(input.generatedAt) + " (\(input.timeZone.identifier))"
                  + t("；评价依据 GB 3838-2002 与《地表水环境质量评价办法（试行）》。",
                      "; evaluated by GB 3838-2002 and the national evaluation method (环办〔2011〕22号)."))
        md.append("")
        if input.provisional {
            md.append("> " + t("**暂定**：本期尚未结束，数据截至生成时间，结论可能随后续数据变化。",
                               "**Provisional**: the period has not ended; the data reach the time of generation and the findings may change."))
            md.append("")
        }
        md.append("## " + t("概要", "Summary"))
        md.append("")
        for sentence in summary() { md.append("- " + sentence) }
        md.append("")
        md.append("!" + link(t("河网水质示意图", "River network schematic"), to: "network.svg"))
        md.append("")
        md.append("## " + t("河流水质", "Rivers"))
        md.append("")
        md.append("| " + [t("河流", "River"), t("断面数", "Sections"), t("Ⅰ–Ⅲ类比例", "I–III"), t("劣Ⅴ类比例", "Worse than V"),
                          t("水质状况", "Status"), t("主要污染指标", "Main pollutants"), t("一河一策", "River page")]
            .joined(separator: " | ") + " |")
        md.append("|---|---:|---:|---:|---|---|---|")
        for group in document.rivers {
            let id = group.id ?? ""
            md.append("| \(riverName(id)) (\(escapeMarkdown(id))) | \(group.sections) | \(percent(group.shareGood)) | "
                      + "\(percent(group.shareWorseThanV)) | \(grade(group.grade)) | "
                      + group.mainPollutants.map { name($0) }.joined(separator: t("、", ", ")) + " | "
                      + link(t("查看", "open"), to: "rivers/" + Self.riverPage(id)) + " |")
        }
        md.append("| **\(t("全区", "District"))** | \(document.district.sections) | \(percent(document.district.shareGood)) | "
                  + "\(percent(document.district.shareWorseThanV)) | **\(grade(document.district.grade))** | "
                  + document.district.mainPollutants.map { name($0) }.joined(separator: t("、", ", ")) + " | |")
        md.append("")
        md += section(t("点位评价", "Points"), pointTable(document.points))
        md += section(t("与上期比较", "Change from the previous period"), changes())
        md += section(t("超标时段（自动站，对照水质目标）", "Exceedance episodes (stations, against the target)"),
                      exceedanceTable())
        md += section(t("异常事件与溯源排查", "Anomaly events and trace-back"), traceSection())
        md += section(t("沿程污染增量（持续性污染河段排序）", "Where the rivers pick up pollution (persistent sources)"),
                      segmentSection())
        md += section(t("水质变化趋势", "Trends"), trendSection())
        md += section(t("仪器故障", "Sensor faults"), faultSection())
        md += section(t("黑臭水体", "Black-odorous water"), blackOdorousSection())
        md += section(t("数据完整性与隔离数据", "Data completeness and quarantine"), dataQuality())
        md.append("## " + t("评价方法", "Methods"))
        md.append("")
        md.append(t("""
            - 水质类别：《地表水环境质量标准》（GB 3838-2002）表1，单因子评价法；参评指标为 pH、溶解氧、高锰酸盐指数、化学需氧量、五日生化需氧量、氨氮、总磷（总氮、水温不参评）。
            - 时段均值：有效数据（无标记或 HJ 212 标记 N）的算术平均；未检出按检出限的一半参与平均。
            - 超标倍数 =（C − S）/ S，S 为Ⅲ类标准限值；溶解氧、pH 不计超标倍数。主要污染指标：劣于Ⅲ类的指标中类别最差的前三项。
            - 河流、全区水质状况：断面数≥5 时按Ⅰ–Ⅲ类、劣Ⅴ类断面比例评价，少于 5 个时按各指标断面均值评价（《地表水环境质量评价办法（试行）》，环办〔2011〕22号）。
            - 数据完整率：有效数据数 / 应测数据数；自动站低于 75% 的指标不参与评价（详见 docs/methods.md）。
            """, """
            - Classes: GB 3838-2002 Table 1, single-factor method, over pH, DO, CODMn, COD, BOD5, NH3-N and TP (TN and temperature are not used for river classes).
            - Period values: mean of valid readings (no flag or HJ 212 `N`); values below the detection limit at half the limit.
            - Exceedance multiple = (C − S) / S with S the Class III limit; none for DO and pH. Main pollutants: up to three parameters worse than III, worst class first.
            - River and district status: with 5 sections or more by the shares of sections in I–III and worse than V; with fewer, by the class of the parameters averaged over the sections (环办〔2011〕22号).
            - Completeness: valid readings / expected readings; station parameters below 75 % are not evaluated (docs/methods.md).
            """))
        return md.joined(separator: "\n") + "\n"
    }

    /// A second-level section: heading, blank line, body, blank line.
    func section(_ title: String, _ body: [String]) -> [String] {
        ["## " + title, ""] + body + [""]
    }

    func summary() -> [String] {
        let document = input.document
        let district = document.district
        var sentences: [String] = []
        let assessed = document.points.filter { $0.waterClass != nil }
        let counts = document.summary.points
        // First what the data cover: every later sentence stands on it.
        let coverage = document.summary.coverage
        let missing = coverage.pointsWithoutData.prefix(10).map(pointName).joined(separator: zh ? "、" : ", ")
            + (coverage.pointsWithoutData.count > 10 ? (zh ? " 等" : ", …") : "")
        // Rounded down: partial data never reads as 100 %.
        let share = percent((coverage.overall * 100).rounded(.down) / 100)
        let withData = coverage.pointsWithData
        let zhCoverage = "数据覆盖：\(counts.total) 个点位中 \(withData) 个有数据，整体有效数据率 \(share)"
            + (missing.isEmpty ? "。" : "；无数据：" + missing + "。")
        let enCoverage = "Data coverage: \(withData) of \(counts.total) points have data, \(share) of the expected readings overall"
            + (missing.isEmpty ? "." : "; no data: " + missing + ".")
        sentences.append(t(zhCoverage, enCoverage))
        guard counts.assessed > 0 else {
            // No data is not "target met": say what the data do not show, and stop.
            sentences.append(t("本期没有可评价的点位：\(counts.total) 个点位均无足够数据，不能给出水质类别和达标结论。",
                               "No point can be assessed this period: none of the \(counts.total) points has enough data, so no "
                               + "class and no target can be stated."))
            return sentences
        }
        sentences.append(t("本期评价 \(counts.assessed) 个点位（共 \(counts.total) 个，\(counts.notAssessed) 个数据不足未评价）："
                           + "Ⅰ–Ⅲ类 \(percent(district.shareGood))，劣Ⅴ类 \(percent(district.shareWorseThanV))，全区水质\(grade(district.grade))。",
                           "\(counts.assessed) of \(counts.total) points assessed (\(counts.notAssessed) without enough data): "
                           + "\(percent(district.shareGood)) in Classes I–III, \(percent(district.shareWorseThanV)) worse than V; "
                           + "the district is \(grade(district.grade))."))
        let missed = assessed.filter { $0.meetsTarget == false }
        let targets = t("达到水质目标 \(counts.meetingTarget) 个，未达到 \(counts.missingTarget) 个"
                        + (counts.withoutTarget > 0 ? "，无水质目标 \(counts.withoutTarget) 个" : "") + "。",
                        "\(counts.meetingTarget) meet their target class, \(counts.missingTarget) miss it"
                        + (counts.withoutTarget > 0 ? ", \(counts.withoutTarget) have none" : "") + ".")
        if missed.isEmpty {
            sentences.append(t("已评价的点位中，", "Of the assessed points, ") + targets)
        } else {
            let listed = missed.prefix(6).map { point in
                zh ? "\(pointName(point.pointID))（\(className(point.waterClass))，目标 \(className(point.targetClass))"
                    + (point.mainPollutants.first.map { "，\(pollutantText($0))" } ?? "") + "）"
                   : "\(pointName(point.pointID)) (\(className(point.waterClass)), target \(className(point.targetClass))"
                    + (point.mainPollutants.first.map { ", \(pollutantText($0))" } ?? "") + ")"
            }
            sentences.append(t("已评价的点位中，", "Of the assessed points, ") + targets + t("未达标：", " Missing: ")
                             + listed.joined(separator: t("；", "; ")) + (missed.count > 6 ? t(" 等。", " and others.") : t("。", ".")))
        }
        let worst = document.rivers.filter { $0.grade == .heavilyPolluted || $0.grade == .moderatelyPolluted }
        if !worst.isEmpty {
            sentences.append(t("需重点关注：", "Needs attention: ")
                             + worst.map { riverName($0.id ?? "")
                                 + (zh ? "（\(grade($0.grade))）" : " (\(grade($0.grade)))") }
                                .joined(separator: t("、", ", ")) + t("。", "."))
        }
        if let previous = input.previous {
            sentences.append(t("与上期（\(previous.period.label)）相比，全区水质", "Compared with \(previous.period.label), the district is ")
                             + changeText(from: previous.district.grade, to: district.grade) + t("。", "."))
        }
        sentences.append(t("自动站超标时段 \(document.exceedances.count) 个。", "\(document.exceedances.count) exceedance episodes at the stations."))
        return sentences
    }

    func pointTable(_ points: [PointResult]) -> [String] {
        var md = ["| " + [t("点位", "Point"), t("名称", "Name"), t("河流", "River"), t("水质类别", "Class"), t("目标", "Target"),
                         t("达标", "Met"), t("主要污染指标（超标倍数）", "Main pollutants (× over III)"), t("数据完整率", "Complete")]
            .joined(separator: " | ") + " |", "|---|---|---|---|---|---|---|---:|"]
        for point in points {
            let met = point.meetsTarget.map { $0 ? t("✅ 达标", "✅ yes") : t("❌ 未达标", "❌ no") } ?? "—"
            let main = point.mainPollutants.map(pollutantText).joined(separator: t("、", ", "))
            var completeness = percent(point.completeness)
            if !point.insufficient.isEmpty {
                completeness += t("（数据不足：", " (insufficient: ") + point.insufficient.map(\.code).joined(separator: ", ") + t("）", ")")
            }
            md.append("| \(escapeMarkdown(point.pointID)) | \(pointName(point.pointID)) | \(riverName(point.riverID)) | "
                      + "\(ClassColour.square(point.waterClass)) \(className(point.waterClass)) | \(className(point.targetClass)) | \(met) | "
                      + "\(main.isEmpty ? "—" : main) | \(completeness) |")
        }
        return md
    }

    func changes() -> [String] {
        guard let previous = input.previous else {
            return [t("上期无数据，无法比较。", "No data for the previous period.")]
        }
        var md = ["| " + [t("河流", "River"), previous.period.label, input.document.period.label, t("变化", "Change")]
            .joined(separator: " | ") + " |", "|---|---|---|---|"]
        for group in input.document.rivers {
            let before = previous.rivers.first { $0.id == group.id }?.grade
            md.append("| \(riverName(group.id ?? "")) | \(grade(before)) | \(grade(group.grade)) | "
                      + "\(changeText(from: before, to: group.grade)) |")
        }
        let changed = input.document.points.compactMap { point -> String? in
            guard let now = point.waterClass,
                  let before = previous.points.first(where: { $0.pointID == point.pointID })?.waterClass, now != before else { return nil }
            return "\(escapeMarkdown(point.pointID)) \(className(before)) → \(className(now))"
        }
        md.append("")
        md.append(t("类别变化的点位：", "Points whose class changed: ") + (changed.isEmpty ? t("无", "none") : changed.joined(separator: t("；", "; "))))
        return md
    }

    /// Same grade 无明显变化, one grade apart 有所好转/变差, two or more 明显好转/变差 (see docs/methods.md).
    func changeText(from before: QualityGrade?, to now: QualityGrade?) -> String {
        guard let before, let now,
              let a = QualityGrade.allCases.firstIndex(of: before), let b = QualityGrade.allCases.firstIndex(of: now) else {
            return t("无法比较", "not comparable")
        }
        switch b - a {
        case 0: return t("无明显变化", "unchanged")
        case -1: return t("有所好转", "slightly better")
        case 1: return t("有所变差", "slightly worse")
        case ..<(-1): return t("明显好转", "clearly better")
        default: return t("明显变差", "clearly worse")
        }
    }

    func exceedanceTable() -> [String] {
        let episodes = input.document.exceedances.sorted { $0.hours > $1.hours }
        guard !episodes.isEmpty else { return [t("本期无超标时段。", "None in this period.")] }
        var md = ["| " + [t("点位", "Point"), t("指标", "Parameter"), t("开始", "Start"), t("结束", "End"), t("时长(h)", "Hours"),
                         t("峰值（溶解氧为最低值）", "Peak (lowest for DO)"), t("目标限值", "Target limit")].joined(separator: " | ") + " |", "|---|---|---|---|---:|---:|---:|"]
        for episode in episodes.prefix(20) {
            md.append("| \(pointLabel(episode.pointID)) | \(name(episode.parameter)) | "
                      + "\(localTime(episode.start)) | \(localTime(episode.end)) | \(String(format: "%.0f", episode.hours + 1)) | "
                      + "\(formatValue(episode.peak)) | \(formatValue(episode.limit)) |")
        }
        if episodes.count > 20 {
            md.append("")
            md.append(t("（按时长列出前 20 个，共 \(episodes.count) 个；完整列表见 `rivertrace analyze --json`。）",
                        "(The 20 longest of \(episodes.count); all of them in `rivertrace analyze --json`.)"))
        }
        return md
    }

    func blackOdorousSection() -> [String] {
        let graded = input.document.blackOdorous
        guard !graded.isEmpty else {
            return [t("本期无点位达到黑臭水体判定标准（透明度、溶解氧、氧化还原电位、氨氮；《城市黑臭水体整治工作指南》）。",
                      "No point reached the black-odorous levels (transparency, DO, ORP, NH3-N; 2015 guide).")]
        }
        var md = ["| " + [t("点位", "Point"), t("判定", "Grade"), t("达到轻度及以上的数据比例", "Readings at light or worse")]
            .joined(separator: " | ") + " |", "|---|---|---|"]
        for result in graded {
            let shares = result.items.map { "\(name($0.parameter)) \(percent($0.lightOrWorseShare))" }
                .joined(separator: t("，", ", "))
            md.append("| \(pointLabel(result.pointID)) | **\(zh ? result.grade.rawValue : result.grade.english)** | \(shares) |")
        }
        return md
    }

    func dataQuality() -> [String] {
        var md: [String] = []
        let thin = input.document.points.filter { !$0.insufficient.isEmpty }
        md.append(thin.isEmpty ? t("所有点位的参评指标数据充足。", "Every point has enough data for its class parameters.")
                  : t("数据不足、未参与评价的指标：", "Parameters left out for want of data: ")
                    + thin.map { "\(escapeMarkdown($0.pointID))（\($0.insufficient.map(\.code).joined(separator: ", "))）" }.joined(separator: t("；", "; ")))
        let total = input.quarantine.reduce(0) { $0 + $1.count }
        md.append("")
        md.append(t("入库隔离数据（全部文件累计）：\(total) 条", "Quarantined rows (all files so far): \(total)")
                  + (input.quarantine.isEmpty ? "" : t("，按原因：", ", by reason: ")
                     + input.quarantine.map { "`\($0.reason)` \($0.count)" }.joined(separator: t("，", ", ")))
                  + t("。查看：`rivertrace quarantine`。", ". See `rivertrace quarantine`."))
        return md
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
}
