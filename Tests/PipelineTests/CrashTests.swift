import Foundation
import Ingest
import Pipeline
import Store
import TestSupport
import Testing

@Suite("crash safety")
struct CrashTests {
    @Test("kill -9 in the middle of a file leaves the store as before the file; the next run ingests it whole")
    func killMidFile() throws {
        let binary = try #require(rivertraceExecutable(), "the rivertrace executable is built by swift test")
        let directory = try scratchFolder("crash")
        let dumpPath = directory.appendingPathComponent("big.csv").path
        let store = directory.appendingPathComponent("store.sqlite").path
        let parameters = ["temp", "ph", "do", "codmn", "nh3n", "tp", "tn", "cond", "turb"]
        let points = ["M-01", "M-02", "T-01"]
        let hours = 12_000
        _ = FileManager.default.createFile(atPath: dumpPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dumpPath))
        try handle.write(contentsOf: Data(longHeader.utf8))
        var chunk = ""
        for hour in 0..<hours {
            let stamp = String(format: "2020-01-%02d %02d:00", 1 + (hour / 24) % 28, hour % 24)
            let year = 2_020 + hour / (24 * 28 * 12)
            let month = 1 + (hour / (24 * 28)) % 12
            let time = String(format: "%04d-%02d-%@", year, month, String(stamp.dropFirst(8)))
            for point in points {
                for parameter in parameters { chunk += "\(point),\(time),\(parameter),\(hour % 97).5,,N\n" }
            }
            if chunk.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        try handle.close()
        let total = hours * points.count * parameters.count

        func run() throws -> Process {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["ingest", "--store", store, "--network",
                                 fixtureNetworkPath, dumpPath]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }

        let victim = try run()
        // The file is read twice: once to sniff and hash it, then inside its transaction to parse it. Kill
        // when the process has read 1.5 times the file (Linux /proc/PID/io): mid-transaction, without warning.
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: dumpPath)[.size] as? Int)
        waitUntil(victim, hasRead: fileSize * 3 / 2)
        let killedMidFile = victim.isRunning
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(killedMidFile, "the ingest finished before it could be killed: make the file bigger")

        let afterCrash = try ReadingStore(path: store)
        #expect(try afterCrash.readingCount() == 0)
        #expect(try afterCrash.ledger().isEmpty)

        let rerun = try run()
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        let afterRerun = try ReadingStore(path: store)
        #expect(try afterRerun.readingCount() == total)
        #expect(try afterRerun.ledger().count == 1)
    }
}
