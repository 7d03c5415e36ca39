import Foundation
import GRDB
import GRDBSQLite
import RiverModel

/// How much of one point × parameter series the store holds.
public struct SeriesCoverage: Sendable, Equatable {
    public var pointID: String
    public var parameter: Parameter
    public var count: Int
    public var censored: Int
    public var first: Date
    public var last: Date
    /// The most common gap between consecutive readings, seconds (nil with fewer than two readings).
    public var typicalIntervalSeconds: Int?

    /// Readings held / readings expected between `first` and `last` at the typical interval, 0…1.
    public var completeness: Double {
        guard let interval = typicalIntervalSeconds, interval > 0 else { return 1 }
        let expected = Int(last.timeIntervalSince(first)) / interval + 1
        return min(1, Double(count) / Double(max(expected, 1)))
    }
}

/// A quarantined row as `rivertrace quarantine` lists it.
public struct QuarantinedRow: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: String?
    public var reason: String
    public var message: String
    public var raw: String
}

/// A reading that disagreed with what the store held for the same point, parameter and time.
public struct ConflictRow: Sendable, Equatable {
    public var pointID: String
    public var parameter: Parameter
    public var time: Date
    public var value: Double?
    public var storedValue: Double?
    public var file: String
    public var line: Int
}

extension ReadingStore {
    /// Count, censored count and time span of every point × parameter series.
    public func coverage() throws -> [SeriesCoverage] {
        try read { db in
            // The modal gap per series; ties go to the shorter gap.
            var intervals: [String: Int] = [:]
            let gaps = try Row.fetchCursor(db, sql: """
                SELECT point_id, parameter, gap, COUNT(*) AS n FROM (
                  SELECT point_id, parameter, time - LAG(time) OVER (PARTITION BY point_id, parameter ORDER BY time) AS gap
                  FROM reading_view)
                WHERE gap IS NOT NULL GROUP BY point_id, parameter, gap ORDER BY point_id, parameter, n DESC, gap
                """)
            while let row = try gaps.next() {
                let key = (row["point_id"] as String) + "\u{1F}" + (row["parameter"] as String)
                if intervals[key] == nil { intervals[key] = row["gap"] }
            }
            return try Row.fetchAll(db, sql: """
                SELECT point_id, parameter, COUNT(*) AS n, SUM(censored) AS c, MIN(time) AS t0, MAX(time) AS t1
                FROM reading_view GROUP BY point_id, parameter ORDER BY point_id, parameter
                """).map { row in
                try SeriesCoverage(pointID: row["point_id"], parameter: parameter(in: row), count: row["n"],
                               censored: row["c"], first: Date(timeIntervalSince1970: row["t0"]),
                               last: Date(timeIntervalSince1970: row["t1"]),
                               typicalIntervalSeconds: intervals[(row["point_id"] as String) + "\u{1F}" + (row["parameter"] as String)])
            }
        }
    }

    /// Quarantined rows per reason code, most frequent first.
    public func quarantineCounts() throws -> [(reason: String, count: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT reason, COUNT(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason")
                .map { (reason: $0["reason"], count: $0["n"]) }
        }
    }

    /// Every file in the ledger, oldest first.
    public func ledger() throws -> [LedgerEntry] {
        try read { db in try LedgerEntry.fetchAll(db, sql: "SELECT * FROM ingested_file ORDER BY id") }
    }

    /// The number of readings stored.
    public func readingCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reading") ?? 0 }
    }

    /// The number of conflicts kept.
    public func conflictCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflict") ?? 0 }
    }

    /// The first `limit` conflicts, in file order.
    public func conflicts(limit: Int = 20) throws -> [ConflictRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.*, f.path FROM conflict c JOIN ingested_file f ON f.id = c.file_id
                ORDER BY c.id LIMIT ?
                """, arguments: [limit]).map { row in
                try ConflictRow(pointID: row["point_id"], parameter: parameter(in: row),
                            time: Date(timeIntervalSince1970: row["time"]), value: row["value"],
                            storedValue: row["stored_value"], file: row["path"], line: row["line"])
            }
        }
    }

    /// Quarantined rows, optionally of one reason and of files whose path ends with `file`, in file order.
    public func quarantinedRows(reason: String? = nil, file: String? = nil,
                                _ body: (QuarantinedRow) throws -> Void) throws {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let reason {
                conditions.append("q.reason = ?")
                arguments += [reason]
            }
            if let file {
                conditions.append("(f.path = ? OR f.path LIKE ? ESCAPE '\\')")
                let escaped = file.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                arguments += [file, "%/" + escaped]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT f.path, q.line, q.column_name, q.reason, q.message, q.raw
                FROM quarantine q JOIN ingested_file f ON f.id = q.file_id \(filter)
                ORDER BY q.file_id, q.line, q.id
                """, arguments: arguments)
            while let row = try rows.next() {
                try body(QuarantinedRow(file: row["path"], line: row["line"], column: row["column_name"],
                                        reason: row["reason"], message: row["message"], raw: row["raw"]))
            }
        }
    }

    /// The row's `parameter` column as a ``Parameter``; a code this binary does not know means the store was
    /// written by something else (ingest stores canonical codes only), so it is named as damage, never dropped.
    func parameter(in row: Row) throws -> Parameter {
        let code: String = row["parameter"]
        guard let parameter = Parameter(rawValue: code) else {
            throw StoreError(path: path, kind: .damaged("a series has the parameter code \"\(code)\", which rivertrace does not know"))
        }
        return parameter
    }

    /// Every stored reading of a file, in line order (for tests and audits).
    public func readings(fromFileWithID fileID: Int64) throws -> [(pointID: String, parameter: Parameter, time: Date,
                                                                    value: Double?, censored: Bool, line: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT point_id, parameter, time, value, censored, line FROM reading_view WHERE file_id = ?
                ORDER BY line, parameter
                """, arguments: [fileID]).map { row in
                try (pointID: row["point_id"], parameter: parameter(in: row), time: Date(timeIntervalSince1970: row["time"]),
                 value: row["value"], censored: row["censored"], line: row["line"])
            }
        }
    }

    /// One point's readings of one parameter in time order, optionally within [from, to), with their file and line.
    public func series(point pointID: String, parameter: Parameter, from: Date? = nil, to: Date? = nil) throws -> [Observation] {
        try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT r.time, r.value, r.censored, r.detection_limit, r.flag, r.file_id, r.line
                FROM reading r JOIN series s ON s.id = r.series_id
                WHERE s.point_id = ? AND s.parameter = ? AND r.time >= ? AND r.time < ? ORDER BY r.time
                """)
            try statement.setArguments([pointID, parameter.code, Self.seconds(from, default: -1e12), Self.seconds(to, default: 1e12)])
            var observations: [Observation] = []
            try Self.step(statement) { observations.append(Self.observation($0, firstColumn: 0)) }
            return observations
        }
    }

    /// Every series' readings in [from, to) — of one point, or of all — in time order, by point id and parameter,
    /// each series read down its (series, time) key: what an analysis reads.
    public func allSeries(from: Date, to: Date, point pointID: String? = nil) throws -> [String: [Parameter: [Observation]]] {
        try read { db in
            let series = try Self.seriesKeys(db, point: pointID)
            let statement = try db.cachedStatement(sql: """
                SELECT time, value, censored, detection_limit, flag, file_id, line FROM reading
                WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time
                """)
            var all: [String: [Parameter: [Observation]]] = [:]
            for (id, pointID, parameter) in series {
                try statement.setArguments([id, Self.seconds(from, default: -1e12), Self.seconds(to, default: 1e12)])
                var observations: [Observation] = []
                try Self.step(statement) { observations.append(Self.observation($0, firstColumn: 0)) }
                if !observations.isEmpty { all[pointID, default: [:]][parameter] = observations }
            }
            return all
        }
    }

    /// The store's series — of one point, or of all — by id; a parameter code this binary does not know is left
    /// out, as the per-series reads leave it.
    static func seriesKeys(_ db: Database, point pointID: String? = nil) throws -> [(id: Int64, pointID: String, parameter: Parameter)] {
        try Row.fetchAll(db, sql: "SELECT id, point_id, parameter FROM series WHERE ?1 IS NULL OR point_id = ?1",
                         arguments: [pointID]).compactMap { row in
            guard let parameter = Parameter(rawValue: row[2]) else { return nil }
            return (row[0], row[1], parameter)
        }
    }

    private static func seconds(_ date: Date?, default fallback: Double) -> Int64 {
        Int64(date?.timeIntervalSince1970 ?? fallback)
    }

    /// Steps a statement to its end, handing each row to `body` (SQLite's C API: no `Row` per reading).
    static func step(_ statement: Statement, _ body: (OpaquePointer) throws -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                    sql: statement.sql)
            }
            try body(handle)
        }
    }

    /// The text of a flag column (nil for NULL).
    static func flag(_ row: OpaquePointer, _ column: Int32) -> String? {
        if sqlite3_column_type(row, column) == SQLITE_NULL { return nil }
        // Nearly every stored flag: no string built from the bytes.
        if sqlite3_column_bytes(row, column) == 1, sqlite3_column_text(row, column)[0] == UInt8(ascii: "N") { return "N" }
        return String(cString: sqlite3_column_text(row, column))
    }

    /// An observation from the columns time, value, censored, detection_limit, flag, file_id, line from `firstColumn`.
    private static func observation(_ row: OpaquePointer, firstColumn first: Int32) -> Observation {
        func double(_ column: Int32) -> Double? {
            sqlite3_column_type(row, column) == SQLITE_NULL ? nil : sqlite3_column_double(row, column)
        }
        return Observation(time: Date(timeIntervalSince1970: TimeInterval(sqlite3_column_int64(row, first))),
                           value: double(first + 1), isCensored: sqlite3_column_int(row, first + 2) != 0,
                           detectionLimit: double(first + 3), flag: flag(row, first + 4),
                           provenance: Provenance(fileID: sqlite3_column_int64(row, first + 5),
                                                  line: Int(sqlite3_column_int64(row, first + 6))))
    }
}

extension ReadingStore {
    /// The first and last reading time in the store (nil when it holds none).
    public func timeSpan() throws -> (first: Date, last: Date)? {
        try read { db in
            // The ends of each series' (series_id, time) key: one seek each instead of a scan of every reading.
            guard let row = try Row.fetchOne(db, sql: """
                SELECT MIN((SELECT MIN(r.time) FROM reading r WHERE r.series_id = s.id)) AS t0,
                       MAX((SELECT MAX(r.time) FROM reading r WHERE r.series_id = s.id)) AS t1 FROM series s
                """),
                  let first: Int64 = row["t0"], let last: Int64 = row["t1"] else { return nil }
            return (Date(timeIntervalSince1970: TimeInterval(first)), Date(timeIntervalSince1970: TimeInterval(last)))
        }
    }
}

/// One local day of one series: the mean of its valid readings.
public struct DailyMean: Sendable, Equatable {
    /// Days since 1970-01-01 in the local time the query was given.
    public var day: Int
    public var mean: Double
    public var readings: Int
    /// Whether any reading of the day was below its detection limit (its value is then the limit).
    public var anyCensored: Bool
}

extension ReadingStore {
    /// The local day of a time, days since 1970-01-01, as the daily sums and ``dailyMeans(point:parameter:from:to:secondsFromGMT:)``
    /// count it (SQLite's integer division: towards zero).
    static func day(of seconds: Int64, utcOffset: Int64) -> Int64 { (seconds + utcOffset) / 86_400 }

    /// Keeps daily sums of every series under `utcOffset` from now on: builds them from the readings stored (once;
    /// minutes for ten years of a district) unless kept already, after which every ingested file adds its new
    /// readings to them in the transaction that stores it. ``dailyMeans(point:parameter:from:to:secondsFromGMT:)`` then reads
    /// whole days from them instead of scanning the history.
    public func keepDailySums(utcOffset: Int) throws {
        try write { db in try db.inTransaction(.immediate) {
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM daily_sum_offset WHERE utc_offset = ?", arguments: [utcOffset]) == nil else {
                return .rollback
            }
            try db.execute(sql: "DELETE FROM daily_sum WHERE utc_offset = ?", arguments: [utcOffset])
            for parameter in Parameter.allCases {
                try db.execute(sql: """
                    INSERT INTO daily_sum (utc_offset, series_id, day, value_sum, readings, censored)
                    SELECT ?, r.series_id, (r.time + ?) / 86400 AS day, SUM(r.value), COUNT(*), MAX(r.censored)
                    FROM reading r JOIN series s ON s.id = r.series_id
                    WHERE s.parameter = ? AND \(Self.dailyMeanRule)
                    GROUP BY r.series_id, day
                    """, arguments: [utcOffset, utcOffset, parameter.code, parameter.physicalRange.lowerBound,
                                     parameter.physicalRange.upperBound])
            }
            try db.execute(sql: "INSERT INTO daily_sum_offset (utc_offset) VALUES (?)", arguments: [utcOffset])
            return .commit
        } }
    }

    /// The readings a daily mean counts, in SQL (``Reading/dailyMeanValue``); binds the parameter's physical range.
    static let dailyMeanRule = "r.value IS NOT NULL AND (r.flag IS NULL OR r.flag = 'N') AND r.value BETWEEN ? AND ?"

    /// Daily means of one point's valid readings of one parameter in [from, to) — the rule of
    /// ``Reading/dailyMeanValue``, a censored reading at its limit. Whole days come from the daily sums when the
    /// store keeps them for `secondsFromGMT` (``keepDailySums(utcOffset:)``); the rest is summed in SQLite, so that
    /// years of hourly readings never cross into Swift one by one.
    public func dailyMeans(point pointID: String, parameter: Parameter, from: Date, to: Date,
                           secondsFromGMT: Int) throws -> [DailyMean] {
        let start = Int64(from.timeIntervalSince1970), end = Int64(to.timeIntervalSince1970)
        let offset = Int64(secondsFromGMT)
        return try read { db in
            guard start < end else { return [] }
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM daily_sum_offset WHERE utc_offset = ?", arguments: [offset]) != nil else {
                return try scannedDailyMeans(db, pointID, parameter, start, end, offset)
            }
            // Days wholly inside [start, end) from the sums; the partial days at either end from the readings.
            let firstWhole = Self.day(of: start - 1, utcOffset: offset) + 1
            let lastWhole = Self.day(of: end, utcOffset: offset) - 1
            guard firstWhole <= lastWhole else { return try scannedDailyMeans(db, pointID, parameter, start, end, offset) }
            let wholeStart = firstWhole * 86_400 - offset, wholeEnd = (lastWhole + 1) * 86_400 - offset
            let summed = try Self.dailyMeans(db, sql: """
                SELECT d.day, d.value_sum / d.readings, d.readings, d.censored
                FROM daily_sum d JOIN series s ON s.id = d.series_id
                WHERE d.utc_offset = ? AND s.point_id = ? AND s.parameter = ? AND d.day BETWEEN ? AND ? ORDER BY d.day
                """, arguments: [offset, pointID, parameter.code, firstWhole, lastWhole])
            return try scannedDailyMeans(db, pointID, parameter, start, min(wholeStart, end), offset) + summed
                + scannedDailyMeans(db, pointID, parameter, max(wholeEnd, start), end, offset)
        }
    }

    private func scannedDailyMeans(_ db: Database, _ pointID: String, _ parameter: Parameter, _ start: Int64,
                                   _ end: Int64, _ offset: Int64) throws -> [DailyMean] {
        guard start < end else { return [] }
        return try Self.dailyMeans(db, sql: """
            SELECT (r.time + ?) / 86400 AS day, AVG(r.value) AS mean, COUNT(*) AS n, MAX(r.censored) AS censored
            FROM reading r JOIN series s ON s.id = r.series_id
            WHERE s.point_id = ? AND s.parameter = ? AND r.time >= ? AND r.time < ? AND \(Self.dailyMeanRule)
            GROUP BY day ORDER BY day
            """, arguments: [offset, pointID, parameter.code, start, end, parameter.physicalRange.lowerBound,
                             parameter.physicalRange.upperBound])
    }

    /// The rows (day, mean, readings, any censored) of a daily-means query, through SQLite's C API: the ten-year
    /// trends read some 800,000 of them, and a GRDB `Row` for each was most of the hourly run's read.
    private static func dailyMeans(_ db: Database, sql: String, arguments: StatementArguments) throws -> [DailyMean] {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        var means: [DailyMean] = []
        try step(statement) { row in
            means.append(DailyMean(day: Int(sqlite3_column_int64(row, 0)), mean: sqlite3_column_double(row, 1),
                                   readings: Int(sqlite3_column_int64(row, 2)), anyCensored: sqlite3_column_int64(row, 3) != 0))
        }
        return means
    }
}

extension ReadingStore {
    /// The network saved by the last ingest (nil when none was saved): reading commands can run without the
    /// network folder.
    public func savedNetwork() throws -> Network? {
        try read { db in
            let rivers = try Row.fetchAll(db, sql: "SELECT * FROM river").map { row in
                River(id: row["id"], name: row["name"], flowsInto: row["flows_into"], confluenceKilometres: row["confluence_km"],
                      lengthKilometres: row["length_km"], velocityMetresPerSecond: row["velocity_m_s"],
                      targetClass: (row["target_class"] as Int?).flatMap(WaterClass.init(rawValue:)),
                      waterBody: WaterBody(rawValue: row["water_body"]) ?? .river)
            }
            guard !rivers.isEmpty else { return nil }
            let points = try Row.fetchAll(db, sql: "SELECT * FROM point").map { row in
                MonitoringPoint(id: row["id"], name: row["name"], riverID: row["river_id"], kilometre: row["km"],
                                latitude: row["lat"], longitude: row["lon"],
                                ownTargetClass: (row["target_class"] as Int?).flatMap(WaterClass.init(rawValue:)),
                                kind: PointKind(rawValue: row["kind"]) ?? .manual)
            }
            let sources = try Row.fetchAll(db, sql: "SELECT * FROM source").map { row in
                RegisteredSource(id: row["id"], name: row["name"], kind: row["kind"], riverID: row["river_id"],
                                 kilometre: row["km"], signature: SourceSignature(rawValue: row["signature"]) ?? .unknown,
                                 latitude: row["lat"], longitude: row["lon"])
            }
            return Network(rivers: rivers, points: points, sources: sources)
        }
    }
}

