import Foundation
import RiverModel
import Standards
import Trace

/// How many of a group's points fall in each class and meet their target: the counts every share and rate of the
/// periodic report is made of, so that the parts a table prints add up to the totals it prints.
struct ClassTally: Equatable {
    /// Points with a class (评价点位). The class counts add up to it, and so do `meeting + missing + withoutTarget`.
    var evaluated = 0
    var good = 0
    var iv = 0
    var v = 0
    var worseThanV = 0
    var meeting = 0
    var missing = 0
    var withoutTarget = 0
    /// Points without a class (no or too few data): outside every share.
    var notAssessed = 0

    init(_ points: [PointResult]) {
        for point in points {
            guard let found = point.waterClass else { notAssessed += 1; continue }
            evaluated += 1
            switch found {
            case .i, .ii, .iii: good += 1
            case .iv: iv += 1
            case .v: v += 1
            case .worseThanV: worseThanV += 1
            }
            switch point.meetsTarget {
            case true?: meeting += 1
            case false?: missing += 1
            case nil: withoutTarget += 1
            }
        }
    }

    /// 达标率: points meeting their target / evaluated points that have a target; nil when none has.
    var complianceRate: Double? {
        meeting + missing == 0 ? nil : Double(meeting) / Double(meeting + missing)
    }
}

/// The kind of periodic report a period makes: a month, a quarter, a year, or any other range of days.
enum ReportPeriodKind {
    case month, quarter, year, range

    init(label: String) {
        let parts = label.split(separator: "-")
        if label.contains("…") || parts.isEmpty || parts[0].count != 4 || Int(parts[0]) == nil {
            self = .range
        } else if parts.count == 1 {
            self = .year
        } else if parts.count == 2 {
            self = parts[1].uppercased().hasPrefix("Q") ? .quarter : .month
        } else {
            self = .range
        }
    }
}

/// The periodic report (水质月报 / 季报 / 年报), `report.md`, in the order such reports use: monitoring overview,
/// standard and method, results, 同比/环比, exceedances and incidents, black-odorous water, instruments and data,
/// conclusions. Every table names its period; every point links to its river page.
extension ReportWriter {
    /// `report.md`: title and period, the summary, then the eight numbered sections.
    func mainReport() -> String {
        let document = input.document
        let label = escapeMarkdown(document.period.label)
        var md: [String] = []
        let title: String = switch ReportPeriodKind(label: document.period.label) {
        case .month: t("\(label) 水质月报", "Water quality monthly report \(label)")
        case .quarter: t("\(label) 水质季报", "Water quality quarterly report \(label)")
        case .year: t("\(label) 水质年报", "Water quality annual report \(label)")
        case .range: t("水质监测报告 \(label)", "Water quality report \(label)")
        }
        md.append("# " + title)
        md.append("")
        md.append(t("评价时段：", "Period: ") + periodSpan(document.period) + t("；生成时间：", "; generated ")
                  + localTime(input.generatedAt) + " (\(input.timeZone.identifier))"
                  + t("；评价依据 GB 3838-2002 与《地表水环境质量评价办法（试行）》（环办〔2011〕22号）。",
                      "; evaluated by GB 3838-2002 and the national Method for the Evaluation of Surface Water Quality (trial; Huanban [2011] No. 22)."))
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
        md += section(1, t("监测概况", "Monitoring overview"), monitoringOverview())
        md += section(2, t("评价标准与方法", "Standard and method"), standardAndMethod())
        md += section(3, t("监测结果", "Results"), results())
        md += section(4, t("同比与环比", "Year-on-year and period-on-period change"), comparisons())
        md += section(5, t("超标与事件", "Exceedances and incidents"), exceedancesAndIncidents())
        md += section(6, t("黑臭水体", "Black-odorous water"), blackOdorousSection())
        md += section(7, t("仪器与数据质量", "Instruments and data quality"), dataQuality())
        md += section(8, t("结论与建议", "Conclusions and recommendations"), conclusions())
        return md.joined(separator: "\n") + "\n"
    }

    /// A numbered second-level section: `## 三、监测结果` / `## 3. Results`, blank line, body, blank line.
    func section(_ number: Int, _ title: String, _ body: [String]) -> [String] {
        let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        let heading = zh && number <= numerals.count ? "\(numerals[number - 1])、\(title)" : "\(number). \(title)"
        return ["## " + heading, ""] + body + [""]
    }

    /// A third-level section: heading, blank line, body, blank line.
    func subsection(_ title: String, _ body: [String]) -> [String] {
        ["### " + title, ""] + body + [""]
    }

    /// "2026-09-01 00:00 – 2026-10-01 00:00" (the end not included), local time.
    func periodSpan(_ period: EvaluationPeriod) -> String {
        "\(localTime(period.start)) – \(localTime(period.end))" + t("（不含）", " (end excluded)")
    }

    /// A Markdown table's header and alignment rows.
    func tableHeader(_ titles: [String], alignments: [Bool]) -> [String] {
        ["| " + titles.joined(separator: " | ") + " |", "|" + alignments.map { $0 ? "---:|" : "---|" }.joined()]
    }

    /// A river's name as the report shows it, unescaped (every name of this report comes from here or ``pointLabel``).
    func plainRiverName(_ id: String) -> String {
        input.network.river(id).map(displayName) ?? id
    }

    /// A point as a table cell: "M-01 主河上游桥", linked to its river's page.
    func pointCell(_ id: String) -> String {
        guard let point = input.network.point(id) else { return escapeMarkdown(id) }
        return link("\(id) \(displayName(point))", to: "rivers/" + Self.riverPage(point.riverID))
    }

    /// A river as a table cell, linked to its page; the district in bold.
    func riverCell(_ id: String?) -> String {
        guard let id else { return "**" + t("全区", "District") + "**" }
        return link(plainRiverName(id), to: "rivers/" + Self.riverPage(id))
    }

    /// "3（37.5%）": a count and its share of `total` (one decimal); "0" of nothing.
    func countShare(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "\(count)" }
        return "\(count)" + t("（", " (") + String(format: "%.1f%%", Double(count) * 100 / Double(total)) + t("）", ")")
    }

    /// A rate (达标率) with one decimal; "—" when there is nothing to divide by.
    func rate(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    /// A data capture rate, one decimal, rounded down: partial data never reads as 100 %.
    func captureRate(_ value: Double) -> String {
        String(format: "%.1f%%", (min(1, max(0, value)) * 1_000).rounded(.down) / 10)
    }

    /// A parameter with its canonical unit: "氨氮 (mg/L)", "pH（无量纲）".
    func nameWithUnit(_ parameter: Parameter) -> String {
        let unit = parameter.canonicalUnit.rawValue
        return name(parameter) + (unit.isEmpty ? t("（无量纲）", " (dimensionless)") : " (\(unit))")
    }

    /// A concentration as the method writes it: rounded half to even at the parameter's decimals, those decimals shown.
    func methodValue(_ value: Double, _ parameter: Parameter) -> String {
        guard value.isFinite else { return "—" }
        guard let places = MethodRounding.decimals(parameter) else { return formatValue(value) }
        return String(format: "%.\(places)f", MethodRounding.round(value, for: parameter))
    }

    /// The target verdict in words: 达标 / 未达标 / 未评价 (no class, or no result at all) / 无目标. Never a symbol, and
    /// never "met" without data. The one wording of the report and the river pages.
    func targetText(_ point: PointResult?) -> String {
        guard let point, point.waterClass != nil else { return t("未评价", "not assessed") }
        return point.meetsTarget.map { $0 ? t("达标", "met") : t("未达标", "missed") } ?? t("无目标", "no target")
    }

    /// Seconds as "1 h", "4 h", "30 min", "1 d".
    func intervalText(_ seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if seconds >= 3_600 { return String(format: "%.1f h", Double(seconds) / 3_600) }
        return "\(max(1, seconds / 60)) min"
    }

    // MARK: 1. monitoring overview

    /// 一、监测概况: the network, the parameters measured with units, the sampling frequency and the data capture.
    func monitoringOverview() -> [String] {
        let document = input.document
        let period = escapeMarkdown(document.period.label)
        let network = input.network
        let stations = network.points.filter { $0.kind == .automatic }
        let manual = network.points.filter { $0.kind == .manual }
        var md: [String] = []
        md.append(t("本期（\(period)）监测 \(network.rivers.count) 条河流、\(network.points.count) 个点位"
                    + "（自动站 \(stations.count) 个，手工监测点位 \(manual.count) 个）。",
                    "This period (\(period)) the network is \(network.rivers.count) rivers and \(network.points.count) points "
                    + "(\(stations.count) automatic stations, \(manual.count) manual sampling points)."))
        md.append("")
        md.append("!" + link(t("河网水质示意图", "River network schematic"), to: "network.svg"))
        md.append("")
        md.append(t("在地图上查看点位、污染源和本期事件：", "Points, sources and this period's incidents on a map: ") + link("map.html", to: "map.html")
                  + t("（浏览器离线打开）；GIS 数据：", " (opens offline in a browser); GIS data: ") + link("network.geojson", to: "network.geojson")
                  + t("（QGIS 或网页地图可直接打开）。", " (opens in QGIS or a web map)."))
        md.append("")
        // Parameters: every one with a reading at some point this period.
        var measured: [(Parameter, auto: Int, manual: Int, used: Int)] = []
        for parameter in Parameter.allCases {
            var (autoCount, manualCount, used) = (0, 0, 0)
            for point in document.points {
                guard let result = point.parameters.first(where: { $0.parameter == parameter }), result.readings > 0 else { continue }
                if network.point(point.pointID)?.kind == .manual { manualCount += 1 } else { autoCount += 1 }
                used += result.used
            }
            if autoCount + manualCount > 0 { measured.append((parameter, autoCount, manualCount, used)) }
        }
        if measured.isEmpty {
            md.append(t("本期库中没有任何点位的监测数据。", "The store holds no reading of any point in this period."))
            md.append("")
        } else {
            md.append(t("表 1-1 \(period) 监测指标", "Table 1-1 Parameters monitored, \(period)"))
            md.append("")
            md += tableHeader([t("指标", "Parameter"), t("单位", "Unit"), t("自动站点位数", "Stations"), t("手工点位数", "Manual points"),
                               t("有效数据（条）", "Valid readings"), t("参与定类", "Decides the class")],
                              alignments: [false, false, true, true, true, false])
            for (parameter, autoCount, manualCount, used) in measured {
                let unit = parameter.canonicalUnit.rawValue
                md.append("| \(name(parameter)) | \(unit.isEmpty ? t("无量纲", "dimensionless") : unit) | \(autoCount) | \(manualCount) | \(used) | "
                          + (GB3838.riverClassParameters.contains(parameter) ? t("是", "yes") : t("否", "no")) + " |")
            }
            md.append("")
        }
        // Frequency from the data: each station's most common interval, the median over the stations.
        let stationIntervals = document.points.filter { network.point($0.pointID)?.kind == .automatic }
            .compactMap { point in point.parameters.compactMap(\.intervalSeconds).min() }.sorted()
        let manualSamples = document.points.filter { network.point($0.pointID)?.kind == .manual }
            .compactMap { point in point.parameters.filter { GB3838.riverClassParameters.contains($0.parameter) }.map(\.readings).max() }
            .filter { $0 > 0 }.sorted()
        var frequency: [String] = []
        if let median = median(stationIntervals) {
            frequency.append(t("自动站监测间隔（各站最常见间隔的中位数，按数据统计）\(intervalText(median))",
                               "automatic stations every \(intervalText(median)) (median over the stations of each one's most common interval, from the data)"))
        }
        if let median = median(manualSamples) {
            frequency.append(t("手工点位本期采样 \(median) 次（各点位中位数）", "manual points: \(median) sample(s) each this period (median over the points)"))
        }
        if !frequency.isEmpty {
            md.append(t("监测频次：", "Sampling frequency: ") + frequency.joined(separator: t("；", "; ")) + t("。", "."))
            md.append("")
        }
        md += captureTable()
        return md
    }

    /// The middle value of a sorted list (the lower of the two middle ones for an even count: a real interval).
    func median(_ sorted: [Int]) -> Int? {
        sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
    }

    /// Data capture per point and overall (有效数据率), and the points with no or partial data by name.
    func captureTable() -> [String] {
        let document = input.document
        let period = escapeMarkdown(document.period.label)
        let coverage = document.summary.coverage
        var md: [String] = []
        // Rounded down: partial data never reads as 100 %.
        let overall = captureRate(coverage.overall)
        md.append(t("数据获取：\(document.points.count) 个点位中 \(coverage.pointsWithData) 个有数据、\(coverage.pointsWithoutData.count) 个无数据；"
                    + "整体有效数据率 \(overall)（各点位有效数据率的平均，无数据点位计 0）。",
                    "Data capture: \(coverage.pointsWithData) of \(document.points.count) points have data, "
                    + "\(coverage.pointsWithoutData.count) have none; overall capture \(overall) (the mean of the points' rates, a point without data counting 0)."))
        md.append("")
        if !coverage.pointsWithoutData.isEmpty {
            md.append(t("无数据点位：", "Points without data: ") + coverage.pointsWithoutData.map(pointLabel).joined(separator: t("、", ", ")) + t("。", "."))
            md.append("")
        }
        let partial = document.points.filter { coverage.pointsPartial.contains($0.pointID) }
        if !partial.isEmpty {
            md.append(t("部分数据点位：", "Points with partial data: ")
                      + partial.map { "\(pointLabel($0.pointID)) \(captureRate($0.completeness))" }.joined(separator: t("、", ", ")) + t("。", "."))
            md.append("")
        }
        md.append(t("表 1-2 \(period) 各点位数据获取情况（参评指标）", "Table 1-2 Data capture per point, \(period) (class parameters)"))
        md.append("")
        md += tableHeader([t("点位", "Point"), t("类型", "Kind"), t("参评指标数", "Parameters"), t("有效数据（条）", "Valid readings"),
                           t("应测数据（条）", "Expected readings"), t("有效数据率（最低指标）", "Capture (lowest parameter)")],
                          alignments: [false, false, true, true, true, true])
        for point in document.points {
            let classed = point.parameters.filter { GB3838.riverClassParameters.contains($0.parameter) }
            let kind = input.network.point(point.pointID)?.kind == .manual ? t("手工", "manual") : t("自动", "automatic")
            md.append("| \(pointCell(point.pointID)) | \(kind) | \(classed.count) | \(classed.reduce(0) { $0 + $1.used }) | "
                      + "\(classed.reduce(0) { $0 + $1.expected }) | \(classed.isEmpty ? t("无数据", "no data") : captureRate(point.completeness)) |")
        }
        return md
    }

    // MARK: 2. standard and method

    /// 二、评价标准与方法: the GB 3838-2002 limits of the evaluated parameters (from ``GB3838``) and the method's rules.
    func standardAndMethod() -> [String] {
        var md: [String] = []
        md.append(t("评价标准：《地表水环境质量标准》（GB 3838-2002）表1 基本项目标准限值。本报告所用指标的限值：",
                    "Standard: GB 3838-2002, Table 1 (basic items). The limits of the parameters this report uses:"))
        md.append("")
        md += tableHeader([t("指标", "Parameter")] + WaterClass.allCases.filter { $0 != .worseThanV }.map(className),
                          alignments: [false, true, true, true, true, true])
        var rows: [(Parameter, WaterBody)] = GB3838.riverClassParameters.map { ($0, .river) }
        if input.network.rivers.contains(where: { $0.waterBody.isLakeOrReservoir }) {
            rows += [(.totalPhosphorus, .lake), (.totalNitrogen, .lake)]
        }
        for (parameter, body) in rows {
            let title = nameWithUnit(parameter) + (body.isLakeOrReservoir ? t("，湖库", ", lakes and reservoirs") : "")
            if parameter == .pH {
                md.append("| \(title) | " + Array(repeating: "6–9", count: 5).joined(separator: " | ") + " |")
                continue
            }
            guard let limits = GB3838.limits(parameter, body: body) else { continue }
            let sign = parameter == .dissolvedOxygen ? "≥ " : "≤ "
            md.append("| \(title) | " + limits.map { sign + formatValue($0) }.joined(separator: " | ") + " |")
        }
        md.append("")
        let grades = QualityGrade.allCases
        md.append(t("""
            评价方法（《地表水环境质量评价办法（试行）》，环办〔2011〕22号）：

            - 评价指标：pH、溶解氧、高锰酸盐指数、化学需氧量、五日生化需氧量、氨氮、总磷（本网络监测的 GB 3838 表1 项目中除水温、总氮外的项目；总氮单独报告，不参与定类）。
            - 时段值：评价时段内有效数据（无标记或 HJ 212 标记 N）的算术平均；未检出按检出限的一半参与平均；pH 按氢离子浓度平均。均值按 GB/T 8170 修约到各指标的位数后定类。
            - 单因子评价：各指标按均值定类，点位（断面）类别取最差指标的类别。点位水质状况：Ⅰ–Ⅱ类\(grades[0].rawValue)，Ⅲ类\(grades[1].rawValue)，Ⅳ类\(grades[2].rawValue)，Ⅴ类\(grades[3].rawValue)，劣Ⅴ类\(grades[4].rawValue)。
            - 超标倍数 =（C − S）/ S，C 为时段均值，S 为Ⅲ类限值，修约到两位小数；溶解氧、pH 不计超标倍数。主要污染指标：劣于Ⅲ类的指标中类别最差的前三项，类别相同按超标倍数排序。本报告另列对各点位水质目标的超标倍数。
            - 达标率 = 达到水质目标的点位数 / 有水质目标的评价点位数；无数据或数据不足的点位不参与评价，不计为达标。
            - 类别比例：Ⅰ–Ⅲ类、Ⅳ类、Ⅴ类、劣Ⅴ类点位数占评价点位数的比例。
            - 河流、全区水质状况：评价点位 5 个及以上时按类别比例——Ⅰ–Ⅲ类 ≥ 90% 优；75%–90% 良好；< 75% 且劣Ⅴ类 < 20% 轻度污染；< 75% 且劣Ⅴ类 20%–40% 中度污染；劣Ⅴ类 ≥ 40% 重度污染。少于 5 个时各指标取点位均值的平均，按单因子法评价。
            - 变化程度：点位按水质状况——级别相同无明显变化，相差一级有所好转 / 有所变差，两级及以上明显好转 / 明显变差；评价点位 5 个及以上的河流与全区按类别比例——ΔG 为Ⅰ–Ⅲ类比例之差、ΔD 为劣Ⅴ类比例之差（百分点），ΔG − ΔD > 0 为好转、< 0 为变差，|ΔG − ΔD| ≤ 10 无明显变化，10–20 有所好转 / 变差，> 20 明显好转 / 变差。
            - 数据获取：自动站按数据中最常见的监测间隔计算应测数据数，有效数据率低于 75% 的指标不参与评价；手工点位每月应测 1 次。详见 docs/methods.md。
            """, """
            Method (the national Method for the Evaluation of Surface Water Quality, trial; Huanban [2011] No. 22):

            - Parameters: pH, DO, CODMn, COD, BOD5, NH3-N and TP (the GB 3838 Table 1 items the network measures, except water temperature and total nitrogen; TN is reported apart and never decides a class).
            - Period value: the arithmetic mean of the period's valid readings (no flag, or HJ 212 `N`); a reading below the detection limit at half the limit; pH averaged as hydrogen-ion concentration. The mean is rounded to the parameter's decimals (GB/T 8170) and then classed.
            - Single-factor evaluation: each parameter is classed by its mean; a point's class is its worst parameter's. A point's status: Classes I–II \(grades[0].english), III \(grades[1].english), IV \(grades[2].english), V \(grades[3].english), worse than V \(grades[4].english).
            - Exceedance multiple = (C − S) / S, C the period mean, S the Class III limit, rounded to two decimals; none for DO and pH. Main pollutants: up to three parameters worse than Class III, the worst class first, then the larger multiple. This report also gives the multiple against each point's own target.
            - Compliance rate = points meeting their target / assessed points that have a target; a point without data or with too few is not assessed and never counts as meeting its target.
            - Class shares: the points in Classes I–III, IV, V and worse than V, as shares of the assessed points.
            - River and district status: with 5 assessed points or more, by the shares — I–III ≥ 90 % excellent; 75–90 % good; below 75 % with worse-than-V below 20 % lightly polluted, 20–40 % moderately polluted; worse-than-V ≥ 40 % heavily polluted. With fewer, each parameter's point means are averaged and that mean is classed as one point.
            - Change: for a point by its status — the same no significant change, one step slightly better / worse, two or more clearly better / worse; for a river or the district with 5 assessed points or more by the shares — ΔG the change of the I–III share, ΔD of the worse-than-V share (percentage points), ΔG − ΔD > 0 better, < 0 worse, |ΔG − ΔD| ≤ 10 no significant change, 10–20 slightly, above 20 clearly.
            - Data capture: stations are expected at the most common interval in their data, and a parameter below 75 % is not evaluated; manual points are expected once a month. See docs/methods.md.
            """))
        return md
    }

    // MARK: 3. results

    /// 三、监测结果: per river its points' evaluation and concentrations, then the class shares, then the stretches
    /// that add pollution.
    func results() -> [String] {
        let document = input.document
        let period = escapeMarkdown(document.period.label)
        var md = [t("数据来源：\(period)（\(periodSpan(document.period))）库中各点位的有效监测数据；每个数值可在同一时段的 "
                    + "`rivertrace analyze --json` 中复核（points[].parameters[]：mean、min、max、class、exceedance_multiple）。"
                    + "点位链接到其所在河流的一河一策页面。",
                    "Source: the valid readings of each point in the store for \(period) (\(periodSpan(document.period))); every number "
                    + "can be checked in `rivertrace analyze --json` for the same period (points[].parameters[]: mean, min, max, class, "
                    + "exceedance_multiple). Each point links to its river's page."), ""]
        var table = 1
        for river in input.network.riversInTreeOrder {
            let points = document.points.filter { $0.riverID == river.id }
            guard !points.isEmpty else { continue }
            var body: [String] = []
            body.append(t("表 3-\(table) \(escapeMarkdown(plainRiverName(river.id))) \(period) 点位评价", "Table 3-\(table) \(escapeMarkdown(plainRiverName(river.id))), \(period): points"))
            table += 1
            body.append("")
            body += tableHeader([t("点位", "Point"), t("水质类别", "Class"), t("水质目标", "Target"), t("是否达标", "Target met"),
                                 t("主要污染指标（超标倍数）", "Main pollutants (multiple over III)"),
                                 t("超过目标的指标（对目标超标倍数）", "Over the target (multiple over target)")],
                                alignments: [false, false, false, false, false, false])
            for point in points {
                let main = point.mainPollutants.map(pollutantText).joined(separator: t("、", ", "))
                let overTarget = point.parameters.filter { ($0.targetExceedanceMultiple ?? 0) > 0 }
                    .map { name($0.parameter) + String(format: t("（%.2f）", " (%.2f)"), $0.targetExceedanceMultiple!) }
                    .joined(separator: t("、", ", "))
                body.append("| \(pointCell(point.pointID)) | \(className(point.waterClass)) | \(className(point.targetClass)) | "
                            + "\(targetText(point)) | \(main.isEmpty ? "—" : main) | \(overTarget.isEmpty ? "—" : overTarget) |")
            }
            body.append("")
            body += concentrationTable(river: river, points: points, number: table)
            table += 1
            md += subsection(escapeMarkdown(plainRiverName(river.id)) + " (\(escapeMarkdown(river.id)))", body)
        }
        md += subsection(t("类别比例与达标率", "Class shares and compliance"),
                         classShareTable(document, number: table) + ["", "!" + link(t("各河流及全区类别比例图", "Class shares per river and for the district"),
                                                                                   to: Self.classShareChart)])
        md += subsection(t("沿程污染增量（持续性污染河段排序）", "Where the rivers pick up pollution (persistent sources)"), segmentSection())
        return md
    }

    /// Mean (min–max) of each evaluated parameter at each point of a river, with units, in the method's decimals.
    func concentrationTable(river: River, points: [PointResult], number: Int) -> [String] {
        let shown = (GB3838.riverClassParameters + [.totalNitrogen]).filter { parameter in
            points.contains { point in point.parameters.contains { $0.parameter == parameter && $0.readings > 0 } }
        }
        let caption = t("表 3-\(number) \(escapeMarkdown(plainRiverName(river.id))) \(escapeMarkdown(input.document.period.label)) 各点位浓度：均值（最小值–最大值）",
                        "Table 3-\(number) \(escapeMarkdown(plainRiverName(river.id))), \(escapeMarkdown(input.document.period.label)): mean (min–max) at each point")
        guard !shown.isEmpty else {
            return [caption, "", t("本期该河流各点位均无数据。", "No point of this river has data this period.")]
        }
        var md = [caption, ""]
        md += tableHeader([t("点位", "Point")] + shown.map(nameWithUnit), alignments: [false] + shown.map { _ in true })
        var footnotes = Set<String>()
        for point in points {
            let cells = shown.map { parameter -> String in
                guard let result = point.parameters.first(where: { $0.parameter == parameter }), result.readings > 0,
                      let mean = result.mean else { return "—" }
                var cell = methodValue(mean, parameter)
                if let low = result.minimum, let high = result.maximum, result.used > 1 {
                    cell += " (\(methodValue(low, parameter))–\(methodValue(high, parameter)))"
                }
                if result.censored > 0 {
                    cell += t("，未检出 \(result.censored)", ", \(result.censored) <DL")
                }
                if !result.sufficient {
                    cell += " *"
                    footnotes.insert(t("\\* 数据不足，均值仅供参考，未参与定类。", "\\* Too few data: the mean is shown for reference and did not decide the class."))
                }
                return cell
            }
            md.append("| \(pointCell(point.pointID)) | " + cells.joined(separator: " | ") + " |")
        }
        if shown.contains(.totalNitrogen) && !river.waterBody.isLakeOrReservoir {
            footnotes.insert(t("总氮不参与河流定类。", "Total nitrogen does not decide a river's class."))
        }
        if !footnotes.isEmpty { md += [""] + footnotes.sorted() }
        return md
    }

    /// Per river and for the district: assessed points by class (counts and shares of the assessed), target met, 达标率,
    /// status. The class counts add up to the assessed points, and so do met + missed + without a target.
    func classShareTable(_ document: AnalysisDocument, number: Int) -> [String] {
        var md = [t("表 3-\(number) \(escapeMarkdown(document.period.label)) 各河流及全区类别比例与达标率（比例为占评价点位数）",
                    "Table 3-\(number) Class shares and compliance per river and for the district, \(escapeMarkdown(document.period.label)) (shares of the assessed points)"), ""]
        md += tableHeader([t("河流", "River"), t("点位数", "Points"), t("评价点位", "Assessed"), t("Ⅰ–Ⅲ类", "I–III"), t("Ⅳ类", "IV"),
                           t("Ⅴ类", "V"), t("劣Ⅴ类", "Worse than V"), t("达标", "Met"), t("未达标", "Missed"), t("无目标", "No target"),
                           t("达标率", "Compliance"), t("水质状况", "Status"), t("主要污染指标", "Main pollutants")],
                          alignments: [false, true, true, true, true, true, true, true, true, true, true, false, false])
        let groups = document.rivers.map { group in (group, document.points.filter { $0.riverID == group.id }) }
            + [(document.district, document.points)]
        for (group, points) in groups {
            let tally = ClassTally(points)
            let n = tally.evaluated
            md.append("| \(riverCell(group.id)) | \(points.count) | \(n) | \(countShare(tally.good, of: n)) | \(countShare(tally.iv, of: n)) | "
                      + "\(countShare(tally.v, of: n)) | \(countShare(tally.worseThanV, of: n)) | \(tally.meeting) | \(tally.missing) | "
                      + "\(tally.withoutTarget) | \(rate(tally.complianceRate)) | \(grade(group.grade)) | "
                      + (group.mainPollutants.isEmpty ? "—" : group.mainPollutants.map { name($0) }.joined(separator: t("、", ", "))) + " |")
        }
        return md
    }

    // MARK: 4. comparisons

    /// 四、同比与环比: against the previous period, the same period a year earlier, and the long-term trends.
    func comparisons() -> [String] {
        var md: [String] = []
        md += subsection(t("环比（与上期比较）", "Against the previous period"), comparison(with: input.previous, kind: .previous))
        md += subsection(t("同比（与去年同期比较）", "Against the same period a year earlier"), comparison(with: input.yearEarlier, kind: .yearEarlier))
        md += subsection(t("长期趋势", "Long-term trends"), trendSection())
        return md
    }

    enum ComparisonKind { case previous, yearEarlier }

    /// The change against one earlier period: per river and the district (shares, 达标率, status, the method's wording),
    /// per point (class then → now), and the main pollutants' means then and now.
    func comparison(with earlier: AnalysisDocument?, kind: ComparisonKind) -> [String] {
        let now = input.document
        guard let earlier else {
            return [kind == .previous
                    ? t("上期库中无可评价的数据，不作环比。", "The store holds no assessable data for the previous period: no comparison.")
                    : t("去年同期库中无可评价的数据，不作同比。", "The store holds no assessable data for the same period a year earlier: no comparison.")]
        }
        let (thisLabel, thatLabel) = (escapeMarkdown(now.period.label), escapeMarkdown(earlier.period.label))
        var md = [t("对比时段：本期 \(thisLabel)，对比期 \(thatLabel)（\(periodSpan(earlier.period))）。",
                    "Periods: this \(thisLabel), compared with \(thatLabel) (\(periodSpan(earlier.period)))."), ""]
        md += tableHeader([t("河流", "River"), t("Ⅰ–Ⅲ类 \(thatLabel)", "I–III \(thatLabel)"), t("Ⅰ–Ⅲ类 \(thisLabel)", "I–III \(thisLabel)"),
                           t("劣Ⅴ类 \(thatLabel)", "Worse than V \(thatLabel)"), t("劣Ⅴ类 \(thisLabel)", "Worse than V \(thisLabel)"),
                           t("达标率 \(thatLabel)", "Compliance \(thatLabel)"), t("达标率 \(thisLabel)", "Compliance \(thisLabel)"),
                           t("水质状况 \(thatLabel)", "Status \(thatLabel)"), t("水质状况 \(thisLabel)", "Status \(thisLabel)"),
                           "ΔG − ΔD", t("变化程度", "Change")],
                          alignments: [false, true, true, true, true, true, true, false, false, true, false])
        let groups = now.rivers.map { group in
            (group, now.points.filter { $0.riverID == group.id }, earlier.rivers.first { $0.id == group.id },
             earlier.points.filter { $0.riverID == group.id })
        } + [(now.district, now.points, Optional(earlier.district), earlier.points)]
        for (group, points, before, beforePoints) in groups {
            let (a, b) = (ClassTally(beforePoints), ClassTally(points))
            let (change, difference) = groupChange(before: before, now: group)
            md.append("| \(riverCell(group.id)) | \(countShare(a.good, of: a.evaluated)) | \(countShare(b.good, of: b.evaluated)) | "
                      + "\(countShare(a.worseThanV, of: a.evaluated)) | \(countShare(b.worseThanV, of: b.evaluated)) | "
                      + "\(rate(a.complianceRate)) | \(rate(b.complianceRate)) | \(grade(before?.grade)) | \(grade(group.grade)) | "
                      + "\(difference.map { String(format: "%+.1f", $0) } ?? "—") | \(change) |")
        }
        md.append("")
        // Points: the class then and now, and the change of the point's status.
        md.append(t("点位类别变化（\(thatLabel) → \(thisLabel)）：", "Points, class \(thatLabel) → \(thisLabel):"))
        md.append("")
        md += tableHeader([t("点位", "Point"), thatLabel, thisLabel, t("变化程度", "Change")], alignments: [false, false, false, false])
        for point in now.points {
            let before = earlier.points.first { $0.pointID == point.pointID }
            md.append("| \(pointCell(point.pointID)) | \(className(before?.waterClass)) | \(className(point.waterClass)) | "
                      + "\(pointChange(before: before?.waterClass, now: point.waterClass)) |")
        }
        // The main pollutants (of either period) of each point: their means then and now.
        var rows: [String] = []
        for point in now.points {
            guard let before = earlier.points.first(where: { $0.pointID == point.pointID }) else { continue }
            var parameters: [Parameter] = []
            for parameter in point.mainPollutants.map(\.parameter) + before.mainPollutants.map(\.parameter) where !parameters.contains(parameter) {
                parameters.append(parameter)
            }
            for parameter in parameters {
                let (then, current) = (before.parameters.first { $0.parameter == parameter && $0.sufficient }?.mean,
                                       point.parameters.first { $0.parameter == parameter && $0.sufficient }?.mean)
                let change: String = if let then, let current, then > 0 {
                    String(format: "%+.1f%%", (current - then) / then * 100)
                } else { "—" }
                rows.append("| \(pointCell(point.pointID)) | \(nameWithUnit(parameter)) | \(then.map { methodValue($0, parameter) } ?? "—") | "
                            + "\(current.map { methodValue($0, parameter) } ?? "—") | \(change) |")
            }
        }
        if !rows.isEmpty {
            md.append("")
            md.append(t("主要污染指标均值变化（\(thatLabel) → \(thisLabel)）：", "Main pollutants' means, \(thatLabel) → \(thisLabel):"))
            md.append("")
            md += tableHeader([t("点位", "Point"), t("指标", "Parameter"), thatLabel, thisLabel, t("变化率", "Change")],
                              alignments: [false, false, true, true, true])
            md += rows
        }
        return md
    }

    /// A river's or the district's change and, when the shares decide it, ΔG − ΔD: by the shares when both periods
    /// have five assessed points or more, by the status otherwise; "no data" when either period has none.
    func groupChange(before: GroupResult?, now: GroupResult) -> (text: String, difference: Double?) {
        guard let (change, difference) = groupQualityChange(before: before, now: now) else {
            return (t("无法比较（一期无评价点位）", "not comparable (no assessed point in one period)"), nil)
        }
        return (label(change) + (difference == nil ? t("（按水质状况）", " (by status)") : ""), difference)
    }

    /// The change ``groupChange(before:now:)`` words, with ΔG − ΔD when the shares decided it; nil when either
    /// period has no assessed point. The one rule the report, the river pages and the conclusions all use.
    func groupQualityChange(before: GroupResult?, now: GroupResult) -> (QualityChange, Double?)? {
        guard let before, let was = before.grade, let found = now.grade, before.sections > 0, now.sections > 0 else { return nil }
        if before.sections >= 5 && now.sections >= 5 {
            let difference = QualityChange.pointsDifference(shareGoodBefore: before.shareGood, shareWorseThanVBefore: before.shareWorseThanV,
                                                            shareGoodNow: now.shareGood, shareWorseThanVNow: now.shareWorseThanV)
            return (QualityChange(pointsDifference: difference), difference)
        }
        return (QualityChange(from: was, to: found), nil)
    }

    /// A point's change by its status (the class's description).
    func pointChange(before: WaterClass?, now: WaterClass?) -> String {
        guard let before, let now else { return t("无法比较（一期未评价）", "not comparable (not assessed in one period)") }
        return label(QualityChange(from: QualityGrade(sectionClass: before), to: QualityGrade(sectionClass: now)))
    }

    // MARK: 5. exceedances and incidents

    /// 五、超标与事件: the exceedance episodes with their counts by parameter, then the anomaly events and incidents.
    func exceedancesAndIncidents() -> [String] {
        let episodes = input.document.exceedances
        var md: [String] = []
        if !episodes.isEmpty {
            let byParameter = Dictionary(grouping: episodes, by: \.parameter)
            let parts = Parameter.allCases.compactMap { parameter in byParameter[parameter].map { "\(name(parameter)) \($0.count)" } }
            let points = Set(episodes.map(\.pointID)).count
            md.append(t("本期（\(escapeMarkdown(input.document.period.label))）自动站超标时段 \(episodes.count) 个（"
                        + parts.joined(separator: "，") + "），涉及 \(points) 个点位。",
                        "\(episodes.count) exceedance episodes at the stations this period (\(escapeMarkdown(input.document.period.label))): "
                        + parts.joined(separator: ", ") + "; at \(points) points."))
            md.append("")
        }
        md += subsection(t("超标时段（自动站，对照水质目标）", "Exceedance episodes (stations, against the target)"), exceedanceTable())
        md += subsection(t("异常事件与溯源排查", "Anomaly events and trace-back"), traceSection())
        return md
    }

    /// How long an exceedance episode lasted, hours: from its first reading to its last plus one reading interval
    /// (the point's most common one for the parameter, else the episode's own mean spacing, else an hour), so one
    /// exceeding reading of a 4-hourly station counts 4 h, not 0 or 1.
    func episodeHours(_ episode: ExceedanceEpisode) -> Double {
        let modal = input.document.points.first { $0.pointID == episode.pointID }?
            .parameters.first { $0.parameter == episode.parameter }?.intervalSeconds.map { Double($0) / 3600 }
        let spacing = episode.readings > 1 ? episode.hours / Double(episode.readings - 1) : nil
        return episode.hours + (modal ?? spacing ?? 1)
    }

    /// The 20 longest exceedance episodes, with units.
    func exceedanceTable() -> [String] {
        let episodes = input.document.exceedances.sorted { episodeHours($0) > episodeHours($1) }
        guard !episodes.isEmpty else { return [t("本期无超标时段。", "None in this period.")] }
        let period = escapeMarkdown(input.document.period.label)
        var md = [t("表 5-1 \(period) 自动站超标时段（按时长排序）", "Table 5-1 Exceedance episodes at the stations, \(period) (longest first)"), ""]
        md += tableHeader([t("点位", "Point"), t("指标", "Parameter"), t("开始", "Start"), t("结束", "End"), t("时长(h)", "Hours"),
                              t("峰值（溶解氧为最低值）", "Peak (lowest for DO)"), t("目标限值", "Target limit")],
                             alignments: [false, false, false, false, true, true, true])
        for episode in episodes.prefix(20) {
            let unit = episode.parameter.canonicalUnit.rawValue
            md.append("| \(pointCell(episode.pointID)) | \(name(episode.parameter)) | "
                      + "\(localTime(episode.start)) | \(localTime(episode.end)) | \(formatValue(episodeHours(episode))) | "
                      + "\(formatValue(episode.peak)) \(unit) | \(formatValue(episode.limit)) \(unit) |")
        }
        if episodes.count > 20 {
            md.append("")
            md.append(t("（按时长列出前 20 个，共 \(episodes.count) 个；完整列表见 `rivertrace analyze --json`。）",
                        "(The 20 longest of \(episodes.count); all of them in `rivertrace analyze --json`.)"))
        }
        return md
    }

    // MARK: 6. black-odorous water

    /// 六、黑臭水体: the graded points (2015 guide).
    func blackOdorousSection() -> [String] {
        let graded = input.document.blackOdorous
        guard !graded.isEmpty else {
            return [t("本期无点位达到黑臭水体判定标准（透明度、溶解氧、氧化还原电位、氨氮；《城市黑臭水体整治工作指南》）。",
                      "No point reached the black-odorous levels (transparency, DO, ORP, NH3-N; 2015 guide).")]
        }
        let period = escapeMarkdown(input.document.period.label)
        var md = [t("表 6-1 \(period) 黑臭水体判定", "Table 6-1 Black-odorous grading, \(period)"), ""]
        md += tableHeader([t("点位", "Point"), t("判定", "Grade"), t("达到轻度及以上的数据比例", "Readings at light or worse")],
                             alignments: [false, false, false])
        for result in graded {
            let shares = result.items.map { "\(name($0.parameter)) \(percent($0.lightOrWorseShare))" }
                .joined(separator: t("，", ", "))
            md.append("| \(pointCell(result.pointID)) | **\(zh ? result.grade.rawValue : result.grade.english)** | \(shares) |")
        }
        return md
    }

    // MARK: 7. instruments and data quality

    /// 七、仪器与数据质量: capture per point kind, parameters left out, quarantined rows by reason, sensor faults.
    func dataQuality() -> [String] {
        let document = input.document
        var md: [String] = []
        for kind in PointKind.allCases {
            let points = document.points.filter { input.network.point($0.pointID)?.kind == kind }
            guard !points.isEmpty else { continue }
            let mean = points.reduce(0) { $0 + min(1, max(0, $1.completeness)) } / Double(points.count)
            let below = points.filter { $0.completeness < Evaluator(network: input.network, period: document.period).minimumCompleteness }
            let kindName = kind == .manual ? t("手工点位", "Manual points") : t("自动站", "Stations")
            md.append("- " + kindName + t("：\(points.count) 个，平均有效数据率 ", ": \(points.count), mean capture ")
                      + captureRate(mean)
                      + t("，低于 75% 的 \(below.count) 个", ", \(below.count) below 75 %")
                      + (below.isEmpty ? "" : t("（", " (") + below.map { pointLabel($0.pointID) }.joined(separator: t("、", ", ")) + t("）", ")"))
                      + t("。", "."))
        }
        let thin = document.points.filter { !$0.insufficient.isEmpty }
        md.append("- " + (thin.isEmpty ? t("所有有数据点位的参评指标数据充足。", "Every point with data has enough for its class parameters.")
                          : t("数据不足、未参与评价的指标：", "Parameters left out for want of data: ")
                            + thin.map { "\(pointLabel($0.pointID))（\($0.insufficient.map { name($0) }.joined(separator: t("、", ", "))))" }
                                .joined(separator: t("；", "; "))))
        let total = input.quarantine.reduce(0) { $0 + $1.count }
        md.append("- " + t("入库隔离数据（全部文件累计，非仅本期）：\(total) 条", "Quarantined rows (all files so far, not this period only): \(total)")
                  + (input.quarantine.isEmpty ? "" : t("，按原因：", ", by reason: ")
                     + input.quarantine.map { "`\($0.reason)` \($0.count)" }.joined(separator: t("，", ", ")))
                  + t("。查看：`rivertrace quarantine`。", ". See `rivertrace quarantine`."))
        md.append("")
        md += subsection(t("仪器故障", "Sensor faults"), faultSection())
        return md
    }

    // MARK: 8. conclusions

    /// Sentences generated from the findings, each naming its period, point, parameter or stretch.
    func conclusions() -> [String] {
        let document = input.document
        let period = escapeMarkdown(document.period.label)
        let tally = ClassTally(document.points)
        var lines: [String] = []
        if tally.evaluated == 0 {
            lines.append(t("本期（\(period)）没有可评价的点位，不能给出水质类别和达标结论；首先恢复数据采集。",
                           "No point could be assessed this period (\(period)): no class and no target can be stated. Restore the data first."))
        } else {
            lines.append(t("本期（\(period)）评价 \(tally.evaluated) 个点位，Ⅰ–Ⅲ类 \(tally.good) 个、劣Ⅴ类 \(tally.worseThanV) 个，"
                           + "达标率 \(rate(tally.complianceRate))，全区水质\(grade(document.district.grade))。",
                           "This period (\(period)) \(tally.evaluated) points were assessed, \(tally.good) in Classes I–III and "
                           + "\(tally.worseThanV) worse than V; compliance \(rate(tally.complianceRate)); the district is \(grade(document.district.grade))."))
        }
        for point in document.points where point.meetsTarget == false {
            let lead = point.mainPollutants.first.map(pollutantText)
                ?? point.parameters.filter { ($0.targetExceedanceMultiple ?? 0) > 0 }.first.map { name($0.parameter) }
            // The stretch just above that adds most (沿程污染增量), when one adds at least 10 % of the Class III limit.
            let step = document.segments.filter { $0.toPointID == point.pointID && $0.increaseOverLimit >= 0.1 }
                .max { $0.increaseOverLimit < $1.increaseOverLimit }
            let zhWhere = step.map { "排查 \(pointLabel($0.fromPointID)) → \(pointLabel($0.toPointID)) 河段（\(name($0.parameter))沿程增加 "
                + "\(formatValue($0.increase)) \($0.parameter.canonicalUnit.rawValue)）的排口与支流汇入" } ?? "排查其上游河段的排口与支流汇入"
            let enWhere = step.map { "inspect the outfalls and tributaries between \(pointLabel($0.fromPointID)) and \(pointLabel($0.toPointID)) "
                + "(\(name($0.parameter)) rises \(formatValue($0.increase)) \($0.parameter.canonicalUnit.rawValue) along it)" }
                ?? "inspect the outfalls and tributaries on the stretch above it"
            lines.append(t("\(pointLabel(point.pointID)) \(period) 为\(className(point.waterClass))，未达到\(className(point.targetClass))目标"
                           + (lead.map { "，主要污染指标 \($0)" } ?? "") + "：\(zhWhere)。",
                           "\(pointLabel(point.pointID)) was \(className(point.waterClass)) in \(period), missing its target \(className(point.targetClass))"
                           + (lead.map { "; main pollutant \($0)" } ?? "") + ": \(enWhere)."))
        }
        if let previous = input.previous {
            for group in document.rivers {
                guard let before = previous.rivers.first(where: { $0.id == group.id }), let was = before.grade, let found = group.grade,
                      let (change, _) = groupQualityChange(before: before, now: group),
                      change == .slightlyWorse || change == .clearlyWorse else { continue }
                lines.append(t("\(riverName(group.id ?? "")) 水质状况由\(escapeMarkdown(previous.period.label))的\(grade(was))变为\(grade(found))：查明变差原因。",
                               "The \(riverName(group.id ?? "")) went from \(grade(was)) in \(escapeMarkdown(previous.period.label)) to \(grade(found)): find out why."))
            }
        }
        for group in document.rivers where group.grade == .moderatelyPolluted || group.grade == .heavilyPolluted {
            let points = document.points.filter { $0.riverID == group.id }
            let tally = ClassTally(points)
            lines.append(t("\(riverName(group.id ?? "")) \(period) 水质\(grade(group.grade))（评价 \(tally.evaluated) 个点位，Ⅴ类 \(tally.v) 个、劣Ⅴ类 \(tally.worseThanV) 个"
                           + (group.mainPollutants.isEmpty ? "" : "，主要污染指标 " + group.mainPollutants.map { name($0) }.joined(separator: "、"))
                           + "）：列为重点整治河流，见其" + link("一河一策", to: "rivers/" + Self.riverPage(group.id ?? "")) + "。",
                           "The \(riverName(group.id ?? "")) was \(grade(group.grade)) in \(period) (\(tally.evaluated) points assessed, \(tally.v) in Class V, "
                           + "\(tally.worseThanV) worse than V" + (group.mainPollutants.isEmpty ? "" : "; main pollutants " + group.mainPollutants.map { name($0) }.joined(separator: ", "))
                           + "): a priority for the river plan, see its " + link("river page", to: "rivers/" + Self.riverPage(group.id ?? "")) + "."))
        }
        for incident in incidentGroups {
            let trace = incident.lead
            let recurrence = recurrenceText(incident).map { t("；", "; ") + $0 } ?? ""
            lines.append(t("排查 \(segmentText(trace.suspectSegment)) 的 \(candidateName(trace.candidates.first))"
                           + "（\(localTime(trace.eventStart)) 于 \(pointLabel(trace.pointID)) 发现，置信度 \(percent(trace.confidence))\(recurrence)）—— ",
                           "Inspect \(candidateName(trace.candidates.first)) on \(segmentText(trace.suspectSegment)) (seen at "
                           + "\(pointLabel(trace.pointID)) \(localTime(trace.eventStart)), confidence \(percent(trace.confidence))\(recurrence)) — ")
                         + link(t("溯源报告", "trace-back report"), to: traceFile(trace) + ".md"))
        }
        for result in document.blackOdorous {
            lines.append(t("\(pointLabel(result.pointID)) \(period) 判定为\(result.grade.rawValue)：按《城市黑臭水体整治工作指南》排查截污与底泥。",
                           "\(pointLabel(result.pointID)) was \(result.grade.english) in \(period): check interception and sediment as the 2015 guide asks."))
        }
        let minimum = Evaluator(network: input.network, period: document.period).minimumCompleteness
        for point in document.points where point.completeness < minimum {
            let rateText = point.parameters.isEmpty ? t("无数据", "no data") : t("有效数据率 ", "capture ") + captureRate(point.completeness)
            lines.append(t("核查 \(pointLabel(point.pointID)) 的仪器与数据传输（\(period) \(rateText)）。",
                           "Check the instrument and data link at \(pointLabel(point.pointID)) (\(period): \(rateText))."))
        }
        return lines.map { "- " + $0 }
    }

    // MARK: summary

    /// The summary's sentences: coverage first, then classes, targets, the changes and the counts of findings.
    func summary() -> [String] {
        let document = input.document
        let district = document.district
        var sentences: [String] = []
        let counts = document.summary.points
        let coverage = document.summary.coverage
        let share = captureRate(coverage.overall)
        // First what the data cover: every later sentence stands on it.
        let missing = coverage.pointsWithoutData.prefix(10).map(pointName).joined(separator: t("、", ", "))
            + (coverage.pointsWithoutData.count > 10 ? t(" 等", ", …") : "")
        sentences.append(t("数据覆盖：\(counts.total) 个点位中 \(coverage.pointsWithData) 个有数据，整体有效数据率 \(share)"
                           + (missing.isEmpty ? "。" : "；无数据：" + missing + "。"),
                           "Data coverage: \(coverage.pointsWithData) of \(counts.total) points have data, \(share) of the expected readings overall"
                           + (missing.isEmpty ? "." : "; no data: " + missing + ".")))
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
        sentences.append(t("达到水质目标 \(counts.meetingTarget) 个，未达到 \(counts.missingTarget) 个"
                           + (counts.withoutTarget > 0 ? "，无水质目标 \(counts.withoutTarget) 个" : "") + "。",
                           "\(counts.meetingTarget) meet their target class, \(counts.missingTarget) miss it"
                           + (counts.withoutTarget > 0 ? ", \(counts.withoutTarget) have none" : "") + "."))
        if let previous = input.previous {
            sentences.append(t("环比（\(escapeMarkdown(previous.period.label))）：全区水质", "Against \(escapeMarkdown(previous.period.label)), the district: ")
                             + groupChange(before: previous.district, now: district).text + t("。", "."))
        }
        if let earlier = input.yearEarlier {
            sentences.append(t("同比（\(escapeMarkdown(earlier.period.label))）：全区水质", "Against \(escapeMarkdown(earlier.period.label)), the district: ")
                             + groupChange(before: earlier.district, now: district).text + t("。", "."))
        }
        let summaryCounts = document.summary
        sentences.append(t("自动站超标时段 \(summaryCounts.exceedances) 个，溯源指向污染源的事件 \(summaryCounts.events.incidents) 起。",
                           "\(summaryCounts.exceedances) exceedance episodes at the stations, \(summaryCounts.events.incidents) incidents traced to a source."))
        return sentences
    }
}
