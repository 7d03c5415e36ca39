import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Store
import SystemPackage

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the store holds: coverage per point and parameter, quarantine, conflicts, files.",
        discussion: """
            Completeness is readings held / readings expected between a series' first and last reading at its \
            most common interval (hourly stations: 1 h). Times are shown in the settings' time zone.

            Examples:
              rivertrace status
              rivertrace status --store var/rt.sqlite --network data/network
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let zone = TimeZone(identifier: settings.timeZoneIdentifier)!
            print(try StatusText(store: store, network: network, zone: zone).text)
        }
    }
}

/// The `status` page: plain text a person reads in a terminal or a cron mail.
struct StatusText {
    let store: ReadingStore
    let network: Network
    let zone: TimeZone

    var text: String {
        get throws {
            let coverage = try store.coverage()
            let ledger = try store.ledger()
            var lines: [String] = []
            let readings = coverage.reduce(0) { $0 + $1.count }
            lines.append("store \(terminalSafe(store.path)): \(readings) readings from \(ledger.count) file(s); "
                         + "network \(network.rivers.count) rivers, \(network.points.count) points, "
                         + "\(network.sources.count) registered sources")
            if let first = coverage.map(\.first).min(), let last = coverage.map(\.last).max() {
                lines.append("time span \(format(first)) – \(format(last)) (\(zone.identifier))")
            }

            let parameters = Parameter.allCases.filter { parameter in coverage.contains { $0.parameter == parameter.code } }
            let byPoint = Dictionary(grouping: coverage, by: \.pointID)
            lines.append("")
            lines.append("coverage — readings per point, completeness % per parameter (· = none):")
            var header = pad("point", 9) + pad("kind", 7) + pad("readings", 9) + pad("first", 17) + pad("last", 17)
            for parameter in parameters { header += pad(parameter.code, 6) }
            lines.append(header)
            var silent: [String] = []
            for point in network.riversInTreeOrder.flatMap({ network.points(on: $0.id) }) {
                guard let series = byPoint[point.id] else {
                    silent.append(terminalSafe(point.id))
                    continue
                }
                let count = series.reduce(0) { $0 + $1.count }
                var line = pad(terminalSafe(point.id), 9) + pad(point.kind.rawValue, 7) + pad(String(count), 9)
                line += pad(format(series.map(\.first).min()!), 17) + pad(format(series.map(\.last).max()!), 17)
                for parameter in parameters {
                    if let one = series.first(where: { $0.parameter == parameter.code }) {
                        // Rounded down: a series with a gap never shows 100.
                        line += pad(String(Int((one.completeness * 100).rounded(.down))), 6)
                    } else {
                        line += pad("·", 6)
                    }
                }
                lines.append(line)
            }
            let unknown = byPoint.keys.filter { network.point($0) == nil }.sorted().map(terminalSafe)
            if !unknown.isEmpty { lines.append("points in the store but not in the network: " + unknown.joined(separator: ", ")) }
            if !silent.isEmpty { lines.append("points with no readings: " + silent.joined(separator: ", ")) }

            let quarantine = try store.quarantineCounts()
            lines.append("")
            let quarantined = quarantine.reduce(0) { $0 + $1.count }
            lines.append("quarantine: \(quarantined) row(s)" + (quarantine.isEmpty ? "" : " — "
                         + quarantine.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")))
            let conflictCount = try store.conflictCount()
            lines.append("conflicts: \(conflictCount) reading(s) disagree with a stored value for the same point, parameter and time")
            for conflict in try store.conflicts(limit: 5) {
                let file = FilePath(conflict.file).lastComponent?.string ?? conflict.file
                lines.append("  \(terminalSafe(conflict.pointID)) \(conflict.parameter) \(format(conflict.time)): stored "
                             + "\(describe(conflict.storedValue)), \(terminalSafe(file)):\(conflict.line) "
                             + "says \(describe(conflict.value))")
            }
            lines.append("")
            lines.append("files: \(ledger.count) in the ledger")
            for entry in ledger.suffix(10) {
                lines.append("  \(terminalSafe(entry.path)) — \(entry.encoding), \(entry.layout ?? "no recognised header"): \(entry.accepted) accepted, "
                             + "\(entry.duplicates) duplicates, \(entry.conflicts) conflicts, \(entry.quarantined) quarantined")
            }
            if ledger.count > 10 { lines.append("  … and \(ledger.count - 10) earlier") }
            return lines.joined(separator: "\n")
        }
    }

    private func format(_ date: Date) -> String { localTime(date, in: zone) }

    private func describe(_ value: Double?) -> String {
        value.map { String($0) } ?? "censored"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
    }
}
