import ArgumentParser
import Foundation
import Pipeline
import Report
import RiverModel
import Standards
import Statistics
import Trace

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a point's anomaly events up the network to the stretch the source is on (溯源).",
        discussion: """
            Finds the events at POINT (several parameters off their robust baselines together), walks upstream \
            station by station, looking where the pollution should have passed each one (by distance and the \
            rivers' velocities), and reports the suspect stretch, the registered sources on it ranked by how \
            their signature fits, and the evidence. Events seen at many points at once without a travel lag \
            (rain) and sensor faults are labelled, not traced. Methods: docs/methods.md (Trace-back).

            Examples:
              rivertrace trace LDH-07 --period 2026-09
              rivertrace trace 李大河藏龙桥 --at "2026-09-11 22:00"
              rivertrace trace LDH-07 --period 2026-09 --json
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The point: its id or its name.")
    var point: String

    @Option(help: "A local time (YYYY-MM-DD HH:MM): trace the event at POINT nearest to it, analysing its month as the monthly report does.")
    var at: String?

    @Option(help: "A month (2026-10), quarter (2026-Q3) or year (2026): trace every event at POINT in it.")
    var period: String?

    @Flag(help: "Print the traces as JSON (the analyze --json traces[] entries).")
    var json = false

    func validate() throws {
        guard at != nil || period != nil else { throw ValidationError("give --at TIME or --period P") }
        guard at == nil || period == nil else { throw ValidationError("give either --at TIME or --period P, not both") }
    }

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let zone = TimeZone(identifier: settings.timeZoneIdentifier)!
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            guard let target = network.point(identifiedBy: point) else {
                printError("rivertrace trace: no point \"\(terminalSafe(point))\" in the network (give an id such as "
                           + "\(terminalSafe(network.points.first?.id ?? "LDH-01")) or a point's name)")
                throw ExitCode(2)
            }
            let moment = try at.map { try Self.parseLocalTime($0, zone: zone) }
            let chosen: EvaluationPeriod
            if let moment, let month = PeriodParser.parse(Report.localTime(moment, in: zone, format: "yyyy-MM"), timeZone: zone) {
                // The month the report analyses: the same baselines and district-wide patterns, so the same traces.
                chosen = month
            } else if let parsed = PeriodParser.parse(period!, timeZone: zone) {
                chosen = parsed
            } else {
                printError("rivertrace trace: cannot read the period \(terminalSafe(period!)): expected 2026-10, 2026-Q3 or 2026")
                throw ExitCode(2)
            }
            let document = try AnalysisJob(store: store, network: network, timeZone: zone).run(period: chosen)
            var traces = document.traces.filter { $0.pointID == target.id }
            if let moment, let nearest = traces.min(by: {
                abs($0.eventStart.timeIntervalSince(moment)) < abs($1.eventStart.timeIntervalSince(moment)) }) {
                traces = [nearest]
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(traces), as: UTF8.self))
                return
            }
            guard !traces.isEmpty else {
                print("no anomaly events at \(terminalSafe(target.id)) \(terminalSafe(target.name)) in \(chosen.label)")
                return
            }
            for trace in traces {
                let event = document.events.first { $0.pointID == trace.pointID && $0.start == trace.eventStart }
                print(Self.text(trace, event: event, network: network, zone: zone) + "\n")
            }
        }
    }

    static func parseLocalTime(_ text: String, zone: TimeZone) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        printError("rivertrace trace: cannot read the time \"\(terminalSafe(text))\": expected YYYY-MM-DD HH:MM (local time)")
        throw ExitCode(2)
    }

    /// The trace for a terminal; ids and names from the network files go through `terminalSafe`.
    static func text(_ trace: TraceResult, event: AnomalyEvent?, network: Network, zone: TimeZone) -> String {
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
}
