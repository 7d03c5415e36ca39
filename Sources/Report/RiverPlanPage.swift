import Foundation
import RiverModel
import Standards
import Trace

/// The rise of a pollutant's period mean between two consecutive points of a river (pollution added by the stretch,
/// before any allowance for tributaries joining in between).
struct StretchRise: Equatable {
    let from: MonitoringPoint
    let to: MonitoringPoint
    let parameter: Parameter
    let upstreamMean: Double
    let downstreamMean: Double
    /// How much worse the water got, in the parameter's unit: the rise, or for dissolved oxygen (which pollution
    /// lowers) the fall.
    let added: Double
    /// `added` over the Class III limit (nil without one, e.g. pH).
    let addedOverLimit: Double?
}

/// The 一河一策 page of one river: targets, class and trend per point, problems ranked, the plan's measures with their
/// status, the river chiefs, what changed since the last report, and the charts.
extension ReportWriter {
    /// The period's mean of `parameter` at `pointID`, when the point had enough data for it.
    func periodMean(_ pointID: String, _ parameter: Parameter, in document: AnalysisDocument? = nil) -> Double? {
        let result = (document ?? input.document).points.first { $0.pointID == pointID }?.parameters.first { $0.parameter == parameter }
        return result?.sufficient == true ? result?.mean : nil
    }

    /// The stretches of `river` where `parameter` got worse between consecutive points with a period mean, the
    /// largest rise first. Points without a mean are skipped: the stretch then runs from the last point with one.
    func stretchRises(_ river: River, parameter: Parameter) -> [StretchRise] {
        let measured = input.network.points(on: river.id).compactMap { point in periodMean(point.id, parameter).map { (point, $0) } }
        let limit = GB3838.limits(parameter, body: river.waterBody).map { $0[WaterClass.iii.rawValue - 1] }
        var rises: [StretchRise] = []
        for ((from, upstream), (to, downstream)) in zip(measured, measured.dropFirst()) {
            let added = parameter.pollutionEffect == .lowers ? upstream - downstream : downstream - upstream
            guard added > 0 else { continue }
            rises.append(StretchRise(from: from, to: to, parameter: parameter, upstreamMean: upstream, downstreamMean: downstream,
                                     added: added, addedOverLimit: limit.flatMap { $0 > 0 ? added / $0 : nil }))
        }
        return rises.sorted { $0.added > $1.added }
    }

    /// The river's page (`rivers/<river>.md`).
    func riverPage(_ river: River) -> String {
        let group = input.document.rivers.first { $0.id == river.id }
        var md: [String] = []
        md.append("# \(escapeMarkdown(displayName(river)))" + t("（\(escapeMarkdown(river.id))）一河一策 ", " (\(escapeMarkdown(river.id))) — river plan ")
                  + input.document.period.label)
        md.append("")
        md.append(link(t("← 返回报告", "← back to the report"), to: "../report.md"))
        md.append("")
        md.append(t("长度 \(formatValue(river.lengthKilometres)) km，流速约 \(formatValue(river.velocityMetresPerSecond)) m/s，",
                    "Length \(formatValue(river.lengthKilometres)) km, velocity about \(formatValue(river.velocityMetresPerSecond)) m/s, ")
                  + t("水质目标 \(className(river.targetClass))，", "target \(className(river.targetClass)), ")
                  + (river.flowsInto.map { downstream in
                      t("于 \(formatValue(river.confluenceKilometres ?? 0)) km 处汇入\(riverName(downstream))。",
                        "joins the \(riverName(downstream)) at km \(formatValue(river.confluenceKilometres ?? 0)).")
                  } ?? t("流出本辖区。", "leaves the district."))
                  + t("本期水质状况：\(grade(group?.grade))。", " Status this period: \(grade(group?.grade))."))
        md.append("")
        md += section(t("河长", "River chiefs"), chiefSection(river))
        md += section(t("水质目标与现状（自上游至下游）", "Targets and status, upstream to downstream"), statusTable(river))
        md.append("## " + t("问题清单", "Problems, ranked"))
        md.append("")
        md += ["### " + t("1. 持续超标（本期均值未达到水质目标）", "1. Persistent exceedances (the period mean misses the target)"), ""]
            + persistentExceedances(river) + [""]
        md += ["### " + t("2. 沿程污染增量", "2. Pollution added along the river"), ""] + addedByStretch(river, group: group) + [""]
        md += ["### " + t("3. 本期污染事件", "3. Incidents this period"), ""] + incidentList(river) + [""]
        md += section(t("治理措施", "Measures"), measureSection(river))
        md += section(t("与上期相比的变化", "What changed since the last report"), changesSinceLastReport(river, group: group))
        md.append("## " + t("沿程变化", "Longitudinal profile"))
        md.append("")
        for parameter in Self.profileParameters {
            md.append("!" + link(name(parameter), to: Self.profileChart(river.id, parameter)))
            md.append("")
        }
        let stations = input.network.points(on: river.id).filter { $0.kind == .automatic }
        if !stations.isEmpty {
            md.append("## " + t("自动站时间序列", "Station time series"))
            md.append("")
            for station in stations {
                for parameter in Self.seriesParameters where input.series[station.id]?[parameter]?.isEmpty == false {
                    md.append("!" + link("\(station.id) \(name(parameter))", to: Self.seriesChart(station.id, parameter)))
                    md.append("")
                }
            }
        }
        md.append("## " + t("登记污染源", "Registered sources"))
        md.append("")
        let sources = input.network.sources.filter { $0.riverID == river.id }.sorted { $0.kilometre < $1.kilometre }
        if sources.isEmpty {
            md.append(t("本河道无登记污染源。", "None on this river."))
        } else {
            md.append("| " + [t("编号", "ID"), t("名称", "Name"), t("类型", "Kind"), t("位置(km)", "km"), t("特征", "Signature")]
                .joined(separator: " | ") + " |")
            md.append("|---|---|---|---:|---|")
            for source in sources {
                md.append("| \(escapeMarkdown(source.id)) | \(escapeMarkdown(displayName(source))) | \(sourceKind(source.kind)) | "
                          + "\(formatValue(source.kilometre)) | \(signatureName(source.signature)) |")
            }
        }
        return md.joined(separator: "\n") + "\n"
    }

    func chiefSection(_ river: River) -> [String] {
        guard let chiefs = input.network.chiefs else {
            return [t("河网文件中没有河长名单（river_chiefs.csv），此处不列河长。",
                      "No river chiefs on file: the network has no river_chiefs.csv.")]
        }
        let here = chiefs.filter { $0.riverID == river.id }
            .sorted { (RiverChiefLevel.allCases.firstIndex(of: $0.level) ?? 0) < (RiverChiefLevel.allCases.firstIndex(of: $1.level) ?? 0) }
        guard !here.isEmpty else {
            return [t("river_chiefs.csv 中没有本河的河长。", "river_chiefs.csv names no chief for this river.")]
        }
        var md = ["| " + [t("级别", "Level"), t("姓名", "Name"), t("电话", "Phone")].joined(separator: " | ") + " |", "|---|---|---|"]
        for chief in here {
            md.append("| \(label(chief.level)) | \(escapeMarkdown(displayName(chief))) | \(chief.phone.map(escapeMarkdown) ?? "—") |")
        }
        return md
    }

    /// Each point's target, class, verdict, main pollutants, previous class and trend.
    func statusTable(_ river: River) -> [String] {
        let points = input.network.points(on: river.id)
        guard !points.isEmpty else { return [t("本河道无监测点位。", "No monitoring point on this river.")] }
        var md = ["| " + [t("点位", "Point"), t("名称", "Name"), "km", t("水质目标", "Target"), t("本期类别", "Class"),
                          t("达标", "Target met"), t("主要污染指标（超标倍数）", "Main pollutants (× over III)"),
                          t("上期类别", "Previous class"), t("长期趋势", "Long-term trend")].joined(separator: " | ") + " |",
                  "|---|---|---:|---|---|---|---|---|---|"]
        // Why trends were not assessed, said once under the table for the points that share the reason.
        var notAssessed: [(reason: String, points: [String])] = []
        for point in points {
            let trend = trendText(point.id)
            if let reason = trend.reason {
                if let index = notAssessed.firstIndex(where: { $0.reason == reason }) {
                    notAssessed[index].points.append(point.id)
                } else {
                    notAssessed.append((reason, [point.id]))
                }
            }
            let result = input.document.points.first { $0.pointID == point.id }
            let main = result?.mainPollutants.map(pollutantText).joined(separator: t("、", ", ")) ?? ""
            let before = input.previous.map { previous in
                className(previous.points.first { $0.pointID == point.id }?.waterClass)
            } ?? "—"
            md.append("| \(escapeMarkdown(point.id)) | \(escapeMarkdown(displayName(point))) | \(formatValue(point.kilometre)) | "
                      + "\(className(input.network.targetClass(of: point))) | \(result?.waterClass.map(className) ?? t("无数据", "no data")) | "
                      + "\(targetText(result)) | \(main.isEmpty ? "—" : main) | \(before) | \(trend.text) |")
        }
        if !notAssessed.isEmpty {
            md.append("")
            md.append(t("长期趋势未评价的原因：", "Why no long-term trend was assessed: ")
                      + notAssessed.map { $0.reason + t("（", " (") + $0.points.map(escapeMarkdown).joined(separator: t("、", ", ")) + t("）", ")") }
                          .joined(separator: t("；", "; ")) + t("。", "."))
        }
        return md
    }

    /// The point's long-term trends in a few words: the significant ones with their direction, else that none is,
    /// else "not assessed" with the reason (escaped) apart.
    func trendText(_ pointID: String) -> (text: String, reason: String?) {
        let trends = input.document.trends.filter { $0.pointID == pointID }
        guard !trends.isEmpty else { return (t("未评价", "not assessed"), t("无长期序列", "no long-term series")) }
        let significant = trends.filter { $0.assessed && $0.trend?.isSignificant == true }
        if !significant.isEmpty {
            return (significant.map { trend in
                let rising = trend.trend == .increasing
                let worse = trend.parameter.isPollutionLike(rising ? .rose : .fell) && trend.parameter.pollutionEffect != .either
                return name(trend.parameter) + (rising ? "↑" : "↓") + (worse ? t("变差", " worse") : t("好转", " better"))
            }.joined(separator: t("，", ", ")), nil)
        }
        if trends.contains(where: \.assessed) { return (t("无显著趋势", "no significant trend"), nil) }
        let reason = trends.lazy.compactMap { self.zh ? $0.reasonChinese ?? $0.reason : $0.reason }.first
        return (t("未评价", "not assessed"), escapeMarkdown(reason ?? t("原因未记录", "no reason recorded")))
    }

    /// Points off their target, worst first (by the largest exceedance multiple against the target), with every
    /// parameter worse than the target, its mean and limit, and the exceedance episodes at the station.
    func persistentExceedances(_ river: River) -> [String] {
        let results = input.network.points(on: river.id).compactMap { point in input.document.points.first { $0.pointID == point.id } }
        let missed = results.filter { $0.meetsTarget == false }
        guard !missed.isEmpty else {
            let met = results.filter { $0.meetsTarget == true }.count
            let noData = input.network.points(on: river.id).count - results.filter { $0.waterClass != nil }.count
            return [t("本期没有点位未达到水质目标（达标 \(met) 个", "No point missed its target this period (\(met) met")
                    + (noData > 0 ? t("，无数据 \(noData) 个，不能判断", ", \(noData) without data, which cannot be judged") : "")
                    + t("）。", ").")]
        }
        func worst(_ result: PointResult) -> Double { result.parameters.compactMap(\.targetExceedanceMultiple).max() ?? 0 }
        var md: [String] = []
        for (rank, result) in missed.sorted(by: { (worst($0), $1.pointID) > (worst($1), $0.pointID) }).enumerated() {
            let body = input.network.river(result.riverID)?.waterBody ?? .river
            let off = result.parameters.filter { parameter in
                guard parameter.sufficient, let waterClass = parameter.waterClass, let target = result.targetClass else { return false }
                return waterClass > target
            }.sorted { ($0.targetExceedanceMultiple ?? 0, $1.parameter.code) > ($1.targetExceedanceMultiple ?? 0, $0.parameter.code) }
            let items = off.map { parameter -> String in
                let unit = parameter.parameter.canonicalUnit.rawValue
                let limit = result.targetClass.flatMap { target in GB3838.limits(parameter.parameter, body: body).map { $0[target.rawValue - 1] } }
                let mean = parameter.mean.map { formatValue($0) + " " + unit } ?? "—"
                let multiple = parameter.targetExceedanceMultiple.map { String(format: t("超标 %.2f 倍", "%.2f× over"), $0) }
                    ?? className(parameter.waterClass)
                return name(parameter.parameter) + " " + multiple + t("（均值 \(mean)", " (mean \(mean)")
                    + (limit.map { t("，目标限值 ", ", target limit ") + formatValue($0) + " " + unit } ?? "") + t("）", ")")
            }
            // Per parameter: the episodes of different parameters overlap in time, so their hours do not add up.
            let episodes = input.document.exceedances.filter { $0.pointID == result.pointID }
            let byParameter = Parameter.allCases.compactMap { parameter -> String? in
                let own = episodes.filter { $0.parameter == parameter }
                guard !own.isEmpty else { return nil }
                let hours = formatValue(own.reduce(0) { $0 + episodeHours($1) })
                return t("\(name(parameter)) \(own.count) 个共 \(hours) 小时", "\(name(parameter)) \(own.count) (\(hours) h)")
            }
            md.append("\(rank + 1). \(pointLabel(result.pointID))" + t("：目标 \(className(result.targetClass))，本期 \(className(result.waterClass))；",
                                                                       ": target \(className(result.targetClass)), this period \(className(result.waterClass)); ")
                      + (items.isEmpty ? t("各指标均值未超出目标限值", "no parameter's mean over the target limit") : items.joined(separator: t("；", "; ")))
                      + (byParameter.isEmpty ? "" : t("；自动站超标时段：", "; exceedance episodes at the station: ")
                                                      + byParameter.joined(separator: t("，", ", ")))
                      + t("。", "."))
        }
        return md
    }

    /// The parameter whose rise along the river the page ranks: the river's first main pollutant, else (a river
    /// whose grade names none, e.g. 良好 with one point in IV) the one most points of the river name, the larger
    /// exceedance multiple breaking ties; nil when no point of the river has a parameter worse than Class III.
    func leadPollutant(_ river: River, group: GroupResult?) -> Parameter? {
        if let first = group?.mainPollutants.first { return first }
        let named = input.document.points.filter { $0.riverID == river.id }.flatMap(\.mainPollutants)
        let byParameter = Dictionary(grouping: named, by: \.parameter)
        return byParameter.max { a, b in
            (a.value.count, a.value.compactMap(\.exceedanceMultiple).max() ?? 0, b.key.code)
                < (b.value.count, b.value.compactMap(\.exceedanceMultiple).max() ?? 0, a.key.code)
        }?.key
    }

    /// The stretches where the river's main pollutant rises most between consecutive points.
    func addedByStretch(_ river: River, group: GroupResult?) -> [String] {
        guard let parameter = leadPollutant(river, group: group) else {
            return [t("本期本河没有点位有劣于Ⅲ类的指标（或无数据），不计算沿程增量。",
                      "No point of this river has a parameter worse than Class III this period (or no data): no rise computed.")]
        }
        let rises = stretchRises(river, parameter: parameter)
        let unit = parameter.canonicalUnit.rawValue
        var md = [t("主要污染指标\(name(parameter))本期均值在相邻点位之间的增量（下游减上游\(parameter.pollutionEffect == .lowers ? "，溶解氧为下降量" : "")），"
                    + "由大到小；未扣除其间支流的汇入（扣除后的排序见主报告「沿程污染增量」）。",
                    "The rise of the main pollutant \(name(parameter))'s period mean between consecutive points (downstream minus "
                    + "upstream\(parameter.pollutionEffect == .lowers ? "; for DO the fall" : "")), largest first; tributaries joining in "
                    + "between are not allowed for (the main report's \"Where the rivers pick up pollution\" does).")]
        guard !rises.isEmpty else {
            md.append("")
            md.append(t("相邻点位之间没有上升（或有均值的点位不足两个）。", "No stretch rises (or fewer than two points have a mean)."))
            return md
        }
        md += ["", "| " + [t("河段", "Stretch"), "km", t("上游均值", "Upstream mean"), t("下游均值", "Downstream mean"),
                          t("增量", "Added"), t("占Ⅲ类限值", "Of the III limit"), t("其间汇入", "Joining in between"),
                          t("其间登记污染源", "Registered sources in between")].joined(separator: " | ") + " |",
               "|---|---|---:|---:|---:|---:|---|---|"]
        for rise in rises {
            let (a, b) = (rise.from.kilometre, rise.to.kilometre)
            let tributaries = input.network.tributaries(of: river.id).filter { ($0.confluenceKilometres ?? -1) > a && ($0.confluenceKilometres ?? -1) <= b }
                .map { riverName($0.id) }
            let sources = input.network.sources.filter { $0.riverID == river.id && $0.kilometre > a && $0.kilometre <= b }
                .sorted { $0.kilometre < $1.kilometre }.map { "\(escapeMarkdown(displayName($0))) (\(escapeMarkdown($0.id)))" }
            md.append("| \(pointLabel(rise.from.id)) → \(pointLabel(rise.to.id)) | \(formatValue(a))–\(formatValue(b)) | "
                      + "\(formatValue(rise.upstreamMean)) \(unit) | \(formatValue(rise.downstreamMean)) \(unit) | "
                      + "\(formatValue(rise.added)) \(unit) | \(rise.addedOverLimit.map(percent) ?? "—") | "
                      + "\(tributaries.isEmpty ? "—" : tributaries.joined(separator: t("、", ", "))) | "
                      + "\(sources.isEmpty ? "—" : sources.joined(separator: t("、", ", "))) |")
        }
        return md
    }

    /// The incidents seen on this river or traced to it: what its river chief must follow up.
    func incidentList(_ river: River) -> [String] {
        let here = incidents.filter { trace in
            trace.suspectSegment?.riverID == river.id || input.network.point(trace.pointID)?.riverID == river.id
        }
        guard !here.isEmpty else {
            return [t("本期无溯源指向或发生于本河道的污染事件。", "None seen on this river or traced to it this period.")]
        }
        return here.map { trace in
            "- \(localTime(trace.eventStart)) \(pointLabel(trace.pointID))" + t("：", ": ")
                + segmentText(trace.suspectSegment) + t("，首要排查 ", "; check first ") + candidateName(trace.candidates.first)
                + " — " + link(t("溯源报告", "trace-back report"), to: "../\(traceFile(trace)).md")
        }
    }

    /// The last day of the period, as the measures' status is judged at its end.
    var periodLastDay: String {
        Report.localTime(input.document.period.end.addingTimeInterval(-1), in: input.timeZone, format: "yyyy-MM-dd")
    }

    /// The measures of the river's plan with their status at the period's end (overdue when the deadline has passed
    /// and the measure is not done, whatever the file says), the overdue ones first.
    func measureSection(_ river: River) -> [String] {
        guard let measures = input.network.measures else {
            return [t("河网文件中没有一河一策措施清单（river_plans.csv），此处不列措施。",
                      "No plan on file: the network has no river_plans.csv, so no measures are listed.")]
        }
        let here = measures.filter { $0.riverID == river.id }
        guard !here.isEmpty else { return [t("river_plans.csv 中没有本河的措施。", "river_plans.csv lists no measure for this river.")] }
        let end = input.document.period.end
        let order: [MeasureStatus] = [.overdue, .inProgress, .planned, .done]
        let rows = here.map { ($0, $0.status(at: end, in: input.timeZone)) }
            .sorted { (order.firstIndex(of: $0.1) ?? 0, $0.0.deadline ?? CalendarDay(year: 9999, month: 12, day: 31), $0.0.id)
                < (order.firstIndex(of: $1.1) ?? 0, $1.0.deadline ?? CalendarDay(year: 9999, month: 12, day: 31), $1.0.id) }
        let counts = order.map { status in (status, rows.filter { $0.1 == status }.count) }.filter { $0.1 > 0 }
        var md = [t("共 \(rows.count) 项（状态为 river_plans.csv 的现行记录；是否逾期按本期末 \(periodLastDay) 判断）：",
                    "\(rows.count) measures (status as river_plans.csv records it now; overdue judged at the period's end, \(periodLastDay)): ")
                  + counts.map { "\(label($0.0)) \($0.1)" }.joined(separator: t("，", ", ")) + t("。", "."), "",
                  "| " + [t("编号", "ID"), t("措施", "Measure"), t("责任单位", "Responsible"), t("完成时限", "Deadline"),
                          t("状态", "Status")].joined(separator: " | ") + " |", "|---|---|---|---|---|"]
        for (measure, status) in rows {
            let description = zh ? measure.description : measure.englishDescription ?? measure.description
            let unit = zh ? measure.responsibleUnit : measure.englishResponsibleUnit ?? measure.responsibleUnit
            var statusText = label(status)
            if status == .overdue && measure.recordedStatus != .overdue {
                statusText += t("（登记为\(label(measure.recordedStatus))，完成时限已过）",
                                " (recorded \(label(measure.recordedStatus)); the deadline has passed)")
            }
            md.append("| \(escapeMarkdown(measure.id)) | \(escapeMarkdown(description)) | \(unit.map(escapeMarkdown) ?? "—") | "
                      + "\(measure.deadline.map(\.description) ?? "—") | \(statusText) |")
        }
        return md
    }

    /// The previous period's status and classes against this period's, point by point.
    func changesSinceLastReport(_ river: River, group: GroupResult?) -> [String] {
        guard let previous = input.previous else {
            return [t("上期无数据，无法比较。", "No data for the previous period: nothing to compare.")]
        }
        let beforeGroup = previous.rivers.first { $0.id == river.id }
        let before = beforeGroup?.grade
        // The same rule as the report's comparison section: by the shares from five points, else by status.
        let change = group.map { groupChange(before: beforeGroup, now: $0).text } ?? t("无法比较", "not comparable")
        var md = [t("河流水质状况：\(escapeMarkdown(previous.period.label)) \(grade(before)) → \(escapeMarkdown(input.document.period.label)) \(grade(group?.grade))，",
                    "River status: \(escapeMarkdown(previous.period.label)) \(grade(before)) → \(escapeMarkdown(input.document.period.label)) \(grade(group?.grade)), ")
                  + change + t("。", "."), ""]
        md.append("| " + [t("点位", "Point"), escapeMarkdown(previous.period.label), escapeMarkdown(input.document.period.label), t("变化", "Change"),
                           t("达标（上期 → 本期）", "Target met (then → now)")].joined(separator: " | ") + " |")
        md.append("|---|---|---|---|---|")
        for point in input.network.points(on: river.id) {
            let then = previous.points.first { $0.pointID == point.id }
            let now = input.document.points.first { $0.pointID == point.id }
            let change = pointChange(before: then?.waterClass, now: now?.waterClass)
            md.append("| \(pointLabel(point.id)) | \(then?.waterClass.map(className) ?? t("无数据", "no data")) | "
                      + "\(now?.waterClass.map(className) ?? t("无数据", "no data")) | \(change) | \(targetText(then)) → \(targetText(now)) |")
        }
        return md
    }

    func profile(_ river: River, _ parameter: Parameter) -> String {
        let points = input.network.points(on: river.id).map { point in (point, periodMean(point.id, parameter)) }
        var chart = LongitudinalProfileChart(title: "\(displayName(river)) — \(name(parameter)) \(input.document.period.label)",
                                             parameter: parameter, river: river, points: points,
                                             tributaries: input.network.tributaries(of: river.id),
                                             sources: input.network.sources.filter { $0.riverID == river.id },
                                             sourceLegend: t("登记污染源", "registered source"))
        chart.language = language
        return chart.svg()
    }
}
