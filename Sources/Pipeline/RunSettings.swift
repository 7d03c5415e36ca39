import Foundation
import Report
import TOMLKit

/// The `[run]` section of `rivertrace.toml`: where the unattended job finds dumps and writes what it makes, and
/// when it calls for a person. Folder paths are relative to the settings file, never to cron's working directory.
public struct RunSettings: Sendable, Equatable {
    /// New dumps arrive here (exporters, SFTP, a synced share).
    public var inbox: String
    /// Ingested (or already known) dumps move to `archive/YYYY-MM/`; never deleted.
    public var archive: String
    /// Dumps that cannot be ingested at all move here, each with `NAME.reason.txt` beside it.
    public var failed: String
    /// One Markdown and one JSON file per run that raised or cleared alerts.
    public var alerts: String
    /// Reports, one folder per period (`reports/2026-09/`).
    public var reports: String
    /// Leave ingested dumps in the inbox instead of archiving them (the ledger skips them on the next run).
    public var keepInInbox = false
    /// A file is taken only when unmodified this long (an exporter may still be writing it).
    public var settleSeconds: Double = 120
    /// An automatic station without a reading for this long is silent (an alert, and `health` fails).
    public var silentHoursAutomatic: Double = 6
    /// A manual (lab) point without a sample for this long is silent.
    public var silentDaysManual: Double = 45
    /// Report languages written by each run.
    public var languages: [ReportLanguage] = [.zh]
    /// What each run writes its reports as: Markdown always, and report.html by default (`formats`).
    public var formats: Set<ReportFormat> = [.markdown, .html]
    /// A command run with each new alert file (`$RIVERTRACE_ALERT_JSON`, also its first argument); empty: none.
    public var onAlert = ""
    /// The longest the on-alert command may take before it counts as failed (and is retried next run).
    public var onAlertTimeoutSeconds: Double = 60
    /// `health`: an inbox file older than this many hours means the run is not taking it.
    public var inboxStaleHours: Double = 6
    /// Conditions that ended longer ago than this raise no alert (a backfill of old dumps is reported, not alarmed).
    public var alertWindowDays: Double = 3

    /// Folders under `base` (the settings file's folder).
    public init(base: String = ".") {
        func under(_ name: String) -> String { base == "." ? name : base + "/" + name }
        inbox = under("inbox")
        archive = under("archive")
        failed = under("failed")
        alerts = under("alerts")
        reports = under("reports")
    }

    static let keys: Set<String> = ["inbox", "archive", "failed", "alerts", "reports", "keep_in_inbox", "settle_seconds",
                                    "silent_hours_automatic", "silent_days_manual", "languages", "formats", "on_alert",
                                    "on_alert_timeout_seconds", "inbox_stale_hours",
                                    "alert_window_days"]

    mutating func read(_ table: TOMLTable, file: String, resolve: (String) -> String) throws {
        try rejectUnknownKeys(table, known: Self.keys, in: file, section: "run")
        func text(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw SettingsError(file: file, message: "run.\(key): expected a string") }
            return text
        }
        func number(_ key: String, _ allowed: (Double) -> Bool, _ expected: String) throws -> Double? {
            guard let value = table[key] else { return nil }
            guard let number = value.double ?? value.int.map(Double.init), number.isFinite, allowed(number) else {
                throw SettingsError(file: file, message: "run.\(key): expected \(expected)")
            }
            return number
        }
        if let value = try text("inbox") { inbox = resolve(value) }
        if let value = try text("archive") { archive = resolve(value) }
        if let value = try text("failed") { failed = resolve(value) }
        if let value = try text("alerts") { alerts = resolve(value) }
        if let value = try text("reports") { reports = resolve(value) }
        if let value = try text("on_alert") { onAlert = value }
        if let value = table["keep_in_inbox"] {
            guard let flag = value.bool else { throw SettingsError(file: file, message: "run.keep_in_inbox: expected true or false") }
            keepInInbox = flag
        }
        if let value = try number("settle_seconds", { $0 >= 0 }, "seconds ≥ 0") { settleSeconds = value }
        if let value = try number("silent_hours_automatic", { $0 > 0 }, "hours > 0") { silentHoursAutomatic = value }
        if let value = try number("silent_days_manual", { $0 > 0 }, "days > 0") { silentDaysManual = value }
        if let value = try number("on_alert_timeout_seconds", { $0 > 0 }, "seconds > 0") { onAlertTimeoutSeconds = value }
        if let value = try number("inbox_stale_hours", { $0 > 0 }, "hours > 0") { inboxStaleHours = value }
        if let value = try number("alert_window_days", { $0 >= 0 }, "days ≥ 0") { alertWindowDays = value }
        if let value = table["languages"] {
            let codes = value.array.map { array in (0..<array.count).compactMap { array[$0].string } } ?? []
            let chosen = codes.compactMap(ReportLanguage.init(rawValue:))
            guard !chosen.isEmpty, chosen.count == codes.count, codes.count == value.array?.count else {
                throw SettingsError(file: file, message: "run.languages: expected a list of \"zh\" and/or \"en\"")
            }
            languages = chosen
        }
        if let value = table["formats"] {
            let names = value.array.map { array in (0..<array.count).compactMap { array[$0].string } } ?? []
            let chosen = names.compactMap(ReportFormat.init(rawValue:))
            guard chosen.count == names.count, names.count == value.array?.count else {
                throw SettingsError(file: file, message: "run.formats: expected a list of \"markdown\", \"html\" and/or \"pdf\"")
            }
            formats = Set(chosen).union([.markdown])
        }
    }
}
