import Foundation
import RiverModel
import Store
import Testing

@Suite("runs killed before their analysis")
struct InterruptedRunTests {
    private func ingest(_ store: ReadingStore, _ name: String, hour: Int) throws {
        _ = try store.ingest(FileDescription(path: name, byteCount: 1, sha256: name, encoding: "utf-8", delimiter: "comma")) { batch in
            try batch.add(Reading(pointID: "M-01", parameter: .ammoniaNitrogen,
                                  time: Date(timeIntervalSince1970: TimeInterval(1_791_417_600 + hour * 3_600)), value: 0.5, line: 2))
            return FileParseResult(layout: "long", records: 1, notes: [])
        }
    }

    @Test("the files a killed run stored are handed to the next run, and only until a run finishes")
    func killedRunsFiles() throws {
        let store = try ReadingStore.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try store.beginRun(at: now)
        try ingest(store, "a.csv", hour: 0)
        try store.finishRun(first, at: now, exitCode: 0, summary: "{}")

        let killed = try store.beginRun(at: now)
        try ingest(store, "b.csv", hour: 5)  // stored, then the run was killed: no finishRun
        _ = killed
        let next = try store.beginRun(at: now)
        try ingest(store, "c.csv", hour: 9)
        // b.csv (the killed run's) and c.csv (stored after the killed run began); not a.csv, analysed by the first run.
        let spans = try store.readingTimeSpansOfInterruptedRuns(current: next)
        #expect(spans.map(\.first) == [5, 9].map { Date(timeIntervalSince1970: TimeInterval(1_791_417_600 + $0 * 3_600)) })
        try store.finishRun(next, at: now, exitCode: 0, summary: "{}")

        let later = try store.beginRun(at: now)
        #expect(try store.readingTimeSpansOfInterruptedRuns(current: later).isEmpty)
    }
}
