import Foundation
import GRDB
import GRDBSQLite
import RiverModel

/// Writes one file's readings and rejections inside the transaction that holds the file.
///
/// The hot path binds values straight to prepared SQLite statements (no per-row allocation of argument
/// arrays). A reading later than every reading of its series stored before and offered by this file so far cannot
/// be in the store: such readings (nearly all of a dump in time order) are inserted many to a statement, and
/// counted accepted without a look-up. Any other reading costs one INSERT and, when the store already holds its
/// series and time, one more SELECT to tell a duplicate (same value) from a conflict (another value, kept in
/// `conflict`, never overwriting).
public final class FileBatch {
    /// The ledger id of the file.
    public let fileID: Int64
    /// The counts so far.
    // Touched for every reading, on one thread: no runtime exclusivity check (see CSVReader's ParseContext).
    @exclusivity(unchecked) public private(set) var counts = FileCounts()
    private let connection: OpaquePointer
    private let insertReading: Statement
    /// ``newReadingsPerStatement`` rows of new readings in one INSERT.
    private let insertNewReadings: Statement
    private let selectReading: Statement
    private let selectLatest: Statement
    private let insertConflict: Statement
    private let insertRejection: Statement
    private let insertSeries: Statement
    private let selectSeries: Statement
    /// Series ids by parameter, then point id: those known from earlier files, and those this file found or made.
    @exclusivity(unchecked) private(set) var seriesIDs: [Parameter: [String: Int64]]
    /// What this file knows of each series it touched, by position (see `seriesPositions`).
    @exclusivity(unchecked) private var series: [SeriesState] = []
    /// Positions in `series` by series id.
    @exclusivity(unchecked) private var seriesPositions: [Int64: Int] = [:]
    /// Positions in `series` by the caller's series hint (see ``add(_:seriesHints:)``), -1 when not seen yet.
    @exclusivity(unchecked) private var hintedPositions: [Int] = []
    /// New readings waiting for a full multi-row INSERT.
    @exclusivity(unchecked) private var pending: [PendingRow] = []
    /// Flag texts as C strings that live as long as the batch, bound without a copy (SQLITE_STATIC).
    @exclusivity(unchecked) private var flagTexts: [String: UnsafeMutablePointer<CChar>] = [:]
    @exclusivity(unchecked) private var lastFlag: (text: String, pointer: UnsafeMutablePointer<CChar>)?
    /// The UTC offsets whose daily sums the store keeps (``ReadingStore/keepDailySums(utcOffset:)``).
    private let dailySumOffsets: [Int64]
    /// This file's additions to those sums, written when the file is done (``finish()``).
    @exclusivity(unchecked) private var dailySums: [DailySumKey: DailySum] = [:]
    /// The day each series is adding to under each offset, kept out of `dailySums` while readings of that day come:
    /// index `series position × offsets + offset position`.
    @exclusivity(unchecked) private var openDays: [OpenDay] = []
    @exclusivity(unchecked) private var firstSecond = Int64.max
    @exclusivity(unchecked) private var lastSecond = Int64.min

    /// How many new readings one INSERT statement takes: a multi-row statement spends SQLite's per-statement
    /// work (reset, halt, cursor set-up) once for all of them (docs/performance.md, "Ingest throughput").
    static let newReadingsPerStatement = 32

    /// The earliest and latest time of the readings stored, seconds.
    var acceptedSeconds: ClosedRange<Int64>? { firstSecond <= lastSecond ? firstSecond...lastSecond : nil }

    /// - Parameter knownSeries: series ids committed before (``ReadingStore/knownSeries``).
    init(db: Database, fileID: Int64, knownSeries: [Parameter: [String: Int64]] = [:]) throws {
        self.fileID = fileID
        seriesIDs = knownSeries
        connection = db.sqliteConnection!
        let columns = "INSERT OR IGNORE INTO reading (series_id, time, value, censored, detection_limit, flag, file_id, line) VALUES "
        insertReading = try db.makeStatement(sql: """
            INSERT INTO reading (series_id, time, value, censored, detection_limit, flag, file_id, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        // OR IGNORE, not ON CONFLICT DO NOTHING: with the latter a multi-row INSERT may abort half-way (NOT NULL) and
        // SQLite keeps a statement journal for it, which costs more than the statement saves. The rows are new by
        // construction; the count of changes is checked all the same.
        insertNewReadings = try db.makeStatement(sql: columns
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: Self.newReadingsPerStatement).joined(separator: ", "))
        selectReading = try db.makeStatement(sql: "SELECT value, censored FROM reading WHERE series_id = ? AND time = ?")
        selectLatest = try db.makeStatement(sql: "SELECT max(time) FROM reading WHERE series_id = ?")
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
        pending.reserveCapacity(Self.newReadingsPerStatement)
    }

    deinit {
        for pointer in flagTexts.values { free(pointer) }
    }

    /// How the store took a reading.
    public enum Outcome: Sendable, Equatable {
        case accepted, duplicate, conflict
    }

    /// Stores a reading, or counts it as a duplicate, or keeps it as a conflict.
    @discardableResult
    public func add(_ reading: Reading) throws -> Outcome {
        let position = try seriesPosition(reading.pointID, reading.parameter)
        try flushPending()
        return try addOne(reading, at: position, seconds: Self.seconds(reading.time))
    }

    /// Stores readings in the order given, as ``add(_:)`` one by one would: each is stored, or counted as a
    /// duplicate, or kept as a conflict.
    /// - Parameter seriesHints: one per reading, the same small number (0 up to a few thousand) for every reading of
    ///   one point × parameter and different numbers for different ones (the point's position in the network times
    ///   the number of parameters, plus the parameter's): found again without hashing the point id.
    public func add(_ readings: [Reading], seriesHints: [Int]) throws {
        precondition(readings.count == seriesHints.count, "one series hint per reading")
        for index in readings.indices {
            let hint = seriesHints[index]
            if hint >= hintedPositions.count { hintedPositions.append(contentsOf: repeatElement(-1, count: hint + 1 - hintedPositions.count)) }
            var position = hintedPositions[hint]
            if position < 0 {
                position = try seriesPosition(readings[index].pointID, readings[index].parameter)
                hintedPositions[hint] = position
            }
            let seconds = Self.seconds(readings[index].time)
            if seconds > series[position].latest {
                series[position].latest = seconds
                try addNew(readings[index], at: position, seconds: seconds)
            } else {
                try flushPending()
                try addOne(readings[index], at: position, seconds: seconds)
            }
        }
    }

    private static func seconds(_ time: Date) -> Int64 {
        Int64(time.timeIntervalSince1970.rounded())
    }

    /// A reading later than anything its series holds: queued for a multi-row INSERT, counted as accepted.
    private func addNew(_ reading: Reading, at position: Int, seconds: Int64) throws {
        pending.append(PendingRow(series: series[position].id, seconds: seconds, value: reading.value,
                                  censored: reading.isCensored, detectionLimit: reading.detectionLimit,
                                  flag: flagText(reading.flag), line: Int64(reading.line)))
        accept(reading, at: position, seconds: seconds)
        if pending.count == Self.newReadingsPerStatement { try flushPending() }
    }

    /// Inserts the queued new readings: a full statement's worth in one INSERT, fewer one by one.
    private func flushPending() throws {
        guard !pending.isEmpty else { return }
        if pending.count == Self.newReadingsPerStatement {
            let insert = insertNewReadings.sqliteStatement
            sqlite3_reset(insert)
            for (row, new) in pending.enumerated() { bind(insert, new, from: Int32(row * 8)) }
            try step(insert)
            guard sqlite3_changes(connection) == Int32(pending.count) else {
                throw error("a reading later than its series' latest was already stored")
            }
        } else {
            let insert = insertReading.sqliteStatement
            for new in pending {
                sqlite3_reset(insert)
                bind(insert, new, from: 0)
                try step(insert)
                guard sqlite3_changes(connection) == 1 else {
                    throw error("a reading later than its series' latest was already stored")
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func bind(_ statement: OpaquePointer, _ row: PendingRow, from offset: Int32) {
        sqlite3_bind_int64(statement, offset + 1, row.series)
        sqlite3_bind_int64(statement, offset + 2, row.seconds)
        bind(statement, offset + 3, row.value)
        sqlite3_bind_int(statement, offset + 4, row.censored ? 1 : 0)
        bind(statement, offset + 5, row.detectionLimit)
        if let flag = row.flag {
            sqlite3_bind_text(statement, offset + 6, flag, -1, nil)  // nil: SQLITE_STATIC, the text outlives the statement
        } else {
            sqlite3_bind_null(statement, offset + 6)
        }
        sqlite3_bind_int64(statement, offset + 7, fileID)
        sqlite3_bind_int64(statement, offset + 8, row.line)
    }

    /// The flag's text as a C string kept by the batch.
    private func flagText(_ flag: String?) -> UnsafeMutablePointer<CChar>? {
        guard let flag else { return nil }
        if let last = lastFlag, last.text == flag { return last.pointer }
        let pointer = flagTexts[flag] ?? {
            let made = strdup(flag)!
            flagTexts[flag] = made
            return made
        }()
        lastFlag = (flag, pointer)
        return pointer
    }

    /// Counts a stored reading and adds it to the daily sums and the file's time span.
    private func accept(_ reading: Reading, at position: Int, seconds: Int64) {
        counts.accepted += 1
        if seconds < firstSecond { firstSecond = seconds }
        if seconds > lastSecond { lastSecond = seconds }
        guard !dailySumOffsets.isEmpty, let value = reading.dailyMeanValue else { return }
        for (index, offset) in dailySumOffsets.enumerated() {
            let day = ReadingStore.day(of: seconds, utcOffset: offset)
            let open = position * dailySumOffsets.count + index
            if openDays[open].day != day {
                // Readings come day by day: the sum of the day in progress stays out of the dictionary until
                // another day comes, then goes back whole (the same additions in the same order as one at a time).
                closeDay(open, offset: offset, series: series[position].id)
                openDays[open] = OpenDay(day: day, sum: dailySums[DailySumKey(utcOffset: offset, series: series[position].id, day: day)] ?? DailySum())
            }
            openDays[open].sum.add(value, censored: reading.isCensored)
        }
    }

    private func closeDay(_ open: Int, offset: Int64, series id: Int64) {
        guard let day = openDays[open].day else { return }
        dailySums[DailySumKey(utcOffset: offset, series: id, day: day)] = openDays[open].sum
        openDays[open].day = nil
    }

    /// Stores one reading, or counts it as a duplicate, or keeps it as a conflict; the queue is empty.
    @discardableResult
    private func addOne(_ reading: Reading, at position: Int, seconds: Int64) throws -> Outcome {
        let seriesID = series[position].id
        let insert = insertReading.sqliteStatement
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, seriesID)
        sqlite3_bind_int64(insert, 2, seconds)
        bind(insert, 3, reading.value)
        sqlite3_bind_int(insert, 4, reading.isCensored ? 1 : 0)
        bind(insert, 5, reading.detectionLimit)
        bind(insert, 6, reading.flag)
        sqlite3_bind_int64(insert, 7, fileID)
        sqlite3_bind_int64(insert, 8, Int64(reading.line))
        try step(insert)
        if sqlite3_changes(connection) == 1 {
            series[position].latest = max(series[position].latest, seconds)
            accept(reading, at: position, seconds: seconds)
            return .accepted
        }

        let select = selectReading.sqliteStatement
        sqlite3_reset(select)
        sqlite3_bind_int64(select, 1, seriesID)
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
        try flushPending()
        for position in series.indices {
            for (index, offset) in dailySumOffsets.enumerated() {
                closeDay(position * dailySumOffsets.count + index, offset: offset, series: series[position].id)
            }
        }
        guard !dailySums.isEmpty else { return }
        // A day after the day of the latest reading its series held before this file has no row yet (rows come
        // from stored readings only): those rows are inserted many to a statement, the others added to.
        var newDays: [(key: DailySumKey, sum: DailySum)] = []
        var otherDays: [(key: DailySumKey, sum: DailySum)] = []
        for (key, sum) in dailySums {
            let before = seriesPositions[key.series].map { series[$0].latestBefore } ?? .max
            if before == .min || key.day > ReadingStore.day(of: before, utcOffset: key.utcOffset) {
                newDays.append((key, sum))
            } else {
                otherDays.append((key, sum))
            }
        }
        let rowsPerStatement = Self.newReadingsPerStatement
        var start = 0
        if newDays.count >= rowsPerStatement {
            let insert = try prepare("INSERT OR IGNORE INTO daily_sum (utc_offset, series_id, day, value_sum, readings, censored) VALUES "
                                     + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rowsPerStatement).joined(separator: ", "))
            defer { sqlite3_finalize(insert) }
            while start + rowsPerStatement <= newDays.count {
                sqlite3_reset(insert)
                for row in 0..<rowsPerStatement {
                    bindDailySum(insert, newDays[start + row], from: Int32(row * 6))
                }
                try step(insert)
                guard sqlite3_changes(connection) == Int32(rowsPerStatement) else {
                    throw error("a daily sum after its series' latest day was already stored")
                }
                start += rowsPerStatement
            }
        }
        let upsert = try Self.upsertDailySum(in: connection, error: error)
        defer { sqlite3_finalize(upsert) }
        for day in newDays[start...] + otherDays {
            sqlite3_reset(upsert)
            bindDailySum(upsert, day, from: 0)
            try step(upsert)
        }
        dailySums = [:]
    }

    private func bindDailySum(_ statement: OpaquePointer, _ day: (key: DailySumKey, sum: DailySum), from offset: Int32) {
        sqlite3_bind_int64(statement, offset + 1, day.key.utcOffset)
        sqlite3_bind_int64(statement, offset + 2, day.key.series)
        sqlite3_bind_int64(statement, offset + 3, day.key.day)
        sqlite3_bind_double(statement, offset + 4, day.sum.valueSum)
        sqlite3_bind_int64(statement, offset + 5, day.sum.readings)
        sqlite3_bind_int(statement, offset + 6, day.sum.censored ? 1 : 0)
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("preparing \(sql.prefix(40))")
        }
        return statement
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

    /// The position in `series` of a point × parameter, its series created on first use.
    private func seriesPosition(_ pointID: String, _ parameter: Parameter) throws -> Int {
        let id = try seriesID(pointID, parameter)
        if let known = seriesPositions[id] { return known }
        let select = selectLatest.sqliteStatement
        sqlite3_reset(select)
        sqlite3_bind_int64(select, 1, id)
        guard sqlite3_step(select) == SQLITE_ROW else { throw error("no row for the latest time of a series") }
        let latest = sqlite3_column_type(select, 0) == SQLITE_NULL ? Int64.min : sqlite3_column_int64(select, 0)
        sqlite3_reset(select)
        series.append(SeriesState(id: id, latest: latest, latestBefore: latest))
        openDays.append(contentsOf: repeatElement(OpenDay(), count: dailySumOffsets.count))
        seriesPositions[id] = series.count - 1
        return series.count - 1
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

/// What a file's batch knows of one series: its id and the latest time stored for it (before this file or by it).
private struct SeriesState {
    var id: Int64
    /// Seconds; `Int64.min` when the series holds nothing.
    var latest: Int64
    /// `latest` before this file.
    let latestBefore: Int64
}

/// A new reading waiting for its INSERT.
private struct PendingRow {
    var series: Int64
    var seconds: Int64
    var value: Double?
    var censored: Bool
    var detectionLimit: Double?
    var flag: UnsafeMutablePointer<CChar>?
    var line: Int64
}

/// The day a series is adding readings to, with its sum so far.
private struct OpenDay {
    var day: Int64?
    var sum = DailySum()
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
