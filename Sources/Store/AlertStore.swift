import Foundation
import GRDB
import RiverModel

/// An alert as the store keeps it: raised once under its stable id, cleared when its condition ends.
public struct StoredAlert: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var severity: String
    public var pointID: String?
    public var parameter: Parameter?
    /// When the condition began (the data's time).
    public var startedAt: Date
    /// When a run first raised it.
    public var raisedAt: Date
    public var clearedAt: Date?
    /// The alert as JSON, as the alert files carry it.
    public var body: String

    public init(id: String, kind: String, severity: String, pointID: String?, parameter: Parameter?, startedAt: Date,
                raisedAt: Date, clearedAt: Date? = nil, body: String) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.pointID = pointID
        self.parameter = parameter
        self.startedAt = startedAt
        self.raisedAt = raisedAt
        self.clearedAt = clearedAt
        self.body = body
    }
}

/// An alert file waiting to be handed to the on-alert command (delivered once the command succeeds).
public struct AlertDelivery: Sendable, Equatable {
    public var file: String
    public var createdAt: Date
    public var attempts: Int
    public var lastError: String?
}

/// One unattended run, as `health` reads them.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var exitCode: Int?
    /// The run's JSON summary.
    public var summary: String?
}

extension ReadingStore {
    /// The alerts with these ids the store already holds (open or cleared).
    public func alerts(ids: [String]) throws -> [String: StoredAlert] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var found: [String: StoredAlert] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    let alert = try alert(row)
                    found[alert.id] = alert
                }
            }
            return found
        }
    }

    /// Open alerts (not cleared), oldest first.
    public func openAlerts() throws -> [StoredAlert] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE cleared_at IS NULL ORDER BY raised_at, id").map(alert)
        }
    }

    /// Alerts raised or cleared at or after `since`, newest first.
    public func recentAlerts(since: Date) throws -> [StoredAlert] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert WHERE raised_at >= ? OR cleared_at >= ? ORDER BY raised_at DESC, id
                """, arguments: [Int64(since.timeIntervalSince1970), Int64(since.timeIntervalSince1970)]).map(alert)
        }
    }

    /// Records newly raised alerts, clears alerts by id, and queues the alert file for delivery — one transaction,
    /// so an alert is never raised without its file queued (a crash in between raises it again next run).
    public func recordAlerts(raised: [StoredAlert], cleared: [String], at time: Date, file: String?) throws {
        try write { db in try db.inTransaction {
            for alert in raised {
                try db.execute(sql: """
                    INSERT INTO alert (id, kind, severity, point_id, parameter, started_at, raised_at, cleared_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [alert.id, alert.kind, alert.severity, alert.pointID, alert.parameter?.code,
                                     Int64(alert.startedAt.timeIntervalSince1970), Int64(alert.raisedAt.timeIntervalSince1970),
                                     alert.clearedAt.map { Int64($0.timeIntervalSince1970) }, alert.body])
            }
            for id in cleared {
                try db.execute(sql: "UPDATE alert SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL",
                               arguments: [Int64(time.timeIntervalSince1970), id])
            }
            if let file {
                try db.execute(sql: "INSERT OR IGNORE INTO alert_delivery (file, created_at) VALUES (?, ?)",
                               arguments: [file, Int64(time.timeIntervalSince1970)])
            }
            return .commit
        } }
    }

    /// Alert files not yet handed over successfully, oldest first.
    public func pendingDeliveries() throws -> [AlertDelivery] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT file, created_at, attempts, last_error FROM alert_delivery WHERE delivered_at IS NULL ORDER BY id
                """).map { row in
                AlertDelivery(file: row["file"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                              attempts: row["attempts"], lastError: row["last_error"])
            }
        }
    }

    /// Records one attempt to hand `file` to the on-alert command: delivered, or the error to retry after.
    public func recordDelivery(file: String, at time: Date, error: String?) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE alert_delivery SET attempts = attempts + 1, last_error = ?, delivered_at = ? WHERE file = ?
                """, arguments: [error, error == nil ? Int64(time.timeIntervalSince1970) : nil, file])
        }
    }

    /// Marks the start of an unattended run; returns its id.
    public func beginRun(at time: Date) throws -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO run (started_at, files_before) VALUES (?, (SELECT IFNULL(MAX(id), 0) FROM ingested_file))",
                           arguments: [Int64(time.timeIntervalSince1970)])
            return db.lastInsertedRowID
        }
    }

    /// Marks the end of a run with its exit code and JSON summary.
    public func finishRun(_ id: Int64, at time: Date, exitCode: Int, summary: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE run SET finished_at = ?, exit_code = ?, summary = ? WHERE id = ?",
                           arguments: [Int64(time.timeIntervalSince1970), exitCode, summary, id])
        }
    }

    /// The latest runs, newest first.
    public func recentRuns(limit: Int = 20) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                RunRecord(id: row["id"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
                          finishedAt: (row["finished_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                          exitCode: row["exit_code"], summary: row["summary"])
            }
        }
    }

    /// The time span of the readings a file gave (nil when it gave none): the months a run must analyse again.
    public func readingTimeSpan(fileWithSHA256 sha256: String) throws -> (first: Date, last: Date)? {
        try read { db in
            try Self.fileSpans(db, where: "f.sha256 = ?", arguments: [sha256]).first
        }
    }

    /// The time spans of the ledger's files matching `condition` (on `ingested_file f`); files that gave no reading
    /// left out. Kept in the ledger since schema v6; a file ingested before has its readings looked up (a scan).
    private static func fileSpans(_ db: Database, where condition: String,
                                  arguments: StatementArguments) throws -> [(first: Date, last: Date)] {
        try Row.fetchAll(db, sql: """
            SELECT COALESCE(f.first_time, (SELECT MIN(r.time) FROM reading r WHERE r.file_id = f.id)),
                   COALESCE(f.last_time, (SELECT MAX(r.time) FROM reading r WHERE r.file_id = f.id))
            FROM ingested_file f WHERE \(condition)
            """, arguments: arguments).compactMap { row in
            guard let first: Int64 = row[0], let last: Int64 = row[1] else { return nil }
            return (Date(timeIntervalSince1970: TimeInterval(first)), Date(timeIntervalSince1970: TimeInterval(last)))
        }
    }

    /// The time spans of the files that runs killed since the last finished run may have ingested without analysing
    /// them (every file in the ledger after the first such run began), other than run `current`'s own.
    public func readingTimeSpansOfInterruptedRuns(current: Int64) throws -> [(first: Date, last: Date)] {
        try read { db in
            guard let after = try Int64.fetchOne(db, sql: """
                SELECT MIN(files_before) FROM run
                WHERE finished_at IS NULL AND id != ? AND id > (SELECT IFNULL(MAX(id), 0) FROM run WHERE finished_at IS NOT NULL)
                """, arguments: [current]) else { return [] }
            return try Self.fileSpans(db, where: "f.id > ? AND f.accepted > 0", arguments: [after])
        }
    }

    /// The latest reading time per point (the silent-station check).
    public func lastReadingTimes() throws -> [String: Date] {
        try read { db in
            var result: [String: Date] = [:]
            // One seek per series down the (series_id, time) key; a GROUP BY over the join reads every reading.
            for row in try Row.fetchAll(db, sql: """
                SELECT s.point_id, (SELECT MAX(r.time) FROM reading r WHERE r.series_id = s.id) AS t FROM series s
                """) {
                guard let seconds: Int64 = row[1] else { continue }
                let time = Date(timeIntervalSince1970: TimeInterval(seconds))
                let pointID: String = row[0]
                result[pointID] = max(result[pointID] ?? time, time)
            }
            return result
        }
    }

    private func alert(_ row: Row) throws -> StoredAlert {
        let code: String? = row["parameter"]
        let parameter = try code.map { code in
            guard let parameter = Parameter(rawValue: code) else {
                throw StoreError(path: path, kind: .damaged("an alert has the parameter code \"\(code)\", which rivertrace does not know"))
            }
            return parameter
        }
        return StoredAlert(id: row["id"], kind: row["kind"], severity: row["severity"], pointID: row["point_id"],
                    parameter: parameter, startedAt: Date(timeIntervalSince1970: row["started_at"]),
                    raisedAt: Date(timeIntervalSince1970: row["raised_at"]),
                    clearedAt: (row["cleared_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    body: row["body"])
    }
}
