import Foundation
import RiverModel
import Standards
import Statistics
import Trace

extension ReportWriter {
    /// The trend table: significant trends with arrows and slopes per year, how many series had months below a
    /// detection limit and how they were tested, then how many were not assessed and why.
    func trendSection() -> [String] {
        let trends = input.document.trends
        guard !trends.isEmpty else { return [t("无可评价的数据。", "No data to assess.")] }
        let assessed = trends.filter(\.assessed)
        let significant = assessed.filter { $0.trend?.isSignificant == true }
        let share = Int((MonthlyTrend.maximumCensoredShare * 100).rounded())
        var md = [t("方法：按月中位数的季节性 Mann-Kendall 检验（季节 = 日历月），Sen 斜率，Benjamini–Hochberg 校正后 p < 0.05 视为显著；"
                    + "至少 3 年、每年至少 9 个月有数据才评价；有月份低于检出限时改用删失数据的季节性 Kendall 检验和 Akritas–Theil–Sen 斜率"
                    + "（低于检出限的数值不当作检出限值参与计算），超过 \(share)% 的月份低于检出限则不评价。"
                    + "已评价 \(assessed.count) 个序列，显著趋势 \(significant.count) 个。",
                    "Method: seasonal Mann-Kendall on monthly medians (season = calendar month), Sen's slope, significant when the "
                    + "Benjamini–Hochberg adjusted p < 0.05; assessed with at least 3 years of 9 months or more; where months are "
                    + "below a detection limit, the censored seasonal Kendall test with the Akritas–Theil–Sen slope (a \"<DL\" is "
                    + "never taken as its limit), and not assessed with more than \(share) % of the months censored. "
                    + "\(assessed.count) series assessed, \(significant.count) significant trends.")]
        if !significant.isEmpty {
            md.append("")
            md.append("| " + [t("点位", "Point"), t("指标", "Parameter"), t("趋势", "Trend"), t("斜率（/年）", "Slope per year"),
                                 t("%/年", "% per year"), "p", t("校正 p", "adjusted p"), t("时段", "Span"),
                                 t("低于检出限（月）", "Censored months")].joined(separator: " | ") + " |")
            md.append("|---|---|---|---:|---:|---:|---:|---|---:|")
            for trend in significant.sorted(by: { ($0.pAdjusted ?? 1, $0.pointID) < ($1.pAdjusted ?? 1, $1.pointID) }) {
                let parameter = trend.parameter
                let rising = trend.trend == .increasing
                let worse = parameter.isPollutionLike(rising ? .rose : .fell) && parameter.pollutionEffect != .either
                let arrow = (rising ? "↑ " : "↓ ") + (worse ? t("变差", "worse") : t("好转", "better"))
                md.append("| \(pointLabel(trend.pointID)) | \(name(parameter)) | \(arrow) | "
                          + "\(trend.slopePerYear.map(formatValue) ?? "—") | "
                          + "\(trend.percentPerYear.map { String(format: "%+.1f", $0) } ?? "—") | "
                          + "\(trend.p.map { String(format: "%.2g", $0) } ?? "—") | \(trend.pAdjusted.map { String(format: "%.2g", $0) } ?? "—") | "
                          + "\(trend.firstMonth)…\(trend.lastMonth) | \(trend.censoredMonths ?? 0)/\(trend.months) |")
            }
        }
        let withCensored = trends.filter { ($0.censoredMonths ?? 0) > 0 }
        if !withCensored.isEmpty {
            let tested = withCensored.filter(\.assessed).count
            let months = withCensored.reduce(0) { $0 + ($1.censoredMonths ?? 0) }
            md.append("")
            md.append(t("\(withCensored.count) 个序列有月份低于检出限（共 \(months) 个月）：\(tested) 个按删失数据方法评价，"
                        + "\(withCensored.count - tested) 个未评价。",
                        "\(withCensored.count) series have months below a detection limit (\(months) months in all): \(tested) tested "
                        + "with the censored method, \(withCensored.count - tested) not assessed."))
        }
        let notAssessed = trends.filter { !$0.assessed }
        if !notAssessed.isEmpty {
            var reasons: [String: Int] = [:]
            for trend in notAssessed {
                let reason = (zh ? trend.reasonChinese : nil) ?? trend.reason ?? ""
                reasons[escapeMarkdown(reason), default: 0] += 1
            }
            md.append("")
            md.append(t("未评价 \(notAssessed.count) 个序列（不给出 p 值）：", "\(notAssessed.count) series not assessed (no p-value given): ")
                      + reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
                          .map { $0.key + t("（\($0.value) 个）", " (\($0.value))") }
                          .joined(separator: t("；", "; ")))
        }
        let shifts = input.document.changePoints
        if !shifts.isEmpty {
            md.append("")
            md.append(t("突变点（Pettitt 检验，按月距平）：", "Shifts (Pettitt on monthly anomalies): ")
                      + shifts.prefix(8).map { "\(escapeMarkdown($0.pointID)) \(name($0.parameter)) \($0.month)"
                          + String(format: " (%+.3g → %+.3g, p %.2g)", $0.before, $0.after, $0.p) }.joined(separator: t("；", "; ")))
        }
        return md
    }

    /// Sensor faults found at the stations, one row each (the readings stay in the store; impossible values are left
    /// out of every mean).
    func faultSection() -> [String] {
        let faults = input.document.faults
        // Events the trace-back judged an analyser's, which no detected fault covers: not traced, so nobody is sent to
        // the river for them, and only this table tells the operator which analyser to check.
        let suspected = input.document.traces.filter { $0.verdict == .sensorFault && $0.suspectedFault != nil }
        guard !faults.isEmpty || !suspected.isEmpty else { return [t("未发现仪器故障。", "No sensor faults found.")] }
        guard !faults.isEmpty else { return suspectedFaultTable(suspected) }
        let byKind = input.document.summary.faults.byKind.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\(FaultKind(rawValue: $0.key).map(label) ?? $0.key) \($0.value)" }.joined(separator: t("，", ", "))
        var md = [t("本期发现仪器故障 \(faults.count) 处（\(byKind)）。以下数据已保留在库中并标记；不可能值不参与均值，故障时段不参与异常事件判断。",
                    "\(faults.count) sensor faults found (\(byKind)). These readings stay in the store, flagged; impossible values "
                    + "are left out of the means, and fault stretches out of the anomaly events."), "",
                  "| " + [t("点位", "Point"), t("指标", "Parameter"), t("类型", "Kind"), t("开始", "From"), t("结束", "To"),
                          t("依据", "Rule")].joined(separator: " | ") + " |",
                  "|---|---|---|---|---|---|"]
        for fault in faults.prefix(60) {
            md.append("| \(pointLabel(fault.pointID)) | \(fault.parameter.map(name) ?? t("全部", "all")) | "
                      + "\(label(fault.kind)) | \(localTime(fault.start)) | \(localTime(fault.end)) | "
                      + "\(t(fault.kind.rule.chinese, fault.kind.rule.english)) |")
        }
        if faults.count > 60 { md.append(t("……共 \(faults.count) 处，完整列表见 analyze --json。", "… \(faults.count) in all; the full list is in analyze --json.")) }
        if !suspected.isEmpty { md += [""] + suspectedFaultTable(suspected) }
        return md
    }

    /// The events judged an analyser's by their readings (a spike, a drift, a calibration step in one parameter).
    func suspectedFaultTable(_ traces: [TraceResult]) -> [String] {
        var md = [t("另有 \(traces.count) 次异常事件的读数像仪器所致（单一指标），未作溯源、未派现场排查；请检查相应分析仪（校准、漂移）：",
                    "\(traces.count) more anomaly events look instrument-made by their readings (one parameter alone): not traced, "
                    + "no field team sent; check the analysers named (calibration, drift):"), "",
                  "| " + [t("点位", "Point"), t("指标", "Parameter"), t("类型", "Kind"), t("开始", "From"), t("依据", "Rule")]
                    .joined(separator: " | ") + " |",
                  "|---|---|---|---|---|"]
        for trace in traces.prefix(60) {
            guard let kind = trace.suspectedFault else { continue }
            md.append("| \(pointLabel(trace.pointID)) | \(trace.suspectedFaultParameter.map(name) ?? "—") | \(label(kind)) | "
                      + "\(localTime(trace.eventStart)) | \(t(kind.rule.chinese, kind.rule.english)) |")
        }
        if traces.count > 60 { md.append(t("……共 \(traces.count) 次，完整列表见 analyze --json。", "… \(traces.count) in all; the full list is in analyze --json.")) }
        return md
    }
}

extension ReportWriter {
    /// Persistent pollution: the stretches where the period means step up most, beyond what tributaries explain.
    func segmentSection() -> [String] {
        let rising = input.document.segments.filter { $0.increaseOverLimit >= 0.1 }
            .sorted { $0.increaseOverLimit > $1.increaseOverLimit }
        guard !rising.isEmpty else {
            return [t("本期各河段沿程无明显增量（均不超过Ⅲ类限值的 10%）。",
                      "No stretch steps up by more than 10 % of the Class III limit this period.")]
        }
        var md = [t("相邻点位之间本期均值的增量，已扣除支流汇入的稀释（有电导率时按电导率计算混合比例，否则按上游河长）；"
                    + "按增量占Ⅲ类限值的比例排序。排名靠前的河段是持续性排污的重点排查对象。",
                    "The rise of the period mean between consecutive points, after the dilution by tributaries joining in "
                    + "between (mixing shares from conductivity where measured, else by upstream river length), ranked by the "
                    + "rise over the Class III limit. The first stretches are where to look for a continuous discharge."), "",
                  "| " + [t("河段", "Stretch"), t("指标", "Parameter"), t("预期", "Expected"), t("实测", "Observed"),
                          t("增量", "Rise"), t("占Ⅲ类限值", "Of the III limit"), t("混合计算", "Mixing")].joined(separator: " | ") + " |",
                  "|---|---|---:|---:|---:|---:|---|"]
        for step in rising.prefix(10) {
            let river = riverName(step.riverID)
            md.append("| \(river) \(pointLabel(step.fromPointID)) → \(pointLabel(step.toPointID)) | "
                      + "\(name(step.parameter)) | \(formatValue(step.expected)) | \(formatValue(step.observed)) | "
                      + "\(formatValue(step.increase)) | \(percent(step.increaseOverLimit)) | \(mixingName(step.mixing)) |")
        }
        return md
    }
}
