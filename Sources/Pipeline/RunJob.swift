import Foundation
import Logging
import Report
import RiverModel
import Standards
import Store
import SystemPackage

/// What one unattended run did (`run --json`, and the `run` table of the store).
public struct RunSummary: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    public var startedAt: Date
    public var finishedAt: Date
    /// Dumps ingested, skipped as known, left for the next run (unsettled or changed), and moved to `failed/`.
    public var filesIngested = 0
    public var filesSkipped = 0
    public var filesLeft = 0
    public var filesFailed = 0
    public var archived: [String] = []
    public var failed: [String] = []
    public var readingsAccepted = 0
    public var readingsQuarantined = 0
    public var conflicts = 0
    /// Periods analysed again because new readings fell in them.
    public var periodsAnalysed: [String] = []
    public var reportsWritten: [String] = []
    public var alertsRaised = 0
    public var alertsCleared = 0
    public var alertsOpen = 0
    public var alertFile: String?
    public var deliveriesFailed = 0
    /// 0 done, 3 done but something needs a person (quarantine, conflicts, failed files, undelivered alerts).
    public var exitCode = 0
    /// What needs a person, one line each.
    public var attention: [String] = []
}

/// The unattended job (`rivertrace run`): take settled dumps from the inbox, ingest, archive, analyse what the new
/// data touched, write the reports, raise and clear alerts, and hand new alerts to the on-alert command.
public struct RunJob {
    public let settings: Settings
    public let store: ReadingStore
    public let network: Network
    public let logger: Logger
    /// The on-alert command's runner (tests replace it).
    public var deliver: (String, AlertFiles, TimeInterval) -> String? = AlertCommand.run

    public init(settings: Settings, store: ReadingStore, network: Network, logger: Logger) {
        self.settings = settings
        self.store = store
        self.network = network
        self.logger = logger
    }

    /// Runs once. Errors of the store or of a folder stop the run (the store stays consistent: one transaction per
    /// file); everything else is counted in the summary.
    public func run(now: Date = Date()) throws -> RunSummary {
        let config = settings.run
        let zone = settings.timeZone
        var summary = RunSummary(startedAt: now, finishedAt: now)
        let runID = try store.beginRun(at: now)
        for folder in [config.inbox, config.archive, config.failed, config.alerts, config.reports] {
            try createFolder(folder)
        }
        try store.saveNetwork(network)

        // 1. Ingest the settled dumps of the inbox.
        let job = IngestJob(store: store, network: network, options: settings.ingestOptions,
                            settleSeconds: config.settleSeconds)
        let report = try job.run(paths: [config.inbox], fileDone: { file in
            logger.debug("file", metadata: ["path": "\(file.path)", "status": "\(file.status.rawValue)",
                                            "accepted": "\(file.accepted)", "quarantined": "\(file.quarantined)"])
        })
        var touched = Set<String>()
        let month = localTime(now, in: zone, format: "yyyy-MM")
        for file in report.files {
            switch file.status {
            case .ingested where file.layout == nil && file.accepted == 0:
                let reason = "no recognised header: nothing could be read as readings"
                    + (file.notes.isEmpty ? "" : " (" + file.notes.joined(separator: "; ") + ")")
                summary.failed.append(try moveToFailed(file.path, reason: reason))
                summary.filesFailed += 1
            case .ingested, .skipped:
                file.status == .ingested ? (summary.filesIngested += 1) : (summary.filesSkipped += 1)
                if file.status == .ingested, file.accepted > 0, let span = try store.readingTimeSpan(fileWithSHA256: file.sha256) {
                    // Two days back: an event that began late in the previous month and is confirmed by these
                    // readings belongs to that month's analysis (events are kept in the month they begin).
                    touched.formUnion(months(from: span.first.addingTimeInterval(-2 * 86_400), to: span.last, zone: zone))
                }
                if !config.keepInInbox {
                    summary.archived.append(try moveAside(file.path, into: FilePath(config.archive).appending(month).string))
                }
            case .failed:
                summary.failed.append(try moveToFailed(file.path, reason: file.problem ?? "cannot be read"))
                summary.filesFailed += 1
            case .unsettled, .changed:
                summary.filesLeft += 1
            }
        }
        // A run killed after it stored files but before it analysed them (they are skipped or archived by now) left
        // their months unanalysed: they are analysed now.
        for span in try store.readingTimeSpansOfInterruptedRuns(current: runID) {
            touched.formUnion(months(from: span.first.addingTimeInterval(-2 * 86_400), to: span.last, zone: zone))
        }
        summary.readingsAccepted = report.totals.accepted
        summary.readingsQuarantined = report.totals.quarantined
        summary.conflicts = report.totals.conflicts
        if summary.filesIngested + summary.filesFailed + summary.filesLeft > 0 || !report.files.isEmpty {
            logger.info("ingest", metadata: [
                "ingested": "\(summary.filesIngested)", "skipped": "\(summary.filesSkipped)", "left": "\(summary.filesLeft)",
                "failed": "\(summary.filesFailed)", "accepted": "\(summary.readingsAccepted)",
                "quarantined": "\(summary.readingsQuarantined)", "conflicts": "\(summary.conflicts)"])
        }

        // 2. Analyse and report the months the new readings fell in.
        let lastReadings = try store.lastReadingTimes()
        let rules = AlertRules(network: network, settings: config, timeZone: zone)
        var candidates: [Alert] = []
        var analysed: [EvaluationPeriod] = []
        let reportJob = ReportJob(store: store, network: network, timeZone: zone, uncertainBelow: settings.uncertainBelow)
        for label in touched.sorted() {
            guard let period = PeriodParser.parse(label, timeZone: zone) else { continue }
            let input = try reportJob.prepare(period: period, now: now)
            for language in config.languages {
                let folder = FilePath(config.reports).appending(language == .zh ? label : "\(label)-\(language.rawValue)").string
                do {
                    summary.reportsWritten += try reportJob.write(input, language: language, into: folder,
                                                                  formats: config.formats).prefix(1)
                } catch let error as BrowserError {
                    // The Markdown and HTML are written; a missing or failing browser must not stop the run's alerts.
                    summary.reportsWritten.append(FilePath(folder).appending("report.md").string)
                    summary.attention.append("report.pdf not written: \(error.message)")
                    logger.warning("pdf not written", metadata: ["folder": "\(folder)", "reason": "\(error.message)"])
                }
            }
            candidates += rules.alerts(in: input.document, lastReadings: lastReadings)
            candidates += try ForecastAlerts(network: network, store: store, timeZone: zone).alerts(
                in: input.document, since: now.addingTimeInterval(-config.alertWindowDays * 86_400), now: now,
                lastReadings: lastReadings)
            analysed.append(period)
            summary.periodsAnalysed.append(label)
            logger.info("analysed", metadata: ["period": "\(label)", "provisional": "\(input.provisional)",
                                               "events": "\(input.document.events.count)",
                                               "incidents": "\(input.document.incidents.count)"])
        }
        candidates += rules.silentStations(lastReadings: lastReadings, now: now)

        // 3. Raise what is new, clear what has ended, hand the file to the on-alert command.
        try updateAlerts(candidates, analysed: analysed, now: now, summary: &summary)
        try deliverPending(now: now, summary: &summary)

        if report.totals.quarantined > 0 {
            summary.attention.append("\(report.totals.quarantined) row(s) quarantined: rivertrace quarantine")
        }
        if report.totals.conflicts > 0 { summary.attention.append("\(report.totals.conflicts) conflicting reading(s): rivertrace status") }
        if summary.filesFailed > 0 { summary.attention.append("\(summary.filesFailed) file(s) moved to \(config.failed)") }
        if summary.deliveriesFailed > 0 { summary.attention.append("\(summary.deliveriesFailed) alert file(s) not delivered (retried next run)") }
        if report.files.contains(where: { $0.status == .changed }) { summary.attention.append("a file changed while it was read (read again next run)") }
        summary.exitCode = summary.attention.isEmpty ? 0 : 3
        summary.finishedAt = Date()
        let encoder = JSONEncoder.runOutput(pretty: false)
        try store.finishRun(runID, at: summary.finishedAt, exitCode: summary.exitCode,
                            summary: String(decoding: try encoder.encode(summary), as: UTF8.self))
        return summary
    }

    /// The local months (`yyyy-MM`) from `first` to `last`.
    func months(from first: Date, to last: Date, zone: TimeZone) -> [String] {
        var result: [String] = []
        var label = localTime(first, in: zone, format: "yyyy-MM")
        let end = localTime(last, in: zone, format: "yyyy-MM")
        while label <= end, result.count < 1_200 {
            result.append(label)
            let parts = label.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2 else { break }
            label = parts[1] == 12 ? String(format: "%04d-01", parts[0] + 1) : String(format: "%04d-%02d", parts[0], parts[1] + 1)
        }
        return result
    }

    private func updateAlerts(_ candidates: [Alert], analysed: [EvaluationPeriod], now: Date,
                              summary: inout RunSummary) throws {
        var unique: [String: Alert] = [:]
        let window = now.addingTimeInterval(-settings.run.alertWindowDays * 86_400)
        for alert in candidates where alert.ongoing || alert.end >= window { unique[alert.id] = unique[alert.id].map { $0.end >= alert.end ? $0 : alert } ?? alert }
        let known = try store.alerts(ids: Array(unique.keys))
        let raised = unique.values.filter { known[$0.id] == nil }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let ongoing = Set(unique.values.filter(\.ongoing).map(\.id))
        // An open alert ends when a fresh look at its data no longer shows it ongoing: silent stations on every run,
        // the rest when their period was analysed again.
        let cleared = try store.openAlerts().filter { alert in
            guard !ongoing.contains(alert.id) else { return false }
            if alert.kind == AlertKind.silentStation.rawValue { return true }
            return analysed.contains { $0.start <= alert.startedAt && alert.startedAt < $0.end }
        }
        let overAlready = raised.filter { !$0.ongoing }.map(\.id)
        summary.alertsRaised = raised.count
        summary.alertsCleared = cleared.count
        guard !raised.isEmpty || !cleared.isEmpty else {
            summary.alertsOpen = try store.openAlerts().count
            return
        }
        let encoder = JSONEncoder.runOutput(pretty: true)
        let stored = try raised.map { alert in
            StoredAlert(id: alert.id, kind: alert.kind.rawValue, severity: alert.severity.rawValue, pointID: alert.pointID,
                        parameter: alert.parameter, startedAt: alert.start, raisedAt: now,
                        clearedAt: alert.ongoing ? nil : now, body: String(decoding: try encoder.encode(alert), as: UTF8.self))
        }
        let clearedAlerts = cleared.map { alert in
            ClearedAlert(id: alert.id, kind: alert.kind, pointID: alert.pointID, raisedAt: alert.raisedAt, clearedAt: now,
                         noteZh: unique[alert.id]?.messageZh, noteEn: unique[alert.id]?.messageEn)
        }
        let file = AlertFile(generatedAt: now, timeZone: settings.timeZone.identifier, raised: raised,
                             cleared: clearedAlerts, alreadyOver: overAlready)
        let files = try AlertFiles.write(file, into: settings.run.alerts, timeZone: settings.timeZone, network: network)
        try store.recordAlerts(raised: stored, cleared: cleared.map(\.id), at: now, file: files.json)
        summary.alertFile = files.json
        summary.alertsOpen = try store.openAlerts().count
        // One line per alert while few; past a dozen (a backfill), the count and the file say it.
        let level: Logger.Level = raised.count + cleared.count > 12 ? .debug : .notice
        for alert in raised {
            logger.log(level: level, "alert", metadata: ["id": "\(alert.id)", "severity": "\(alert.severity.rawValue)",
                                                         "ongoing": "\(alert.ongoing)"])
        }
        for alert in cleared { logger.log(level: level, "alert cleared", metadata: ["id": "\(alert.id)"]) }
        logger.notice("alerts", metadata: ["raised": "\(raised.count)", "cleared": "\(cleared.count)", "file": "\(files.json)"])
    }

    private func deliverPending(now: Date, summary: inout RunSummary) throws {
        let command = settings.run.onAlert
        guard !command.isEmpty else { return }
        for pending in try store.pendingDeliveries() {
            let files = AlertFiles(json: pending.file, markdown: AlertFiles.markdownPath(for: pending.file))
            guard FileManager.default.fileExists(atPath: pending.file) else {
                try store.recordDelivery(file: pending.file, at: now, error: "the alert file is gone")
                summary.deliveriesFailed += 1
                logger.error("on-alert", metadata: ["file": "\(pending.file)", "error": "the alert file is gone"])
                continue
            }
            let error = deliver(command, files, settings.run.onAlertTimeoutSeconds)
            try store.recordDelivery(file: pending.file, at: now, error: error)
            if let error {
                summary.deliveriesFailed += 1
                logger.error("on-alert failed, retried next run",
                             metadata: ["file": "\(pending.file)", "attempt": "\(pending.attempts + 1)", "error": "\(error)"])
            } else {
                logger.info("on-alert delivered", metadata: ["file": "\(pending.file)"])
            }
        }
    }

    /// Moves `path` into `folder` under its own name (`name-1.csv`, `name-2.csv` … when taken); never overwrites.
    private func moveAside(_ path: String, into folder: String) throws -> String {
        try createFolder(folder)
        guard let name = FilePath(path).lastComponent else { throw PathError(path: path, message: "not a file name") }
        var target = FilePath(folder).appending(name)
        var counter = 1
        while FileManager.default.fileExists(atPath: target.string) {
            target = FilePath(folder).appending("\(name.stem)-\(counter)" + (name.extension.map { ".\($0)" } ?? ""))
            counter += 1
        }
        if rename(path, target.string) != 0 {
            let error = Errno(rawValue: errno)
            // The archive on another file system: copy, then remove the original only once the copy is whole.
            guard error == .improperLink else {
                throw PathError(path: path, message: "cannot move it to \(target.string): \(error)")
            }
            do {
                try FileManager.default.copyItem(atPath: path, toPath: target.string)
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw PathError(path: path, message: "cannot move it to \(target.string) (another file system): \(error)")
            }
        }
        return target.string
    }

    private func moveToFailed(_ path: String, reason: String) throws -> String {
        let target = try moveAside(path, into: settings.run.failed)
        let note = "\(target)\n\(reason)\nmoved here by rivertrace run at \(localTime(Date(), in: settings.timeZone)); fix the file "
            + "and put it back into the inbox (\(settings.run.inbox)).\n"
        try Data(note.utf8).write(to: URL(fileURLWithPath: target + ".reason.txt"))
        logger.warning("failed", metadata: ["path": "\(path)", "moved_to": "\(target)", "reason": "\(reason)"])
        return target
    }
}

/// Creates `folder` and the folders above it that are missing (`mkdir -p`): report, archive, alert and inbox folders.
func createFolder(_ folder: String) throws {
    var path = FilePath(root: FilePath(folder).root)
    for component in FilePath(folder).components {
        path.append(component)
        if mkdir(path.string, 0o755) != 0 && errno != EEXIST {
            throw PathError(path: path.string, message: "cannot create the folder: \(Errno(rawValue: errno))")
        }
    }
}
