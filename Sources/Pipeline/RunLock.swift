import Foundation
import Glibc

/// The unattended run's own lock: an exclusive `flock` on a file beside the store, held for the whole run.
///
/// The kernel drops the lock when the process ends in any way (exit, crash, `kill -9`), so a lock left by a killed
/// run never blocks the next one; the file's text (pid, start time) only names the holder in the message.
public final class RunLock {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Who holds a lock: as the holder wrote it when it took the lock.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32?
        public var startedAt: String?
        public var description: String {
            "pid \(pid.map(String.init) ?? "unknown"), started \(startedAt ?? "at an unknown time")"
        }
    }

    /// The outcome of trying to take the lock.
    public enum Attempt {
        case acquired(RunLock)
        /// Another process holds it.
        case held(by: Holder)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Tries once, without waiting.
    /// - Throws: ``PathError`` when the lock file cannot be opened or written (a folder that does not exist, no
    ///   permission).
    public static func acquire(path: String, now: Date = Date()) throws -> Attempt {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PathError(path: path, message: "cannot open the run lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            let text = readAll(descriptor)
            close(descriptor)
            guard busy else { throw PathError(path: path, message: "cannot take the run lock: \(reason)") }
            return .held(by: holder(from: text))
        }
        let stamp = ISO8601DateFormatter.string(from: now, timeZone: .current, formatOptions: [.withInternetDateTime])
        let text = "pid=\(getpid())\nstarted=\(stamp)\n"
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, text, text.utf8.count, 0) == text.utf8.count else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw PathError(path: path, message: "cannot write the run lock: \(reason)")
        }
        return .acquired(RunLock(path: path, descriptor: descriptor))
    }

    static func holder(from text: String) -> Holder {
        var holder = Holder()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("pid=") { holder.pid = Int32(line.dropFirst(4)) }
            if line.hasPrefix("started=") { holder.startedAt = String(line.dropFirst(8)) }
        }
        return holder
    }

    private static func readAll(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }
}
