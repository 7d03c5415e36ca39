import Foundation
import RiverModel
import Store
import Testing

/// 2026-10-09 00:00 UTC.
private let base = 1_791_417_600

private func reading(_ point: String, hour: Int, _ value: Double, line: Int) -> Reading {
    Reading(pointID: point, parameter: .ammoniaNitrogen, time: Date(timeIntervalSince1970: TimeInterval(base + hour * 3_600)),
            value: value, flag: "N", line: line)
}

private func file(_ name: String) -> FileDescription {
    FileDescription(path: name, byteCount: 1, sha256: name, encoding: "utf-8", delimiter: "comma")
}

/// Hints as the parser gives them: one number per point (× 1 parameter here).
private func hints(_ readings: [Reading]) -> [Int] {
    readings.map { ["M-01": 0, "M-02": 1, "M-03": 2][$0.pointID]! }
}

/// File a: hours 0–19 of M-01 and M-02, interleaved as a time-major dump has them (40 new readings, more than one
/// multi-row statement's 32). File b, worked by hand:
/// - M-01 hours 20–39: 20 new;
/// - M-01 hour 5 again, same value: a duplicate of file a; hour 6 with another value: a conflict;
/// - M-02 hour 30 (new), then hour 25 (earlier than 30 but not stored: new), then hour 25 again (a duplicate
///   within the file);
/// - M-03 hour 0: a series the store did not hold, new.
/// → b: 23 accepted, 2 duplicates, 1 conflict; the store: 63 readings, 1 conflict.
private let fileA: [Reading] = (0..<20).flatMap { hour in
    [reading("M-01", hour: hour, 0.1 * Double(hour), line: 2 + 2 * hour), reading("M-02", hour: hour, 1 + 0.1 * Double(hour), line: 3 + 2 * hour)]
}
private let fileB: [Reading] = (20..<40).map { reading("M-01", hour: $0, 0.1 * Double($0), line: $0) }
    + [reading("M-01", hour: 5, 0.5, line: 41), reading("M-01", hour: 6, 9.9, line: 42),
       reading("M-02", hour: 30, 4.0, line: 43), reading("M-02", hour: 25, 3.5, line: 44),
       reading("M-02", hour: 25, 3.5, line: 45), reading("M-03", hour: 0, 0.2, line: 46)]

private func ingest(_ readings: [Reading], as name: String, into store: ReadingStore, batched: Bool) throws -> FileCounts {
    let outcome = try store.ingest(file(name)) { batch in
        if batched {
            try batch.add(readings, seriesHints: hints(readings))
        } else {
            for reading in readings { try batch.add(reading) }
        }
        return FileParseResult(layout: "long", records: readings.count, notes: [])
    }
    guard case .ingested(let counts) = outcome else {
        Issue.record("\(name) not ingested")
        return FileCounts()
    }
    return counts
}

@Suite("readings handed to the store in batches")
struct BatchedReadingTests {
    @Test("new, duplicate, conflicting and out-of-order readings are counted as worked by hand, one by one or in batches",
          arguments: [false, true])
    func handWorkedCounts(batched: Bool) throws {
        let store = try ReadingStore.inMemory()
        #expect(try ingest(fileA, as: "a.csv", into: store, batched: batched) == FileCounts(accepted: 40))
        #expect(try ingest(fileB, as: "b.csv", into: store, batched: batched)
                == FileCounts(accepted: 23, duplicates: 2, conflicts: 1, quarantined: 0))
        #expect(try store.readingCount() == 63)
        #expect(try store.conflictCount() == 1)
        let conflict = try #require(try store.conflicts().first)
        #expect(conflict.value == 9.9)
        #expect(conflict.storedValue == 0.1 * 6)  // hour 6 of file a
        #expect(conflict.line == 42)
        // The time span of what b stored: M-03 hour 0 to M-01 hour 39.
        let span = try #require(try store.readingTimeSpan(fileWithSHA256: "b.csv"))
        #expect(span.first == Date(timeIntervalSince1970: TimeInterval(base)))
        #expect(span.last == Date(timeIntervalSince1970: TimeInterval(base + 39 * 3_600)))
    }

    @Test("a batch keeps each reading's file line and value")
    func provenance() throws {
        let store = try ReadingStore.inMemory()
        _ = try ingest(fileA, as: "a.csv", into: store, batched: true)
        let stored = try store.readings(fromFileWithID: 1)
        #expect(stored.count == 40)
        let last = try #require(stored.first { $0.pointID == "M-02" && $0.time == Date(timeIntervalSince1970: TimeInterval(base + 19 * 3_600)) })
        #expect(last.value == 1 + 0.1 * 19)
        #expect(last.line == 41)
    }
}

@Suite("series ids kept from file to file")
struct KnownSeriesTests {
    @Test("a series made in a rolled-back file is made again by the next file, whose readings are found under it")
    func rolledBackSeries() throws {
        let store = try ReadingStore.inMemory()
        let first = [reading("M-03", hour: 0, 0.2, line: 2)]
        _ = try store.ingest(file("dry.csv"), commit: false) { batch in
            try batch.add(first, seriesHints: hints(first))
            return FileParseResult(layout: "long", records: 1, notes: [])
        }
        #expect(try store.readingCount() == 0)
        _ = try ingest(first + [reading("M-01", hour: 0, 0.1, line: 3)], as: "a.csv", into: store, batched: true)
        _ = try ingest([reading("M-03", hour: 1, 0.3, line: 2)], as: "b.csv", into: store, batched: true)
        #expect(try store.series(point: "M-03", parameter: .ammoniaNitrogen).compactMap(\.value) == [0.2, 0.3])
        #expect(try store.series(point: "M-01", parameter: .ammoniaNitrogen).compactMap(\.value) == [0.1])
    }
}
