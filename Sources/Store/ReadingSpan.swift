import Foundation
import GRDB
import GRDBSQLite
import RiverModel

/// Every series' readings over a span, held packed (16 bytes a reading, against an ``Observation``'s 80), so that an
/// analysis reads a year from the store once and hands each month and each point its part as observations. The
/// observations carry no provenance: the analysis never cites a file and line, and reading them cost a quarter of
/// the read (``ReadingStore/series(point:parameter:from:to:)`` has them).
public struct ReadingSpan: Sendable {
    /// One reading as stored. Absent values are flagged in `presence`, never coded as NaN.
    struct Packed: Sendable {
        // Declared widest first: 16 bytes with no padding.
        var value: Double
        /// Seconds from ``ReadingSpan/origin``.
        var time: Int32
        /// Index into ``ReadingSpan/flags`` plus one; 0: no flag.
        var flag: UInt16
        var presence: UInt8

        static let hasValue: UInt8 = 1, isCensored: UInt8 = 2
    }

    /// The start of the span, whole seconds: times are held from it.
    var origin: Int64 = 0
    /// Detection limits, by point, parameter and index of the reading (few readings have one).
    var limits: [String: [Parameter: [Int: Double]]] = [:]
    /// The distinct flags of the span (few: HJ 212 letters and a district's own markers).
    var flags: [String] = []
    var series: [String: [Parameter: [Packed]]] = [:]

    /// An empty span.
    public init() {}

    /// The point ids with at least one reading in the span.
    public var pointIDs: [String] { Array(series.keys) }

    /// One point's readings of every parameter in [from, to) (within the span), in time order; parameters without
    /// any left out.
    public func observations(point pointID: String, from: Date, to: Date) -> [Parameter: [Observation]] {
        guard let byParameter = series[pointID] else { return [:] }
        // Whole seconds as the store's queries take them.
        let start = Int64(from.timeIntervalSince1970) - origin, end = Int64(to.timeIntervalSince1970) - origin
        var result: [Parameter: [Observation]] = [:]
        for (parameter, packed) in byParameter {
            let lower = Self.firstIndex(packed, atOrAfter: start), upper = Self.firstIndex(packed, atOrAfter: end)
            guard lower < upper else { continue }
            let limits = limits[pointID]?[parameter]
            result[parameter] = (lower..<upper).map { index in observation(packed[index], limit: limits?[index]) }
        }
        return result
    }

    /// One point's readings of every parameter in [from, to) as the detectors read them (``ReportedSeries``: the
    /// same readings as ``observations(point:from:to:)``, none made into an observation); parameters without any left
    /// out.
    public func reportedSeries(point pointID: String, from: Date, to: Date) -> [Parameter: ReportedSeries] {
        guard let byParameter = series[pointID] else { return [:] }
        let start = Int64(from.timeIntervalSince1970) - origin, end = Int64(to.timeIntervalSince1970) - origin
        // Whether each flag leaves a reading valid, once: index 0 is "no flag".
        let validFlag = [Observation.isValid(flag: nil)] + flags.map { Observation.isValid(flag: $0) }
        var result: [Parameter: ReportedSeries] = [:]
        for (parameter, packed) in byParameter {
            let lower = Self.firstIndex(packed, atOrAfter: start), upper = Self.firstIndex(packed, atOrAfter: end)
            guard lower < upper else { continue }
            var readings = ReportedSeries()
            readings.times.reserveCapacity(upper - lower)
            readings.reportedTimes.reserveCapacity(upper - lower)
            readings.reportedValues.reserveCapacity(upper - lower)
            for index in lower..<upper {
                let reading = packed[index]
                let time = Date(timeIntervalSince1970: TimeInterval(origin + Int64(reading.time)))
                readings.times.append(time)
                guard let value = Observation.reportedValue(reading.presence & Packed.hasValue != 0 ? reading.value : nil,
                                                            isCensored: reading.presence & Packed.isCensored != 0,
                                                            isValid: validFlag[Int(reading.flag)]) else { continue }
                readings.reportedTimes.append(time)
                readings.reportedValues.append(value)
            }
            result[parameter] = readings
        }
        return result
    }

    private func observation(_ packed: Packed, limit: Double?) -> Observation {
        Observation(time: Date(timeIntervalSince1970: TimeInterval(origin + Int64(packed.time))),
                    value: packed.presence & Packed.hasValue != 0 ? packed.value : nil,
                    isCensored: packed.presence & Packed.isCensored != 0,
                    detectionLimit: limit,
                    flag: packed.flag == 0 ? nil : flags[Int(packed.flag) - 1])
    }

    private static func firstIndex(_ packed: [Packed], atOrAfter time: Int64) -> Int {
        guard time > Int64(Int32.min) else { return 0 }
        guard time <= Int64(Int32.max) else { return packed.count }
        var low = 0, high = packed.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(packed[middle].time) >= time { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension ReadingStore {
    /// Runs `body` with reads that all see the store as it was when it began (one read transaction), however long it
    /// takes: an analysis that reads a long period in parts sees the same readings in every part while files are
    /// ingested beside it.
    public func inOneSnapshot<T>(_ body: (SnapshotReader) throws -> T) throws -> T {
        try read { db in try body(SnapshotReader(db: db)) }
    }

    /// Every series' readings in [from, to), read once in one snapshot (``SnapshotReader/readingSpan(from:to:point:pointOrder:arrived:)``).
    public func readingSpan(from: Date, to: Date, pointOrder: [String] = [],
                            arrived: (_ pointID: String, _ readings: ReadingSpan) -> Void = { _, _ in }) throws -> ReadingSpan {
        try inOneSnapshot { try $0.readingSpan(from: from, to: to, pointOrder: pointOrder, arrived: arrived) }
    }
}

/// Reads inside ``ReadingStore/inOneSnapshot(_:)``: valid only in its closure, on its thread.
public struct SnapshotReader {
    let db: Database

    /// Every series' readings in [from, to) — of one point, or of all — read once, each series down its
    /// (series, time) key.
    /// - Parameters:
    ///   - point: the one point to read (nil: every point).
    ///   - pointOrder: points read first, in this order; the store's other points follow.
    ///   - arrived: called with each point of `pointOrder` (even one without readings) and a span of its readings as
    ///     soon as they are read, so that work on the first points can start while the rest is read.
    /// - Precondition: the span is shorter than 68 years (times are held as 32-bit seconds from its start).
    public func readingSpan(from: Date, to: Date, point: String? = nil, pointOrder: [String] = [],
                            arrived: (_ pointID: String, _ readings: ReadingSpan) -> Void = { _, _ in }) throws -> ReadingSpan {
        let start = Int64(from.timeIntervalSince1970), end = Int64(to.timeIntervalSince1970)
        precondition(end - start < Int64(Int32.max), "a span of readings shorter than 68 years")
        var seriesOf: [String: [(id: Int64, parameter: Parameter)]] = [:]
        for (id, pointID, parameter) in try ReadingStore.seriesKeys(db, point: point) {
            seriesOf[pointID, default: []].append((id, parameter))
        }
        let ordered = Set(pointOrder)
        let points = pointOrder + seriesOf.keys.filter { !ordered.contains($0) }.sorted()
        let statement = try db.cachedStatement(sql: """
            SELECT time, value, censored, detection_limit, flag FROM reading
            WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time
            """)
        var span = ReadingSpan()
        span.origin = start
        var flagIndex: [String: UInt16] = [:]
        // Nearly every reading carries the flag of the one before ("N"): compared, not hashed, per reading.
        var lastFlag: (text: String, index: UInt16)?
        for pointID in points {
            var part = ReadingSpan()
            part.origin = start
            for (id, parameter) in seriesOf[pointID] ?? [] {
                try statement.setArguments([id, start, end])
                var packed: [ReadingSpan.Packed] = []
                var limits: [Int: Double] = [:]
                try ReadingStore.step(statement) { row in
                    var presence: UInt8 = 0
                    var value = 0.0
                    if sqlite3_column_type(row, 1) != SQLITE_NULL {
                        value = sqlite3_column_double(row, 1)
                        presence |= ReadingSpan.Packed.hasValue
                    }
                    if sqlite3_column_int(row, 2) != 0 { presence |= ReadingSpan.Packed.isCensored }
                    if sqlite3_column_type(row, 3) != SQLITE_NULL { limits[packed.count] = sqlite3_column_double(row, 3) }
                    var flag: UInt16 = 0
                    if let text = ReadingStore.flag(row, 4) {
                        if let lastFlag, lastFlag.text == text {
                            flag = lastFlag.index
                        } else {
                            if let known = flagIndex[text] {
                                flag = known
                            } else if span.flags.count < Int(UInt16.max) {
                                span.flags.append(text)
                                flag = UInt16(span.flags.count)
                                flagIndex[text] = flag
                            }
                            lastFlag = (text, flag)
                        }
                    }
                    packed.append(ReadingSpan.Packed(value: value, time: Int32(sqlite3_column_int64(row, 0) - start),
                                                     flag: flag, presence: presence))
                }
                if !packed.isEmpty { part.series[pointID, default: [:]][parameter] = packed }
                if !limits.isEmpty { part.limits[pointID, default: [:]][parameter] = limits }
            }
            span.series[pointID] = part.series[pointID]
            span.limits[pointID] = part.limits[pointID]
            if ordered.contains(pointID) {
                part.flags = span.flags
                arrived(pointID, part)
            }
        }
        return span
    }
}
