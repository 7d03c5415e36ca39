import Foundation
import RiverModel
import Trace

/// The analysis as plain text for a terminal.
public struct AnalysisText {
    public let document: AnalysisDocument
    public let network: Network
    public let timeZone: TimeZone

    public init(document: AnalysisDocument, network: Network, timeZone: TimeZone) {
        self.document = document
        self.network = network
        self.timeZone = timeZone
    }

    /// The summary: district, rivers, points, then counts of episodes, faults, events, incidents and trends.
    public var text: String {
        var lines: [String] = []
        let district = document.district
        lines.append("period \(document.period.label): district \(district.grade.map { "\($0.rawValue) (\($0.english))" } ?? "not assessed")"
                     + " — \(district.sections) sections, I–III \(percent(district.shareGood)), 劣V \(percent(district.shareWorseThanV))")
        let coverage = document.summary.coverage
        lines.append("coverage: \(coverage.pointsWithData) of \(document.points.count) points have data, \(percent((coverage.overall * 100).rounded(.down) / 100)) of "
                     + "the expected readings" + (coverage.pointsWithoutData.isEmpty ? ""
                        : "; no data: " + coverage.pointsWithoutData.prefix(12).map(terminalSafe).joined(separator: ", ")
                        + (coverage.pointsWithoutData.count > 12 ? ", …" : "")))
        lines.append("")
        lines.append("rivers:")
        for river in document.rivers {
            let id = river.id ?? ""
            let name = network.river(id)?.name ?? id
            lines.append("  \(terminalSafe(id)) \(terminalSafe(name)): \(river.grade?.rawValue ?? "not assessed") (\(river.sections) sections, "
                         + "\(river.method.rawValue)\(river.mainPollutants.isEmpty ? "" : "; main: " + river.mainPollutants.map(\.code).joined(separator: ", ")))")
        }
        lines.append("")
        lines.append("points:  class / target / met / main pollutants (× over Class III) / completeness")
        for point in document.points {
            let name = network.point(point.pointID)?.name ?? ""
            let main = point.mainPollutants.map { pollutant in
                pollutant.parameter.code + (pollutant.exceedanceMultiple.map { String(format: "(%.2f)", $0) } ?? "")
            }.joined(separator: " ")
            var line = "  \(terminalSafe(point.pointID)) \(terminalSafe(name)): \(point.waterClass?.roman ?? "—") / \(point.targetClass?.roman ?? "—") / "
            line += point.meetsTarget.map { $0 ? "met" : "NOT MET" } ?? "—"
            line += main.isEmpty ? "" : " / \(main)"
            line += " / \(percent(point.completeness))"
            if !point.insufficient.isEmpty { line += " (insufficient: \(point.insufficient.map(\.code).joined(separator: ", ")))" }
            lines.append(line)
        }
        lines.append("")
        lines.append("exceedance episodes (stations, against the target class): \(document.exceedances.count)")
        lines.append("sensor faults: \(document.faults.count)")
        let verdicts = Dictionary(grouping: document.traces, by: \.verdict).mapValues(\.count)
        lines.append("anomaly events: \(document.events.count) — traced to a source stretch \(verdicts[.source] ?? 0) "
                     + "(\(document.incidents.count) incidents), uncertain \(verdicts[.uncertain] ?? 0), "
                     + "district-wide \(verdicts[.districtWide] ?? 0), "
                     + "over a sensor fault \(verdicts[.sensorFault] ?? 0), not pollution \(verdicts[.notPollution] ?? 0)")
        for trace in document.incidents.prefix(10) {
            guard let segment = trace.suspectSegment else { continue }
            lines.append("  \(terminalSafe(trace.pointID)) \(localTime(trace.eventStart)): \(terminalSafe(segment.riverID)) km "
                         + String(format: "%.1f–%.1f", segment.fromKilometre, segment.toKilometre)
                         + ", check first \(terminalSafe(trace.candidates.first?.sourceID ?? "an unregistered outfall"))"
                         + String(format: " (confidence %.0f %%)", trace.confidence * 100))
        }
        if document.incidents.count > 10 { lines.append("  … `rivertrace trace POINT --period \(document.period.label)` for each") }
        if let learned = document.travelTimes {
            lines.append(travelTimesLine(learned))
        }
        let significant = document.trends.filter { $0.trend?.isSignificant == true }
        lines.append("trends: \(document.trends.filter(\.assessed).count) assessed, \(significant.count) significant"
                     + (significant.isEmpty ? "" : ": " + significant.prefix(6).map {
                         "\(terminalSafe($0.pointID)) \($0.parameter.code) \($0.trend == .increasing ? "↑" : "↓")"
                         + String(format: " %+.1f %%/yr", $0.percentPerYear ?? 0) }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    private func localTime(_ date: Date) -> String { Report.localTime(date, in: timeZone) }

    private func percent(_ value: Double) -> String { String(format: "%.0f %%", value * 100) }

    /// Learned against configured travel times: the network's factor, then the rivers the plumes moved most.
    private func travelTimesLine(_ learned: LearnedTravelTimes) -> String {
        guard !learned.observations.isEmpty else {
            return "travel times: no plume seen at two stations; the velocities of rivers.csv are used as configured"
        }
        let rivers = learned.rivers.filter { $0.observations >= 3 }
            .sorted { (abs(log($0.factor)), $1.riverID) > (abs(log($1.factor)), $0.riverID) }.prefix(5)
            .map { river in
                "\(terminalSafe(river.riverID)) \(String(format: "%.2f", river.configuredVelocity)) → "
                    + "\(String(format: "%.2f", river.learnedVelocity)) m/s (\(river.observations))"
            }
        return "travel times learned from \(learned.observations.count) plumes seen at two stations: "
            + String(format: "×%.2f the configured ones", learned.networkFactor)
            + (rivers.isEmpty ? "" : "; " + rivers.joined(separator: ", "))
    }
}

/// One trace-back as plain text for a terminal; ids and names from the network files go through `terminalSafe`.
public struct TraceText {
    public let trace: TraceResult
    /// The event traced, for its end time (nil: the end is not printed).
    public let event: AnomalyEvent?
    public let network: Network
    public let timeZone: TimeZone
    /// The confidence below which the trace was reported uncertain (the document's).
    public let uncertainBelow: Double

    public init(trace: TraceResult, event: AnomalyEvent?, network: Network, timeZone: TimeZone,
                uncertainBelow: Double = TraceEngine.defaultUncertainBelow) {
        self.trace = trace
        self.event = event
        self.network = network
        self.timeZone = timeZone
        self.uncertainBelow = uncertainBelow
    }

    /// The event, the suspect stretch, the walk with its evidence and the ranked candidates.
    public var text: String {
        let zone = timeZone
        let until: String = event.map { " to " + localTime($0.end, in: zone) } ?? ""
        let rose: String = trace.rose.isEmpty ? "—" : trace.rose.map(\.code).joined(separator: ", ")
        let fell: String = trace.fell.isEmpty ? "" : "; fell " + trace.fell.map(\.code).joined(separator: ", ")
        var lines = ["event at \(terminalSafe(trace.pointID)) from \(localTime(trace.eventStart, in: zone))\(until): rose \(rose)\(fell)"]
        if let from = trace.tracedFrom {
            lines.append(trace.districtPattern?.handling == .continuation
                         ? "  traced from \(localTime(from, in: zone)), once the rest of the district was back to normal"
                         : "  the plume traced arrived at \(localTime(from, in: zone))")
        }
        switch trace.verdict {
        case .districtWide:
            lines.append("  not one source: \(terminalSafe(trace.note ?? "district-wide"))")
            return lines.joined(separator: "\n")
        case .sensorFault:
            lines.append("  sensor fault: \(terminalSafe(trace.note ?? ""))")
            return lines.joined(separator: "\n")
        case .notPollution:
            lines.append("  not pollution: \(terminalSafe(trace.note ?? ""))")
            return lines.joined(separator: "\n")
        case .uncertain:
            lines.append("  UNCERTAIN (confidence \(Int((trace.confidence * 100).rounded())) %, below "
                         + "\(Int((uncertainBelow * 100).rounded())) %): the stretch below is a guess; to settle it:")
            for step in trace.settledBy ?? [] {
                lines.append("    - " + settlingText(step))
            }
        case .source:
            break
        }
        if let segment = trace.suspectSegment {
            let name = network.river(segment.riverID)?.name ?? segment.riverID
            lines.append("  suspect stretch: \(terminalSafe(segment.riverID)) \(terminalSafe(name)), km \(formatValue(segment.fromKilometre))–"
                         + "\(formatValue(segment.toKilometre)) (\(terminalSafe(segment.fromPointID ?? "upstream end")) → "
                         + "\(terminalSafe(segment.toPointID ?? "mouth"))), confidence \(Int((trace.confidence * 100).rounded())) %")
        }
        for other in trace.alternativeSegments {
            lines.append("  also possible: \(terminalSafe(other.riverID)) km \(formatValue(other.fromKilometre))–\(formatValue(other.toKilometre))")
        }
        lines.append("  walked: " + trace.walked.map(terminalSafe).joined(separator: " → "))
        for item in trace.evidence {
            let role = switch item.role {
            case .event: "event"
            case .affected: "affected"
            case .clean: "clean"
            case .noData: item.score == nil ? "no data" : "already off its baseline before: cannot tell"
            }
            var line = "    \(terminalSafe(item.pointID)) \(role)"
            if let parameter = item.parameter, let score = item.score {
                line += String(format: " — %@ %@ vs baseline %@ (%.1f noise widths), lag %.1f h (nominal %.1f h)", parameter.code,
                               formatValue(item.observed ?? .nan), formatValue(item.baseline ?? .nan), score,
                               item.lagHours, item.nominalLagHours)
                if let learned = item.learnedLagHours { line += String(format: ", learned %.1f h", learned) }
            }
            lines.append(line)
        }
        lines.append("  candidates:")
        for (rank, candidate) in trace.candidates.prefix(5).enumerated() {
            let name = candidate.sourceID.flatMap { id in network.sources.first { $0.id == id }?.name } ?? "unregistered outfall"
            lines.append("    \(rank + 1). \(terminalSafe(candidate.sourceID ?? "—")) \(terminalSafe(name)) — score "
                         + String(format: "%.2f", candidate.score) + " (\(terminalSafe(candidate.reasons.joined(separator: "; "))))")
        }
        return lines.joined(separator: "\n")
    }

    /// One settling step in a line.
    private func settlingText(_ step: SettlingStep) -> String {
        let point = terminalSafe(step.pointID ?? "")
        let window = step.windowStart.flatMap { from in step.windowEnd.map { " from \(localTime(from, in: timeZone)) to \(localTime($0, in: timeZone))" } } ?? ""
        return switch step.kind {
        case .checkBelow: "readings or a grab sample at \(point)\(window): the plume should have passed it"
        case .readingsAbove: "the readings of \(point)\(window), which are missing"
        case .sampleMouth: "a sample on each river just above where \(terminalSafe(step.riverID ?? "")) joins \(terminalSafe(step.receivingRiverID ?? ""))"
        case .sampleStretch: "grab samples along the stretch, above and below its outfalls"
        }
    }
}

