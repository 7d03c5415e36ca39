import Foundation
import RiverModel
import Store
import TestSupport
import Testing

private func reading(_ point: String = "M-01", _ parameter: Parameter = .ammoniaNitrogen, hour: Int,
                     value: Double?, censored: Bool = false, line: Int = 2) -> Reading {
    Reading(pointID: point, parameter: parameter, time: Date(timeIntervalSince1970: TimeInterval(1_791_417_600 + hour * 3_600)),
            value: value, isCensored: censored, detectionLimit: censored ? value : nil, flag: "N", line: line)
}

private func file(_ name: String, sha: String) -> FileDescription {
    FileDescription(path: name, byteCount: 10, sha256: sha, encoding: "utf-8", delimiter: "comma")
}

private func expectOutcome(_ outcome: FileBatch.Outcome, _ expected: FileBatch.Outcome,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(outcome == expected, sourceLocation: sourceLocation)
}

private let parsed = FileParseResult(layout: "long", records: 0, notes: [])

@Suite("the store")
struct ReadingStoreTests {
    @Test("new readings are accepted; the same reading again is a duplicate; another value is a conflict")
    func duplicatesAndConflicts() throws {
        let store = try ReadingStore.inMemory()
        let first = try store.ingest(file("a.csv", sha: "a")) { batch in
            expectOutcome(try batch.add(reading(hour: 0, value: 0.5)), .accepted)
            expectOutcome(try batch.add(reading(hour: 1, value: 0.6)), .accepted)
            expectOutcome(try batch.add(reading(hour: 1, value: 0.6)), .duplicate)
            return parsed
        }
        guard case .ingested(let counts) = first else { Issue.record("not ingested"); return }
        #expect(counts == FileCounts(accepted: 2, duplicates: 1, conflicts: 0, quarantined: 0))

        _ = try store.ingest(file("b.csv", sha: "b")) { batch in
            expectOutcome(try batch.add(reading(hour: 0, value: 0.5)), .duplicate)
            expectOutcome(try batch.add(reading(hour: 1, value: 0.9, line: 7)), .conflict)
            expectOutcome(try batch.add(reading(hour: 1, value: 0.6, censored: true)), .conflict)
            return parsed
        }
        #expect(try store.readingCount() == 2)
        #expect(try store.conflictCount() == 2)
        let conflict = try #require(try store.conflicts().first)
        #expect(conflict.storedValue == 0.6)
        #expect(conflict.value == 0.9)
        #expect(conflict.file == "b.csv")
        #expect(conflict.line == 7)
    }

    @Test("the saved network keeps a source's surveyed coordinates, and their absence")
    func sourceCoordinates() throws {
        let store = try ReadingStore.inMemory()
        let network = Network(rivers: [River("M")], points: [MonitoringPoint("M-01", riverID: "M", kilometre: 1)],
                              sources: [RegisteredSource(id: "S1", name: "厂", kind: "enterprise", riverID: "M", kilometre: 3,
                                                         signature: .industrial, latitude: 31.81234, longitude: 119.93456),
                                        RegisteredSource(id: "S2", name: "口", kind: "outfall", riverID: "M", kilometre: 4,
                                                         signature: .domestic)])
        try store.saveNetwork(network)
        let saved = try #require(try store.savedNetwork())
        #expect(saved.sources.sorted { $0.id < $1.id } == network.sources)
    }

    @Test("a file with content already in the ledger is not read again")
    func ledger() throws {
        let store = try ReadingStore.inMemory()
        _ = try store.ingest(file("a.csv", sha: "same")) { batch in
            try batch.add(reading(hour: 0, value: 0.5))
            return parsed
        }
        var called = false
        let again = try store.ingest(file("copy-of-a.csv", sha: "same")) { _ in
            called = true
            return parsed
        }
        guard case .alreadyIngested(let entry) = again else { Issue.record("ingested twice"); return }
        #expect(entry.path == "a.csv")
        #expect(!called)
        #expect(try store.ledger().count == 1)
    }

    @Test("an error mid-file leaves the store as it was before the file")
    func rollbackOnError() throws {
        struct Crash: Error {}
        let store = try ReadingStore.inMemory()
        #expect(throws: Crash.self) {
            _ = try store.ingest(file("a.csv", sha: "a")) { batch in
                for hour in 0..<100 { try batch.add(reading(hour: hour, value: 0.5)) }
                try batch.quarantine(Rejection(line: 3, column: nil, raw: "x", reason: .unknownPoint(found: "x")))
                throw Crash()
            }
        }
        #expect(try store.readingCount() == 0)
        #expect(try store.ledger().isEmpty)
        #expect(try store.quarantineCounts().isEmpty)
    }

    @Test("a dry run sees duplicates against the store but writes nothing")
    func dryRun() throws {
        let store = try ReadingStore.inMemory()
        _ = try store.ingest(file("a.csv", sha: "a")) { batch in
            try batch.add(reading(hour: 0, value: 0.5))
            return parsed
        }
        let outcome = try store.ingest(file("b.csv", sha: "b"), commit: false) { batch in
            expectOutcome(try batch.add(reading(hour: 0, value: 0.5)), .duplicate)
            expectOutcome(try batch.add(reading(hour: 5, value: 0.5)), .accepted)
            return parsed
        }
        guard case .ingested(let counts) = outcome else { Issue.record("not run"); return }
        #expect(counts.accepted == 1 && counts.duplicates == 1)
        #expect(try store.readingCount() == 1)
        #expect(try store.ledger().count == 1)
    }

    @Test("the store file survives reopening with its schema (migrations are idempotent)")
    func reopen() throws {
        let path = try scratchPath("s.sqlite")
        do {
            let store = try ReadingStore(path: path)
            _ = try store.ingest(file("a.csv", sha: "a")) { batch in
                try batch.add(reading(hour: 0, value: 0.5))
                return parsed
            }
        }
        let reopened = try ReadingStore(path: path)
        #expect(try reopened.readingCount() == 1)
        let coverage = try reopened.coverage()
        #expect(coverage.count == 1)
        #expect(coverage.first?.pointID == "M-01")
    }

    @Test("completeness: 3 readings over a 4-hour hourly span is 60 %")
    func completeness() throws {
        let store = try ReadingStore.inMemory()
        _ = try store.ingest(file("a.csv", sha: "a")) { batch in
            for hour in [0, 1, 4] { try batch.add(reading(hour: hour, value: 0.5)) }
            return parsed
        }
        let series = try #require(try store.coverage().first)
        #expect(series.typicalIntervalSeconds == 3_600)
        #expect(abs(series.completeness - 0.6) < 1e-12)
    }
}

@Suite("the store: several files in one transaction")
struct IngestTransactionTests {
    private struct ReadFailed: Error {}

    @Test("files in one transaction judge each other as files committed one by one do: duplicates, conflicts, a re-sent copy")
    func filesSeeEachOther() throws {
        let store = try ReadingStore.inMemory()
        let outcomes = try store.ingestFiles { files in
            [try files.ingest(file("a.csv", sha: "a")) { batch in
                try batch.add(reading(hour: 0, value: 0.5))
                return parsed
            },
             try files.ingest(file("b.csv", sha: "b")) { batch in
                expectOutcome(try batch.add(reading(hour: 0, value: 0.5)), .duplicate)
                expectOutcome(try batch.add(reading(hour: 0, value: 0.7)), .conflict)
                expectOutcome(try batch.add(reading(hour: 1, value: 0.8)), .accepted)
                return parsed
            },
             try files.ingest(file("copy-of-a.csv", sha: "a")) { _ in
                Issue.record("a file whose content the transaction holds is not read")
                return parsed
            }]
        }
        guard case .alreadyIngested(let existing) = outcomes[2] else { Issue.record("the copy was written"); return }
        #expect(existing.path == "a.csv")
        #expect(try store.readingCount() == 2)
        #expect(try store.conflictCount() == 1)
        #expect(try store.ledger().map(\.path) == ["a.csv", "b.csv"])
    }

    @Test("a file that fails half-way spoils its transaction: nothing of it, or of the files before it, is committed")
    func failedFileRollsBack() throws {
        let store = try ReadingStore.inMemory()
        #expect(throws: AbandonedFileError.self) {
            try store.ingestFiles { files in
                _ = try files.ingest(file("a.csv", sha: "a")) { batch in
                    try batch.add(reading(hour: 0, value: 0.5))
                    return parsed
                }
                _ = try? files.ingest(file("b.csv", sha: "b")) { batch in
                    try batch.add(reading(hour: 1, value: 0.6))
                    throw ReadFailed()
                }
                // The caller swallowed the failure: the transaction refuses more files and is not committed.
                _ = try files.ingest(file("c.csv", sha: "c")) { _ in parsed }
            }
        }
        #expect(try store.readingCount() == 0)
        #expect(try store.ledger().isEmpty)
        // The store takes files again afterwards, series ids included.
        _ = try store.ingest(file("a.csv", sha: "a")) { batch in
            try batch.add(reading(hour: 0, value: 0.5))
            return parsed
        }
        #expect(try store.readingCount() == 1)
    }
}
