import ArgumentParser
import CSV
import Foundation
import Pipeline
import Report
import RiverModel
import Store

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List or export the rows that were not accepted, with file, line, column and reason.",
        discussion: """
            --csv lists the rows with file,line,column,reason,message,raw, for a spreadsheet: a cell that would \
            run as a formula (first character = + - @) gets a leading '. --raw --file F writes F's header line and \
            its quarantined rows byte for byte as they stood (UTF-8, F's delimiter, no guard): a file to correct in \
            a text editor and ingest. On a terminal, control characters show as \\u{1B}.

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
            let writer = CSVWriter(spreadsheetSafe: true)
            var count = 0
            if csv { print(writer.line(["file", "line", "column", "reason", "message", "raw"]), terminator: "") }
            try store.quarantinedRows(reason: reason, file: file) { row in
                count += 1
                if csv {
                    print(writer.line([row.file, String(row.line), row.column ?? "", row.reason, row.message, row.raw]),
                          terminator: "")
                } else {
                    let column = row.column.map { " [\(terminalSafe($0))]" } ?? ""
                    print("\(terminalSafe(row.file)):\(row.line)\(column) \(row.reason): \(terminalSafe(row.message))")
                    if !row.raw.isEmpty { print("    \(terminalSafe(row.raw))") }
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
        // Byte for byte into a file, to be fixed and ingested again; a terminal gets control characters shown.
        let terminal = isatty(1) != 0
        for text in [header] + lines.keys.sorted().map({ lines[$0]! }) { print(terminal ? terminalSafe(text) : text) }
    }
}
