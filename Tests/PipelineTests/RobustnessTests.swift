import Foundation
import Ingest
import Pipeline
import Store
import TestSupport
import Testing

/// Issue 14: faults and hostile input on a server nobody watches. Each test names the fault it reproduces.
@Suite("robustness: paths, files and stores that go wrong")
struct RobustnessTests {
    let network = fixtureNetworkPath

    @Test("a one-character store path (x, ~) is a store in the current folder, not a crash", arguments: ["x", "~"])
    func oneCharacterStore(_ name: String) throws {
        let folder = try scratchFolder("onechar")
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        let result = try rivertrace(["ingest", "--store", name, "--network", network, path], in: folder)
        #expect(result.status == 0, "\(result.err)")
        #expect(!result.err.contains("crashed"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
    }

    @Test("--config . names the folder and exits 1, no crash")
    func configIsAFolder() throws {
        let folder = try scratchFolder("onechar")
        let result = try rivertrace(["status", "--config", "."], in: folder)
        #expect(result.status == 1)
        #expect(result.err.contains("rivertrace: error: .:"))
        #expect(!result.err.contains("crashed"))
    }

    /// Runs rivertrace with its standard output on /dev/full: a cron log on a full disk.
    private func onFullDisk(_ arguments: [String]) throws -> ProcessResult {
        let binary = try #require(rivertraceExecutable())
        return try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" \"$@\" > /dev/full", binary.path] + arguments)
    }

    @Test("output that cannot be written (a full disk) is exit 1 with the reason, said once, not exit 0",
          arguments: [["simulate", "--days", "1"], ["analyze", "--period", "2026-10"], ["analyze", "--period", "2026-10", "--json"]])
    func fullDisk(_ arguments: [String]) throws {
        let folder = try scratchFolder("fulldisk")
        let store = folder.appendingPathComponent("store.sqlite").path
        let dump = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", network, dump]).status == 0)
        let where_ = arguments[0] == "simulate" ? ["--out", folder.appendingPathComponent("dumps").path]
            : ["--store", store, "--network", network]
        let result = try onFullDisk(arguments + where_)
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err.components(separatedBy: "cannot write to standard output: No space left on device").count == 2,
                "\(result.err)")
        #expect(!result.err.contains("crashed"))
    }
}

/// A long-format dump of `hours` hourly readings of DO at M-01 and M-02 from 2020-01-01, `offset` added to values.
func hourlyDump(hours: Int, offset: Double = 0) -> String {
    var text = longHeader
    let start = Date(timeIntervalSince1970: 1_577_808_000)  // 2020-01-01 00:00 +08:00
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
    for hour in 0..<hours {
        let time = formatter.string(from: start.addingTimeInterval(Double(hour) * 3_600))
        for point in ["M-01", "M-02"] { text += "\(point),\(time),do,\(Double(hour % 97) / 10 + offset),mg/L,N\n" }
    }
    return text
}

/// Makes a path readable (and its folders passable) for the unprivileged user.
func openUp(_ path: String, mode: Int = 0o777) {
    chmod(path, mode_t(mode))
}

@Suite("robustness: files that change, hang or cannot be read")
struct InputFileRobustnessTests {
    @Test("a file rewritten while it is parsed is not stored, is reported changed, and is read whole next run (14.1)",
          arguments: [0.0, 120.0])
    func rewrittenDuringParse(settle: Double) throws {
        let path = try scratchFile(hourlyDump(hours: 8_000))  // ≈ 480 kB: the parse reads it in two blocks
        if settle > 0 {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: path)
        }
        let store = try ReadingStore.inMemory()
        let job = IngestJob(store: store, network: fixtureNetwork, options: IngestOptions(), settleSeconds: settle)
        let rewritten = Flag()
        let report = try job.ingest(path: path, progress: { _, done, _ in
            // After the first block: the exporter writes the file again, in place, with other values.
            guard !rewritten.isSet else { return }
            rewritten.set()
            try? Data(hourlyDump(hours: 8_000, offset: 1).utf8).write(to: URL(fileURLWithPath: path))
        })
        #expect(rewritten.isSet)
        #expect(report.status == .changed)
        #expect(report.problem?.contains("the next run reads it again") == true)
        #expect(try store.readingCount() == 0)
        #expect(try store.ledger().isEmpty)

        if settle > 0 {
            #expect(try job.ingest(path: path).status == .unsettled, "the rewrite made the file new again")
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: path)
        }
        let again = try job.ingest(path: path)
        #expect(again.status == .ingested)
        #expect(again.accepted == 16_000)
        let first = try #require(try store.series(point: "M-01", parameter: .dissolvedOxygen).first?.value)
        #expect(first == 1.0, "the stored values are the rewritten file's (0.0 + 1)")
    }

    @Test("a file rewritten while it is parsed, sharing a transaction with others: they are stored once each, it is reported changed")
    func rewrittenAmongOthers() throws {
        let folder = try scratchFolder("shared-transaction")
        let before = folder.appendingPathComponent("a.csv").path
        let rewritten = folder.appendingPathComponent("b.csv").path
        let after = folder.appendingPathComponent("c.csv").path
        try Data((longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,do,7.2,mg/L,N\n").utf8)
            .write(to: URL(fileURLWithPath: before))
        try Data(hourlyDump(hours: 8_000).utf8).write(to: URL(fileURLWithPath: rewritten))
        try Data((longHeader + "M-02,2026-10-08 13:00,do,6.9,mg/L,N\n").utf8).write(to: URL(fileURLWithPath: after))
        let store = try ReadingStore.inMemory()
        let done = Flag()
        var reported: [String] = []
        let report = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions())
            .run(paths: [folder.path], progress: { path, _, _ in
                guard path == rewritten, !done.isSet else { return }
                done.set()
                try? Data(hourlyDump(hours: 8_000, offset: 1).utf8).write(to: URL(fileURLWithPath: rewritten))
            }, fileDone: { reported.append(URL(fileURLWithPath: $0.path).lastPathComponent) })
        #expect(done.isSet)
        #expect(report.files.map(\.status) == [.ingested, .changed, .ingested])
        #expect(reported == ["a.csv", "b.csv", "c.csv"], "each file reported once, in order")
        #expect(report.totals.accepted == 3)
        #expect(try store.readingCount() == 3)
        #expect(try store.ledger().map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["a.csv", "c.csv"])
    }

    @Test("a file that grows while it is parsed is reported changed, not stored half (14.1)")
    func appendedDuringParse() throws {
        let path = try scratchFile(hourlyDump(hours: 8_000))
        let store = try ReadingStore.inMemory()
        let appended = Flag()
        let report = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions())
            .ingest(path: path, progress: { _, _, _ in
                guard !appended.isSet else { return }
                appended.set()
                let handle = FileHandle(forWritingAtPath: path)!
                handle.seekToEndOfFile()
                handle.write(Data("M-01,2026-10-08 13:00,do,7.1,mg/L,N\n".utf8))
                try? handle.close()
            })
        #expect(report.status == .changed)
        #expect(try store.readingCount() == 0)
    }

    @Test("a FIFO and a link to /dev/zero named .csv are reported, never waited on; the other files are read (14.2)")
    func fifoAndDevice() throws {
        let folder = try scratchFolder("fifo")
        #expect(mkfifo(folder.appendingPathComponent("a_pipe.csv").path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("b_zero.csv").path,
                                                   withDestinationPath: "/dev/zero")
        try Data((longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n").utf8)
            .write(to: folder.appendingPathComponent("c_good.csv"))
        let store = try scratchPath("s.sqlite")
        let result = try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, folder.path])
        #expect(result.status == 3)
        #expect(result.out.contains("a_pipe.csv: NOT READ — a FIFO (named pipe), not a regular file"))
        #expect(result.out.contains("b_zero.csv: NOT READ — a character device, not a regular file"))
        #expect(result.out.contains("c_good.csv: utf-8, comma, long — 1 read, 1 accepted"))
        #expect(result.out.contains("2 NOT READ"))
    }

    @Test("a dangling link, a file and a folder without permission are reported with their reason; the run goes on (14.3)")
    func unreadableEntries() throws {
        let folder = try scratchFolder("unreadable")
        openUp(folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("a_gone.csv").path,
                                                   withDestinationPath: "/nonexistent/export.csv")
        let secret = folder.appendingPathComponent("b_secret.csv")
        try Data((longHeader + "M-01,2026-10-08 12:00,do,7.0,mg/L,N\n").utf8).write(to: secret)
        chmod(secret.path, 0o000)
        let locked = folder.appendingPathComponent("c_locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data((longHeader + "M-01,2026-10-08 11:00,do,7.0,mg/L,N\n").utf8).write(to: locked.appendingPathComponent("x.csv"))
        chmod(locked.path, 0o000)
        try Data((longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n").utf8).write(to: folder.appendingPathComponent("d_good.csv"))
        openUp(folder.appendingPathComponent("d_good.csv").path, mode: 0o644)
        let storeFolder = try scratchFolder("unreadable-store")
        openUp(storeFolder.path)
        let result = try rivertraceUnprivileged(["ingest", "--store", storeFolder.appendingPathComponent("s.sqlite").path,
                                                 "--network", fixtureNetworkPath, folder.path])
        defer { chmod(locked.path, 0o755) }
        #expect(result.status == 3, "\(result.err)")
        #expect(result.out.contains("a_gone.csv: NOT READ — a symbolic link to /nonexistent/export.csv, which does not exist"))
        #expect(result.out.contains("b_secret.csv: NOT READ — cannot open: permission denied"))
        #expect(result.out.contains("c_locked: NOT READ — cannot list the folder: Permission denied"))
        #expect(result.out.contains("d_good.csv: utf-8, comma, long — 1 read, 1 accepted"))
    }

    @Test("a 2 MB cell is quarantined as field_too_long with a short raw copy; the rows after it are read (14.4)")
    func longCell() throws {
        let cell = String(repeating: "9", count: 2_000_000)
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,do,\(cell),mg/L,N\n"
                            + "M-01,2026-10-08 15:00,do,7.2,mg/L,N\n")
        let (report, store) = try ingestOne(path)
        #expect(report.accepted == 2)
        #expect(report.quarantinedByReason == ["field_too_long": 1])
        let row = try #require(try quarantined(store).first)
        #expect(row.line == 3 && row.column == "value")
        #expect(row.message.hasPrefix("a field of 2000000 bytes, longer than the 65536"))
        #expect(row.raw.utf8.count < 17_000)
        let marked = row.raw.hasSuffix(" … [row truncated: 2000032 bytes in all, the first 16384 kept]")
        #expect(marked)
    }

    @Test("a CR-only file is read row by row with its line numbers; a bad row keeps only its own text (14.5)")
    func carriageReturnOnly() throws {
        var text = longHeader.replacingOccurrences(of: "\n", with: "\r")
        for hour in 0..<2_000 {
            text += hour == 1_000 ? "garbage\r" : "M-01,2026-10-08 \(hour % 24):\(String(format: "%02d", hour % 60)),do,7.1,mg/L,N\r"
        }
        let (report, store) = try ingestOne(try scratchFile(text))
        #expect(report.readingsRead == 2_000)
        #expect(report.quarantinedByReason == ["field_count": 1])
        let row = try #require(try quarantined(store).first)
        #expect(row.line == 1_002)
        #expect(row.raw == "garbage")
    }

    @Test("1.7e308 S/m overflows in µS/cm: quarantined as bad_value, nothing infinite stored, analyze --json works (14.6)")
    func nonFinite() throws {
        let storePath = try scratchPath("s.sqlite")
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,cond,1.7e308,S/m,N\nM-01,2026-10-08 14:00,cond,0.05,S/m,N\n"
                            + "M-01,2026-10-08 15:00,cond,1.7e308,µS/cm,N\n")
        let ingest = try rivertrace(["ingest", "--store", storePath, "--network", fixtureNetworkPath, path])
        #expect(ingest.status == 3)
        #expect(ingest.out.contains("bad_value 1"))
        #expect(ingest.out.contains("cond value \"1.7e308\" is out of range: no finite number in µS/cm"))
        let store = try ReadingStore(path: storePath, access: .existing)
        let values = try store.series(point: "M-01", parameter: .conductivity).compactMap(\.value)
        #expect(values == [500, 1.7e308])
        let analysis = try rivertrace(["analyze", "--period", "2026-10", "--json", "--store", storePath,
                                       "--network", fixtureNetworkPath])
        // Two readings of one point: partial data, said on standard error with exit 3; the JSON is still whole.
        #expect(analysis.status == 3, "\(analysis.err)")
        #expect(analysis.err.contains("the findings rest on partial data"))
        #expect((try? JSONSerialization.jsonObject(with: Data(analysis.out.utf8))) != nil)
    }

    @Test("a symlinked sub-folder is searched; a link back up the tree is listed as not searched again (14.12)")
    func symlinkedFolders() throws {
        let inbox = try scratchFolder("links")
        let elsewhere = try scratchFolder("elsewhere")
        try Data((longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n").utf8).write(to: elsewhere.appendingPathComponent("far.csv"))
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("station").path,
                                                   withDestinationPath: elsewhere.path)
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("loop").path,
                                                   withDestinationPath: inbox.path)
        let listing = try DumpFinder.list([inbox.path])
        #expect(listing.files == [inbox.appendingPathComponent("station/far.csv").path])
        #expect(listing.skippedFolders.map(\.path) == [inbox.appendingPathComponent("loop").path])
        #expect(listing.skippedFolders.first?.reason == "a link to \(inbox.path), which is searched already")
        let store = try scratchPath("s.sqlite")
        let result = try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, inbox.path])
        #expect(result.status == 0)
        #expect(result.out.contains("folder not searched again: \(inbox.path)/loop"))
    }
}

/// A flag set once from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

@Suite("robustness: the store under concurrent runs, full disks and read-only files")
struct StoreRobustnessTests {
    @Test("two ingests creating a new store at once both succeed, twenty times over (14.8)")
    func creationRace() throws {
        let first = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        let second = try scratchFile(longHeader + "M-02,2026-10-08 13:00,do,7.2,mg/L,N\n")
        for round in 0..<20 {
            let store = try scratchPath("s.sqlite")
            let a = try startRivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, first])
            let b = try startRivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, second])
            a.waitUntilExit()
            b.waitUntilExit()
            #expect(a.terminationStatus == 0 && b.terminationStatus == 0, "round \(round)")
            #expect(try ReadingStore(path: store, access: .existing).readingCount() == 2, "round \(round)")
        }
    }

    @Test("status answers at once while an ingest holds the write lock, from the last committed state (14.9)")
    func readerDuringWriter() throws {
        let store = try scratchPath("s.sqlite")
        let small = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, small]).status == 0)
        let big = try scratchFile(hourlyDump(hours: 150_000))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int)
        let writer = try startRivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, big])
        // What is asked of the writer is that it still runs when status has answered; its own end is another
        // test's (crash safety), so it is stopped rather than waited for (half of this test's time).
        defer { writer.terminate(); writer.waitUntilExit() }
        // Wait until the writer is inside its transaction (it has read the file once to hash it, then more).
        waitUntil(writer, hasRead: size * 5 / 4)
        #expect(writer.isRunning, "the ingest finished before status ran: make the file bigger")
        let status = try rivertrace(["status", "--store", store, "--network", fixtureNetworkPath])
        let writerStillRunning = writer.isRunning
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("1 readings from 1 file(s)"))
        #expect(writerStillRunning, "status returned while the writer still held its transaction")
    }

    @Test("check with no store writes no store; check on an older store refuses and changes nothing (14.11)")
    func checkNeverCreates() throws {
        let store = try scratchPath("s.sqlite")
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        let result = try rivertrace(["check", "--store", store, "--network", fixtureNetworkPath, path])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: store))
        let notAStore = try scratchFile("point_id,time\n", name: "store.csv")
        let refused = try rivertrace(["status", "--store", notAStore, "--network", fixtureNetworkPath])
        #expect(refused.status == 1)
        #expect(refused.err == "rivertrace: error: \(notAStore): not a rivertrace store (it is not an SQLite database): "
                + "give the right --store, or move this file away; rivertrace never turns another file into a store\n")
    }

    @Test("past a file-size limit the ingest stops with a clear error, the store unharmed; the file goes in next run (14.13)")
    func fileSizeLimit() throws {
        let store = try scratchPath("s.sqlite")
        let small = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, small]).status == 0)
        let big = try scratchFile(hourlyDump(hours: 50_000))  // up to 2025: none at the small file's time
        let binary = try #require(rivertraceExecutable())
        let limited = Process()
        limited.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 2,000 blocks of 1 KiB: the store may grow to about 2 MB, the file needs more.
        limited.arguments = ["-c", "ulimit -f 2000; exec \"$0\" \"$@\"", binary.path, "ingest", "--store", store,
                             "--network", fixtureNetworkPath, big]
        let err = Pipe()
        limited.standardError = err
        limited.standardOutput = FileHandle.nullDevice
        try limited.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        limited.waitUntilExit()
        #expect(limited.terminationReason == .exit, "no signal killed it")
        #expect(limited.terminationStatus == 1)
        #expect(message.hasPrefix("rivertrace: error: \(store): "))
        #expect(message.contains("the file in progress was rolled back"))
        let after = try ReadingStore(path: store, access: .existing)
        #expect(try after.readingCount() == 1)
        #expect(try after.ledger().count == 1)
        let rerun = try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, big])
        #expect(rerun.status == 0)
        #expect(try ReadingStore(path: store, access: .existing).readingCount() == 100_001)
    }

    @Test("a store its user cannot write: a clear error, exit 1, nothing changed (14.13)")
    func readOnlyStore() throws {
        let folder = try scratchFolder("readonly")
        let store = folder.appendingPathComponent("s.sqlite").path
        let small = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, small]).status == 0)
        chmod(folder.path, 0o755)
        chmod(store, 0o444)
        let other = try scratchFile(longHeader + "M-02,2026-10-08 13:00,do,7.2,mg/L,N\n")
        openUp(URL(fileURLWithPath: other).deletingLastPathComponent().path)
        openUp(other, mode: 0o644)
        let result = try rivertraceUnprivileged(["ingest", "--store", store, "--network", fixtureNetworkPath, other])
        #expect(result.status == 1)
        #expect(result.err.contains("\(store): the store cannot be written"))
        chmod(store, 0o644)
        #expect(try ReadingStore(path: store, access: .existing).readingCount() == 1)
    }
}

@Suite("robustness: settings")
struct SettingsRobustnessTests {
    @Test("a misspelt key in rivertrace.toml is an error naming it, never silently not applied")
    func unknownKey() throws {
        let folder = try scratchFolder("settings")
        let path = folder.appendingPathComponent("rivertrace.toml").path
        try "store = \"s.sqlite\"\n[ingest]\nsentinel = [-999]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError(file: path, message: "unknown key \"ingest.sentinel\" (did you mean \"ingest.sentinels\"?): "
                                      + "expected one of ingest.read_timeout_seconds, ingest.sentinels, ingest.year")) {
            try Settings.load(explicitPath: path)
        }
        try "stor = \"s.sqlite\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError(file: path, message: "unknown key \"stor\" (did you mean \"store\"?): expected one of "
                                      + "ingest, minimum_coverage, network, run, store, timezone, uncertain_below")) { try Settings.load(explicitPath: path) }
        try "colour = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError(file: path, message: "unknown key \"colour\": expected one of ingest, minimum_coverage, network, run, store, timezone, "
                                      + "uncertain_below")) {
            try Settings.load(explicitPath: path)
        }
        try "store = \"s.sqlite\"\n[ingest]\nread_timeout_seconds = 60\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Settings.load(explicitPath: path).readTimeoutSeconds == 60)
    }

    @Test("uncertain_below sets the confidence a trace is sent out at; outside 0…1 it is an error naming the key")
    func uncertainBelow() throws {
        let folder = try scratchFolder("settings-uncertain")
        let path = folder.appendingPathComponent("rivertrace.toml").path
        try "uncertain_below = 0.4\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Settings.load(explicitPath: path).uncertainBelow == 0.4)
        try "uncertain_below = 1.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError(file: path, message: "uncertain_below: expected a confidence from 0 to 1, e.g. 0.5")) {
            try Settings.load(explicitPath: path)
        }
        #expect(Settings.defaults.uncertainBelow == 0.5)
    }

    @Test("run.formats chooses what each run writes (Markdown always, HTML by default); a wrong name is an error naming the key")
    func runFormats() throws {
        let folder = try scratchFolder("settings-formats")
        let path = folder.appendingPathComponent("rivertrace.toml").path
        #expect(Settings.defaults.run.formats == [.markdown, .html])
        try "[run]\nformats = [\"pdf\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Settings.load(explicitPath: path).run.formats == [.markdown, .pdf])
        try "[run]\nformats = [\"docx\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError(file: path, message: "run.formats: expected a list of \"markdown\", \"html\" and/or \"pdf\"")) {
            try Settings.load(explicitPath: path)
        }
    }
}
