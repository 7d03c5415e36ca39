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

    enum CodingKeys: String, CodingKey {
        case path, status, sha256, bytes, encoding, delimiter, layout, accepted, duplicates, conflicts, quarantined
        case notes
        case readingsRead = "readings_read"
        case quarantinedByReason = "quarantined_by_reason"
        case ignoredColumns = "ignored_columns"
        case sameContentAs = "same_content_as"
        case firstRejected = "first_rejected"
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
    public var quarantinedByReason: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case files, accepted, duplicates, conflicts, quarantined
        case readingsRead = "readings_read"
        case skippedFiles = "skipped_files"
        case unsettledFiles = "unsettled_files"
        case quarantinedByReason = "quarantined_by_reason"
    }
}

/// The outcome of an ingest or check run: `ingest --json` prints it.
public struct IngestReport: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    /// False for `check`: nothing was written.
    public var committed: Bool
    public var files: [FileReport] = []
    public var totals = IngestTotals()
    /// Files in the given folders that were not read because their names do not end in .csv, .tsv or .txt.
    public var ignoredFiles: [String] = []

    enum CodingKeys: String, CodingKey {
        case files, totals, committed
        case ignoredFiles = "ignored_files"
        case schemaVersion = "schema_version"
    }

    /// True when every reading offered was accepted (or was a duplicate) and no file needs a person.
    public var isClean: Bool {
        totals.quarantined == 0 && totals.conflicts == 0 && files.allSatisfy { $0.notes.isEmpty || $0.status == .unsettled }
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
/// the ledger, parse, and store the file in one transaction.
public struct IngestJob {
    public let store: ReadingStore
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

    /// Ingests `paths` (files, or folders searched for `*.csv`, `*.tsv`, `*.txt`), in sorted order.
    /// - Parameters:
    ///   - progress: called with (file, bytes done, bytes total) while a file is parsed.
    ///   - fileDone: called after each file, for live output.
    public func run(paths: [String], progress: (@Sendable (String, Int, Int) -> Void)? = nil,
                    fileDone: ((FileReport) -> Void)? = nil) throws -> IngestReport {
        var report = IngestReport(committed: commit)
        let (found, ignored) = try Self.expandListingIgnored(paths)
        report.ignoredFiles = ignored
        for path in found {
            let file = try ingest(path: path, progress: progress)
            fileDone?(file)
            report.files.append(file)
            report.totals.files += 1
            if file.status == .skipped {
                report.totals.skippedFiles += 1
                continue
            }
            if file.status == .unsettled {
                report.totals.unsettledFiles += 1
                continue
            }
            report.totals.readingsRead += file.readingsRead
            report.totals.accepted += file.accepted
            report.totals.duplicates += file.duplicates
            report.totals.conflicts += file.conflicts
            report.totals.quarantined += file.quarantined
            report.totals.quarantinedByReason.merge(file.quarantinedByReason, uniquingKeysWith: +)
        }
        return report
    }

    /// Ingests one file.
    public func ingest(path: String, progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> FileReport {
        if settleSeconds > 0, let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date,
           Date().timeIntervalSince(modified) < settleSeconds {
            return FileReport(path: path, status: .unsettled, sha256: "", bytes: 0, encoding: "", delimiter: "",
                              layout: nil, readingsRead: 0, accepted: 0, duplicates: 0, conflicts: 0, quarantined: 0,
                              quarantinedByReason: [:], ignoredColumns: [],
                              notes: ["modified \(Int(Date().timeIntervalSince(modified))) s ago: left for the next run"],
                              sameContentAs: nil)
        }
        var hasher = SHA256()
        let sniff = try FileSniffer.sniff(path: path) { hasher.update(data: $0) }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        var file = FileReport(path: path, status: .ingested, sha256: digest, bytes: sniff.byteCount,
                              encoding: sniff.encoding.rawValue, delimiter: sniff.delimiter.name, layout: nil,
                              readingsRead: 0, accepted: 0, duplicates: 0, conflicts: 0, quarantined: 0,
                              quarantinedByReason: [:], ignoredColumns: [], notes: [], sameContentAs: nil)
        if !reread, let existing = try store.ledgerEntry(sha256: digest) {
            file.status = .skipped
            file.sameContentAs = existing.path
            return file
        }
        let description = FileDescription(path: path, byteCount: sniff.byteCount, sha256: digest,
                                          encoding: sniff.encoding.rawValue, delimiter: sniff.delimiter.name)
        let parser = ReadingsParser(network: network, options: options)
        var summary: ParseSummary?
        var byReason: [String: Int] = [:]
        var firstRejected: [RejectedRow] = []
        let outcome = try store.ingest(description, commit: commit, reread: reread) { batch in
            // Parsing runs on a second thread, writing on this one: the two halves use both cores.
            let parsed = try pipelined(produce: { emit in
                try parser.parse(path: path, sniff: sniff,
                                 progress: progress.map { report in { done in report(path, done, sniff.byteCount) } },
                                 onReading: { try emit(.reading($0)) },
                                 onRejection: { try emit(.rejection($0)) })
            }, consume: { item in
                switch item {
                case .reading(let reading):
                    try batch.add(reading)
                case .rejection(let rejection):
                    byReason[rejection.reason.code, default: 0] += 1
                    if firstRejected.count < RejectedRow.shown {
                        firstRejected.append(RejectedRow(line: rejection.line, column: rejection.column,
                                                         reason: rejection.reason.code, message: rejection.reason.message))
                    }
                    try batch.quarantine(rejection)
                }
            })
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

    /// Files in the order they will be ingested: given files as they are, folders searched recursively.
    public static func expand(_ paths: [String]) throws -> [String] {
        try expandListingIgnored(paths).files
    }

    /// As ``expand(_:)``, also naming the files in the folders that were passed over.
    public static func expandListingIgnored(_ paths: [String]) throws -> (files: [String], ignored: [String]) {
        var files: [String] = []
        var ignored: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PathError(path: path, message: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                throw PathError(path: path, message: "cannot list the folder")
            }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = FilePath(relative).lastComponent?.string ?? relative
                if name.hasPrefix(".") { continue }
                let full = FilePath(path).pushing(FilePath(relative)).string
                let ext = (FilePath(name).extension ?? "").lowercased()
                guard ["csv", "tsv", "txt"].contains(ext) else {
                    var isSubdirectory: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &isSubdirectory), !isSubdirectory.boolValue,
                       !name.hasSuffix(".part"), !name.hasSuffix(".tmp") {
                        ignored.append(full)
                    }
                    continue
                }
                var isSubdirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isSubdirectory), !isSubdirectory.boolValue {
                    found.append(full)
                }
            }
            files.append(contentsOf: found.sorted())
        }
        return (files, ignored.sorted())
    }
}
