import Foundation
import GRDB
import GRDBSQLite
import RiverModel

/// Writes one file's readings and rejections inside the file's transaction.
///
/// The hot path binds values straight to prepared SQLite statements (no per-row allocation of argument
/// arrays): a new reading costs one INSERT; a reading the store already holds costs one more SELECT to tell
/// a duplicate (same value) from a conflict (another value, kept in `conflict`, never overwriting).
public final class FileBatch {
    /// The ledger id of the file.
    public let fileID: Int64
    /// The counts so far.
    // Touched for every reading, on one thread: no runtime exclusivity check (see CSVReader's ParseContext).
    @exclusivity(unchecked) public private(set) var counts = FileCounts()
    private let connection: OpaquePointer
    private let insertReading: Statement
    private let selectReading: Statement
    private let insertConflict: Statement
    private let insertRejection: Statement
    private let insertSeries: Statement
    private let selectSeries: Statement
    /// Series ids by parameter, then point id.
    @exclusivity(unchecked) private var seriesIDs: [Parameter: [String: Int64]] = [:]
    /// The UTC offsets whose daily sums the store keeps (``ReadingStore/keepDailySums(utcOffset:)``).
    private let dailySumOffsets: [Int64]
    /// This file's additions to those sums, written when the file is done (``finish()``).
    @exclusivity(unchecked) private var dailySums: [DailySumKey: DailySum] = [:]
    /// The earliest and latest time of the readings stored, seconds.
    @exclusivity(unchecked) private(set) var acceptedSeconds: ClosedRange<Int64>?

    init(db: Database, fileID: Int64) throws {
        self.fileID = fileID
        connection = db.sqliteConnection!
        insertReading = try db.makeStatement(sql: """
            INSERT INTO reading (series_id, time, value, censored, detection_limit, flag, file_id, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        selectReading = try db.makeStatement(sql: "SELECT value, censored FROM reading WHERE series_id = ? AND time = ?")
        insertSeries = try db.makeStatement(sql: "INSERT INTO series (point_id, parameter) VALUES (?, ?) ON CONFLICT DO NOTHING")
        selectSeries = try db.makeStatement(sql: "SELECT id FROM series WHERE point_id = ? AND parameter = ?")
        insertConflict = try db.makeStatement(sql: """
            INSERT INTO conflict (point_id, parameter, time, value, censored, detection_limit, flag,
              stored_value, stored_censored, file_id, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertRejection = try db.makeStatement(sql: """
            INSERT INTO quarantine (file_id, line, column_name, reason, message, raw) VALUES (?, ?, ?, ?, ?, ?)
            """)
        dailySumOffsets = try Int64.fetchAll(db, sql: "SELECT utc_offset FROM daily_sum_offset")
    }

    /// How the store took a reading.
    public enum Outcome: Sendable, Equatable {
        case accepted, duplicate, conflict
    }

    /// Stores a reading, or counts it as a duplicate, or keeps it as a conflict.
    @discardableResult
    public func add(_ reading: Reading) throws -> Outcome {
        let seconds = Int64(reading.time.timeIntervalSince1970.rounded())
        let series = try seriesID(reading.pointID, reading.parameter)
        let insert = insertReading.sqliteStatement
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, series)
        sqlite3_bind_int64(insert, 2, seconds)
        bind(insert, 3, reading.value)
        sqlite3_bind_int(insert, 4, reading.isCensored ? 1 : 0)
        bind(insert, 5, reading.detectionLimit)
        bind(insert, 6, reading.flag)
        sqlite3_bind_int64(insert, 7, fileID)
        sqlite3_bind_int64(insert, 8, Int64(reading.line))
        try step(insert)
        if sqlite3_changes(connection) == 1 {
            counts.accepted += 1
            acceptedSeconds = acceptedSeconds.map { min($0.lowerBound, seconds)...max($0.upperBound, seconds) } ?? seconds...seconds
            if !dailySumOffsets.isEmpty, let value = reading.dailyMeanValue {
                for offset in dailySumOffsets {
                    let key = DailySumKey(utcOffset: offset, series: series, day: ReadingStore.day(of: seconds, utcOffset: offset))
                    dailySums[key, default: DailySum()].add(value, censored: reading.isCensored)
                }
            }
            return .accepted
        }

        let select = selectReading.sqliteStatement
        sqlite3_reset(select)
        sqlite3_bind_int64(select, 1, series)
        sqlite3_bind_int64(select, 2, seconds)
        guard sqlite3_step(select) == SQLITE_ROW else { throw error("reading vanished during its own insert") }
        let storedValue: Double? = sqlite3_column_type(select, 0) == SQLITE_NULL ? nil : sqlite3_column_double(select, 0)
        let storedCensored = sqlite3_column_int(select, 1) != 0
        sqlite3_reset(select)
        if storedCensored == reading.isCensored, Self.same(storedValue, reading.value) {
            counts.duplicates += 1
            return .duplicate
        }
        let conflict = insertConflict.sqliteStatement
        sqlite3_reset(conflict)
        bindKey(conflict, reading, seconds)
        bind(conflict, 4, reading.value)
        sqlite3_bind_int(conflict, 5, reading.isCensored ? 1 : 0)
        bind(conflict, 6, reading.detectionLimit)
        bind(conflict, 7, reading.flag)
        bind(conflict, 8, storedValue)
        sqlite3_bind_int(conflict, 9, storedCensored ? 1 : 0)
        sqlite3_bind_int64(conflict, 10, fileID)
        sqlite3_bind_int64(conflict, 11, Int64(reading.line))
        try step(conflict)
        counts.conflicts += 1
        return .conflict
    }

    /// Adds this file's readings to the kept daily sums; called once, after the last reading, inside the file's
    /// transaction.
    func finish() throws {
        guard !dailySums.isEmpty else { return }
        let upsert = try Self.upsertDailySum(in: connection, error: error)
        defer { sqlite3_finalize(upsert) }
        for (key, sum) in dailySums {
            sqlite3_reset(upsert)
            sqlite3_bind_int64(upsert, 1, key.utcOffset)
            sqlite3_bind_int64(upsert, 2, key.series)
            sqlite3_bind_int64(upsert, 3, key.day)
            sqlite3_bind_double(upsert, 4, sum.valueSum)
            sqlite3_bind_int64(upsert, 5, sum.readings)
            sqlite3_bind_int(upsert, 6, sum.censored ? 1 : 0)
            try step(upsert)
        }
        dailySums = [:]
    }

    private static func upsertDailySum(in connection: OpaquePointer, error: (String) -> DatabaseError) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let sql = """
            INSERT INTO daily_sum (utc_offset, series_id, day, value_sum, readings, censored) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET value_sum = value_sum + excluded.value_sum, readings = readings + excluded.readings,
              censored = max(censored, excluded.censored)
            """
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("preparing the daily sums")
        }
        return statement
    }

    /// Keeps a rejected row or cell in the quarantine.
    public func quarantine(_ rejection: Rejection) throws {
        let insert = insertRejection.sqliteStatement
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, fileID)
        sqlite3_bind_int64(insert, 2, Int64(rejection.line))
        bind(insert, 3, rejection.column)
        bind(insert, 4, rejection.reason.code)
        bind(insert, 5, rejection.reason.message)
        bind(insert, 6, rejection.raw)
        try step(insert)
        counts.quarantined += 1
    }

    /// Equal values, with room for the last bits of a unit conversion.
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        default: false
        }
    }

    /// The series id of a point × parameter, created on first use.
    private func seriesID(_ pointID: String, _ parameter: Parameter) throws -> Int64 {
        if let known = seriesIDs[parameter]?[pointID] { return known }
        let insert = insertSeries.sqliteStatement
        sqlite3_reset(insert)
        bind(insert, 1, pointID)
        bind(insert, 2, parameter.code)
        try step(insert)
        let select = selectSeries.sqliteStatement
        sqlite3_reset(select)
        bind(select, 1, pointID)
        bind(select, 2, parameter.code)
        guard sqlite3_step(select) == SQLITE_ROW else { throw error("series row missing after insert") }
        let id = sqlite3_column_int64(select, 0)
        sqlite3_reset(select)
        seriesIDs[parameter, default: [:]][pointID] = id
        return id
    }

    private func bindKey(_ statement: OpaquePointer, _ reading: Reading, _ seconds: Int64) {
        bind(statement, 1, reading.pointID)
        bind(statement, 2, reading.parameter.code)
        sqlite3_bind_int64(statement, 3, seconds)
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return
        }
        if text.isEmpty {
            sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
            return
        }
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(bytes.baseAddress!)
                .assumingMemoryBound(to: CChar.self), Int32(bytes.count), sqliteTransient)
        }
    }

    private func step(_ statement: OpaquePointer) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw error("sqlite3_step returned \(code)") }
    }

    private func error(_ context: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: sqlite3_errcode(connection)),
                      message: "\(context): \(String(cString: sqlite3_errmsg(connection)))")
    }
}

/// One local day of one series under one UTC offset.
struct DailySumKey: Hashable {
    var utcOffset: Int64
    var series: Int64
    var day: Int64
}

/// The sum and count of a day's values (``Reading/dailyMeanValue``), and whether any was censored.
struct DailySum {
    var valueSum = 0.0
    var readings: Int64 = 0
    var censored = false

    mutating func add(_ value: Double, censored isCensored: Bool) {
        valueSum += value
        readings += 1
        censored = censored || isCensored
    }
}

/// SQLite copies bound text at once (the C macro SQLITE_TRANSIENT, which Swift does not import).
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
