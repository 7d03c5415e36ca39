import Foundation
import RiverModel
import Store
import Testing

/// 2026-10-09 00:00 UTC, 08:00 in China (UTC+8).
private let base = 1_791_417_600
private let china = 8 * 3_600
/// Local (UTC+8) days since 1970 of 2026-10-09 and 2026-10-10.
private let october9 = 20_734, october10 = 20_735

private func reading(hour: Int, _ value: Double?, flag: String? = nil, censored: Bool = false, point: String = "M-01",
                     line: Int = 2) -> Reading {
    Reading(pointID: point, parameter: .ammoniaNitrogen, time: Date(timeIntervalSince1970: TimeInterval(base + hour * 3_600)),
            value: value, isCensored: censored, detectionLimit: censored ? value : nil, flag: flag, line: line)
}

private func localMidnight(_ day: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(day * 86_400 - china)) }

/// Two files of NH3-N at M-01. Worked by hand, local time (UTC+8):
/// - 10-09: 08:00 0.5, 18:00 0.7, 23:00 0.9 flagged M (not valid) → mean 0.6 of 2, none censored;
/// - 10-10: 00:00 1.0, 01:00 <0.02 (counted at its limit), 02:00 −1 (impossible) → mean 0.51 of 2, censored.
/// The second file also re-sends 08:00 (a duplicate) and sends 18:00 as 0.8 (a conflict: the stored 0.7 stays).
/// With `batched`, each file's readings go to the store in one `add(_:seriesHints:)`, as ingest hands them over.
private func ingestBothFiles(into store: ReadingStore, batched: Bool = false) throws {
    func add(_ readings: [Reading], to batch: FileBatch) throws {
        if batched {
            try batch.add(readings, seriesHints: readings.map { _ in 0 })
        } else {
            for reading in readings { try batch.add(reading) }
        }
    }
    _ = try store.ingest(FileDescription(path: "a.csv", byteCount: 1, sha256: "a", encoding: "utf-8", delimiter: "comma")) { batch in
        try add([reading(hour: 0, 0.5), reading(hour: 10, 0.7, flag: "N"), reading(hour: 15, 0.9, flag: "M")], to: batch)
        return FileParseResult(layout: "long", records: 3, notes: [])
    }
    _ = try store.ingest(FileDescription(path: "b.csv", byteCount: 1, sha256: "b", encoding: "utf-8", delimiter: "comma")) { batch in
        try add([reading(hour: 16, 1.0), reading(hour: 17, 0.02, censored: true), reading(hour: 18, -1),
                 reading(hour: 0, 0.5), reading(hour: 10, 0.8)], to: batch)
        return FileParseResult(layout: "long", records: 5, notes: [])
    }
}

private func expectHandWorkedDays(_ days: [DailyMean], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(days.map(\.day) == [october9, october10], sourceLocation: sourceLocation)
    #expect(days.map(\.readings) == [2, 2], sourceLocation: sourceLocation)
    #expect(days.map(\.anyCensored) == [false, true], sourceLocation: sourceLocation)
    #expect(zip(days.map(\.mean), [0.6, 0.51]).allSatisfy { abs($0 - $1) < 1e-12 }, sourceLocation: sourceLocation)
}

@Suite("daily sums kept by ingest")
struct DailySumTests {
    @Test("sums kept from the first file give the hand-worked daily means, readings added one by one or in batches",
          arguments: [false, true])
    func keptFromTheStart(batched: Bool) throws {
        let store = try ReadingStore.inMemory()
        try store.keepDailySums(utcOffset: china)
        try ingestBothFiles(into: store, batched: batched)
        expectHandWorkedDays(try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen, from: localMidnight(october9),
                                                  to: localMidnight(october10 + 1), secondsFromGMT: china))
    }

    @Test("sums built from readings stored before give the same means, and later files add to them")
    func builtLater() throws {
        let store = try ReadingStore.inMemory()
        try ingestBothFiles(into: store)
        try store.keepDailySums(utcOffset: china)
        try store.keepDailySums(utcOffset: china)  // kept already: nothing is counted twice
        expectHandWorkedDays(try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen, from: localMidnight(october9),
                                                  to: localMidnight(october10 + 1), secondsFromGMT: china))
        // 10-10 03:00 local: 1.9 → that day's mean (1.0 + 0.02 + 1.9) / 3 = 0.973…
        _ = try store.ingest(FileDescription(path: "c.csv", byteCount: 1, sha256: "c", encoding: "utf-8", delimiter: "comma")) { batch in
            try batch.add(reading(hour: 19, 1.9))
            return FileParseResult(layout: "long", records: 1, notes: [])
        }
        let days = try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen, from: localMidnight(october9),
                                        to: localMidnight(october10 + 1), secondsFromGMT: china)
        #expect(days.map(\.readings) == [2, 3])
        #expect(abs(days[1].mean - 2.92 / 3) < 1e-12)
    }

    @Test("partial days at either end of the range count only their readings inside it")
    func partialDays() throws {
        let store = try ReadingStore.inMemory()
        try store.keepDailySums(utcOffset: china)
        try ingestBothFiles(into: store)
        // From 10-09 12:00 to 10-10 00:30 local: 18:00 (0.7) on the 9th, 00:00 (1.0) on the 10th.
        let days = try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen,
                                        from: localMidnight(october9).addingTimeInterval(12 * 3_600),
                                        to: localMidnight(october10).addingTimeInterval(1_800), secondsFromGMT: china)
        #expect(days.map(\.day) == [october9, october10])
        #expect(days.map(\.mean) == [0.7, 1.0])
        #expect(days.map(\.readings) == [1, 1])
        #expect(days.map(\.anyCensored) == [false, false])
    }

    @Test("an offset without kept sums is summed from the readings: UTC days")
    func otherOffset() throws {
        let store = try ReadingStore.inMemory()
        try store.keepDailySums(utcOffset: china)
        try ingestBothFiles(into: store)
        // UTC 10-09: 00:00 0.5, 10:00 0.7, 16:00 1.0, 17:00 0.02 (censored) → (2.22) / 4.
        let days = try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen, from: Date(timeIntervalSince1970: TimeInterval(base)),
                                        to: Date(timeIntervalSince1970: TimeInterval(base + 86_400)), secondsFromGMT: 0)
        #expect(days.count == 1)
        #expect(days.first?.readings == 4)
        #expect(abs((days.first?.mean ?? 0) - 2.22 / 4) < 1e-12)
        #expect(days.first?.anyCensored == true)
    }

    @Test("the ledger keeps each file's time span; the last reading per point is found by series")
    func fileSpanAndLastReadings() throws {
        let store = try ReadingStore.inMemory()
        try ingestBothFiles(into: store)
        _ = try store.ingest(FileDescription(path: "d.csv", byteCount: 1, sha256: "d", encoding: "utf-8", delimiter: "comma")) { batch in
            try batch.add(reading(hour: 5, 0.3, point: "M-02"))
            var other = reading(hour: 7, 7.1, point: "M-02")
            other.parameter = .dissolvedOxygen
            try batch.add(other)
            return FileParseResult(layout: "long", records: 2, notes: [])
        }
        // b.csv stored hours 16, 17 and 18 (the duplicate and the conflict store nothing).
        let span = try #require(try store.readingTimeSpan(fileWithSHA256: "b"))
        #expect(span.first == Date(timeIntervalSince1970: TimeInterval(base + 16 * 3_600)))
        #expect(span.last == Date(timeIntervalSince1970: TimeInterval(base + 18 * 3_600)))
        #expect(try store.lastReadingTimes() == ["M-01": Date(timeIntervalSince1970: TimeInterval(base + 18 * 3_600)),
                                                 "M-02": Date(timeIntervalSince1970: TimeInterval(base + 7 * 3_600))])
        let whole = try #require(try store.timeSpan())
        #expect(whole.first == Date(timeIntervalSince1970: TimeInterval(base)))
        #expect(whole.last == Date(timeIntervalSince1970: TimeInterval(base + 18 * 3_600)))
    }
}

@Suite("daily sums of many days")
struct ManyDailySumsTests {
    /// NH3-N at M-01, one reading a day, local time (UTC+8). File a: 12:00 of day k of 40 holds the value k / 10 (more
    /// days than one multi-row statement's 32). File b: 0.5 at 18:00 of days 38 to 45. By hand: day k < 38 has mean
    /// k / 10; day 38 (3.8 + 0.5) / 2 = 2.15; day 39 (3.9 + 0.5) / 2 = 2.2; days 40–45 have 0.5.
    @Test("days new to a series and days it had are summed as worked by hand")
    func newAndOldDays() throws {
        let store = try ReadingStore.inMemory()
        try store.keepDailySums(utcOffset: china)
        func readings(_ days: Range<Int>, hour: Int, _ value: (Int) -> Double) -> [Reading] {
            days.map { day in
                Reading(pointID: "M-01", parameter: .ammoniaNitrogen,
                        time: localMidnight(october9 + day).addingTimeInterval(TimeInterval(hour * 3_600)), value: value(day),
                        line: 2 + day)
            }
        }
        for (name, batch) in [("a.csv", readings(0..<40, hour: 12) { Double($0) / 10 }),
                              ("b.csv", readings(38..<46, hour: 18) { _ in 0.5 })] {
            _ = try store.ingest(FileDescription(path: name, byteCount: 1, sha256: name, encoding: "utf-8", delimiter: "comma")) {
                try $0.add(batch, seriesHints: batch.map { _ in 0 })
                return FileParseResult(layout: "long", records: batch.count, notes: [])
            }
        }
        let days = try store.dailyMeans(point: "M-01", parameter: .ammoniaNitrogen, from: localMidnight(october9),
                                        to: localMidnight(october9 + 46), secondsFromGMT: china)
        func expectedMean(_ day: Int) -> Double {
            switch day {
            case ..<38: Double(day) / 10
            case 38: 2.15
            case 39: 2.2
            default: 0.5
            }
        }
        let expected = (0..<46).map(expectedMean)
        #expect(days.map(\.day) == Array(october9..<(october9 + 46)))
        #expect(days.map(\.readings) == (0..<46).map { $0 == 38 || $0 == 39 ? 2 : 1 })
        #expect(zip(days.map(\.mean), expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
