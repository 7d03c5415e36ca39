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
            --csv lists the rows with file,line,column,reason,message,raw. --raw --file F writes F's header line and \
            its quarantined rows as they stood (UTF-8, F's delimiter): a file to correct in an editor and ingest.

            Reasons: \(RejectionReason.allCodes.joined(separator: ", "))

            Examples:
              rivertrace quarantine
              rivertrace quarantine --reason unknown_point
              rivertrace quarantine --file errors_202610.csv --csv > list.csv
              rivertrace quarantine --file errors_202610.csv --raw > errors_202610.fixed.csv   # edit, then ingest it
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Only rows with this reason code.")
    var reason: String?

    @Option(help: "Only rows from files whose path is, or ends with, this.")
    var file: String?

    @Flag(help: "Write CSV (file,line,column,reason,message,raw) instead of a listing.")
    var csv = false

    @Flag(help: "With --file: the file's header line and its quarantined rows as they stood, ready to fix and ingest.")
    var raw = false

    func validate() throws {
        if raw && file == nil { throw ValidationError("--raw needs --file: one source file's rows share one header") }
        if raw && csv { throw ValidationError("--raw and --csv are two different exports: choose one") }
        if let reason, !RejectionReason.allCodes.contains(reason) {
            throw ValidationError("--reason \(reason): expected one of \(RejectionReason.allCodes.joined(separator: ", "))")
        }
    }

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let store = try common.existingStore(settings)
            if raw {
                try printRawFile(store: store)
                return
            }
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

    /// The header and the distinct quarantined lines of one file, as they stood.
    private func printRawFile(store: ReadingStore) throws {
        let matches = try store.ledger().filter { $0.path == file! || $0.path.hasSuffix("/" + file!) }
        guard matches.count == 1, let entry = matches.first else {
            throw PathError(path: file!, message: matches.isEmpty ? "no ingested file has this name"
                            : "\(matches.count) ingested files match: " + matches.map(\.path).joined(separator: ", "))
        }
        guard let header = entry.header else {
            throw PathError(path: entry.path, message: "the store has no header line for this file (ingested without one, "
                            + "or before rivertrace kept them): use --csv")
        }
        // The header line is never a quarantined row (an unrecognised header is a note), so every row below
        // it, unrecognized_header ones too, is data to correct.
        var lines: [Int: String] = [:]
        try store.quarantinedRows(file: entry.path) { row in
            if row.line > 0 { lines[row.line] = row.raw }
        }
        print(header)
        for line in lines.keys.sorted() { print(lines[line]!) }
    }
}
