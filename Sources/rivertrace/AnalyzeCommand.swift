import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Standards
import Store
import Trace

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Evaluate a period by GB 3838-2002: class per point, target met, main pollutants, river grades.",
        discussion: """
            Period means follow 地表水环境质量评价办法（试行）: valid readings only (no flag or HJ 212 `N`), \
            censored values at half their detection limit; a station parameter with less than 75 % of its \
            expected readings is reported as insufficient, not classed. Methods: docs/methods.md; \
            the --json document: docs/json-schema.md (schema_version 1).

            Examples:
              rivertrace analyze --period 2026-09
              rivertrace analyze --period 2026-Q3 --json > q3.json
              rivertrace analyze --from 2026-07-01 --to 2026-07-15
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup var when: PeriodOptions

    @Flag(help: "Print the versioned JSON document instead of the summary.")
    var json = false

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let zone = TimeZone(identifier: settings.timeZoneIdentifier)!
            let evaluationPeriod = try when.resolve(in: zone, command: "analyze")
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let document = try AnalysisJob(store: store, network: network, timeZone: zone).run(period: evaluationPeriod)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(document), as: UTF8.self))
            } else {
                print(AnalysisText(document: document, network: network, timeZone: zone).text)
                if document.points.allSatisfy({ $0.parameters.allSatisfy { $0.readings == 0 } }) {
                    let span = try store.timeSpan().map { "the store holds readings from \(localTime($0.first, in: zone, format: "yyyy-MM-dd")) to "
                        + localTime($0.last, in: zone, format: "yyyy-MM-dd") }
                    print("\nno readings in \(evaluationPeriod.label): " + (span ?? "the store holds no readings yet"))
                }
            }
        }
    }
}

/// The analysis as plain text for a terminal.
struct AnalysisText {
    let document: AnalysisDocument
    let network: Network
    let timeZone: TimeZone

    var text: String {
        var lines: [String] = []
        let district = document.district
        lines.append("period \(document.period.label): district \(district.grade.map { "\($0.rawValue) (\($0.english))" } ?? "not assessed")"
                     + " — \(district.sections) sections, I–III \(percent(district.shareGood)), 劣V \(percent(district.shareWorseThanV))")
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
                     + "(\(document.incidents.count) incidents), district-wide \(verdicts[.districtWide] ?? 0), "
                     + "over a sensor fault \(verdicts[.sensorFault] ?? 0)")
        for trace in document.incidents.prefix(10) {
            guard let segment = trace.suspectSegment else { continue }
            lines.append("  \(terminalSafe(trace.pointID)) \(localTime(trace.eventStart)): \(terminalSafe(segment.riverID)) km "
                         + String(format: "%.1f–%.1f", segment.fromKilometre, segment.toKilometre)
                         + ", check first \(terminalSafe(trace.candidates.first?.sourceID ?? "an unregistered outfall"))"
                         + String(format: " (confidence %.0f %%)", trace.confidence * 100))
        }
        if document.incidents.count > 10 { lines.append("  … `rivertrace trace POINT --period \(document.period.label)` for each") }
        let significant = document.trends.filter { $0.trend?.isSignificant == true }
        lines.append("trends: \(document.trends.filter(\.assessed).count) assessed, \(significant.count) significant"
                     + (significant.isEmpty ? "" : ": " + significant.prefix(6).map {
                         "\(terminalSafe($0.pointID)) \($0.parameter.code) \($0.trend == .increasing ? "↑" : "↓")"
                         + String(format: " %+.1f %%/yr", $0.percentPerYear ?? 0) }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    private func localTime(_ date: Date) -> String { Report.localTime(date, in: timeZone) }

    private func percent(_ value: Double) -> String { String(format: "%.0f %%", value * 100) }
}
