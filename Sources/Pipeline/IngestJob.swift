import Crypto
import CSV
import Foundation
import Ingest
import RiverModel
import Store
import SystemPackage

/// What became of one file.
public struct FileReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Read and stored (or, in a dry run, read and rolled back).
        case ingested
        /// The same content is in the ledger already: nothing was read or written.
        case skipped
        /// Modified too recently (may still be being written): left for the next run.
        case unsettled
        /// Changed while it was read (rewritten or appended by its exporter): nothing of it was stored, the next
        /// run reads it again.
        case changed
        /// Could not be read at all (`problem` says why: not a regular file, permission denied, read error, a
        /// dangling link, a folder that cannot be listed): nothing of it was stored, the next run tries again.
        case failed
    }

    public var path: String
    public var status: Status
    public var sha256: String
    public var bytes: Int
    public var encoding: String
    public var delimiter: String
    public var layout: String?
    /// Readings the file offered (see ``ParseSummary/candidates``).
    public var readingsRead: Int
    public var accepted: Int
    public var duplicates: Int
    public var conflicts: Int
    public var quarantined: Int
    /// Quarantined readings per reason code.
    public var quarantinedByReason: [String: Int]
    public var ignoredColumns: [String]
    public var notes: [String]
    /// For a skipped file, the path under which the same content was ingested.
    public var sameContentAs: String?
    /// The first quarantined rows (up to `RejectedRow.shown`): what `check` shows before anything is written.
    public var firstRejected: [RejectedRow] = []
    /// Why a `changed` or `failed` file was not ingested.
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case path, status, sha256, bytes, encoding, delimiter, layout, accepted, duplicates, conflicts, quarantined
        case notes, problem
        case readingsRead = "readings_read"
        case quarantinedByReason = "quarantined_by_reason"
        case ignoredColumns = "ignored_columns"
        case sameContentAs = "same_content_as"
        case firstRejected = "first_rejected"
    }

    /// A report for a file that was not read, with the reason.
    static func notRead(_ path: String, _ status: Status, problem: String?) -> FileReport {
        FileReport(path: path, status: status, sha256: "", bytes: 0, encoding: "", delimiter: "", layout: nil,
                   readingsRead: 0, accepted: 0, duplicates: 0, conflicts: 0, quarantined: 0, quarantinedByReason: [:],
                   ignoredColumns: [], notes: [], sameContentAs: nil, problem: problem)
    }
}

/// A quarantined row as a person reads it: where, and what was wrong.
public struct RejectedRow: Sendable, Codable, Equatable {
    /// How many rows a file's report keeps.
    public static let shown = 5
    public var line: Int
    public var column: String?
    public var reason: String
    public var message: String
}

/// Totals over the files of one run.
public struct IngestTotals: Sendable, Codable, Equatable {
    public var files = 0
    public var readingsRead = 0
    public var accepted = 0
    public var duplicates = 0
    public var conflicts = 0
    public var quarantined = 0
    public var skippedFiles = 0
    /// Files left for a later run because they were still changing (see `--settle`).
    public var unsettledFiles = 0
    /// Files that changed while they were read: left for the next run.
    public var changedFiles = 0
    /// Files and folders that could not be read at all.
    public var failedFiles = 0
    public var quarantinedByReason: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case files, accepted, duplicates, conflicts, quarantined
        case readingsRead = "readings_read"
        case skippedFiles = "skipped_files"
        case unsettledFiles = "unsettled_files"
        case changedFiles = "changed_files"
        case failedFiles = "failed_files"
        case quarantinedByReason = "quarantined_by_reason"
    }
}

/// The outcome of an ingest or check run: `ingest --json` prints it.
public struct IngestReport: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    /// False for `check`: nothing was written.
    public var committed: Bool
    /// True for `check --parse-only`: no store was used, so no duplicates, conflicts or skipped files.
    public var parseOnly = false
    public var files: [FileReport] = []
    public var totals = IngestTotals()
    /// Files in the given folders that were not read because their names do not end in .csv, .tsv or .txt.
    public var ignoredFiles: [String] = []
    /// Folders not searched again (a symbolic link to a folder already searched).
    public var skippedFolders: [DumpListing.PassedOver] = []

    enum CodingKeys: String, CodingKey {
        case files, totals, committed
        case ignoredFiles = "ignored_files"
        case skippedFolders = "skipped_folders"
        case schemaVersion = "schema_version"
        case parseOnly = "parse_only"
    }

    /// True when every reading offered was accepted (or was a duplicate) and no file needs a person.
    public var isClean: Bool {
        totals.quarantined == 0 && totals.conflicts == 0 && totals.changedFiles == 0 && totals.failedFiles == 0
            && files.allSatisfy { $0.notes.isEmpty || $0.status == .unsettled }
    }
}

/// A path given to ingest that does not exist or cannot be listed.
public struct PathError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// Ingests files and folders into the store: sniff and hash each file in one pass, skip content already in
/// the ledger, parse, and store each file whole or not at all (small files share a transaction).
public struct IngestJob {
    /// Nil for a parse-only run (`check --parse-only`): no store is opened, nothing is judged against one.
    public let store: ReadingStore?
    public let network: Network
    public let options: IngestOptions
    /// False for a dry run (`check`): each file's transaction is rolled back.
    public let commit: Bool
    /// Files modified less than this many seconds ago are left for the next run: an exporter may still be
    /// writing them (cron). 0 reads everything.
    public let settleSeconds: TimeInterval
    /// Read files again whose content is in the ledger (after fixing the network or passing `--year`).
    public let reread: Bool

    public init(store: ReadingStore, network: Network, options: IngestOptions, commit: Bool = true,
                settleSeconds: TimeInterval = 0, reread: Bool = false) {
        self.reread = reread
        self.store = store
        self.network = network
        self.options = options
        self.commit = commit
        self.settleSeconds = settleSeconds
    }

    /// A run that reads, converts and validates every row as `check` does, and counts and reports the rejections
    /// as `check` does, without any store: nothing is opened, judged against or written (`check --parse-only`).
    /// Every reading that passes counts as accepted (duplicates and conflicts are judged against a store only), and
    /// no file is skipped by the ledger. Files are not hashed (`sha256` is empty).
    public init(parsingOnly network: Network, options: IngestOptions, settleSeconds: TimeInterval = 0) {
        store = nil
        self.network = network
        self.options = options
        commit = false
        self.settleSeconds = settleSeconds
        reread = false
    }

    /// Ingests `paths` (files, or folders searched as ``DumpFinder`` says), in sorted order.
    ///
    /// A file that cannot be read, or that changes while it is read, is reported and the run goes on with the
    /// rest; an error of the store stops the run (the files of the transaction in progress are rolled back: small
    /// files share one, see ``rowsPerTransaction``).
    /// - Parameters:
    ///   - progress: called with (file, bytes done, bytes total) while a file is parsed.
    ///   - fileDone: called after each file once its transaction has committed, for live output.
    public func run(paths: [String], progress: (@Sendable (String, Int, Int) -> Void)? = nil,
                    fileDone: ((FileReport) -> Void)? = nil) throws -> IngestReport {
        var report = IngestReport(committed: commit)
        report.parseOnly = store == nil
        if commit, let store {
            // The analysis reads long-term trends from daily sums in the local time of the readings; a store made
            // before they were kept gets them built once, here.
            let zone = options.timeZone
            try store.keepDailySums(utcOffset: zone.secondsFromGMT(for: Date()) - Int(zone.daylightSavingTimeOffset(for: Date())))
        }
        let listing = try DumpFinder.list(paths)
        report.ignoredFiles = listing.ignored
        report.skippedFolders = listing.skippedFolders
        var outcomes = listing.unreadable.map { FileReport.notRead($0.path, .failed, problem: $0.reason) }
        outcomes.forEach { fileDone?($0) }
        let files = listing.files
        var settled: [Int: FileReport] = [:]
        var next = 0
        while next < files.count {
            // Small files share a transaction; each is reported once its transaction has committed.
            let done = if let store {
                try ingestTransaction(of: files, from: next, into: store, settled: &settled, progress: progress)
            } else {
                [try ingest(path: files[next], into: nil, progress: progress)]
            }
            next += done.count
            for file in done {
                fileDone?(file)
                outcomes.append(file)
            }
        }
        for file in outcomes {
            report.files.append(file)
            report.totals.files += 1
            switch file.status {
            case .skipped: report.totals.skippedFiles += 1
            case .unsettled: report.totals.unsettledFiles += 1
            case .changed: report.totals.changedFiles += 1
            case .failed: report.totals.failedFiles += 1
            case .ingested:
                report.totals.readingsRead += file.readingsRead
                report.totals.accepted += file.accepted
                report.totals.duplicates += file.duplicates
                report.totals.conflicts += file.conflicts
                report.totals.quarantined += file.quarantined
                report.totals.quarantinedByReason.merge(file.quarantinedByReason, uniquingKeysWith: +)
            }
        }
        return report
    }

    /// Ingests one file.
    ///
    /// The file is opened once; one pass sniffs and hashes it, a second parses it and hashes again. The ledger
    /// records the hash of the bytes parsed: when the two passes disagree, or the file's size or modification
    /// time changed meanwhile, nothing is stored and the file is reported `changed` for the next run.
    /// - Throws: errors of the store only; a file that cannot be read is reported `failed`.
    public func ingest(path: String, progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> FileReport {
        guard let store else { return try ingest(path: path, into: nil, progress: progress) }
        do {
            return try store.ingestFiles(commit: commit) { try ingest(path: path, into: $0, progress: progress) }
        } catch let abandoned as AbandonedFile {
            return abandoned.report
        }
    }

    /// Files share a transaction until they have offered this many rows: a commit of the district's day files (about
    /// 7,000 readings each) then writes the pages they share once for 28 of them, not once a file. 50,000 rows per
    /// transaction took 2–5 % longer over a year of day files; a transaction of 200,000 rows takes under a second.
    static let rowsPerTransaction = 200_000

    /// Ingests `files` from `first` on, into one transaction until it holds ``rowsPerTransaction`` rows (one file when
    /// nothing is committed: a dry run judges each file against the store alone). Returns the reports of the files
    /// written, after the commit.
    ///
    /// A file that fails half-way spoils the transaction (``AbandonedFileError``): it is rolled back, the failed file's
    /// report is kept in `settled`, and the files before it are written again in a new one.
    private func ingestTransaction(of files: [String], from first: Int, into store: ReadingStore,
                                   settled: inout [Int: FileReport],
                                   progress: (@Sendable (String, Int, Int) -> Void)?) throws -> [FileReport] {
        var done: [FileReport] = []
        var next = first
        do {
            try store.ingestFiles(commit: commit) { transaction in
                repeat {
                    done.append(try settled[next] ?? ingest(path: files[next], into: transaction, progress: progress))
                    next += 1
                } while commit && next < files.count && transaction.rowsWritten < Self.rowsPerTransaction
            }
            return done
        } catch let abandoned as AbandonedFile {
            settled[next] = abandoned.report
            return try ingestTransaction(of: files, from: first, into: store, settled: &settled, progress: progress)
        }
    }

    /// Ingests one file inside `transaction` (nil: parse only).
    /// - Throws: ``AbandonedFile`` when the file failed after its rows began to go into `transaction`, errors of the
    ///   store.
    private func ingest(path: String, into transaction: IngestTransaction?,
                        progress: (@Sendable (String, Int, Int) -> Void)?) throws -> FileReport {
        if settleSeconds > 0, let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date,
           Date().timeIntervalSince(modified) < settleSeconds {
            var file = FileReport.notRead(path, .unsettled, problem: nil)
            file.notes = ["modified \(Int(Date().timeIntervalSince(modified))) s ago: left for the next run"]
            return file
        }
        do {
            return try ingest(file: InputFile(path: path), into: transaction, progress: progress)
        } catch let abandoned as AbandonedFileError {
            guard let report = Self.report(path: path, failure: abandoned.underlying) else { throw abandoned.underlying }
            throw AbandonedFile(report: report)
        } catch {
            guard let report = Self.report(path: path, failure: error) else { throw error }
            return report
        }
    }

    /// The report of a file that could not be read or changed while it was read; nil for any other error (the store's:
    /// those stop the run).
    private static func report(path: String, failure: any Error) -> FileReport? {
        switch failure {
        case let error as InputFileError: .notRead(path, .failed, problem: error.message)
        case let error as CSVError: .notRead(path, .failed, problem: error.message)
        case let change as ChangedWhileRead:
            .notRead(path, .changed, problem: change.message + ": nothing stored, the next run reads it again")
        default: nil
        }
    }

    private func ingest(file input: InputFile, into transaction: IngestTransaction?,
                        progress: (@Sendable (String, Int, Int) -> Void)?) throws -> FileReport {
        guard let transaction else { return try parse(file: input, progress: progress) }
        let path = input.path
        var hasher = SHA256()
        let sniff = try FileSniffer.sniff(file: input) { hasher.update(data: $0) }
        let digest = Self.hex(hasher.finalize())
        var file = FileReport(path: path, status: .ingested, sha256: digest, bytes: sniff.byteCount,
                              encoding: sniff.encoding.rawValue, delimiter: sniff.delimiter.name, layout: nil,
                              readingsRead: 0, accepted: 0, duplicates: 0, conflicts: 0, quarantined: 0,
                              quarantinedByReason: [:], ignoredColumns: [], notes: [], sameContentAs: nil)
        if !reread, let existing = try transaction.ledgerEntry(sha256: digest) {
            file.status = .skipped
            file.sameContentAs = existing.path
            return file
        }
        let description = FileDescription(path: path, byteCount: sniff.byteCount, sha256: digest,
                                          encoding: sniff.encoding.rawValue, delimiter: sniff.delimiter.name)
        let parser = ReadingsParser(network: network, options: options)
        let parsedBytes = ParsedBytes()
        var summary: ParseSummary?
        var byReason: [String: Int] = [:]
        var firstRejected: [RejectedRow] = []
        let outcome = try transaction.ingest(description, reread: reread) { batch in
            // Parsing runs on a second thread, writing on this one: the two halves use both cores.
            let parsed = try pipelined(produce: { sink in
                try parser.parse(file: input, sniff: sniff,
                                 progress: progress.map { report in { done in report(path, done, sniff.byteCount) } },
                                 observe: parsedBytes.update,
                                 onSeriesReading: { try sink.reading($0, seriesHint: $1) },
                                 onRejection: { try sink.rejection($0) })
            }, consume: { chunk in
                try batch.add(chunk.readings, seriesHints: chunk.seriesHints)
                for rejection in chunk.rejections {
                    byReason[rejection.reason.code, default: 0] += 1
                    if firstRejected.count < RejectedRow.shown {
                        firstRejected.append(RejectedRow(line: rejection.line, column: rejection.column,
                                                         reason: rejection.reason.code, message: rejection.reason.message))
                    }
                    try batch.quarantine(rejection)
                }
            })
            // Thrown inside the transaction, so nothing of a file that changed under us is committed.
            if Self.hex(parsedBytes.finalize()) != digest {
                throw ChangedWhileRead(message: "its content changed between the two reads")
            }
            if let change = try input.changeSinceOpened() { throw ChangedWhileRead(message: change) }
            summary = parsed
            return FileParseResult(layout: parsed.layout?.rawValue, records: parsed.records,
                                   notes: parsed.notes, header: parsed.header)
        }
        switch outcome {
        case .alreadyIngested(let existing):
            file.status = .skipped
            file.sameContentAs = existing.path
        case .ingested(let counts):
            file.layout = summary?.layout?.rawValue
            file.readingsRead = summary?.candidates ?? 0
            file.accepted = counts.accepted
            file.duplicates = counts.duplicates
            file.conflicts = counts.conflicts
            file.quarantined = counts.quarantined
            file.quarantinedByReason = byReason
            file.firstRejected = firstRejected
            file.ignoredColumns = summary?.ignoredColumns ?? []
            file.notes = summary?.notes ?? []
        }
        return file
    }

    /// Reads one file without a store, on this thread: what `check` would report, less what only a store can say.
    private func parse(file input: InputFile, progress: (@Sendable (String, Int, Int) -> Void)?) throws -> FileReport {
        let path = input.path
        let sniff = try FileSniffer.sniff(file: input)
        var file = FileReport(path: path, status: .ingested, sha256: "", bytes: sniff.byteCount,
                              encoding: sniff.encoding.rawValue, delimiter: sniff.delimiter.name, layout: nil,
                              readingsRead: 0, accepted: 0, duplicates: 0, conflicts: 0, quarantined: 0,
                              quarantinedByReason: [:], ignoredColumns: [], notes: [], sameContentAs: nil)
        let parser = ReadingsParser(network: network, options: options)
        var accepted = 0
        let summary = try parser.parse(
            file: input, sniff: sniff, progress: progress.map { report in { done in report(path, done, sniff.byteCount) } },
            onSeriesReading: { _, _ in accepted += 1 },
            onRejection: { rejection in
                file.quarantined += 1
                file.quarantinedByReason[rejection.reason.code, default: 0] += 1
                if file.firstRejected.count < RejectedRow.shown {
                    file.firstRejected.append(RejectedRow(line: rejection.line, column: rejection.column,
                                                          reason: rejection.reason.code, message: rejection.reason.message))
                }
            })
        if let change = try input.changeSinceOpened() { throw ChangedWhileRead(message: change) }
        file.layout = summary.layout?.rawValue
        file.readingsRead = summary.candidates
        file.accepted = accepted
        file.ignoredColumns = summary.ignoredColumns
        file.notes = summary.notes
        return file
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A file that failed after its rows began to go into a transaction of several files, with its report: the transaction
/// is rolled back and the files before it written again.
private struct AbandonedFile: Error {
    var report: FileReport
}

/// A file whose bytes changed between the sniffing pass and the parsing pass, or during the parse.
struct ChangedWhileRead: Error {
    var message: String
}

/// The running hash of the bytes the parser read, fed on the parsing thread and read after it has finished.
private final class ParsedBytes: @unchecked Sendable {
    private var hasher = SHA256()

    func update(_ bytes: ArraySlice<UInt8>) {
        hasher.update(data: bytes)
    }

    func finalize() -> SHA256.Digest {
        hasher.finalize()
    }
}
