import Foundation
import Glibc
import Report
import RiverModel
import Store
import SystemPackage

/// Something about the installation a person must see, and what to do about it.
public struct HealthProblem: Sendable, Equatable, Codable {
    public var what: String
    public var todo: String
}

/// The checks of `status --health`: the unattended run is running, data arrive, nothing piles up unseen.
public struct HealthCheck {
    public let settings: Settings
    public let network: Network
    /// A run holding the lock longer than this is reported as hung.
    public var hungAfter: TimeInterval = 2 * 3600
    /// No run started within this long: cron or the timer is not calling `run`.
    public var noRunAfter: TimeInterval = 3 * 3600
    /// Below this much free space on the store's file system (bytes) …
    public var minimumFreeBytes: Int64 = 1 << 30
    /// … or this share of it.
    public var minimumFreeShare = 0.05

    public init(settings: Settings, network: Network) {
        self.settings = settings
        self.network = network
    }

    /// Every problem found; empty when all is well. `store` is nil when there is no store yet.
    public func problems(store: ReadingStore?, now: Date = Date()) throws -> [HealthProblem] {
        var problems: [HealthProblem] = []
        let zone = settings.timeZone
        let config = settings.run
        func local(_ date: Date) -> String { localTime(date, in: zone) }

        guard let store else {
            return [HealthProblem(what: "no store at \(settings.storePath)",
                                  todo: "run `rivertrace run --config …` (or ingest) once; check the settings' store path")]
        }
        // Data arriving.
        let last = try store.lastReadingTimes()
        for point in network.points {
            guard let time = last[point.id] else { continue }
            let limit = point.kind == .automatic ? config.silentHoursAutomatic * 3600 : config.silentDaysManual * 86_400
            if now.timeIntervalSince(time) > limit {
                problems.append(HealthProblem(
                    what: "\(point.id) \(point.name) (\(point.kind.rawValue)) silent since \(local(time))",
                    todo: point.kind == .automatic ? "check the station and its data export; look in the inbox and failed/"
                        : "check that the lab results were exported into the inbox"))
            }
        }
        // The run itself.
        let lockPath = settings.storePath + ".run-lock"
        if FileManager.default.fileExists(atPath: lockPath) {
            switch try RunLock.acquire(path: lockPath) {
            case .acquired: break  // released at once: nobody runs now
            case .held(let holder):
                let started = holder.startedAt.flatMap { ISO8601DateFormatter().date(from: $0) }
                if let started, now.timeIntervalSince(started) > hungAfter {
                    problems.append(HealthProblem(
                        what: "a run has held the lock since \(local(started)) (\(holder)): every later run exits with 75",
                        todo: "look at that process (a hung network mount?); `kill` it — the lock goes with it"))
                }
            }
        }
        let runs = try store.recentRuns(limit: 5)
        if let latest = runs.first {
            if now.timeIntervalSince(latest.startedAt) > noRunAfter {
                problems.append(HealthProblem(what: "no run since \(local(latest.startedAt))",
                                              todo: "check the crontab line or the systemd timer (docs/operations.md)"))
            }
            if let unfinished = runs.first(where: { $0.finishedAt == nil }), unfinished.id != latest.id
                || now.timeIntervalSince(unfinished.startedAt) > hungAfter {
                problems.append(HealthProblem(what: "the run of \(local(unfinished.startedAt)) did not finish (failed or killed)",
                                              todo: "read the run log around that time; the next run retries its files"))
            }
            if let code = latest.exitCode, code == 1 {
                problems.append(HealthProblem(what: "the last run failed (exit 1)", todo: "read the run log"))
            }
        } else if FileManager.default.fileExists(atPath: config.inbox) {
            problems.append(HealthProblem(what: "`rivertrace run` has never completed on this store",
                                          todo: "run it once by hand, then install the crontab line (docs/operations.md)"))
        }
        // Things piling up.
        let stale = now.addingTimeInterval(-config.inboxStaleHours * 3600)
        let waiting = (try? DumpFinder.list([config.inbox]).files) ?? []
        let old = waiting.filter { path in
            ((try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date).map { $0 < stale } ?? false
        }
        if !old.isEmpty {
            problems.append(HealthProblem(
                what: "\(old.count) file(s) in the inbox older than \(formatValue(config.inboxStaleHours)) h, e.g. \(old[0])",
                todo: "is `run` being called? is the file still being written (settle_seconds)?"))
        }
        let failed = ((try? FileManager.default.contentsOfDirectory(atPath: config.failed)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".reason.txt") }
        if !failed.isEmpty {
            problems.append(HealthProblem(what: "\(failed.count) file(s) in \(config.failed)",
                                          todo: "read NAME.reason.txt beside each, fix the file, put it back into the inbox"))
        }
        if let summary = runs.first(where: { $0.summary != nil })?.summary,
           let data = summary.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let quarantined = object["readings_quarantined"] as? Int, quarantined > 0 {
            problems.append(HealthProblem(what: "the last run quarantined \(quarantined) row(s)",
                                          todo: "rivertrace quarantine --csv; fix and re-ingest (docs/operations.md)"))
        }
        if let pending = try? store.pendingDeliveries(), let first = pending.first(where: { $0.attempts > 0 }) {
            problems.append(HealthProblem(
                what: "\(pending.count) alert file(s) not delivered; \(first.file): \(first.lastError ?? "?")",
                todo: "fix the on_alert command; the next run retries"))
        }
        // The store's disk.
        let folder = FilePath(settings.storePath).removingLastComponent()
        let folderPath = folder.isEmpty ? "." : folder.string
        if access(settings.storePath, W_OK) != 0 || access(folderPath, W_OK) != 0 {
            problems.append(HealthProblem(what: "the store or its folder is not writable (\(settings.storePath))",
                                          todo: "give the user running cron write access to both"))
        }
        var space = statvfs()
        if statvfs(folderPath, &space) == 0 {
            let free = Int64(space.f_bavail) * Int64(space.f_frsize)
            let total = Int64(space.f_blocks) * Int64(space.f_frsize)
            if free < minimumFreeBytes || (total > 0 && Double(free) / Double(total) < minimumFreeShare) {
                problems.append(HealthProblem(
                    what: "the store's disk is nearly full: \(free >> 20) MiB free",
                    todo: "free space or move the store (docs/operations.md, backing up the store)"))
            }
        }
        return problems
    }
}
