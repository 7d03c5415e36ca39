import Foundation
import Report
import RiverModel
import Store
import SystemPackage

// The plain text `ingest`, `check` and `status` print for a person at a terminal or in a cron mail.

/// One line (or a few) per file for people.
public struct FileLine {
    public let file: FileReport
    public let commit: Bool

    public init(file: FileReport, commit: Bool) {
        self.file = file
        self.commit = commit
    }

    /// Paths, cells and header names come from users' files: each goes through `terminalSafe`.
    public var text: String {
        let path = terminalSafe(file.path)
        if file.status == .skipped {
            return "\(path): skipped, same content already ingested as \(terminalSafe(file.sameContentAs ?? "?"))"
        }
        if file.status == .unsettled {
            return "\(path): not yet — \(terminalSafe(file.notes.joined()))"
        }
        if file.status == .changed {
            return "\(path): CHANGED while read — \(terminalSafe(file.problem ?? ""))"
        }
        if file.status == .failed {
            return "\(path): NOT READ — \(terminalSafe(file.problem ?? ""))"
        }
        var lines = ["\(path): \(file.encoding), \(file.delimiter), \(file.layout ?? "no recognised header") — "
                     + "\(file.readingsRead) read, \(file.accepted) \(commit ? "accepted" : "acceptable"), "
                     + "\(file.duplicates) duplicates, \(file.conflicts) conflicts, \(file.quarantined) quarantined"]
        if !file.quarantinedByReason.isEmpty {
            lines.append("    quarantined: " + file.quarantinedByReason.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for row in file.firstRejected {
            lines.append("    \(path):\(row.line)" + (row.column.map { " [\(terminalSafe($0))]" } ?? "")
                         + " \(row.reason): \(terminalSafe(row.message))")
        }
        if file.quarantined > file.firstRejected.count && !file.firstRejected.isEmpty {
            lines.append("    … and \(file.quarantined - file.firstRejected.count) more")
        }
        if !file.ignoredColumns.isEmpty {
            let shown = file.ignoredColumns.prefix(20).map(terminalSafe).joined(separator: ", ")
            let more = file.ignoredColumns.count > 20 ? ", … (\(file.ignoredColumns.count) in all; --json lists them)" : ""
            lines.append("    ignored columns: " + shown + more)
        }
        for note in file.notes { lines.append("    note: \(terminalSafe(note))") }
        return lines.joined(separator: "\n")
    }
}

/// The closing totals for people.
public struct TotalsText {
    public let report: IngestReport

    public init(report: IngestReport) {
        self.report = report
    }

    public var text: String {
        let t = report.totals
        let done = report.committed ? "ingested"
            : report.parseOnly ? "parsed (no store: duplicates and conflicts not judged)" : "checked (nothing written)"
        var lines = ["", done + ": \(t.files) file(s)" + (report.parseOnly ? "" : ", \(t.skippedFiles) skipped as already ingested")
                     + (t.unsettledFiles > 0 ? ", \(t.unsettledFiles) still changing (next run)" : "")
                     + (t.changedFiles > 0 ? ", \(t.changedFiles) changed while read (next run)" : "")
                     + (t.failedFiles > 0 ? ", \(t.failedFiles) NOT READ (see above)" : ""),
                     "  readings read \(t.readingsRead) = accepted \(t.accepted) + duplicates \(t.duplicates)"
                     + " + conflicts \(t.conflicts) + quarantined \(t.quarantined)"]
        if !t.quarantinedByReason.isEmpty {
            lines.append("  quarantined by reason: " + t.quarantinedByReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            if report.committed { lines.append("  see them with: rivertrace quarantine [--reason R] [--file F]") }
        }
        if !report.ignoredFiles.isEmpty {
            let shown = report.ignoredFiles.prefix(5).map { terminalSafe(FilePath($0).lastComponent?.string ?? $0) }
                .joined(separator: ", ")
            lines.append("  not read (name does not end in .csv, .tsv or .txt): \(report.ignoredFiles.count) file(s): \(shown)"
                         + (report.ignoredFiles.count > 5 ? ", …" : "") + " — e.g. .xls exports must be saved as CSV first")
        }
        for folder in report.skippedFolders {
            lines.append("  folder not searched again: \(terminalSafe(folder.path)) — \(terminalSafe(folder.reason))")
        }
        return lines.joined(separator: "\n")
    }
}

/// The `status` page: plain text a person reads in a terminal or a cron mail.
public struct StatusText {
    public let store: ReadingStore
    public let network: Network
    public let zone: TimeZone

    public init(store: ReadingStore, network: Network, zone: TimeZone) {
        self.store = store
        self.network = network
        self.zone = zone
    }

    public var text: String {
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

            let parameters = Parameter.allCases.filter { parameter in coverage.contains { $0.parameter == parameter } }
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
                    if let one = series.first(where: { $0.parameter == parameter }) {
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
                lines.append("  \(terminalSafe(conflict.pointID)) \(conflict.parameter.code) \(format(conflict.time)): stored "
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
