import Foundation
import Logging
@testable import Pipeline
import RiverModel
import Store
import TestSupport
import Testing

/// An installation in a fresh folder: the fixture network, settings with folders under it, no settle time.
private func installation(_ prefix: String, configure: (inout RunSettings) -> Void = { _ in }) throws -> (URL, Settings) {
    let root = try scratchFolder(prefix)
    var settings = Settings.defaults
    settings.storePath = root.appendingPathComponent("var/rivertrace.sqlite").path
    settings.networkDirectory = fixtureNetworkPath
    settings.run = RunSettings(base: root.path)
    settings.run.settleSeconds = 0
    configure(&settings.run)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("var"), withIntermediateDirectories: true)
    return (root, settings)
}

private func runOnce(_ settings: Settings, now: Date,
                     deliver: ((String, AlertFiles, TimeInterval) -> String?)? = nil) throws -> RunSummary {
    let store = try ReadingStore(path: settings.storePath, access: .create)
    var job = RunJob(settings: settings, store: store, network: fixtureNetwork, logger: Logger(label: "test"))
    if let deliver { job.deliver = deliver }
    return try job.run(now: now)
}

private func put(_ text: String, named name: String, into settings: Settings) throws {
    try FileManager.default.createDirectory(atPath: settings.run.inbox, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: settings.run.inbox).appendingPathComponent(name))
}

/// Local time (Asia/Shanghai) as a Date.
private func local(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = .chinaStandard
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: text)!
}

/// Hourly NH3-N readings at M-01 (river MAIN, target IV: limit 1.5 mg/L) from `start` on the 8th of October.
private func ammonia(from hour: Int, _ values: [Double]) -> String {
    longHeader + values.enumerated().map { offset, value in
        String(format: "M-01,2026-10-08 %02d:00,nh3n,%g,mg/L,N", hour + offset, value)
    }.joined(separator: "\n") + "\n"
}

private func names(in folder: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
    return walker.compactMap { $0 as? String }.filter { name in
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
    }.sorted()
}

@Suite("run: inbox, archive, failed, alerts raised once and cleared, on-alert retried")
struct RunJobTests {
    @Test("an ingested dump moves to archive/YYYY-MM; one that cannot be read goes to failed/ with its reason; no name is overwritten")
    func archiveAndFailed() throws {
        let (root, settings) = try installation("run-archive")
        defer { try? FileManager.default.removeItem(at: root) }
        try put(ammonia(from: 0, [0.5, 0.6]), named: "a.csv", into: settings)
        try put("this is not a dump\njust text\n", named: "notes.csv", into: settings)
        let first = try runOnce(settings, now: local("2026-10-08 03:00"))
        #expect(first.filesIngested == 1)
        #expect(first.filesFailed == 1)
        #expect(first.exitCode == 3, "a file in failed/ needs a person")
        #expect(names(in: settings.run.inbox).isEmpty)
        #expect(names(in: settings.run.archive) == ["2026-10/a.csv"])
        #expect(names(in: settings.run.failed) == ["notes.csv", "notes.csv.reason.txt"])
        let reason = try String(contentsOfFile: settings.run.failed + "/notes.csv.reason.txt", encoding: .utf8)
        #expect(reason.contains("no recognised header"))
        // The same name again (new content): archived beside the first, which stays as it was.
        try put(ammonia(from: 2, [0.7]), named: "a.csv", into: settings)
        let second = try runOnce(settings, now: local("2026-10-08 04:00"))
        #expect(second.archived.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a-1.csv"])
        #expect(names(in: settings.run.archive) == ["2026-10/a-1.csv", "2026-10/a.csv"])
    }

    @Test("a file still being written, a .part and a hidden file stay in the inbox untouched")
    func settleRule() throws {
        let (root, settings) = try installation("run-settle") { $0.settleSeconds = 3_600 }
        defer { try? FileManager.default.removeItem(at: root) }
        try put(ammonia(from: 0, [0.5]), named: "fresh.csv", into: settings)
        try put(ammonia(from: 1, [0.5]), named: "upload.csv.part", into: settings)
        try put(ammonia(from: 2, [0.5]), named: ".hidden.csv", into: settings)
        let summary = try runOnce(settings, now: Date())
        #expect(summary.filesIngested == 0)
        #expect(summary.filesLeft == 1, "the fresh file is counted as left for the next run")
        #expect(names(in: settings.run.inbox) == [".hidden.csv", "fresh.csv", "upload.csv.part"])
        // Once it has settled (mtime an hour and a half ago) it is taken.
        let old = Date().addingTimeInterval(-5_400)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: settings.run.inbox + "/fresh.csv")
        let later = try runOnce(settings, now: Date())
        #expect(later.filesIngested == 1)
        #expect(names(in: settings.run.inbox) == [".hidden.csv", "upload.csv.part"])
    }

    @Test("an exceedance is raised once while it lasts, nothing is written when nothing is new, and it clears when it ends")
    func alertOnceAndClearing() throws {
        let (root, settings) = try installation("run-alerts")
        defer { try? FileManager.default.removeItem(at: root) }
        // 2.0 … 2.6 mg/L against IV's 1.5: an exceedance still going at the last reading, 06:00.
        try put(ammonia(from: 0, [2.0, 2.1, 2.3, 2.6, 2.4, 2.2, 2.1]), named: "m01-0.csv", into: settings)
        let first = try runOnce(settings, now: local("2026-10-08 07:00"))
        #expect(first.alertsRaised == 1)
        #expect(first.alertsOpen == 1)
        let file = try #require(first.alertFile)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let alerts = try decoder.decode(AlertFile.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        let alert = try #require(alerts.raised.first)
        #expect(alert.id == "exceedance/M-01/nh3n/20261008T0000")
        #expect(alert.kind == .exceedance)
        #expect(alert.ongoing)
        #expect(alert.limit == 1.5)
        #expect(alert.value == 2.6)
        // (2.6 − 1.5) / 1.5 = 0.7333…, by hand.
        #expect(abs((alert.exceedanceMultiple ?? 0) - 1.1 / 1.5) < 1e-12)
        #expect(alert.severity == .warning, "under 1× over is a warning")
        #expect(FileManager.default.fileExists(atPath: file.replacingOccurrences(of: ".json", with: ".md")))

        // No new data: no alert file, nothing raised again.
        let quiet = try runOnce(settings, now: local("2026-10-08 08:00"))
        #expect(quiet.alertsRaised == 0)
        #expect(quiet.alertFile == nil)
        #expect(names(in: settings.run.alerts).count == 2)

        // Back under the limit from 07:00: the condition ended, the alert is cleared (and said so once).
        try put(ammonia(from: 7, [1.0, 0.9, 0.8, 0.8]), named: "m01-1.csv", into: settings)
        let cleared = try runOnce(settings, now: local("2026-10-08 11:00"))
        #expect(cleared.alertsRaised == 0)
        #expect(cleared.alertsCleared == 1)
        #expect(cleared.alertsOpen == 0)
        let clearedFile = try decoder.decode(AlertFile.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(cleared.alertFile))))
        #expect(clearedFile.cleared.map(\.id) == ["exceedance/M-01/nh3n/20261008T0000"])
        #expect(clearedFile.raised.isEmpty)
    }

    @Test("an on-alert command that fails is logged, counted and retried next run until it succeeds")
    func onAlertRetried() throws {
        let (root, settings) = try installation("run-deliver") { $0.onAlert = "exit 7" }
        defer { try? FileManager.default.removeItem(at: root) }
        try put(ammonia(from: 0, [2.0, 2.2, 2.4]), named: "m01.csv", into: settings)
        let failing = try runOnce(settings, now: local("2026-10-08 03:00"))
        #expect(failing.alertsRaised == 1)
        #expect(failing.deliveriesFailed == 1)
        #expect(failing.exitCode == 3)
        let store = try ReadingStore(path: settings.storePath, access: .existing)
        let pending = try store.pendingDeliveries()
        #expect(pending.count == 1)
        #expect(pending.first?.lastError == "exit 7")

        // The command fixed: the next run (no new data) hands over the same file; the command sees $1 and the variables.
        var fixed = settings
        let inboxCopy = root.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: inboxCopy, withIntermediateDirectories: true)
        // The product appends the JSON path as "$1": `test -f "$1"` fails unless it is there.
        fixed.run.onAlert = "cp \"$RIVERTRACE_ALERT_MARKDOWN\" \(inboxCopy)/ && test -f"
        let retried = try runOnce(fixed, now: local("2026-10-08 04:00"))
        #expect(retried.deliveriesFailed == 0)
        #expect(try store.pendingDeliveries().isEmpty)
        let sent = names(in: inboxCopy)
        #expect(sent.count == 1 && sent.first?.hasSuffix(".md") == true)
    }

    @Test("the lock: a second run is refused with its holder named; the lock of a process killed with -9 never blocks")
    func lock() throws {
        let folder = try scratchFolder("run-lock")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite.run-lock").path
        do {
            guard case .acquired(let held) = try RunLock.acquire(path: path) else {
                Issue.record("a fresh lock must be free")
                return
            }
            guard case .held(let holder) = try RunLock.acquire(path: path) else {
                Issue.record("a held lock must be refused")
                return
            }
            #expect(holder.pid == getpid())
            withExtendedLifetime(held) {}
        }

        // Another process takes it and dies by SIGKILL: the kernel releases it.
        let process = Process()
        // The shell takes the lock on fd 9 and becomes `sleep` (exec): one process holds it, and SIGKILL ends it.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec 9>>\"$0\" && flock 9 && exec sleep 30", path]
        try process.run()
        var refused = false
        for _ in 0..<200 {
            if case .held = try RunLock.acquire(path: path) { refused = true; break }
            usleep(10_000)
        }
        #expect(refused, "the other process holds the lock")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard case .acquired = try RunLock.acquire(path: path) else {
            Issue.record("a killed holder's lock must be free")
            return
        }
    }
}

@Suite("empty and partial periods say so first, and exit 3")
struct CoverageTests {
    @Test("a month with no data: coverage first, no class and no target claimed, exit 3; a covered month: exit 0")
    func emptyAndPartialMonths() throws {
        let folder = try scratchFolder("coverage")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.sqlite").path
        // Every point of the fixture network read hourly through October: full coverage.
        var rows = [longHeader.trimmingCharacters(in: .newlines)]
        for day in 1...31 {
            for hour in 0..<24 {
                for point in ["M-01", "M-02"] {
                    rows.append(String(format: "%@,2026-10-%02d %02d:00,do,7.0,mg/L,N", point, day, hour))
                }
            }
            rows.append(String(format: "T-01,2026-10-%02d 09:00,do,7.0,mg/L,N", day))
        }
        let path = try scratchFile(rows.joined(separator: "\n") + "\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", fixtureNetworkPath, path]).status == 0)

        let empty = try rivertrace(["analyze", "--period", "2026-09", "--store", store, "--network", fixtureNetworkPath])
        #expect(empty.status == 3)
        let lines = empty.out.split(separator: "\n").map(String.init)
        #expect(lines.count > 1 && lines[1] == "coverage: 0 of 3 points have data, 0 % of the expected readings; no data: M-01, M-02, T-01")
        #expect(empty.err.contains("2026-09 has 0 % of the expected readings"))

        let reports = folder.appendingPathComponent("reports").path
        let report = try rivertrace(["report", "--period", "2026-09", "--store", store, "--network", fixtureNetworkPath,
                                     "--out", reports])
        #expect(report.status == 3)
        let text = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        let summary = text.components(separatedBy: "## 概要")[1].components(separatedBy: "\n## ")[0]
        let bullets = summary.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(bullets.first?.hasPrefix("- 数据覆盖：3 个点位中 0 个有数据，整体有效数据率 0.0%；无数据：") == true)
        #expect(!summary.contains("达到水质目标"), "no data is not \"target met\"")

        let full = try rivertrace(["analyze", "--period", "2026-10", "--store", store, "--network", fixtureNetworkPath])
        #expect(full.status == 0, "\(full.err)")
        #expect(full.out.contains("coverage: 3 of 3 points have data, 100 % of the expected readings"))
    }
}
