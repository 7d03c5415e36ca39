import Foundation
import RiverModel
import Standards
import Trace

extension ReportWriter {
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
                       + "\(percent(input.document.uncertainBelow))，不派现场排查，所需补充数据见下），全区或局地同步（降雨等，非单一排口）"
                       + "\(events.districtWide) 起，判为仪器故障 \(events.sensorFault) 起，非污染性变化（如溶解氧升高）"
                       + "\(events.notPollution) 起。",
                       "\(events.total) anomaly events at the stations: \(events.source) traced to a source stretch (making "
                       + "\(events.incidents) incidents: the events of one pollution episode are one), \(events.uncertain) uncertain "
                       + "(confidence below \(percent(input.document.uncertainBelow)): no field team sent; the data that would settle "
                       + "them below), \(events.districtWide) district-wide (rain over all or part of the district, or a pattern everywhere; not one outfall), "
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

    /// One incident's trace-back report (溯源排查报告), headed by its lead trace: every event joined into it, where to
    /// walk, when the discharge must have happened, what to check and sample, and a sheet for what was found.
    func traceReport(_ incident: Incident) -> String {
        let trace = incident.lead
        var md: [String] = []
        md.append("# " + t("溯源排查报告：", "Trace-back: ") + "\(pointLabel(trace.pointID)) \(localTime(trace.eventStart))")
        md.append("")
        md.append(link(t("返回月报", "Back to the report"), to: "../report.md"))
        md.append("")
        md += section(t("发现了什么", "What was seen"), incidentEvents(incident) + [""] + observed(trace))
        if let pattern = trace.districtPattern {
            let names = pattern.parameters.map { name($0) }.joined(separator: t("、", ", "))
            let seen = pattern.local == true
                ? t("该事件发生在局地降雨期间（\(pattern.withinHours) 小时内 \(pattern.stations) 个站点中 "
                    + "\(pattern.stationsWithEvents) 个同时出现异常，其中 \(pattern.withoutLag) 个没有污染团顺流传播应有的时差，"
                    + "多数浊度上升，如径流所致）",
                    "This event came during local rain (events at \(pattern.stationsWithEvents) of \(pattern.stations) "
                    + "stations within \(pattern.withinHours) h, \(pattern.withoutLag) of them without the travel lag a plume "
                    + "would show, turbidity up at most of them, as runoff does)")
                : t("该事件发生在全区同步变化期间（\(pattern.withinHours) 小时内 \(pattern.stations) 个站点中 "
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
            "- " + t("疑似河段：", "Suspect stretch: ") + "**" + segmentText(trace.suspectSegment) + "**"
                + (trace.suspectSegment.map { segment in
                    t("，长 \(formatValue(segment.toKilometre - segment.fromKilometre)) km",
                      ", \(formatValue(segment.toKilometre - segment.fromKilometre)) km long")
                } ?? ""),
            "- " + t("置信度：", "Confidence: ") + percent(trace.confidence) + t("（依据本事件 \(pointLabel(trace.pointID)) 的溯源）",
                                                                             " (from the trace of the event at \(pointLabel(trace.pointID)))"),
            "- " + t("溯源路径（自下而上）：", "Walked (downstream to upstream): ") + trace.walked.map(pointLabel).joined(separator: " → "),
        ] + trace.alternativeSegments.map { "- " + t("也可能在：", "Also possible: ") + segmentText($0) }
          + confluenceLines(trace) + agreementLines(incident))
        md += section(t("置信度的含义", "What the confidence means"), confidenceMeaning(trace.confidence))
        md.append("!" + link(t("溯源示意图", "Trace-back schematic"), to: String(traceFile(trace).dropFirst("traces/".count)) + "-network.svg"))
        md.append("")
        md.append(t("红色粗线为疑似河段，红圈为受影响点位，绿圈为上游未受影响点位，紫线为溯源路径。",
                    "Thick red: the suspect stretch; red rings: affected points; green rings: clean points upstream; purple: the path walked."))
        md.append("")
        md.append(t("地图数据（GeoJSON，可用 QGIS 或网页地图打开）：", "Map data (GeoJSON, opens in QGIS or a web map): ")
                  + link(String(traceFile(trace).dropFirst("traces/".count)) + ".geojson",
                         to: String(traceFile(trace).dropFirst("traces/".count)) + ".geojson")
                  + t("；离线地图：", "; offline map: ") + link("map.html", to: "../map.html"))
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
        md += section(t("现场记录（打印后填写）", "Field record (print and fill in)"), fieldRecord(trace))
        return md.joined(separator: "\n") + "\n"
    }

    /// Every event of the incident, in time order: where and when, its strongest change with units, its own verdict.
    func incidentEvents(_ incident: Incident) -> [String] {
        let start = incident.traces.map(\.eventStart).min() ?? incident.lead.eventStart
        let points = Set(incident.traces.map(\.pointID)).count
        var lines = [t("本次污染事件包含 \(incident.traces.count) 起异常事件（\(points) 个点位），\(localTime(start)) 至 "
                       + "\(localTime(incident.end))；以置信度最高的一起（★）为准溯源：",
                       "This incident is " + (incident.traces.count == 1 ? "one anomaly event" : "\(incident.traces.count) anomaly events")
                       + (points == 1 ? " at one point" : " at \(points) points") + ", \(localTime(start)) to "
                       + "\(localTime(incident.end)); the most confident one (★) speaks for it:"), ""]
        if let recurrence = recurrenceText(incident) {
            lines.insert(t("**重复出现：**", "**Recurring:** ") + recurrence + t("。", "."), at: 1)
            lines.insert("", at: 1)
        }
        lines.append("| # | " + [t("开始", "Start"), t("结束", "End"), t("点位", "Point"), t("主要指标", "Lead parameter"),
                                 t("基线 → 峰值", "Baseline → peak"), t("该事件的溯源结论", "This event's verdict")]
            .joined(separator: " | ") + " |")
        lines.append("|---:|---|---|---|---|---|---|")
        for (index, member) in incident.traces.enumerated() {
            let event = input.document.events.first { $0.pointID == member.pointID && $0.start == member.eventStart }
            let leadParameter = member.evidence.first { $0.role == .event }?.parameter
            let change = event?.parameters.first { $0.parameter == leadParameter }
                ?? event?.parameters.max { abs($0.score) < abs($1.score) }
            let isLead = member.pointID == incident.lead.pointID && member.eventStart == incident.lead.eventStart
            let verdict = t("疑似河段 ", "suspect stretch ") + segmentText(member.suspectSegment) + t("，置信度 ", ", confidence ")
                + percent(member.confidence)
            let folded = event?.foldedScore != nil ? t("（多夜叠加）", " (nights together)") : ""
            lines.append("| \(index + 1)\(isLead ? " ★" : "") | \(localTime(member.eventStart)) | \(event.map { localTime($0.end) } ?? "—") | "
                         + "\(pointLabel(member.pointID)) | \(change.map { name($0.parameter) + " " + label($0.direction) } ?? "—")\(folded) | "
                         + (change.map { "\(quantity($0.baseline, $0.parameter)) → \(quantity($0.peak, $0.parameter))" } ?? "—")
                         + " | \(verdict) |")
        }
        let anyFolded = incident.traces.contains { member in
            input.document.events.contains { $0.pointID == member.pointID && $0.start == member.eventStart && $0.foldedScore != nil }
        }
        if anyFolded {
            lines += ["", t("多夜叠加：该夜单独未达检出门槛，由同一点位前后数夜同一时段的一致上升检出（docs/methods.md）。",
                            "Nights together: under the bar on its own night, found because the same station rose at the same "
                            + "hour on the nights around it (docs/methods.md).")]
        }
        return lines
    }

    /// How the incident's other events bear on the lead's verdict: the same stretch, or another one.
    func agreementLines(_ incident: Incident) -> [String] {
        let others = incident.traces.filter { !($0.pointID == incident.lead.pointID && $0.eventStart == incident.lead.eventStart) }
        guard !others.isEmpty else { return [] }
        let same = others.filter { $0.suspectSegment == incident.lead.suspectSegment }
        let differ = others.filter { $0.suspectSegment != incident.lead.suspectSegment }
        var line = "- " + t("本事件的其他异常：\(others.count) 起中 \(same.count) 起溯源到同一河段",
                            "The incident's other events: \(same.count) of \(others.count) traced to the same stretch")
        if differ.isEmpty {
            line += t("。", ".")
        } else {
            // Joined for another reason (the same plume seen at two stations, or one point within hours: docs/methods.md,
            // "Incidents"), their own stretches are where to look next.
            let listed = differ.map { "\(pointLabel($0.pointID)) \(localTime($0.eventStart))" + t("：", ": ") + segmentText($0.suspectSegment) }
            line += t("；其余指向：", "; the others to: ") + listed.joined(separator: t("；", "; "))
                + t("。现场先查置信度最高的河段，再查这些。", ". Walk the most confident stretch first, then these.")
        }
        return [line]
    }

    /// What a confidence says in plain words, from the calibration on held-out simulated districts
    /// (docs/performance.md, "The printed confidence calibrated": on fresh held-out runs the printed confidence was the
    /// share right to within 10 points in every bin), and the district's policy below which no team is sent.
    func confidenceMeaning(_ confidence: Double) -> [String] {
        let tenths = Int((confidence * 10).rounded())
        let share = tenths >= 10 ? t("几乎全部（九成以上）", "nearly all (more than 9 in 10)")
            : tenths <= 0 ? t("极少（不到十分之一）", "very few (fewer than 1 in 10)")
            : t("约 \(tenths) 成（十起中约 \(tenths) 起）", "about \(tenths) in 10")
        let threshold = percent(input.document.uncertainBelow)
        return [
            t("置信度是一个概率：在留出检验的模拟流域上，给出约 \(percent(confidence)) 置信度的溯源判定中，\(share)的疑似河段确实包含污染源"
              + "（十档中每一档的实际命中率与所给置信度相差都在 10 个百分点以内；见 docs/performance.md）。"
              + "它说的是疑似河段，不是某一个排口。",
              "The confidence is a probability: on held-out simulated districts, of the trace-backs given about "
              + "\(percent(confidence)), \(share) had the source on their suspect stretch (the share right was within 10 "
              + "points of the confidence given in every bin of ten; docs/performance.md). It is about the stretch, not any "
              + "one outfall."),
            "",
            t("低于 \(threshold) 的判定为“不确定”：不派现场排查，只列出可以确认的补充数据（本区设置 uncertain_below）。",
              "Below \(threshold) a trace is reported uncertain: no field team is sent, only the data that would settle it "
              + "are listed (the district's uncertain_below setting)."),
        ]
    }

    func observed(_ trace: TraceResult) -> [String] {
        guard let event = input.document.events.first(where: { $0.pointID == trace.pointID && $0.start == trace.eventStart })
        else { return [] }
        var lines = [t("★ \(pointLabel(trace.pointID)) 自动站 \(localTime(event.start)) 至 \(localTime(event.end)) 出现异常，"
                       + "峰值时间 \(localTime(event.peakTime))：",
                       "★ At station \(pointLabel(trace.pointID)) from \(localTime(event.start)) to \(localTime(event.end)), "
                       + "peaking at \(localTime(event.peakTime)):"), ""]
        lines.append("| " + [t("指标", "Parameter"), t("变化", "Change"), t("基线", "Baseline"), t("峰值", "Peak"),
                             t("增量", "Increment"), t("偏离（噪声倍数）", "Off baseline (noise widths)")].joined(separator: " | ") + " |")
        lines.append("|---|---|---:|---:|---:|---:|")
        for parameter in event.parameters {
            lines.append("| \(name(parameter.parameter)) | "
                         + label(parameter.direction)
                         + " | \(quantity(parameter.baseline, parameter.parameter)) | \(quantity(parameter.peak, parameter.parameter)) | "
                         + "\(quantity(parameter.increment, parameter.parameter)) | \(String(format: "%.1f", parameter.score)) |")
        }
        return lines
    }

    func evidenceTable(_ trace: TraceResult) -> [String] {
        var lines = ["| " + [t("点位", "Point"), t("判定", "Finding"), t("指标", "Parameter"), t("理论传播时间", "Travel time"),
                             t("采用时差", "Lag used"), t("查看时段", "Window"), t("基线", "Baseline"), t("观测", "Observed"),
                             t("偏离（噪声倍数）", "Score (noise widths)")].joined(separator: " | ") + " |",
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
                         + "\(item.baseline.map { quantity($0, item.parameter) } ?? "—") | "
                         + "\(item.observed.map { quantity($0, item.parameter) } ?? "—") | "
                         + "\(item.score.map { String(format: "%.1f", $0) } ?? "—") |")
        }
        return lines
    }

    /// A value with its parameter's canonical unit (mg/L, µS/cm, ℃, NTU, mV, cm; none for pH).
    func quantity(_ value: Double, _ parameter: Parameter?) -> String {
        let unit = parameter?.canonicalUnit.rawValue ?? ""
        return formatValue(value) + (unit.isEmpty ? "" : " " + unit)
    }

    /// Where a candidate is and when it would have had to discharge: a registered source at its place, the
    /// unregistered outfall along the whole suspect stretch.
    struct CandidatePlace {
        var riverID: String
        var fromKilometre: Double
        var toKilometre: Double
        /// One position for a registered source, the stretch's two ends for the unregistered outfall.
        var positions: [GeoPosition]
        /// When the discharge must have left it (nil where the event point is not below it).
        var window: DischargeWindow?
    }

    func place(of candidate: SourceCandidate, in trace: TraceResult) -> CandidatePlace? {
        if let id = candidate.sourceID {
            guard let source = input.network.sources.first(where: { $0.id == id }) else { return nil }
            return CandidatePlace(riverID: source.riverID, fromKilometre: source.kilometre, toKilometre: source.kilometre,
                                  positions: input.network.position(of: source).map { [$0] } ?? [],
                                  window: dischargeWindow(trace, riverID: source.riverID, from: source.kilometre, to: source.kilometre))
        }
        guard let segment = trace.suspectSegment else { return nil }
        let ends = [segment.fromKilometre, segment.toKilometre].compactMap {
            input.network.position(onRiver: segment.riverID, kilometre: $0)
        }
        return CandidatePlace(riverID: segment.riverID, fromKilometre: segment.fromKilometre, toKilometre: segment.toKilometre,
                              positions: ends.count == 2 ? ends : [],
                              window: dischargeWindow(trace, riverID: segment.riverID, from: segment.fromKilometre,
                                                      to: segment.toKilometre))
    }

    /// The travel time from km `kilometre` of a river down to the event point, hours: distance over the configured
    /// velocities, times the factor the period's plumes showed on each river (`travel_times`; 1 without them).
    func travelHours(fromRiver riverID: String, kilometre: Double, to pointID: String) -> Double? {
        guard let point = input.network.point(pointID),
              let pieces = input.network.downstreamPieces(fromRiver: riverID, kilometre: kilometre, to: point) else { return nil }
        return pieces.reduce(0) { $0 + $1.hours * (input.document.travelTimes?.factor(river: $1.riverID) ?? 1) }
    }

    /// When a discharge must have left a place (or a stretch) to reach the event point at the onset traced.
    struct DischargeWindow {
        var earliest: Date
        /// Never after the onset.
        var latest: Date
        /// For one place: the onset less the travel time, give or take `slackHours`.
        var expected: Date?
        var slackHours: Double?
    }

    /// When a discharge between km `from` and km `to` of a river must have left it to reach the event point at the
    /// onset traced: the onset less the travel time, widened as the walk's windows are (`TraceEngine.slackHours`:
    /// 2 h + half the travel time, since velocities are typical ones), never after the onset.
    func dischargeWindow(_ trace: TraceResult, riverID: String, from: Double, to: Double) -> DischargeWindow? {
        // The onset traced is the event evidence's window start (later than the event when traced from the rain).
        let onset = trace.evidence.first { $0.role == .event }?.windowStart ?? trace.eventStart
        guard let top = travelHours(fromRiver: riverID, kilometre: from, to: trace.pointID),
              let bottom = travelHours(fromRiver: riverID, kilometre: to, to: trace.pointID) else { return nil }
        let single = from == to
        return DischargeWindow(earliest: onset.addingTimeInterval(-(top + TraceEngine.slackHours(travelHours: top)) * 3_600),
                               latest: onset.addingTimeInterval(-max(0, bottom - TraceEngine.slackHours(travelHours: bottom)) * 3_600),
                               expected: single ? onset.addingTimeInterval(-top * 3_600) : nil,
                               slackHours: single ? TraceEngine.slackHours(travelHours: top) : nil)
    }

    /// "10-05 06:40 ± 3.7 h (03:00 – 10:00)" for one place, "from – to" for a stretch.
    func windowText(_ window: DischargeWindow?) -> String {
        guard let window else { return "—" }
        let range = "\(localTime(window.earliest)) – \(localTime(window.latest))"
        guard let expected = window.expected, let slack = window.slackHours else { return range }
        return "\(localTime(expected)) ± " + String(format: "%.1f h", slack) + t("（\(range)）", " (\(range))")
    }

    /// "31.83315, 119.90965" with "approx." where placed along the river rather than surveyed.
    func coordinatesText(_ position: GeoPosition) -> String {
        String(format: "%.5f, %.5f", position.latitude, position.longitude) + (position.approximate ? t("（约）", " (approx.)") : "")
    }

    /// A link that opens the position on OpenStreetMap (the report itself needs no network; the link is for a phone).
    /// Built from digits only, so it needs no escaping.
    func mapLink(_ position: GeoPosition) -> String {
        let (lat, lon) = (String(format: "%.5f", position.latitude), String(format: "%.5f", position.longitude))
        return "[\(t("地图", "map"))](https://www.openstreetmap.org/?mlat=\(lat)&mlon=\(lon)#map=17/\(lat)/\(lon))"
    }

    func candidateTable(_ trace: TraceResult) -> [String] {
        var lines = ["| # | " + [t("编号", "ID"), t("对象", "Name"), t("类型", "Kind"), t("河流", "River"), t("位置 (km)", "km"),
                                 t("坐标（纬度, 经度）", "Coordinates (lat, lon)"), t("应排放时段", "Discharge window"),
                                 t("特征吻合度", "Signature match"), t("得分", "Score"), t("依据", "Evidence")]
            .joined(separator: " | ") + " |",
                     "|---:|---|---|---|---|---:|---|---|---:|---:|---|"]
        for (rank, candidate) in trace.candidates.enumerated() {
            let source = candidate.sourceID.flatMap { id in input.network.sources.first { $0.id == id } }
            let place = place(of: candidate, in: trace)
            let km = place.map { $0.fromKilometre == $0.toKilometre ? formatValue($0.fromKilometre)
                : "\(formatValue($0.fromKilometre))–\(formatValue($0.toKilometre))" } ?? "—"
            let coordinates = place.map { place in
                place.positions.map { coordinatesText($0) + " " + mapLink($0) }.joined(separator: t(" 至 ", " to "))
            }.flatMap { $0.isEmpty ? nil : $0 } ?? "—"
            let fit = candidate.signatureFit.map { percent($0) + (source.map { t("（", " (") + signatureName($0.signature) + t("）", ")") } ?? "") }
                ?? t("—（未登记，无特征）", "— (unregistered: no signature)")
            lines.append("| \(rank + 1) | \(candidate.sourceID.map(escapeMarkdown) ?? "—") | "
                         + "\(source.map { escapeMarkdown(displayName($0)) } ?? t("未登记排口", "unregistered outfall")) | "
                         + "\(source.map { sourceKind($0.kind) } ?? "—") | \(place.map { riverName($0.riverID) } ?? "—") | \(km) | "
                         + "\(coordinates) | \(windowText(place?.window)) | \(fit) | "
                         + "\(String(format: "%.2f", candidate.score)) | " + candidateReasons(candidate, trace: trace) + " |")
        }
        lines += ["", t("应排放时段：事件开始时刻减去从该处流到 \(pointLabel(trace.pointID)) 的传播时间（距离 ÷ 流速，按本期实测传播时间修正），"
                        + "前后各留 2 小时加传播时间的一半。坐标标“约”者按河道上点位坐标沿程插值，非实测。",
                        "Discharge window: the event's onset less the travel time from there to \(pointLabel(trace.pointID)) (distance ÷ "
                        + "velocity, corrected by the travel times this period's plumes showed), give or take 2 h and half the travel time. "
                        + "Coordinates marked approx. are placed along the river between its points, not surveyed.")]
        lines += travelLine(trace)
        return lines
    }

    /// The travel time from the suspect stretch's upper end to the event point, river by river, with the velocities
    /// and learned factors behind it: every number of the windows above can be checked by hand.
    func travelLine(_ trace: TraceResult) -> [String] {
        guard let segment = trace.suspectSegment, let point = input.network.point(trace.pointID),
              let pieces = input.network.downstreamPieces(fromRiver: segment.riverID, kilometre: segment.fromKilometre, to: point),
              !pieces.isEmpty else { return [] }
        let parts = pieces.map { piece -> String in
            let factor = input.document.travelTimes?.factor(river: piece.riverID) ?? 1
            let velocity = input.network.river(piece.riverID)?.velocityMetresPerSecond ?? 0
            return t("\(riverName(piece.riverID)) \(formatValue(piece.kilometres)) km，流速 \(formatValue(velocity)) m/s，"
                     + String(format: "%.1f h × %.2f", piece.hours, factor),
                     "\(riverName(piece.riverID)) \(formatValue(piece.kilometres)) km at \(formatValue(velocity)) m/s, "
                     + String(format: "%.1f h × %.2f", piece.hours, factor))
        }
        let total = travelHours(fromRiver: segment.riverID, kilometre: segment.fromKilometre, to: trace.pointID) ?? 0
        return ["", t("传播时间（自疑似河段上端 km \(formatValue(segment.fromKilometre)) 至 \(pointLabel(trace.pointID))）：",
                      "Travel time from the stretch's upper end (km \(formatValue(segment.fromKilometre))) to \(pointLabel(trace.pointID)): ")
                + parts.joined(separator: t("；", "; ")) + String(format: t(" = %.1f h（× 后为本期实测修正系数）。",
                                                                          " = %.1f h (× the factor this period's plumes showed)."), total)]
    }

    /// The candidates a field team visits: registered ones on the suspect stretch or whose signature fits at all (a
    /// source off the stretch whose signature does not fit is no reason to send anyone there), at most three, then the
    /// unregistered outfall.
    func visitedCandidates(_ trace: TraceResult) -> [SourceCandidate] {
        let registered = trace.candidates.filter { $0.sourceID != nil && ($0.place == .suspectStretch || ($0.signatureFit ?? 0) > 0) }
        return Array(registered.prefix(3)) + trace.candidates.filter { $0.sourceID == nil }.prefix(1)
    }

    func checklist(_ trace: TraceResult) -> [String] {
        let lead = (trace.rose + trace.fell).prefix(4).map { name($0) }.joined(separator: t("、", ", "))
        let outfalls = visitedCandidates(trace).compactMap(\.sourceID)
        // When the discharge must have passed: back from the onset by the travel time from each end of the suspect
        // stretch, widened as the walk's windows are.
        let onset = trace.evidence.first { $0.role == .event }?.windowStart ?? trace.eventStart
        let window = trace.suspectSegment.flatMap { dischargeWindow(trace, riverID: $0.riverID, from: $0.fromKilometre, to: $0.toKilometre) }
        let when = window.map { "\(localTime($0.earliest)) – \(localTime($0.latest))" }
            ?? "\(localTime(onset.addingTimeInterval(-6 * 3_600))) – \(localTime(onset))"
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

    /// A sheet to print and fill in on site: one row per candidate visited, blank cells for the findings, and spare rows
    /// for what was found that no one registered.
    func fieldRecord(_ trace: TraceResult) -> [String] {
        let blank = Array(repeating: " ", count: 5)
        var lines = ["| # | " + [t("排查对象", "Candidate"), t("坐标（纬度, 经度）", "Coordinates (lat, lon)"),
                                 t("应排放时段", "Discharge window"), t("日期", "Date"), t("排查人", "Who"),
                                 t("发现情况（是否排水、颜色气味、采样编号）", "What was found (running? colour, smell; sample no.)"),
                                 t("照片编号", "Photo no."), t("结论（是/否/待定）", "Source? (yes/no/open)")]
            .joined(separator: " | ") + " |",
                     "|---:|---|---|---|---|---|---|---|---|"]
        for (index, candidate) in visitedCandidates(trace).enumerated() {
            let place = place(of: candidate, in: trace)
            let coordinates = place.map { $0.positions.map(coordinatesText).joined(separator: t(" 至 ", " to ")) }
                .flatMap { $0.isEmpty ? nil : $0 } ?? "—"
            lines.append("| \(index + 1) | \(candidateName(candidate)) | \(coordinates) | "
                         + "\(windowText(place?.window)) | " + blank.joined(separator: " | ") + " |")
        }
        // Spare rows, unnumbered: what the team finds that nobody registered.
        for _ in 1...3 {
            lines.append("|   | \(t("其他（未登记排口、混接、偷排）：", "Other (unregistered outfall, misconnection, pipe):")) | "
                         + " | | " + blank.joined(separator: " | ") + " |")
        }
        lines += ["", t("排查负责人签字：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿", "Team lead (signature): ______________    Date: ______________")]
        return lines
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
        escapeMarkdown(input.network.river(id).map(displayName) ?? id)
    }

    func signature(_ trace: TraceResult) -> String {
        (trace.rose.prefix(3).map { name($0) + "↑" } + trace.fell.prefix(2).map { name($0) + "↓" })
            .joined(separator: " ")
    }

    func segmentText(_ segment: SuspectSegment?) -> String {
        guard let segment else { return "—" }
        let river = riverName(segment.riverID)
        let from = segment.fromPointID.map(pointLabel) ?? t("河源", "its upstream end")
        let joins = input.network.river(segment.riverID)?.flowsInto.map { input.network.river($0).map(displayName) ?? $0 }
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
        input.network.sources.first { $0.id == id }.map { "\(escapeMarkdown(displayName($0))) (\(escapeMarkdown(id)))" } ?? escapeMarkdown(id)
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
                                  lines: lines, before: ReportWriter.alignedChartHours.before,
                                  after: ReportWriter.alignedChartHours.after).svg()
    }
}
