import Foundation
import GRDB
import Glibc
import RiverModel
import SystemPackage

/// How a command may use the store file.
public enum StoreAccess: Sendable {
    /// `ingest`: creates the store when missing (atomically: a crash never leaves half a store at the path) and
    /// brings an older schema up to date.
    case create
    /// Reading commands: the store must exist; an older schema is brought up to date. An up-to-date store is only
    /// read, so a reader never waits for a writer (WAL snapshots).
    case existing
    /// `check`: the store must exist and is never created, changed or migrated; an older schema is refused.
    case inspect
}

/// The SQLite store: network, readings with their provenance, the ledger of ingested files, conflicts and
/// the quarantine. One file, WAL mode, migrations applied on open.
public final class ReadingStore: Sendable {
    /// Where the store lives (":memory:" for a throwaway store).
    public let path: String
    let writer: any DatabaseWriter
    /// Seconds a write waits for another process's write lock.
    let busyTimeout: TimeInterval
    /// Series ids of committed files, kept from file to file so that each file does not look up every series it
    /// touches again (two statements a series: a tenth of a day file's statements).
    let knownSeries = KnownSeries()

    /// Opens the store at `path` as `access` allows.
    /// - Parameter busyTimeout: how long a write waits for another process that holds the write lock (cron overlap).
    /// - Throws: ``StoreError`` naming what is wrong with the file (missing, not a store, a newer or older schema,
    ///   read-only, disk full…).
    public convenience init(path: String, access: StoreAccess = .create, busyTimeout: TimeInterval = 300) throws {
        do {
            var status = stat()
            if stat(path, &status) != 0 {
                guard access == .create else { throw StoreError(path: path, kind: .missing) }
                try Self.create(path: path, busyTimeout: busyTimeout)
            }
            try Self.checkIsStore(path: path)
            let missing = try Self.inspect(path: path)
            if !missing.isEmpty, access == .inspect {
                throw StoreError(path: path, kind: .olderSchema(missingSteps: missing))
            }
            var configuration = Self.configuration(busyTimeout: busyTimeout)
            if access != .create && missing.isEmpty {
                // A reader takes no lock a writer holds (no WAL set-up write, no migration: snapshots only);
                // check writes only inside transactions it rolls back.
                configuration.readonly = access == .existing
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try self.init(path: path, writer: queue, busyTimeout: busyTimeout, migrate: false)
                return
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try self.init(path: path, writer: pool, busyTimeout: busyTimeout, migrate: !missing.isEmpty)
        } catch {
            throw StoreError(error, path: path, busyTimeout: busyTimeout) ?? error
        }
    }

    /// A store in memory, for dry runs and tests.
    public static func inMemory() throws -> ReadingStore {
        try ReadingStore(path: ":memory:", writer: DatabaseQueue(), busyTimeout: 0, migrate: true)
    }

    private init(path: String, writer: any DatabaseWriter, busyTimeout: TimeInterval, migrate: Bool) throws {
        self.path = path
        self.writer = writer
        self.busyTimeout = busyTimeout
        if migrate { try Self.migrate(writer) }
    }

    private static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // A file's transaction touches one B-tree leaf per point × parameter series: keep them in cache
            // (the default 2 MB spills them mid-transaction; 8 MB was enough for 33 × 9 series in
            // docs/performance.md, 16 MB leaves room for larger networks).
            // In WAL mode NORMAL still never corrupts; a power cut may lose the last committed file, which the
            // next run ingests again (the ledger has no record of it).
            // A checkpoint copies the WAL's pages into the database and syncs both; by default one comes every 1,000
            // pages committed, i.e. after every second or third day file (each file's transaction dirties the last page
            // of every series it extends). Every 16,384 pages (64 MiB of WAL), each page rewritten by the files
            // between is copied once and the syncs are a tenth as many (docs/performance.md, "Ingest throughput").
            try db.execute(sql: "PRAGMA cache_size = -16384; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384")
            if let threshold = ProcessInfo.processInfo.environment["RIVERTRACE_SLOW_SQL_MS"].flatMap(Double.init) {
                db.trace(options: .profile) { event in
                    guard case let .profile(statement, duration) = event, duration * 1000 >= threshold else { return }
                    FileHandle.standardError.write(Data("slow SQL \(Int(duration * 1000)) ms: \(statement.sql)\n".utf8))
                }
            }
        }
        return configuration
    }

    /// Builds a new store under a temporary name beside `path` and links it into place only when complete, so a
    /// crash leaves no half-made store at the path, and of two runs creating it at once one wins, the other
    /// opens the winner's.
    private static func create(path: String, busyTimeout: TimeInterval) throws {
        let directory = FilePath(path).removingLastComponent().string
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        let pool = try DatabasePool(path: temporary, configuration: configuration(busyTimeout: busyTimeout))
        try migrate(pool)
        try pool.close()
        // link(2) fails when the path exists: a store made meanwhile by another run is kept, ours dropped.
        if link(temporary, path) != 0, errno != EEXIST {
            throw StoreError(path: path, kind: .inputOutput("cannot link the new store into place: \(String(cString: strerror(errno)))"))
        }
    }

    /// Refuses, with the reason, anything at `path` that is not an SQLite file.
    private static func checkIsStore(path: String) throws {
        let target = FilePath(path)
        let status = try target.stat()
        guard status.type == .regular else {
            throw StoreError(path: path, kind: .notAStore(status.type == .directory ? "it is a folder" : "it is not a regular file"))
        }
        guard status.size > 0 else { throw StoreError(path: path, kind: .notAStore("it is an empty file")) }
        let file = try FileDescriptor.open(target, .readOnly, options: [.closeOnExec])
        defer { try? file.close() }
        var header = [UInt8](repeating: 0, count: 16)
        let count = try header.withUnsafeMutableBytes { try file.read(fromAbsoluteOffset: 0, into: $0) }
        guard count == 16, header == Array("SQLite format 3\0".utf8) else {
            throw StoreError(path: path, kind: .notAStore("it is not an SQLite database"))
        }
    }

    /// The schema steps the store at `path` lacks, read without writing; throws when it is not a rivertrace store
    /// or was written by a newer rivertrace.
    private static func inspect(path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let ours = try db.tableExists("grdb_migrations")
                && (try migrator.appliedIdentifiers(db)).contains(firstStep)
            guard ours else {
                throw StoreError(path: path, kind: .notAStore("an SQLite database without rivertrace's tables"))
            }
            if try migrator.hasBeenSuperseded(db) {
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                throw StoreError(path: path, kind: .newerSchema(unknownSteps: unknown, knownUpTo: migrator.migrations.last ?? ""))
            }
            let applied = try migrator.appliedIdentifiers(db)
            return migrator.migrations.filter { !applied.contains($0) }
        }
    }

    /// Applies the missing schema steps. Two processes may try at once on an older store; the loser's step fails
    /// (the table or column exists), so it looks again and goes on when the winner completed them.
    private static func migrate(_ writer: any DatabaseWriter) throws {
        var attempts = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                attempts += 1
                let complete = (try? writer.read { try migrator.hasCompletedMigrations($0) }) ?? false
                if complete { return }
                if attempts >= 3 { throw error }
            }
        }
    }

    /// Reads with SQLite's failures turned into ``StoreError``s.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw StoreError(error, path: path, busyTimeout: busyTimeout) ?? error
        }
    }

    /// Runs a write without a transaction of GRDB's, with SQLite's failures turned into ``StoreError``s.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction(body)
        } catch {
            throw StoreError(error, path: path, busyTimeout: busyTimeout) ?? error
        }
    }

    /// The first schema step: a database with it applied is a rivertrace store.
    static let firstStep = "v1: network, ledger, readings, conflicts, quarantine"

    /// Schema steps, in order. Never edit a shipped step: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstStep) { db in
            try db.execute(sql: """
                CREATE TABLE river (
                  id TEXT PRIMARY KEY, name TEXT NOT NULL, flows_into TEXT, confluence_km REAL,
                  length_km REAL NOT NULL, velocity_m_s REAL NOT NULL, target_class INTEGER);
                CREATE TABLE point (
                  id TEXT PRIMARY KEY, name TEXT NOT NULL, river_id TEXT NOT NULL, km REAL NOT NULL,
                  lat REAL, lon REAL, target_class INTEGER, kind TEXT NOT NULL);
                CREATE TABLE source (
                  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, river_id TEXT NOT NULL,
                  km REAL NOT NULL, signature TEXT NOT NULL);
                CREATE TABLE ingested_file (
                  id INTEGER PRIMARY KEY,
                  path TEXT NOT NULL,
                  byte_count INTEGER NOT NULL,
                  sha256 TEXT NOT NULL UNIQUE,
                  encoding TEXT NOT NULL,
                  delimiter TEXT NOT NULL,
                  layout TEXT,
                  records INTEGER NOT NULL DEFAULT 0,
                  accepted INTEGER NOT NULL DEFAULT 0,
                  duplicates INTEGER NOT NULL DEFAULT 0,
                  conflicts INTEGER NOT NULL DEFAULT 0,
                  quarantined INTEGER NOT NULL DEFAULT 0,
                  notes TEXT NOT NULL DEFAULT '',
                  ingested_at INTEGER NOT NULL);
                -- One row per point × parameter: readings key on its integer id (small rows, fast B-tree).
                CREATE TABLE series (
                  id INTEGER PRIMARY KEY,
                  point_id TEXT NOT NULL,
                  parameter TEXT NOT NULL,
                  UNIQUE (point_id, parameter));
                -- No REFERENCES here: a foreign-key check per inserted reading costs two B-tree lookups, and
                -- FileBatch only writes series and file ids it has just created.
                CREATE TABLE reading (
                  series_id INTEGER NOT NULL,
                  time INTEGER NOT NULL,
                  value REAL,
                  censored INTEGER NOT NULL DEFAULT 0,
                  detection_limit REAL,
                  flag TEXT,
                  file_id INTEGER NOT NULL,
                  line INTEGER NOT NULL,
                  PRIMARY KEY (series_id, time)) WITHOUT ROWID;
                CREATE VIEW reading_view AS
                  SELECT s.point_id, s.parameter, r.time, r.value, r.censored, r.detection_limit, r.flag, r.file_id, r.line
                  FROM reading r JOIN series s ON s.id = r.series_id;
                CREATE TABLE conflict (
                  id INTEGER PRIMARY KEY,
                  point_id TEXT NOT NULL, parameter TEXT NOT NULL, time INTEGER NOT NULL,
                  value REAL, censored INTEGER NOT NULL, detection_limit REAL, flag TEXT,
                  stored_value REAL, stored_censored INTEGER NOT NULL,
                  file_id INTEGER NOT NULL REFERENCES ingested_file(id), line INTEGER NOT NULL);
                CREATE INDEX conflict_key ON conflict(point_id, parameter, time);
                CREATE TABLE quarantine (
                  id INTEGER PRIMARY KEY,
                  file_id INTEGER NOT NULL REFERENCES ingested_file(id),
                  line INTEGER NOT NULL,
                  column_name TEXT,
                  reason TEXT NOT NULL,
                  message TEXT NOT NULL,
                  raw TEXT NOT NULL);
                CREATE INDEX quarantine_reason ON quarantine(reason);
                CREATE INDEX quarantine_file ON quarantine(file_id);
                """)
        }
        migrator.registerMigration("v2: the header line of each file, for re-ingestable quarantine exports") { db in
            try db.execute(sql: "ALTER TABLE ingested_file ADD COLUMN header TEXT")
        }
        migrator.registerMigration("v3: the water body of each river (river, lake, reservoir)") { db in
            try db.execute(sql: "ALTER TABLE river ADD COLUMN water_body TEXT NOT NULL DEFAULT 'river'")
        }
        migrator.registerMigration("v4: alerts raised once, their deliveries, and the unattended runs") { db in
            try db.execute(sql: """
                CREATE TABLE alert (
                  id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, point_id TEXT, parameter TEXT,
                  started_at INTEGER NOT NULL, raised_at INTEGER NOT NULL, cleared_at INTEGER, body TEXT NOT NULL);
                CREATE INDEX alert_open ON alert(cleared_at);
                CREATE TABLE alert_delivery (
                  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0, delivered_at INTEGER, last_error TEXT);
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, finished_at INTEGER, exit_code INTEGER,
                  summary TEXT);
                """)
        }
        migrator.registerMigration("v5: surveyed coordinates of registered sources (sources.csv lat, lon)") { db in
            try db.execute(sql: "ALTER TABLE source ADD COLUMN lat REAL; ALTER TABLE source ADD COLUMN lon REAL")
        }
        migrator.registerMigration("v6: daily sums kept by ingest, and each file's time span, for runs without a scan of the history") { db in
            // A UTC offset is listed in daily_sum_offset once its sums cover every stored reading; from then on each
            // file adds its new readings to them in its own transaction (ReadingStore.keepDailySums).
            try db.execute(sql: """
                CREATE TABLE daily_sum (
                  utc_offset INTEGER NOT NULL, series_id INTEGER NOT NULL, day INTEGER NOT NULL,
                  value_sum REAL NOT NULL, readings INTEGER NOT NULL, censored INTEGER NOT NULL,
                  PRIMARY KEY (utc_offset, series_id, day)) WITHOUT ROWID;
                CREATE TABLE daily_sum_offset (utc_offset INTEGER PRIMARY KEY);
                ALTER TABLE ingested_file ADD COLUMN first_time INTEGER;
                ALTER TABLE ingested_file ADD COLUMN last_time INTEGER;
                """)
        }
        migrator.registerMigration("v7: the ledger's last file id when each run began, to re-analyse after a killed run") { db in
            try db.execute(sql: "ALTER TABLE run ADD COLUMN files_before INTEGER")
        }
        return migrator
    }

    /// Replaces the stored network with `network` (the readings refer to points by id and are kept).
    public func saveNetwork(_ network: Network) throws {
        try write { db in try db.inTransaction {
            try db.execute(sql: "DELETE FROM river; DELETE FROM point; DELETE FROM source;")
            for river in network.rivers {
                try db.execute(sql: """
                    INSERT INTO river (id, name, flows_into, confluence_km, length_km, velocity_m_s, target_class, water_body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [river.id, river.name, river.flowsInto, river.confluenceKilometres, river.lengthKilometres,
                                     river.velocityMetresPerSecond, river.targetClass?.rawValue, river.waterBody.rawValue])
            }
            for point in network.points {
                try db.execute(sql: """
                    INSERT INTO point (id, name, river_id, km, lat, lon, target_class, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                    point.id, point.name, point.riverID, point.kilometre, point.latitude, point.longitude,
                    point.ownTargetClass?.rawValue, point.kind.rawValue])
            }
            for source in network.sources {
                try db.execute(sql: "INSERT INTO source (id, name, kind, river_id, km, signature, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [source.id, source.name, source.kind, source.riverID, source.kilometre,
                                           source.signature.rawValue, source.latitude, source.longitude])
            }
            return .commit
        } }
    }

    /// Ingests one file in one transaction: the ledger row, its readings, conflicts and quarantine.
    ///
    /// A crash or kill inside leaves the store as it was before the file. When a file with the same
    /// SHA-256 is already in the ledger (checked inside the transaction, so overlapping runs agree), nothing
    /// is written and `.alreadyIngested` is returned. With `commit: false` everything is rolled back: a dry run
    /// that still sees duplicates and conflicts against what the store holds.
    /// With `reread`, a file already in the ledger is read again under its ledger entry: its earlier
    /// quarantine and conflict rows are replaced by this pass's, readings stored before count as duplicates
    /// (for a file fixed by a settings change: `--year`, a point added to points.csv).
    /// - Throws: what `body` throws (nothing of the file is then stored), errors of the store.
    public func ingest(_ file: FileDescription, commit: Bool = true, reread: Bool = false,
                       _ body: (FileBatch) throws -> FileParseResult) throws -> IngestOutcome {
        do {
            return try ingestFiles(commit: commit) { files in try files.ingest(file, reread: reread, body) }
        } catch let abandoned as AbandonedFileError {
            // One file, one transaction: rolled back, the body's own error is the caller's.
            throw abandoned.underlying
        }
    }

    /// Ingests several files in one transaction, each as ``ingest(_:commit:reread:_:)`` would.
    ///
    /// One commit for many small files writes each page they share once, not once a file: the district's day files
    /// each extend every series, and committing them one by one wrote each series' last page to the WAL per file
    /// (docs/performance.md, "Ingest throughput"). A crash or kill inside leaves the store as it was before the first
    /// of them, and the ledger has none of them, so the next run reads them all again. A file whose parsing fails
    /// half-way (``AbandonedFileError``) spoils the whole transaction: it is rolled back, and the caller writes the
    /// other files again in a new one. (A savepoint per file would spare that, but costs each file a copy of every
    /// page it touches: 15 % of ingesting the day files.)
    /// - Parameter commit: false rolls everything back (a dry run).
    /// - Throws: what `body` throws, and ``AbandonedFileError`` when `body` went on after one; nothing is committed.
    public func ingestFiles<T>(commit: Bool = true, _ body: (IngestTransaction) throws -> T) throws -> T {
        var result: T?
        var committedSeries: [Parameter: [String: Int64]] = [:]
        try write { db in
            try db.inTransaction(.immediate) {
                let transaction = IngestTransaction(db: db, knownSeries: knownSeries.ids)
                result = try body(transaction)
                if let abandoned = transaction.abandoned { throw abandoned }
                committedSeries = transaction.knownSeries
                return commit ? .commit : .rollback
            }
        }
        // Only ids of a committed transaction: a series made in one rolled back is gone.
        if commit { knownSeries.merge(committedSeries) }
        return result!
    }
}

/// A file whose parsing failed after its rows began to go into a transaction of several files: the transaction holds
/// part of it and must be rolled back (``ReadingStore/ingestFiles(commit:_:)``).
public struct AbandonedFileError: Error {
    /// What stopped the file (a read error, a file that changed while it was read…).
    public var underlying: any Error
}

/// Files being written in one transaction (``ReadingStore/ingestFiles(commit:_:)``).
public final class IngestTransaction {
    private let db: Database
    /// Series ids committed before this transaction, and those its files found or made.
    fileprivate private(set) var knownSeries: [Parameter: [String: Int64]]
    /// Set when a file's parsing failed half-way: nothing of this transaction may be committed.
    fileprivate private(set) var abandoned: AbandonedFileError?
    /// Rows the files so far offered: accepted, duplicates, conflicts and quarantined.
    public private(set) var rowsWritten = 0

    fileprivate init(db: Database, knownSeries: [Parameter: [String: Int64]]) {
        self.db = db
        self.knownSeries = knownSeries
    }

    /// The ledger entry of a file with this content hash, as this transaction sees the ledger (its own files
    /// included).
    public func ledgerEntry(sha256: String) throws -> LedgerEntry? {
        try LedgerEntry.fetchOne(db, sql: "SELECT * FROM ingested_file WHERE sha256 = ?", arguments: [sha256])
    }

    /// Writes one file: the ledger row, its readings, conflicts and quarantine (see
    /// ``ReadingStore/ingest(_:commit:reread:_:)``).
    /// - Throws: ``AbandonedFileError`` wrapping what `body` threw (the transaction must then be rolled back), or an
    ///   error of the store.
    public func ingest(_ file: FileDescription, reread: Bool = false,
                       _ body: (FileBatch) throws -> FileParseResult) throws -> IngestOutcome {
        // A transaction holding part of a file takes no more: it can only be rolled back.
        if let abandoned { throw abandoned }
        let fileID: Int64
        if let existing = try ledgerEntry(sha256: file.sha256) {
            guard reread else { return .alreadyIngested(existing) }
            fileID = existing.id
            try db.execute(sql: "DELETE FROM quarantine WHERE file_id = ?; DELETE FROM conflict WHERE file_id = ?",
                           arguments: [fileID, fileID])
            try db.execute(sql: "UPDATE ingested_file SET path = ?, ingested_at = ? WHERE id = ?",
                           arguments: [file.path, Int64(Date().timeIntervalSince1970), fileID])
        } else {
            try db.execute(sql: """
                INSERT INTO ingested_file (path, byte_count, sha256, encoding, delimiter, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [file.path, file.byteCount, file.sha256, file.encoding, file.delimiter,
                                 Int64(Date().timeIntervalSince1970)])
            fileID = db.lastInsertedRowID
        }
        let batch = try FileBatch(db: db, fileID: fileID, knownSeries: knownSeries)
        let result: FileParseResult
        do {
            result = try body(batch)
        } catch {
            abandoned = AbandonedFileError(underlying: error)
            throw abandoned!
        }
        try batch.finish()
        // A file read again keeps the span of what it stored before: MIN/MAX with NULL are NULL.
        try db.execute(sql: """
            UPDATE ingested_file SET layout = ?, records = ?, accepted = ?, duplicates = ?, conflicts = ?,
              quarantined = ?, notes = ?, header = ?,
              first_time = COALESCE(MIN(first_time, ?), first_time, ?),
              last_time = COALESCE(MAX(last_time, ?), last_time, ?) WHERE id = ?
            """, arguments: [result.layout, result.records, batch.counts.accepted, batch.counts.duplicates,
                             batch.counts.conflicts, batch.counts.quarantined,
                             result.notes.joined(separator: "\n"), result.header,
                             batch.acceptedSeconds?.lowerBound, batch.acceptedSeconds?.lowerBound,
                             batch.acceptedSeconds?.upperBound, batch.acceptedSeconds?.upperBound, batch.fileID])
        rowsWritten += batch.counts.accepted + batch.counts.duplicates + batch.counts.conflicts + batch.counts.quarantined
        // The batch started from `knownSeries` and added what it found or made.
        knownSeries = batch.seriesIDs
        return .ingested(batch.counts)
    }
}

/// Series ids that committed transactions found or made. A series row is never deleted, so a committed id stays
/// right for the life of the store.
final class KnownSeries: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [Parameter: [String: Int64]] = [:]

    /// A copy of what is known (copied on write: free until the batch adds to it).
    var ids: [Parameter: [String: Int64]] {
        lock.withLock { known }
    }

    func merge(_ ids: [Parameter: [String: Int64]]) {
        lock.withLock {
            for (parameter, byPoint) in ids {
                known[parameter, default: [:]].merge(byPoint) { _, new in new }
            }
        }
    }
}

/// What the store needs to know of a file before its rows arrive.
public struct FileDescription: Sendable {
    public var path: String
    public var byteCount: Int
    public var sha256: String
    public var encoding: String
    public var delimiter: String

    public init(path: String, byteCount: Int, sha256: String, encoding: String, delimiter: String) {
        self.path = path
        self.byteCount = byteCount
        self.sha256 = sha256
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// What parsing found, recorded in the ledger beside the counts.
public struct FileParseResult: Sendable {
    public var layout: String?
    public var records: Int
    public var notes: [String]
    /// The header line as it stood in the file (UTF-8), for exporting quarantined rows as a file to fix.
    public var header: String?

    public init(layout: String?, records: Int, notes: [String], header: String? = nil) {
        self.layout = layout
        self.records = records
        self.notes = notes
        self.header = header
    }
}

/// How one file's readings were sorted.
public struct FileCounts: Sendable, Equatable, Codable {
    /// New readings stored.
    public var accepted = 0
    /// Readings the store already held with the same value (re-delivered data).
    public var duplicates = 0
    /// Readings whose point, parameter and time the store held with another value: kept in `conflict`.
    public var conflicts = 0
    /// Rows or cells not accepted: kept in `quarantine`.
    public var quarantined = 0

    public init(accepted: Int = 0, duplicates: Int = 0, conflicts: Int = 0, quarantined: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.conflicts = conflicts
        self.quarantined = quarantined
    }

    /// Adds another file's counts.
    public static func + (lhs: FileCounts, rhs: FileCounts) -> FileCounts {
        FileCounts(accepted: lhs.accepted + rhs.accepted, duplicates: lhs.duplicates + rhs.duplicates,
                   conflicts: lhs.conflicts + rhs.conflicts, quarantined: lhs.quarantined + rhs.quarantined)
    }
}

/// The result of offering a file to the store.
public enum IngestOutcome: Sendable {
    case ingested(FileCounts)
    /// The same content was ingested before (possibly under another name).
    case alreadyIngested(LedgerEntry)
}

/// One row of the ledger of ingested files.
public struct LedgerEntry: Sendable, Codable, FetchableRecord, Equatable {
    public var id: Int64
    public var path: String
    public var byteCount: Int
    public var sha256: String
    public var encoding: String
    public var delimiter: String
    public var layout: String?
    public var records: Int
    public var accepted: Int
    public var duplicates: Int
    public var conflicts: Int
    public var quarantined: Int
    public var notes: String
    /// Seconds since 1970, UTC.
    public var ingestedAt: Int64
    /// The file's header line (nil for files ingested before it was kept, or without a header).
    public var header: String?

    enum CodingKeys: String, CodingKey {
        case id, path, sha256, encoding, delimiter, layout, records, accepted, duplicates, conflicts, quarantined, notes, header
        case byteCount = "byte_count"
        case ingestedAt = "ingested_at"
    }

    static let placeholder = LedgerEntry(id: 0, path: "", byteCount: 0, sha256: "", encoding: "", delimiter: "",
                                         layout: nil, records: 0, accepted: 0, duplicates: 0, conflicts: 0,
                                         quarantined: 0, notes: "", ingestedAt: 0, header: nil)
}
