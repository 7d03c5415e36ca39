import GRDB
import SystemPackage

/// Why the store cannot be used, in words a person on call can act on (never a raw SQLite message).
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kinds of failure.
    public enum Kind: Sendable, Equatable {
        /// Nothing at the path, and the command does not create stores.
        case missing
        /// The file or its folder cannot be opened (permissions, a missing folder): the system's words.
        case cannotOpen(String)
        /// Something is at the path, but it is not a rivertrace store: why.
        case notAStore(String)
        /// The store was written by a newer rivertrace: the schema steps this binary does not know.
        case newerSchema(unknownSteps: [String], knownUpTo: String)
        /// The store's schema lacks steps this binary has, and the command never changes a store (`check`).
        case olderSchema(missingSteps: [String])
        /// The store (or its folder, or its file system) cannot be written.
        case readOnly
        /// The disk is full, or the process's file-size limit was reached.
        case full
        /// Another process held the store's write lock for longer than the busy timeout.
        case busy(seconds: Int)
        /// The store file is damaged.
        case damaged(String)
        /// An I/O error of the file system under the store.
        case inputOutput(String)
        /// Any other SQLite failure: its code and message, for a bug report.
        case other(code: Int32, message: String)
    }

    /// The store's path.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The failure as a ``StoreError``, when it is one of SQLite's; nil for other errors.
    public init?(_ error: any Error, path: String, busyTimeout: Double = 0) {
        if let error = error as? StoreError {
            self = error
            return
        }
        self.path = path
        if let errno = error as? Errno {
            kind = .cannotOpen(errno.description)
            return
        }
        guard let error = error as? DatabaseError else { return nil }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_READONLY, .SQLITE_PERM: kind = .readOnly
        case .SQLITE_CANTOPEN: kind = .cannotOpen(detail)
        case .SQLITE_FULL: kind = .full
        case .SQLITE_BUSY, .SQLITE_LOCKED: kind = .busy(seconds: Int(busyTimeout))
        case .SQLITE_CORRUPT: kind = .damaged(detail)
        case .SQLITE_NOTADB: kind = .notAStore("the file is not an SQLite database")
        case .SQLITE_IOERR: kind = .inputOutput(detail)
        default: kind = .other(code: error.resultCode.rawValue, message: detail)
        }
    }

    /// What went wrong and what to do.
    public var message: String {
        switch kind {
        case .missing:
            "no store here yet: run `rivertrace ingest` first (or give --store)"
        case .cannotOpen(let detail):
            "the store cannot be opened (\(detail)): check the path, and that the user running rivertrace may read "
                + "and write the file and its folder"
        case .notAStore(let why):
            "not a rivertrace store (\(why)): give the right --store, or move this file away; rivertrace never "
                + "turns another file into a store"
        case .newerSchema(let unknown, let known):
            "the store was written by a newer rivertrace (schema steps this one does not know: "
                + unknown.map { "\"\($0)\"" }.joined(separator: ", ") + "; it knows up to \"\(known)\"): "
                + "install the newer rivertrace; nothing was written"
        case .olderSchema(let missing):
            "the store's schema is older than this rivertrace's (missing: "
                + missing.map { "\"\($0)\"" }.joined(separator: ", ")
                + "): `rivertrace ingest` brings it up to date; check never changes a store"
        case .readOnly:
            "the store cannot be written (a read-only file, folder or file system, or the user running rivertrace "
                + "lacks write permission on the file and its folder): nothing was written; the next run tries again"
        case .full:
            "the disk is full (or the file-size limit, ulimit -f, was reached): the file in progress was rolled "
                + "back and nothing of it is stored; free space and run again, the file is read again then"
        case .busy(let seconds):
            "another process held the store's write lock for more than \(seconds) s: nothing was written; "
                + "see which rivertrace or sqlite3 process holds it"
        case .damaged(let detail):
            "the store file is damaged (\(detail)): restore it from a backup (docs/operations.md, Backup)"
        case .inputOutput(let detail):
            "an I/O error under the store (\(detail); a failing disk, a full disk or a file-size limit?): the file "
                + "in progress was rolled back; check the disk, then run again"
        case .other(let code, let message):
            "SQLite failed (code \(code): \(message))"
        }
    }

    public var description: String { "\(path): \(message)" }
}
