import Foundation
import RiverModel
import Store
import TestSupport
import Testing

/// An hour of the fixture's day (UTC).
private func at(_ hour: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(1_791_417_600 + hour * 3_600)) }

/// A store in memory holding `readings`, ingested as one long file "a.csv".
private func store(with readings: [Reading]) throws -> ReadingStore {
    let store = try ReadingStore.inMemory()
    _ = try store.ingest(FileDescription(path: "a.csv", byteCount: 1, sha256: "a", encoding: "utf-8", delimiter: "comma")) { batch in
        for reading in readings { try batch.add(reading) }
        return FileParseResult(layout: "long", records: readings.count, notes: [])
    }
    return store
}

@Suite("a span of readings held packed")
struct ReadingSpanTests {
    @Test("a span gives each point's readings in a window as the store holds them: flags, censoring, limits")
    func sameAsTheStore() throws {
        let store = try store(with: [
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(0), value: 0.5, line: 2),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(1), value: 0.02, isCensored: true,
                    detectionLimit: 0.02, flag: "N", line: 3),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(2), value: nil, flag: "M", line: 4),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(3), value: 0.7, flag: "维护", line: 5),
            Reading(pointID: "M-01", parameter: .dissolvedOxygen, time: at(1), value: 7.5, line: 6),
            Reading(pointID: "M-02", parameter: .ammoniaNitrogen, time: at(2), value: 1.5, line: 7),
        ])
        let span = try store.readingSpan(from: at(0), to: at(10))
        let window = span.observations(point: "M-01", from: at(1), to: at(3))
        // Hours 1 and 2 of NH3-N (hour 3 is the window's end, excluded), hour 1 of DO.
        // As the store holds them, less the file and line (the analysis never cites them).
        let stored = try store.series(point: "M-01", parameter: .ammoniaNitrogen, from: at(1), to: at(3)).map { observation in
            var withoutProvenance = observation
            withoutProvenance.provenance = nil
            return withoutProvenance
        }
        #expect(window[.ammoniaNitrogen] == stored)
        #expect(window[.ammoniaNitrogen]?.map(\.flag) == ["N", "M"])
        #expect(window[.ammoniaNitrogen]?.first?.detectionLimit == 0.02)
        #expect(window[.ammoniaNitrogen]?.first?.isCensored == true)
        #expect(window[.ammoniaNitrogen]?.last?.value == nil)
        #expect(window[.dissolvedOxygen]?.map(\.value) == [7.5])
        #expect(span.observations(point: "M-01", from: at(0), to: at(10))[.ammoniaNitrogen]?.last?.flag == "维护")
        #expect(span.observations(point: "M-03", from: at(0), to: at(10)).isEmpty)
        #expect(span.observations(point: "M-02", from: at(3), to: at(10)).isEmpty)
    }

    @Test("the detectors' view of a window: every reading's time, the reported values (valid, measured) and the water's")
    func reportedSeries() throws {
        let store = try store(with: [
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(0), value: 0.5, line: 2),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(1), value: 0.02, isCensored: true,
                    detectionLimit: 0.02, flag: "N", line: 3),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(2), value: nil, flag: "N", line: 4),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(3), value: 0.7, flag: "M", line: 5),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(4), value: -3, flag: "N", line: 6),
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(5), value: 0.9, flag: "N", line: 7),
        ])
        let series = try #require(try store.readingSpan(from: at(0), to: at(10))
            .reportedSeries(point: "M-01", from: at(0), to: at(5))[.ammoniaNitrogen])
        // Hours 0–4: censored (1), blank (2) and flagged M (3) are not reported; −3 is reported, an impossible
        // value the fault checks look at, but not the water's; hour 5 is the window's end.
        #expect(series.times == (0...4).map(at))
        #expect(series.reportedTimes == [at(0), at(4)] && series.reportedValues == [0.5, -3])
        let water = series.water(of: .ammoniaNitrogen)
        #expect(water.times == [at(0)] && water.values == [0.5])
    }

    @Test("points asked for first are handed over in that order as they are read, with the readings the whole span holds")
    func arrivingInOrder() throws {
        let store = try store(with: [
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(0), value: 0.5, flag: "N", line: 2),
            Reading(pointID: "M-02", parameter: .ammoniaNitrogen, time: at(1), value: 1.5, flag: "M", line: 3),
            Reading(pointID: "M-02", parameter: .dissolvedOxygen, time: at(1), value: 6.0, flag: "N", line: 4),
            Reading(pointID: "M-03", parameter: .ammoniaNitrogen, time: at(2), value: 0.9, flag: "维护", line: 5),
        ])
        var handed: [(String, ReadingSpan)] = []
        let span = try store.readingSpan(from: at(0), to: at(10), pointOrder: ["M-02", "M-09", "M-01"]) { handed.append(($0, $1)) }
        // M-09 has no readings and is handed all the same (empty); M-03, not asked for, is read after, not handed.
        #expect(handed.map(\.0) == ["M-02", "M-09", "M-01"])
        #expect(handed[1].1.observations(point: "M-09", from: at(0), to: at(10)).isEmpty)
        for (pointID, readings) in handed {
            #expect(readings.observations(point: pointID, from: at(0), to: at(10))
                        == span.observations(point: pointID, from: at(0), to: at(10)), "\(pointID)")
        }
        #expect(handed[0].1.observations(point: "M-02", from: at(0), to: at(10))[.ammoniaNitrogen]?.map(\.flag) == ["M"])
        #expect(span.observations(point: "M-03", from: at(0), to: at(10))[.ammoniaNitrogen]?.map(\.flag) == ["维护"])
        #expect(Set(span.pointIDs) == ["M-01", "M-02", "M-03"])
    }
}

@Suite("reads in one snapshot")
struct SnapshotReaderTests {
    /// Ingests `readings` as one file named `name` into the store at `path`.
    private func ingest(_ readings: [Reading], name: String, into path: String) throws {
        let store = try ReadingStore(path: path)
        _ = try store.ingest(FileDescription(path: name, byteCount: 1, sha256: name, encoding: "utf-8", delimiter: "comma")) { batch in
            for reading in readings { try batch.add(reading) }
            return FileParseResult(layout: "long", records: readings.count, notes: [])
        }
    }

    @Test("a file another connection commits between two reads of a snapshot is seen by neither; a read after it sees it")
    func filesCommittedBesideItAreNotSeen() throws {
        let path = try scratchPath("snapshot.sqlite")
        try ingest([Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(0), value: 0.5, line: 2)], name: "a.csv", into: path)
        let reader = try ReadingStore(path: path, access: .existing)
        let counts = try reader.inOneSnapshot { snapshot in
            let before = try snapshot.readingSpan(from: at(0), to: at(10)).observations(point: "M-01", from: at(0), to: at(10))
            try ingest([Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(1), value: 0.6, line: 2),
                        Reading(pointID: "M-02", parameter: .ammoniaNitrogen, time: at(1), value: 0.7, line: 3)],
                       name: "b.csv", into: path)
            let after = try snapshot.readingSpan(from: at(0), to: at(10))
            return (before[.ammoniaNitrogen]?.count, after.observations(point: "M-01", from: at(0), to: at(10))[.ammoniaNitrogen]?.count,
                    after.pointIDs)
        }
        #expect(counts.0 == 1)
        #expect(counts.1 == 1)
        #expect(counts.2 == ["M-01"])
        let later = try reader.readingSpan(from: at(0), to: at(10))
        #expect(later.observations(point: "M-01", from: at(0), to: at(10))[.ammoniaNitrogen]?.count == 2)
        #expect(Set(later.pointIDs) == ["M-01", "M-02"])
    }

    @Test("a span of one point holds that point's readings only, the same as a span of all points gives it")
    func onePoint() throws {
        let store = try store(with: [
            Reading(pointID: "M-01", parameter: .ammoniaNitrogen, time: at(0), value: 0.5, flag: "N", line: 2),
            Reading(pointID: "M-02", parameter: .ammoniaNitrogen, time: at(1), value: 1.5, flag: "M", line: 3),
            Reading(pointID: "M-02", parameter: .dissolvedOxygen, time: at(2), value: 6.0, detectionLimit: 0.1, line: 4),
        ])
        let (one, all) = try store.inOneSnapshot { snapshot in
            (try snapshot.readingSpan(from: at(0), to: at(10), point: "M-02"), try snapshot.readingSpan(from: at(0), to: at(10)))
        }
        #expect(one.pointIDs == ["M-02"])
        #expect(one.observations(point: "M-02", from: at(0), to: at(10)) == all.observations(point: "M-02", from: at(0), to: at(10)))
        #expect(one.observations(point: "M-02", from: at(0), to: at(10))[.dissolvedOxygen]?.first?.detectionLimit == 0.1)
    }
}
