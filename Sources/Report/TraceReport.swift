import Foundation
import RiverModel
import Standards
import Trace

extension ReportWriter {
    var incidents: [TraceResult] { input.document.incidents }

    /// An incident's trace-back report without its extension: `traces/<point>-<yyyyMMdd-HHmm>` (the stamp is of
    /// fixed width, so the point's part is one to one too); `.md`, `-network.svg` and `-aligned.svg` follow.
    func traceFile(_ trace: TraceResult) -> String {
        "traces/" + ReportFileName.component(trace.pointID) + "-"
            + Report.localTime(trace.eventStart, in: input.timeZone, format: "yyyyMMdd-HHmm")
    }

    /// The trace-back section of the periodic report: one line per incident, with a link to its report.
    func traceSection() -> [String] {
        let events = input.document.summary.events
        var lines = [t("本期自动站异常事件 \(events.total) 起：溯源指向污染源河段 \(events.source) 起（同一污染过程的"
                       + "合并为 \(events.incidents) 起污染事件），溯源不确定 \(events.uncertain) 起（置信度低于 "
                       + "\(percent(input.document.uncertainBelow))，不派现场排查，所需补充数据见下），全区同步（降雨等，非单一排口）"
                       + "\(events.districtWide) 起，判为仪器故障 \(events.sensorFault) 起，非污染性变化（如溶解氧升高）"
                       + "\(events.notPollution) 起。",
                       "\(events.total) anomaly events at the stations: \(events.source) traced to a source stretch (making "
                       + "\(events.incidents) incidents: the events of one pollution episode are one), \(events.uncertain) uncertain "
                       + "(confidence below \(percent(input.document.uncertainBelow)): no field team sent; the data that would settle "
                       + "them below), \(events.districtWide) district-wide (rain or a pattern everywhere, not one outfall), "
                       + "\(events.sensorFault) put down to a sensor fault, \(events.notPollution) not pollution (nothing moved the "
                       + "way effluent moves it, e.g. DO up).")]
        lines += uncertainTable()
        guard !incidents.isEmpty else { return lines }
        lines.append("")
        lines.append("| " + [t("发现时间", "Seen"), t("点位", "Point"), t("指标变化", "Signature"), t("疑似河段", "Suspect stretch"),
                             t("首要排查对象", "Check first"), t("置信度", "Confidence"), t("溯源报告", "Report")].joined(separator: " | ") + " |")
        lines.append("|---|---|---|---|---|---:|---|")
        for trace in incidents {
            lines.append("| \(localTime(trace.eventStart)) | \(pointLabel(trace.pointID)) | \(signature(trace)) | "
                         + "\(segmentText(trace.suspectSegment)) | \(candidateName(trace.candidates.first)) | "
                         + "\(percent(trace.confidence)) | " + link(t("查看", "open"), to: traceFile(trace) + ".md") + " |")
        }
        return lines
    }

    /// The uncertain verdicts: the stretch guessed, the confidence, and what would settle each.
    func uncertainTable() -> [String] {
        let uncertain = input.document.traces.filter { $0.verdict == .uncertain }
        guard !uncertain.isEmpty else { return [] }
        var lines = ["", "| " + [t("发现时间", "Seen"), t("点位", "Point"), t("可能河段", "Possible stretch"), t("置信度", "Confidence"),
                                 t("可确认的数据", "What would settle it")].joined(separator: " | ") + " |", "|---|---|---|---:|---|"]
        for trace in uncertain.prefix(30) {
            let steps = (trace.settledBy ?? []).prefix(2).map(settlingText).joined(separator: t("；", "; "))
            lines.append("| \(localTime(trace.eventStart)) | \(pointLabel(trace.pointID)) | \(segmentText(trace.suspectSegment)) | "
                         + "\(percent(trace.confidence)) | \(steps) |")
        }
        if uncertain.count > 30 {
            lines += ["", t("另有 \(uncertain.count - 30) 起，见 analyze --json 的 traces。", "\(uncertain.count - 30) more in analyze --json's traces.")]
        }
        return lines
    }

    func settlingText(_ step: SettlingStep) -> String {
        let point = step.pointID.map(pointLabel) ?? ""
        let window = step.windowStart.flatMap { from in step.windowEnd.map { "\(localTime(from)) – \(localTime($0))" } } ?? ""
        return switch step.kind {
        case .checkBelow: t("\(point) 在 \(window) 的数据或瞬时水样（污染团应经过该点）",
                            "readings or a grab sample at \(point), \(window) (the plume should have passed it)")
        case .readingsAbove: t("\(point) 在 \(window) 缺失的数据", "the missing readings of \(point), \(window)")
        case .sampleMouth: t("\(riverName(step.riverID ?? ""))汇入\(riverName(step.receivingRiverID ?? ""))处上游两条河各一份水样",
                             "a sample on each river just above where the \(riverName(step.riverID ?? "")) joins the "
                             + "\(riverName(step.receivingRiverID ?? ""))")
        case .sampleStretch: t("沿该河段排口上下游的瞬时水样", "grab samples along the stretch, above and below its outfalls")
        }
    }

    /// One incident's trace-back report (溯源排查报告): what was seen, where to walk, what to check and sample.
    func traceReport(_ trace: TraceResult) -> String {
        var md: [String] = []
        md.append("# " + t("溯源排查报告：", "Trace-back: ") + "\(pointLabel(trace.pointID)) \(localTime(trace.eventStart))")
        md.append("")
        md.append(link(t("返回月报", "Back to the report"), to: "../report.md"))
        md.append("")
        md += section(t("发现了什么", "What was seen"), observed(trace))
        if let pattern = trace.districtPattern {
            let names = pattern.parameters.map { name($0) }.joined(separator: t("、", ", "))
            let seen = t("该事件发生在全区同步变化期间（\(pattern.withinHours) 小时内 \(pattern.stations) 个站点中 "
                         + "\(pattern.stationsWithEvents) 个出现异常，其中 \(pattern.withoutLag) 个没有污染团顺流传播应有的时差，多为降雨）",
                         "This event came during a district-wide change (events at \(pattern.stationsWithEvents) of "
                         + "\(pattern.stations) stations within \(pattern.withinHours) h, \(pattern.withoutLag) of them without the "
                         + "travel lag a plume would show: mostly rain)")
            switch pattern.handling {
            case .distinctive:
                md.append(t("说明：\(seen)；仅按降雨无法解释的指标（\(names)）溯源。", "Note: \(seen); it was traced only by what rain cannot explain (\(names))."))
            case .continuation:
                md.append(t("说明：\(seen)；该异常在全区恢复正常后仍然持续（\(names)），按其持续部分溯源。",
                            "Note: \(seen); it persisted after the rest of the district was back to normal (\(names)) and was "
                            + "traced from that continuation."))
            case .partBefore:
                md.append(t("说明：\(seen)；该异常在全区同步变化开始之前已经出现，按其开始前的部分（\(names)）溯源。",
                            "Note: \(seen); the event began before that change and was traced by its part before it (\(names))."))
            case .notTraced:
                md.append(t("说明：\(seen)。", "Note: \(seen)."))
            }
            md.append("")
        }
        if let from = trace.tracedFrom {
            if trace.districtPattern?.handling == .continuation {
                md.append(t("按全区恢复正常后的 \(localTime(from)) 起的持续部分溯源，上游各站按此时刻推算查看时段。",
                            "Traced from \(localTime(from)), once the rest of the district was back to normal; the upstream "
                            + "windows count back from then."))
            } else {
                md.append(t("污染团到达本点位的时间：\(localTime(from))（降雨期间），上游各站按此时刻推算查看时段。",
                            "The plume reached this point at \(localTime(from)) (during the rain); the upstream windows count back from then."))
            }
            md.append("")
        }
        md += section(t("结论：疑似污染河段", "Conclusion: the suspect stretch"), [
            "- " + t("疑似河段：", "Suspect stretch: ") + "**" + segmentText(trace.suspectSegment) + "**",
            "- " + t("置信度：", "Confidence: ") + percent(trace.confidence)
                + t("（同类判定中约有这一比例的疑似河段确实包含污染源，按模拟流域校准）",
                    " (of trace-backs like this one, about this share had the source on their suspect stretch; calibrated on "
                    + "simulated districts)"),
            "- " + t("溯源路径（自下而上）：", "Walked (downstream to upstream): ") + trace.walked.map(pointLabel).joined(separator: " → "),
        ] + trace.alternativeSegments.map { "- " + t("也可能在：", "Also possible: ") + segmentText($0) }
          + confluenceLines(trace))
        md.append("!" + link(t("溯源示意图", "Trace-back schematic"), to: String(traceFile(trace).dropFirst("traces/".count)) + "-network.svg"))
        md.append("")
        md.append(t("红色粗线为疑似河段，红圈为受影响点位，绿圈为上游未受影响点位，紫线为溯源路径。",
                    "Thick red: the suspect stretch; red rings: affected points; green rings: clean points upstream; purple: the path walked."))
        md.append("")
        var evidence = evidenceTable(trace)
        evidence += ["", t("查看时段：事件开始时刻减去从该点流到事件点的传播时间，前后各留 2 小时加传播时间的一半（流速为典型值）；"
                           + "偏离为噪声倍数，≥ 3 且与事件点同向、同形才判为受影响。",
                           "Window: the event's onset less the travel time from that point, widened by 2 h and half the travel "
                           + "time (velocities are typical ones); score in noise widths: affected needs 3 or more, in the "
                           + "event's direction and following its course.")]
        if alignedChart(trace) != nil {
            evidence += ["", "!" + link(t("按传播时间对齐的上下游监测数据", "Upstream and downstream series aligned by travel time"),
                                        to: String(traceFile(trace).dropFirst("traces/".count)) + "-aligned.svg"), "",
                         t("各上游站点的曲线已按采用的时差平移：同一股污染团在各站应在 0 时附近同时出现。",
                           "Each upstream series is shifted by the lag used: one plume passing them all lines up near hour 0.")]
        }
        md += section(t("证据（按传播时间对齐）", "Evidence (aligned by travel time)"), evidence)
        md += section(t("候选污染源", "Candidate sources"), candidateTable(trace))
        md += section(t("现场排查清单", "Field checklist"), checklist(trace))
        return md.joined(separator: "\n") + "\n"
    }

    func observed(_ trace: TraceResult) -> [String] {
        guard let event = input.document.events.first(where: { $0.pointID == trace.pointID && $0.start == trace.eventStart })
        else { return [] }
        var lines = [t("\(pointLabel(trace.pointID)) 自动站 \(localTime(event.start)) 至 \(localTime(event.end)) 出现异常，"
                       + "峰值时间 \(localTime(event.peakTime))：",
                       "At station \(pointLabel(trace.pointID)) from \(localTime(event.start)) to \(localTime(event.end)), "
                       + "peaking at \(localTime(event.peakTime)):"), ""]
        lines.append("| " + [t("指标", "Parameter"), t("变化", "Change"), t("基线", "Baseline"), t("峰值", "Peak"),
                             t("增量", "Increment"), t("偏离（噪声倍数）", "Off baseline (noise widths)")].joined(separator: " | ") + " |")
        lines.append("|---|---|---:|---:|---:|---:|")
        for parameter in event.parameters {
            lines.append("| \(name(parameter.parameter)) | "
                         + label(parameter.direction)
                         + " | \(formatValue(parameter.baseline)) | \(formatValue(parameter.peak)) | "
                         + "\(formatValue(parameter.increment)) | \(String(format: "%.1f", parameter.score)) |")
        }
        return lines
    }

    func evidenceTable(_ trace: TraceResult) -> [String] {
        var lines = ["| " + [t("点位", "Point"), t("判定", "Finding"), t("指标", "Parameter"), t("理论传播时间", "Travel time"),
                             t("采用时差", "Lag used"), t("查看时段", "Window"), t("基线", "Baseline"), t("观测", "Observed"),
                             t("偏离", "Score")].joined(separator: " | ") + " |",
                     "|---|---|---|---:|---:|---|---:|---:|---:|"]
        for item in trace.evidence {
            let role = switch item.role {
            case .event: t("发现异常", "event")
            case .affected: t("受影响", "affected")
            case .clean: t("未受影响", "clean")
            // With a reading but no verdict: the station was off its baseline before the plume could have come.
            case .noData where item.score != nil: t("此前已持续偏高，无法判断", "already off its baseline before: cannot tell")
            case .noData: t("无数据", "no data")
            }
            lines.append("| \(pointLabel(item.pointID)) | \(role) | \(name(item.parameter)) | "
                         + String(format: "%.1f h", item.nominalLagHours)
                         + (item.learnedLagHours.map { t(String(format: "（实测 %.1f h）", $0), String(format: " (learned %.1f h)", $0)) } ?? "")
                         + String(format: " | %.1f h | ", item.lagHours)
                         + "\(localTime(item.windowStart)) – \(localTime(item.windowEnd)) | "
                         + "\(item.baseline.map(formatValue) ?? "—") | \(item.observed.map(formatValue) ?? "—") | "
                         + "\(item.score.map { String(format: "%.1f", $0) } ?? "—") |")
        }
        return lines
    }

    func candidateTable(_ trace: TraceResult) -> [String] {
        var lines = ["| # | " + [t("对象", "Source"), t("类型", "Kind"), t("位置", "Where"), t("特征", "Signature"),
                                 t("得分", "Score"), t("理由", "Why")].joined(separator: " | ") + " |",
                     "|---:|---|---|---|---|---:|---|"]
        for (rank, candidate) in trace.candidates.enumerated() {
            let source = candidate.sourceID.flatMap { id in input.network.sources.first { $0.id == id } }
            lines.append("| \(rank + 1) | \(candidateName(candidate)) | \(source.map { sourceKind($0.kind) } ?? "—") | "
                         + (source.map { "\(escapeMarkdown($0.riverID)) km \(formatValue($0.kilometre))" } ?? segmentText(trace.suspectSegment))
                         + " | \(source.map { signatureName($0.signature) } ?? "—") | \(String(format: "%.2f", candidate.score)) | "
                         + candidateReasons(candidate, trace: trace) + " |")
        }
        return lines
    }

    func checklist(_ trace: TraceResult) -> [String] {
        let lead = (trace.rose + trace.fell).prefix(4).map { name($0) }.joined(separator: t("、", ", "))
        // Registered candidates on the suspect stretch, or elsewhere where their signature fits at all: a source off the
        // stretch whose signature does not fit is no reason to send anyone there.
        let outfalls = trace.candidates.filter { $0.place == .suspectStretch || ($0.signatureFit ?? 0) > 0 }
            .compactMap(\.sourceID).prefix(3)
        // When the discharge must have passed: back from the onset by the travel time from each end of the suspect
        // stretch, widened as the walk's windows are (`TraceEngine.slackHours`).
        // The onset traced is the event evidence's window start (later than the event when traced from the rain).
        let onset = trace.evidence.first { $0.role == .event }?.windowStart ?? trace.eventStart
        var from = onset.addingTimeInterval(-6 * 3_600)
        var to = onset
        if let segment = trace.suspectSegment, let point = input.network.point(trace.pointID) {
            let top = input.network.downstreamPath(fromRiver: segment.riverID, kilometre: segment.fromKilometre, to: point)?.hours
            let bottom = input.network.downstreamPath(fromRiver: segment.riverID, kilometre: segment.toKilometre, to: point)?.hours
            if let top { from = onset.addingTimeInterval(-(top + TraceEngine.slackHours(travelHours: top)) * 3_600) }
            if let bottom { to = onset.addingTimeInterval(-max(0, bottom - TraceEngine.slackHours(travelHours: bottom)) * 3_600) }
        }
        let when = "\(localTime(from)) – \(localTime(to))"
        // Points on the stretch itself (manual ones, usually): grab samples there bracket the outfall.
        let onStretch = trace.suspectSegment.map { segment in
            input.network.points(on: segment.riverID).filter {
                $0.kilometre > segment.fromKilometre && $0.kilometre < segment.toKilometre
                    && $0.id != segment.fromPointID && $0.id != segment.toPointID
            }
        } ?? []
        var steps: [String] = []
        if let confluence = trace.confluence, confluence.finding == .inseparable {
            let (tributary, receiving) = (riverName(confluence.tributaryID), riverName(confluence.receivingRiverID))
            let km = formatValue(confluence.confluenceKilometre)
            steps.append(t("先到\(tributary)汇入\(receiving)处（\(receiving) km \(km)）：在汇口上游的两条河上各采一份水样，"
                           + "确定污染来自哪一条，再沿那条河排查。",
                           "First go to where the \(tributary) joins the \(receiving) (km \(km) of the \(receiving)): take a sample "
                           + "on each river just above the mouth to see which one carries the pollution, then walk that one."))
        }
        steps.append(t("沿 \(segmentText(trace.suspectSegment)) 徒步排查；排放应发生在 \(when) 之间（按传播时间回推），"
                       + "向沿岸单位和居民询问这段时间的排水情况。",
                       "Walk \(segmentText(trace.suspectSegment)); the discharge passed in \(when) (back by the travel "
                       + "time): ask along the banks what ran off in those hours."))
        if !outfalls.isEmpty {
            steps.append(t("按顺序检查排口/企业：", "Inspect these outfalls and enterprises, in order: ")
                         + outfalls.map(sourceName).joined(separator: t("、", ", ")))
        }
        steps.append(t("同时查找未登记排口、雨污混接和偷排管道。", "Look for unregistered outfalls, misconnections and hidden pipes as well."))
        steps.append(t("采样：每个可疑排口的排放水、排口上游和下游各一份，以及 \(pointLabel(trace.pointID))；检测 \(lead)。",
                       "Sample: the effluent of each suspect outfall, the river just above and below it, and \(pointLabel(trace.pointID)); analyse \(lead)."))
        if !onStretch.isEmpty {
            let names = onStretch.map { pointLabel($0.id) }.joined(separator: t("、", ", "))
            steps.append(t("在疑似河段上的点位 \(names) 加采瞬时水样，逐段缩小排放口所在范围。",
                           "Take grab samples at the points on the stretch, \(names), to narrow down where the outfall is."))
        }
        return steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
    }

    /// What the walk could tell at a confluence: which branch, by mass balance, or that the data cannot say.
    func confluenceLines(_ trace: TraceResult) -> [String] {
        guard let confluence = trace.confluence else { return [] }
        let (tributary, receiving) = (riverName(confluence.tributaryID), riverName(confluence.receivingRiverID))
        let shares = confluence.tributaryShare.flatMap { tributaryShare in confluence.receivingShare.map { (tributaryShare, $0) } }
        let balance = shares.map { t("（按流量加权的增量：\(tributary) \(percent($0.0))，\(receiving) \(percent($0.1))）",
                                     " (by flow-weighted rise: the \(tributary) \(percent($0.0)), the \(receiving) \(percent($0.1)))") } ?? ""
        return switch confluence.finding {
        case .tributary: ["- " + t("汇口判断：污染来自\(tributary)\(balance)。", "At the confluence: it came down the \(tributary)\(balance).")]
        case .receivingRiver: ["- " + t("汇口判断：污染来自\(receiving)干流\(balance)。", "At the confluence: it came down the \(receiving)\(balance).")]
        case .inseparable: ["- " + t("汇口判断：数据无法区分污染来自\(tributary)还是\(receiving)\(balance)，现场先在汇口上游两条河分别采样。",
                                     "At the confluence: the data cannot tell the \(tributary) from the \(receiving)\(balance); sample both "
                                     + "just above the mouth first.")]
        }
    }

    func riverName(_ id: String) -> String {
        escapeMarkdown(input.network.river(id)?.name ?? id)
    }

    func signature(_ trace: TraceResult) -> String {
        (trace.rose.prefix(3).map { name($0) + "↑" } + trace.fell.prefix(2).map { name($0) + "↓" })
            .joined(separator: " ")
    }

    func segmentText(_ segment: SuspectSegment?) -> String {
        guard let segment else { return "—" }
        let river = escapeMarkdown(input.network.river(segment.riverID)?.name ?? segment.riverID)
        let from = segment.fromPointID.map(pointLabel) ?? t("河源", "its upstream end")
        let joins = input.network.river(segment.riverID)?.flowsInto.map { input.network.river($0)?.name ?? $0 }
        let to = segment.toPointID.map(pointLabel)
            ?? joins.map { t("汇入\(escapeMarkdown($0))处", "where it joins the \(escapeMarkdown($0))") } ?? t("出境处", "where it leaves the district")
        let km = "km \(formatValue(segment.fromKilometre))–\(formatValue(segment.toKilometre))"
        return t("\(river)（\(from) → \(to)，\(km)）", "\(river) (\(from) → \(to), \(km))")
    }

    func candidateName(_ candidate: SourceCandidate?) -> String {
        guard let candidate else { return "—" }
        return candidate.sourceID.map(sourceName) ?? t("未登记排口", "unregistered outfall")
    }

    func sourceName(_ id: String) -> String {
        input.network.sources.first { $0.id == id }.map { "\(escapeMarkdown($0.name)) (\(escapeMarkdown(id)))" } ?? escapeMarkdown(id)
    }

    /// The lead parameter at the event point and the upstream stations (those without a verdict too), shifted by their lags onto one time axis.
    func alignedChart(_ trace: TraceResult) -> String? {
        guard let parameter = trace.evidence.first?.parameter else { return nil }
        var lines: [AlignedSeriesChart.Line] = []
        for item in trace.evidence {
            guard let series = input.traceSeries[item.pointID]?[parameter], !series.isEmpty,
                  !lines.contains(where: { $0.label.hasPrefix(item.pointID + " ") }) else { continue }
            let shift = item.lagHours * 3_600
            let points = series.map { ($0.0.addingTimeInterval(shift).timeIntervalSince(trace.eventStart) / 3_600, $0.1) }
            let label = item.role == .event ? "\(item.pointID) " + t("（事件点）", "(event)")
                : "\(item.pointID) +\(String(format: "%.1f", item.lagHours)) h"
            lines.append(AlignedSeriesChart.Line(label: label, points: points, withoutVerdict: item.role == .noData))
        }
        guard lines.count >= 2 else { return nil }
        return AlignedSeriesChart(title: "\(name(parameter)) — " + t("按时差对齐", "aligned by lag"), parameter: parameter,
                                  lines: lines, before: 24, after: 36).svg()
    }
}
