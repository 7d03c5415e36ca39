@preconcurrency import Glibc
import Foundation

/// Standard output that fails loudly: under cron it is a log file, and a full disk must be an error with its reason
/// (exit 1), not lost lines and exit 0. (A reader that closed the pipe still ends the process by SIGPIPE, as for any
/// Unix tool.)
enum StandardOutput {
    /// C's `stdout`, which `print` writes through; only the main thread writes to it.
    nonisolated(unsafe) static let stream = stdout

    struct WriteError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot write to standard output: \(reason)" }

        /// The error `errno` names.
        static var current: WriteError { WriteError(reason: String(cString: strerror(errno))) }
    }

    /// Whether a ``write(_:)`` has failed: its error has been thrown to the command (and reported with it).
    nonisolated(unsafe) private(set) static var hasFailed = false

    /// Writes `data` through the same buffer `print` uses.
    static func write(_ data: Data) throws {
        let written = data.withUnsafeBytes { bytes in fwrite(bytes.baseAddress, 1, bytes.count, stream) }
        if written < data.count {
            hasFailed = true
            throw WriteError.current
        }
    }

    /// Writes out what is buffered; throws when it, or an earlier write, could not be written.
    static func flush() throws {
        if fflush(stream) != 0 || ferror(stream) != 0 { throw WriteError.current }
    }
}
