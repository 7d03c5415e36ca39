import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing

/// Issue 14.11: the store file is checked before it is used, and never made out of something else.
@Suite("the store file: what is and is not a rivertrace store")
struct StoreFileTests {
    func kind(of path: String, _ access: StoreAccess) -> StoreError.Kind? {
        do {
            _ = try ReadingStore(path: path, access: access)
            return nil
        } catch let error as StoreError {
            return error.kind
        } catch {
            Issue.record("not a StoreError: \(error)")
            return nil
        }
    }

    @Test("an empty file, a CSV and a folder are refused with what they are, for every kind of access, and left as they were",
          arguments: [StoreAccess.create, .existing, .inspect])
    func notSQLite(access: StoreAccess) throws {
        let empty = try scratchPath("s.sqlite")
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(kind(of: empty, access) == .notAStore("it is an empty file"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)

        let csv = try scratchPath("readings.csv")
        let text = Data("point_id,time,parameter,value\nM-01,2026-10-08 13:00,do,7.1\n".utf8)
        try text.write(to: URL(fileURLWithPath: csv))
        #expect(kind(of: csv, access) == .notAStore("it is not an SQLite database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: csv)) == text)

        let folder = try scratchPath("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect(kind(of: folder, access) == .notAStore("it is a folder"))
    }

    @Test("another program's SQLite database is refused and not switched to WAL", arguments: [StoreAccess.create, .existing, .inspect])
    func foreignDatabase(access: StoreAccess) throws {
        let path = try scratchPath("other.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(kind(of: path, access) == .notAStore("an SQLite database without rivertrace's tables"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "delete")
    }

    @Test("a store of a newer rivertrace is refused, naming the step this binary does not know", arguments: [StoreAccess.create, .existing, .inspect])
    func newerSchema(access: StoreAccess) throws {
        let path = try scratchPath("s.sqlite")
        _ = try ReadingStore(path: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99: from the future')") }
        #expect(kind(of: path, access) == .newerSchema(unknownSteps: ["v99: from the future"],
                                                      knownUpTo: ReadingStore.migrator.migrations.last!))
    }

    @Test("check refuses an older store and leaves it as it was; ingest and the readers bring it up to date")
    func olderSchema() throws {
        let path = try scratchPath("s.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try ReadingStore.migrator.migrate(queue, upTo: ReadingStore.firstStep)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let missing = Array(ReadingStore.migrator.migrations.dropFirst())
        #expect(!missing.isEmpty)
        #expect(kind(of: path, .inspect) == .olderSchema(missingSteps: missing))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        _ = try ReadingStore(path: path, access: .existing)
        #expect(kind(of: path, .inspect) == nil)
    }

    @Test("nothing at the path: readers and check say so and create nothing; ingest creates a complete store")
    func missing() throws {
        let path = try scratchPath("s.sqlite")
        #expect(kind(of: path, .existing) == .missing)
        #expect(kind(of: path, .inspect) == .missing)
        #expect(!FileManager.default.fileExists(atPath: path))
        let store = try ReadingStore(path: path, access: .create)
        #expect(try store.readingCount() == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        #expect(!names.contains { $0.contains(".new-") }, "the temporary store was linked into place and removed")
    }

    @Test("the messages name the path and what to do, never a raw SQLite code")
    func messages() {
        let error = StoreError(path: "var/rt.sqlite", kind: .notAStore("it is an empty file"))
        #expect(error.description.hasPrefix("var/rt.sqlite: not a rivertrace store (it is an empty file): give the right --store"))
        let full = StoreError(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"), path: "s.sqlite")
        #expect(full?.kind == .full)
        let readOnly = StoreError(DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database"),
                                  path: "s.sqlite")
        #expect(readOnly?.message.hasPrefix("the store cannot be written") == true)
    }
}
