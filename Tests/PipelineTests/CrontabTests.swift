import Foundation
import TestSupport
import Testing

/// The crontab line of docs/operations.md, run as cron runs it.
@Suite("deployment: the documented crontab line works when pasted")
struct CrontabTests {
    /// The line after the `<!-- crontab: tested … -->` marker's code fence.
    static func documentedLine() throws -> String {
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let marker = try #require(lines.firstIndex { $0.hasPrefix("<!-- crontab: tested") }, "the marker is in docs/operations.md")
        let line = try #require(lines[(marker + 2)...].first { !$0.hasPrefix("#") && !$0.isEmpty })
        #expect(lines[marker + 1].hasPrefix("```"))
        return line
    }

    @Test("under env -i with cron's PATH, from /, the line ingests the inbox, archives it, writes the month's report and logs")
    func pastedLine() throws {
        let line = try Self.documentedLine()
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(line), "the README shows the same crontab line as docs/operations.md")
        // Five schedule fields, then the command as cron hands it to /bin/sh.
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        try #require(fields.count == 6)
        #expect(fields[0...4].joined(separator: " ") == "7 * * * *")
        let root = try scratchFolder("crontab")
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try #require(rivertraceExecutable())
        let setUp = try rivertrace(["init", root.path, "--network-from", fixtureNetworkPath])
        #expect(setUp.status == 0, "\(setUp.err)")
        let dump = longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,do,7.0,mg/L,N\n"
        let inbox = root.appendingPathComponent("inbox/station.csv")
        try Data(dump.utf8).write(to: inbox)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: inbox.path)
        let command = String(fields[5])
            .replacingOccurrences(of: "/usr/local/bin/rivertrace", with: binary.path)
            .replacingOccurrences(of: "/srv/rivertrace", with: root.path)
        let cron = Process()
        cron.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cron.arguments = ["-i", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", "HOME=\(root.path)", "LOGNAME=rivertrace",
                          "/bin/sh", "-c", command]
        cron.currentDirectoryURL = URL(fileURLWithPath: "/")
        try cron.run()
        cron.waitUntilExit()
        #expect(cron.terminationStatus == 0)
        let log = (try? String(contentsOf: root.appendingPathComponent("run.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains("error"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("archive").path))
        let archived = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("archive").path)
        #expect(archived.contains { $0.hasSuffix("/station.csv") })
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("reports/2026-10/report.md").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("var/rivertrace.sqlite").path))
        // Nothing was written where cron stood.
        #expect(!FileManager.default.fileExists(atPath: "/rivertrace.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: "/reports"))
        // Run again, with a verbose log this time: nothing new, exit 0, and the log says what it did.
        let again = Process()
        again.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        again.arguments = ["-i", "PATH=/usr/bin:/bin", "/bin/sh", "-c", command.replacingOccurrences(of: " --quiet", with: "")]
        again.currentDirectoryURL = URL(fileURLWithPath: "/")
        try again.run()
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        let after = try String(contentsOf: root.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(after.contains("info run: done"))
    }

    @Test("a second run while one holds the lock exits 75 and names the holder")
    func lockedRunExits75() throws {
        let root = try scratchFolder("run-75")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try rivertrace(["init", root.path, "--network-from", fixtureNetworkPath]).status == 0)
        let lockPath = root.appendingPathComponent("var/rivertrace.sqlite.run-lock").path
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>\"$0\" && flock 9 && printf 'pid=%s\\nstarted=2026-12-03T08:00:00Z\\n' $$ >&9 && exec sleep 30", lockPath]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        var result = try rivertrace(["run", "--config", root.appendingPathComponent("rivertrace.toml").path])
        for _ in 0..<100 where result.status != 75 {
            usleep(20_000)
            result = try rivertrace(["run", "--config", root.appendingPathComponent("rivertrace.toml").path])
        }
        #expect(result.status == 75)
        #expect(result.err.contains("another run holds the lock"))
        #expect(result.err.contains("pid \(holder.processIdentifier)"))
    }
}

@Suite("run under kill -9: every interrupted run leaves the installation as one clean run does")
struct RunKillTests {
    static let network = sampleNetworkPath

    /// An installation of the sample district with three simulated days in its inbox, settled.
    static func installation(_ prefix: String, dumps: URL) throws -> URL {
        let root = try scratchFolder(prefix)
        #expect(try rivertrace(["init", root.path, "--network-from", network]).status == 0)
        let inbox = root.appendingPathComponent("inbox")
        for name in try FileManager.default.subpathsOfDirectory(atPath: dumps.path) where name.hasSuffix(".csv") {
            let target = inbox.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_"))
            try FileManager.default.copyItem(at: dumps.appendingPathComponent(name), to: target)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: target.path)
        }
        return root
    }

    /// What an installation holds: readings and ledger rows, file names in the inbox and archive, open alert ids.
    static func state(_ root: URL) throws -> [String] {
        let config = root.appendingPathComponent("rivertrace.toml").path
        let status = try rivertrace(["alerts", "--config", config, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any]
        let open = (object?["open"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
        let files = { (folder: String) in
            ((try? FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
                .filter { $0.hasSuffix(".csv") }.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
        }
        let info = try rivertrace(["status", "--config", config])
        let firstLine = info.out.split(separator: "\n").first.map(String.init) ?? ""
        return [firstLine.replacingOccurrences(of: root.path, with: "ROOT")] + ["inbox"] + files("inbox")
            + ["archive"] + files("archive") + ["alerts"] + open
    }

    @Test("kill -9 at three points of a run, then a run: the same store, archive and alerts as one uninterrupted run")
    func killLoop() throws {
        let dumps = try scratchFolder("run-kill-dumps")
        defer { try? FileManager.default.removeItem(at: dumps) }
        let simulated = try rivertrace(["simulate", "--network", Self.network, "--scenario", "demo", "--start", "2026-10-01",
                                        "--days", "4", "--out", dumps.path])
        try #require(simulated.status == 0)
        let reference = try Self.installation("run-kill-ref", dumps: dumps)
        defer { try? FileManager.default.removeItem(at: reference) }
        let referenceRun = try rivertrace(["run", "--config", reference.appendingPathComponent("rivertrace.toml").path])
        #expect([0, 3].contains(referenceRun.status), "\(referenceRun.err)")

        let subject = try Self.installation("run-kill", dumps: dumps)
        defer { try? FileManager.default.removeItem(at: subject) }
        let config = subject.appendingPathComponent("rivertrace.toml").path
        var killedMidRun = 0
        for bytes in [200_000, 1_500_000, 4_000_000] {
            let process = try startRivertrace(["run", "--config", config])
            waitUntil(process, hasRead: bytes)
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(killedMidRun >= 2, "the kills must land inside runs to test anything")
        let last = try rivertrace(["run", "--config", config])
        #expect([0, 3].contains(last.status), "\(last.err)")
        let (subjectState, referenceState) = (try Self.state(subject), try Self.state(reference))
        #expect(subjectState == referenceState)
    }
}
