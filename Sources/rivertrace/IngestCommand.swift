import ArgumentParser
import CSV
import Foundation
import Ingest
import Pipeline
import Report
import Store
import SystemPackage

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load readings dumps (files or folders of CSV) into the store.",
        discussion: """
            Each file is stored whole or not at all (small files share a transaction); a file whose content is \
            already in the ledger is skipped. \
            Rows that cannot be accepted are kept in the quarantine with their reason (see `rivertrace quarantine`).

            Examples:
              rivertrace ingest data/samples
              rivertrace ingest --store var/rt.sqlite --network data/network dumps/2026-10/*.csv
              rivertrace ingest --year 2026 platform_export.csv --json

            Exit codes: 0 all accepted; 1 failure; 2 usage; 3 done with rows quarantined or conflicting.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var reading: ReadingOptions

    @Argument(help: "Files or folders (folders are searched for *.csv, *.tsv, *.txt).")
    var paths: [String]

    func run() throws {
        try runReportingFailures { try IngestRunner(common: common, reading: reading, paths: paths).run(commit: true) }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Dry run of ingest: read and judge files exactly as ingest would, write nothing.",
        discussion: """
            Use it on a new export format before loading it. Duplicates and conflicts are judged against \
            what the store already holds (when it exists).

            With --parse-only no store is opened at all: every row is read, converted and validated and the \
            rejections are counted and shown as without it, but duplicates and conflicts are not judged (every \
            reading that passes counts as acceptable) and no file is skipped as already ingested.

            Examples:
              rivertrace check new_export.csv
              rivertrace check --json dumps/ | jq .totals
              rivertrace check --parse-only big_dump.csv

            Exit codes: 0 all would be accepted; 1 failure; 2 usage; 3 some rows would be quarantined.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var reading: ReadingOptions

    @Flag(help: "Read and judge the rows without any store: no duplicate, conflict or ledger checks.")
    var parseOnly = false

    @Argument(help: "Files or folders to check.")
    var paths: [String]

    func validate() throws {
        if parseOnly && reading.reread {
            throw ValidationError("--reread has no meaning with --parse-only (no ledger is read): drop one of them")
        }
    }

    func run() throws {
        try runReportingFailures {
            try IngestRunner(common: common, reading: reading, paths: paths).run(commit: false, parseOnly: parseOnly)
        }
    }
}

/// Flags that change how dumps are read.
struct ReadingOptions: ParsableArguments {
    @Option(help: "Year for times written without one (`10-08 14:00`), when the file name holds none.")
    var year: Int?

    @Option(help: "Time zone of times without an offset (IANA name; default from settings, Asia/Shanghai).")
    var timezone: String?

    @Option(help: "Leave files modified less than this many seconds ago for the next run (cron: exporters may still be writing).")
    var settle: Double = 0

    @Flag(help: "Read files again whose content was ingested before (after fixing points.csv or passing --year); their old quarantine rows are replaced.")
    var reread = false

    @Flag(help: "Print the report as JSON (schema in docs/formats.md).")
    var json = false

    func validate() throws {
        if settle < 0 { throw ValidationError("--settle \(settle): expected seconds ≥ 0") }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year \(year): expected a year such as 2026") }
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone \(timezone): expected an IANA zone such as Asia/Shanghai")
        }
    }
}

/// The shared body of `ingest` and `check`.
struct IngestRunner {
    let common: CommonOptions
    let reading: ReadingOptions
    let paths: [String]

    func run(commit: Bool, parseOnly: Bool = false) throws {
        let settings = try common.settings()
        var options = settings.ingestOptions
        if let year = reading.year { options.year = year }
        if let zone = reading.timezone.flatMap(TimeZone.init(identifier:)) { options.timeZone = zone }
        let network = try NetworkLoader.load(directory: settings.networkDirectory)
        let store: ReadingStore?
        if parseOnly {
            store = nil
        } else if commit {
            store = try ReadingStore(path: settings.storePath, access: .create)
        } else if FileManager.default.fileExists(atPath: settings.storePath) {
            store = try ReadingStore(path: settings.storePath, access: .inspect)
        } else {
            store = try ReadingStore.inMemory()
        }
        ReadStallGuard.shared.configure(limitSeconds: settings.readTimeoutSeconds) { path, seconds in
            // The main thread is stuck in the read: say which file, and end the process. SQLite rolls back the
            // open transaction (this file and those before it that share it, not yet reported); the next run reads
            // them again.
            fflush(nil)  // every output stream: the per-file lines printed so far reach the log
            printError("rivertrace: error: \(terminalSafe(path)): a read has not returned for \(Int(seconds)) s (a hung network "
                       + "mount or a failing disk?): stopped; nothing of this file, or of the files read with it since the last line "
                       + "printed, is stored; the next run tries again")
            _exit(1)
        }
        if commit { try store?.saveNetwork(network) }

        let progress = ProgressBar()
        let job = store.map { IngestJob(store: $0, network: network, options: options, commit: commit,
                                        settleSeconds: reading.settle, reread: reading.reread) }
            ?? IngestJob(parsingOnly: network, options: options, settleSeconds: reading.settle)
        let report = try job.run(paths: paths, progress: progress.update, fileDone: { file in
            progress.clear()
            if !reading.json {
                print(FileLine(file: file, commit: commit).text)
                // Out now, not when a buffer fills: after a kill the log names every file the ledger holds.
                fflush(nil)
            }
        })
        if reading.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(TotalsText(report: report).text)
        }
        if !report.isClean { throw Exit.attention }
    }
}

/// A progress bar on standard error, only on a terminal and only for files worth waiting for.
final class ProgressBar: @unchecked Sendable {  // updated from the parsing thread only
    private let enabled = isatty(2) != 0
    private var lastPercent = -1
    private var visible = false

    func update(path: String, done: Int, total: Int) {
        guard enabled, total >= 8 << 20 else { return }
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        printErrorInline("\r[\(bar)] \(percent)% \(terminalSafe(FilePath(path).lastComponent?.string ?? path))")
        visible = true
    }

    func clear() {
        guard visible else { return }
        printErrorInline("\r\u{1B}[K")
        visible = false
        lastPercent = -1
    }

    private func printErrorInline(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
