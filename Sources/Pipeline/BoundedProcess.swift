import Foundation

/// A program run to its end or killed at a deadline, standard input closed and its output (standard output and
/// error together) kept in a file rather than a pipe, so a talkative program never blocks on a full pipe.
struct BoundedProcess {
    /// How a run ended.
    enum Outcome {
        /// It exited with `status`; `output` is the last bytes it wrote.
        case exited(status: Int32, output: String)
        /// It outlived the timeout and was killed.
        case timedOut
        /// It could not be started: the reason.
        case notStarted(String)
    }

    var executable: URL
    var arguments: [String]
    var environment: [String: String]? = nil
    var timeout: TimeInterval
    /// How much of the end of the output is kept.
    var keptBytes = 400

    func run() -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("rivertrace-child-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: capture) }
        guard FileManager.default.createFile(atPath: capture.path, contents: nil),
              let output = try? FileHandle(forWritingTo: capture) else {
            return .notStarted("cannot create a file for the output in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return .notStarted("cannot start \(executable.path): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            // A browser starts helpers (renderer, zygote) of its own: they go too, children first seen first.
            let family = Self.descendants(of: process.processIdentifier)
            kill(process.processIdentifier, SIGKILL)
            for child in family { kill(child, SIGKILL) }
            process.waitUntilExit()
            return .timedOut
        }
        let said = String(decoding: ((try? Data(contentsOf: capture)) ?? Data()).suffix(keptBytes), as: UTF8.self)
        return .exited(status: process.terminationStatus, output: said.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The processes below `pid` (children, their children, …), read from Linux's /proc; empty elsewhere.
    static func descendants(of pid: pid_t) -> [pid_t] {
        var parents: [pid_t: [pid_t]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  // "pid (command) state ppid …": the command may hold spaces and parentheses, so read after the last ")".
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = pid_t(fields[1]) else { continue }
            parents[parent, default: []].append(child)
        }
        var found: [pid_t] = []
        var queue = [pid]
        while let next = queue.popLast() {
            for child in parents[next] ?? [] where !found.contains(child) {
                found.append(child)
                queue.append(child)
            }
        }
        return found
    }
}
