import ArgumentParser
import CSV
import Foundation
import Pipeline
import RiverModel
import Store

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List or export the rows that were not accepted, with file, line, column and reason.",
        discussion: """
            The CSV export has the columns file,line,column,reason,message,raw: fix the raw rows in a copy of the
            source file and ingest that copy.

            Reasons: \(RejectionReason.allCodes.joined(separator: ", "))

            Examples:
              rivertrace quarantine
              rivertrace quarantine --reason unknown_point
              rivertrace quarantine --file errors_202610.csv --csv > to-fix.csv
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Only rows with this reason code.")
    var reason: String?

    @Option(help: "Only rows from files whose path is, or ends with, this.")
    var file: String?

    @Flag(help: "Write CSV (file,line,column,reason,message,raw) instead of a listing.")
    var csv = false

    func validate() throws {
        if let reason, !RejectionReason.allCodes.contains(reason) {
            throw ValidationError("--reason \(reason): expected one of \(RejectionReason.allCodes.joined(separator: ", "))")
        }
    }

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            guard FileManager.default.fileExists(atPath: settings.storePath) else {
                throw PathError(path: settings.storePath, message: "no store here yet: run `rivertrace ingest` first")
            }
            let store = try ReadingStore(path: settings.storePath)
            let writer = CSVWriter()
            var count = 0
            if csv { print(writer.line(["file", "line", "column", "reason", "message", "raw"]), terminator: "") }
            try store.quarantinedRows(reason: reason, file: file) { row in
                count += 1
                if csv {
                    print(writer.line([row.file, String(row.line), row.column ?? "", row.reason, row.message, row.raw]),
                          terminator: "")
                } else {
                    let column = row.column.map { " [\($0)]" } ?? ""
                    print("\(row.file):\(row.line)\(column) \(row.reason): \(row.message)")
                    if !row.raw.isEmpty { print("    \(row.raw)") }
                }
            }
            if !csv { print("\(count) quarantined row(s)") }
        }
    }
}
