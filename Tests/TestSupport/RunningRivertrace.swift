import Foundation
import Testing

/// What a finished process gave back.
public typealias ProcessResult = (status: Int32, out: String, err: String)

/// The rivertrace executable `swift build --build-tests` built beside the test bundle.
public func rivertraceExecutable() -> URL? {
    let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                      repositoryRoot.appendingPathComponent(".build/debug")]
    return candidates.map { $0.appendingPathComponent("rivertrace") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs `executable` with `arguments` (in `directory` when given) and collects its exit status and output. Output goes
/// to files, not pipes, so a chatty standard error never blocks the child while standard output is read; a child that
/// outlives `timeout` is killed and recorded as a test issue (a hang fails the test instead of the run).
public func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                timeout: TimeInterval = 600) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rivertrace-test-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outPath = folder.appendingPathComponent("out"), errPath = folder.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outPath.path, contents: nil)
    FileManager.default.createFile(atPath: errPath.path, contents: nil)
    let out = try FileHandle(forWritingTo: outPath), err = try FileHandle(forWritingTo: errPath)
    defer { try? out.close(); try? err.close() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s: killed")
    }
    process.waitUntilExit()
    let outText = String(decoding: (try? Data(contentsOf: outPath)) ?? Data(), as: UTF8.self)
    let errText = String(decoding: (try? Data(contentsOf: errPath)) ?? Data(), as: UTF8.self)
    return (process.terminationStatus, outText, errText)
}

/// Runs the built rivertrace with `arguments`, in `directory` (its current directory) when given.
public func rivertrace(_ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
    try run(try #require(rivertraceExecutable(), "the rivertrace executable is built by swift test"), arguments, in: directory)
}

/// Runs the built rivertrace as the unprivileged user `nobody` when the tests run as root (root ignores file
/// permissions, so a permission test needs another user), else as is.
public func rivertraceUnprivileged(_ arguments: [String]) throws -> ProcessResult {
    let binary = try #require(rivertraceExecutable())
    guard getuid() == 0 else { return try rivertrace(arguments) }
    return try run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                   ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments)
}

/// Starts the built rivertrace without waiting for it; output discarded.
public func startRivertrace(_ arguments: [String]) throws -> Process {
    let binary = try #require(rivertraceExecutable(), "the rivertrace executable is built by swift test")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits (up to two minutes) until `process` has read more than `bytes` bytes (Linux /proc/PID/io) or has ended:
/// a way to be inside its transaction without a hook in the product.
public func waitUntil(_ process: Process, hasRead bytes: Int) {
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline, process.isRunning {
        let io = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8)) ?? ""
        let read = io.split(separator: "\n").first { $0.hasPrefix("rchar:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        if read > bytes { return }
        usleep(2_000)
    }
}
