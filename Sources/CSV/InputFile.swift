import Glibc
import SystemPackage

/// A file opened once for every pass over it (sniffing, hashing, parsing), so that all passes read the same
/// inode, and which can tell whether it changed while it was being read.
///
/// Only regular files are opened: a FIFO, a device or a socket named `*.csv` is refused before any read (a FIFO
/// would block the run until a writer came; `/dev/zero` would never end). Reads go through ``ReadStallGuard``, so a
/// read that does not return (a hung network mount) is bounded in time.
public final class InputFile: Sendable {
    /// The path as given.
    public let path: String
    /// What the file looked like when it was opened.
    public let openedAs: FileIdentity
    private let descriptor: FileDescriptor

    /// Opens `path` for reading.
    /// - Throws: ``InputFileError`` when the path is not a regular file or cannot be opened.
    public init(path: String) throws {
        self.path = path
        let opened: FileDescriptor
        do {
            // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer; cleared below.
            opened = try ReadStallGuard.shared.watch(path) {
                try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking, .closeOnExec])
            }
        } catch let errno as Errno {
            throw InputFileError(path: path, reason: .cannotOpen(errno))
        }
        do {
            let status = try opened.stat()
            guard status.type == .regular else {
                throw InputFileError(path: path, reason: .notRegular(kind: FileIdentity.kindName(status.type)))
            }
            let flags = fcntl(opened.rawValue, F_GETFL)
            _ = fcntl(opened.rawValue, F_SETFL, flags & ~O_NONBLOCK)
            openedAs = FileIdentity(status)
        } catch let error as InputFileError {
            try? opened.close()
            throw error
        } catch let errno as Errno {
            try? opened.close()
            throw InputFileError(path: path, reason: .readFailed(errno))
        }
        descriptor = opened
    }

    deinit {
        try? descriptor.close()
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    /// - Throws: ``InputFileError`` on an I/O error.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count: Int
            do {
                count = try ReadStallGuard.shared.watch(path) {
                    try descriptor.read(fromAbsoluteOffset: Int64(offset + filled),
                                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                        retryOnInterrupt: true)
                }
            } catch let errno as Errno {
                throw InputFileError(path: path, reason: .readFailed(errno))
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Reads the whole file from the start in blocks of `blockSize` bytes, handing each to `body`.
    public func forEachBlock(blockSize: Int, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var block = [UInt8](repeating: 0, count: blockSize)
        var offset = 0
        while true {
            let count = try block.withUnsafeMutableBytes { try read(into: $0, at: offset) }
            if count == 0 { return }
            offset += count
            try body(block[0..<count])
            if count < blockSize { return }
        }
    }

    /// What the file looks like now (through the open descriptor: a file renamed over the path is not seen).
    public func currentIdentity() throws -> FileIdentity {
        do {
            return FileIdentity(try descriptor.stat())
        } catch {
            throw InputFileError(path: path, reason: .readFailed(error))
        }
    }

    /// Nil when the file's size and modification time are what they were when it was opened; else what changed.
    public func changeSinceOpened() throws -> String? {
        let now = try currentIdentity()
        if now.byteCount != openedAs.byteCount {
            return "its size changed from \(openedAs.byteCount) to \(now.byteCount) bytes while it was read"
        }
        if now.modified != openedAs.modified { return "it was modified while it was read" }
        return nil
    }
}

/// The facts about a file that tell whether it changed: size and modification time (nanoseconds).
public struct FileIdentity: Sendable, Equatable {
    public var byteCount: Int
    /// Seconds and nanoseconds since 1970 of the last modification.
    public var modified: Int64
    public var modifiedNanoseconds: Int64

    init(_ status: Stat) {
        byteCount = Int(status.size)
        modified = Int64(status.rawValue.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(status.rawValue.st_mtim.tv_nsec)
    }

    static func kindName(_ type: FileType) -> String {
        switch type {
        case .directory: "a folder"
        case .fifo: "a FIFO (named pipe)"
        case .characterSpecial: "a character device"
        case .blockSpecial: "a block device"
        case .socket: "a socket"
        case .symbolicLink: "a symbolic link"
        default: "not a regular file"
        }
    }
}

/// Why a file could not be read at all (its rows are neither stored nor quarantined; the next run tries again).
public struct InputFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kinds of failure.
    public enum Reason: Sendable, Equatable {
        /// A FIFO, device, socket or folder where a file was expected.
        case notRegular(kind: String)
        case cannotOpen(Errno)
        case readFailed(Errno)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// What went wrong and what to do, without the path.
    public var message: String {
        switch reason {
        case .notRegular(let kind):
            "\(kind), not a regular file: not read (save the export to a file first)"
        case .cannotOpen(let errno) where errno == .permissionDenied:
            "cannot open: permission denied (the user running rivertrace needs read access)"
        case .cannotOpen(let errno) where errno == .noSuchFileOrDirectory:
            "cannot open: no such file (a dangling symbolic link, or removed while the run was listing the folder)"
        case .cannotOpen(let errno):
            "cannot open: \(errno.description)"
        case .readFailed(let errno):
            "read error: \(errno.description) (a failing disk or network mount?)"
        }
    }

    public var description: String { "\(path): \(message)" }
}
