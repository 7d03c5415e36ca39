import ArgumentParser
import Foundation
import Pipeline
import Report
import SystemPackage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an installation folder: settings file, network, inbox, archive, failed, alerts, reports, var.",
        discussion: """
            Writes DIR/rivertrace.toml (every setting, commented), creates the folders `run` uses, and copies the \
            network files from --network-from (or writes empty rivers.csv, points.csv and sources.csv with their \
            headers to fill in). Never overwrites: an existing settings file or network file is left as it is.

            Example:  rivertrace init /srv/rivertrace --network-from data/network
            """)

    @Argument(help: "The installation folder (created when missing).")
    var directory: String

    @Option(name: .customLong("network-from"), help: "A folder with rivers.csv, points.csv, sources.csv to copy.")
    var networkFrom: String?

    func run() throws {
        try runReportingFailures {
            let root = FilePath(directory)
            let fileManager = FileManager.default
            for folder in ["network", "inbox", "archive", "failed", "alerts", "reports", "var"] {
                try fileManager.createDirectory(atPath: root.appending(folder).string, withIntermediateDirectories: true)
            }
            let settings = root.appending("rivertrace.toml").string
            if !fileManager.fileExists(atPath: settings) {
                try Data(Self.settingsText.utf8).write(to: URL(fileURLWithPath: settings))
                print("wrote \(terminalSafe(settings))")
            } else {
                print("kept \(terminalSafe(settings)) (exists)")
            }
            for (name, header) in Self.networkHeaders {
                let target = root.appending("network").appending(name).string
                guard !fileManager.fileExists(atPath: target) else { continue }
                if let networkFrom {
                    let source = FilePath(networkFrom).appending(name).string
                    guard fileManager.fileExists(atPath: source) else {
                        throw PathError(path: source, message: "no such file: --network-from needs rivers.csv, points.csv and sources.csv")
                    }
                    try fileManager.copyItem(atPath: source, toPath: target)
                } else {
                    try Data((header + "\n").utf8).write(to: URL(fileURLWithPath: target))
                }
            }
            // The river-plan files are optional: copied when the source folder has them, never written empty (a
            // header-only file would make every river page say its river has no chief instead of that none is on file).
            for name in Self.optionalNetworkFiles {
                let target = root.appending("network").appending(name).string
                guard let networkFrom, !fileManager.fileExists(atPath: target) else { continue }
                let source = FilePath(networkFrom).appending(name).string
                if fileManager.fileExists(atPath: source) { try fileManager.copyItem(atPath: source, toPath: target) }
            }
            print("""
                installation in \(terminalSafe(root.string)): network/ inbox/ archive/ failed/ alerts/ reports/ var/
                next: put dumps into inbox/, then
                  rivertrace run --config \(terminalSafe(root.string))/rivertrace.toml
                and add that line to cron (docs/operations.md).
                """)
        }
    }

    static let networkHeaders = [
        ("rivers.csv", "river_id,name,flows_into,confluence_km,length_km,velocity_m_s,target_class"),
        ("points.csv", "point_id,name,river_id,km,lat,lon,target_class,kind"),
        ("sources.csv", "source_id,name,kind,river_id,km,signature"),
    ]

    /// Network files copied by `--network-from` when present (docs/formats.md §1.8).
    static let optionalNetworkFiles = ["river_chiefs.csv", "river_plans.csv"]

    static let settingsText = """
        # rivertrace settings. Relative paths are relative to this file, never to the working directory.
        store = "var/rivertrace.sqlite"
        network = "network"           # rivers.csv, points.csv, sources.csv
        timezone = "Asia/Shanghai"    # zone of times written without an offset
        minimum_coverage = 0.8        # analyze/report exit 3 below this share of the expected readings
        uncertain_below = 0.5         # a trace below this confidence is "uncertain": no field team (docs/operations.md)

        [ingest]
        sentinels = [-999, -9999, -99999]   # instrument values that mean "no measurement"
        # year = 2026                       # for `MM-DD hh:mm` times when the file name has no year
        # read_timeout_seconds = 300        # a read that blocks longer (a hung mount) stops the run

        [run]
        inbox = "inbox"               # new dumps arrive here
        archive = "archive"           # ingested dumps move to archive/YYYY-MM/ (never deleted)
        failed = "failed"             # dumps that cannot be ingested at all, with NAME.reason.txt
        alerts = "alerts"             # one .json and one .md per run that raised or cleared alerts
        reports = "reports"           # reports/YYYY-MM/ (the current month marked provisional)
        # keep_in_inbox = false       # true: leave ingested dumps in the inbox (the ledger skips them)
        settle_seconds = 120          # take a file only when unmodified this long
        silent_hours_automatic = 6    # an automatic station without readings this long is silent
        silent_days_manual = 45       # a manual (lab) point without a sample this long is silent
        languages = ["zh"]            # report languages: "zh", "en"
        formats = ["markdown", "html"]  # add "pdf" to print report.pdf with headless Chromium (apt-get install chromium)
        # on_alert = "/srv/rivertrace/bin/send-alert.sh"   # gets the alert JSON path as $1; failures are retried
        # on_alert_timeout_seconds = 60
        # inbox_stale_hours = 6       # status --health: an inbox file older than this is not being taken
        alert_window_days = 3         # conditions that ended longer ago raise no alert (backfills are reported, not alarmed)

        """
}
