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
            let zone = settings.timeZone
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
            let document = try AnalysisJob(store: store, network: network, timeZone: zone,
                                           uncertainBelow: settings.uncertainBelow).run(period: chosen)
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
                print(TraceText(trace: trace, event: event, network: network, timeZone: zone,
                                uncertainBelow: document.uncertainBelow).text + "\n")
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
}
