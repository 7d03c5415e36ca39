import Foundation
import Testing

/// Runs the built rivertrace in `directory` (its current directory) with `arguments`.
func rivertrace(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
    let binary = try #require(rivertraceExecutable(), "the rivertrace executable is built by swift test")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// A fresh empty folder under the temporary directory.
func freshFolder(_ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Issue 14: faults and hostile input on a server nobody watches. Each test names the fault it reproduces.
@Suite("robustness: paths, files and stores that go wrong")
struct RobustnessTests {
    let network = repositoryRoot.appendingPathComponent("Tests/Fixtures/network").path

    @Test("a one-character store path (x, ~) is a store in the current folder, not a crash", arguments: ["x", "~"])
    func oneCharacterStore(_ name: String) throws {
        let folder = try freshFolder("onechar")
        let path = try dump(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        let result = try rivertrace(["ingest", "--store", name, "--network", network, path], in: folder)
        #expect(result.status == 0, "\(result.err)")
        #expect(!result.err.contains("crashed"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
    }

    @Test("--config . names the folder and exits 1, no crash")
    func configIsAFolder() throws {
        let folder = try freshFolder("onechar")
        let result = try rivertrace(["status", "--config", "."], in: folder)
        #expect(result.status == 1)
        #expect(result.err.contains("rivertrace: error: .:"))
        #expect(!result.err.contains("crashed"))
    }
}
