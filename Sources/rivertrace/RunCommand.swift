import ArgumentParser
import Foundation
import Ingest
import Logging
import Pipeline
import Report
import Store
import SystemPackage

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The unattended job for cron or a systemd timer: inbox → store → analysis, reports, alerts.",
        discussion: """
            Takes the settled dumps from the inbox ([run] inbox in the settings), ingests each and moves it to \
            archive/YYYY-MM/ (a file that cannot be ingested at all goes to failed/ with NAME.reason.txt beside it), \
            analyses the months the new readings fell in and writes their reports (the current month marked \
            provisional), raises each new alert once and clears those that ended (one JSON and one Markdown file per \
            run under alerts/, nothing when nothing is new), and runs the on-alert command with each alert file; a \
            failed command is retried next run. It holds its own lock: a second run exits at once with code 75. \
            Every path comes from the settings file (relative to it), never from the working directory.

            Exit codes: 0 done; 1 failure (message on standard error); 2 usage; 3 done, but something needs a person \
            (quarantined rows, conflicts, files moved to failed/, an alert not delivered); 75 another run holds the \
            lock (its pid and start time are logged).

            crontab:  7 * * * * /usr/local/bin/rivertrace run --config /srv/rivertrace/rivertrace.toml --quiet \
            >> /srv/rivertrace/run.log 2>&1
            """)

    @Option(name: .long, help: "Settings file (required unless ./rivertrace.toml exists; `rivertrace init DIR` writes one).")
    var config: String?

    @Option(name: .customLong("on-alert"), help: "Command run with each new alert file (overrides [run] on_alert; the JSON path is $1).")
    var onAlert: String?

    @Flag(help: "Log alerts (notice), warnings and errors only.")
    var quiet = false

    @Flag(help: "Log each file too.")
    var verbose = false

    @Flag(help: "Print the run summary as JSON on standard output.")
    var json = false

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label)
            handler.logLevel = quiet ? .notice : verbose ? .debug : .info
            return handler
        }
        let logger = Logger(label: "run")
        try runReportingFailures {
            var settings = try Settings.load(explicitPath: config)
            if let onAlert { settings.run.onAlert = onAlert }
            guard settings.sourceFile != nil else {
                throw PathError(path: config ?? "rivertrace.toml", message: "run needs a settings file (its folders are "
                                + "relative to it): create one with `rivertrace init DIR`, then pass --config DIR/rivertrace.toml")
            }
            let lockPath = settings.storePath + ".run-lock"
            try createParentFolder(of: lockPath)
            let lock: RunLock
            switch try RunLock.acquire(path: lockPath) {
            case .acquired(let held): lock = held
            case .held(let holder):
                logger.warning("another run holds the lock: exiting", metadata: ["lock": "\(lockPath)", "holder": "\(holder)"])
                throw ExitCode(75)
            }
            defer { withExtendedLifetime(lock) {} }
            let store = try ReadingStore(path: settings.storePath, access: .create)
            let network = try NetworkLoader.load(directory: settings.networkDirectory)
            logger.debug("start", metadata: ["config": "\(settings.sourceFile ?? "")", "store": "\(settings.storePath)"])
            let summary = try RunJob(settings: settings, store: store, network: network, logger: logger).run()
            logger.info("done", metadata: [
                "exit": "\(summary.exitCode)", "ingested": "\(summary.filesIngested)", "readings": "\(summary.readingsAccepted)",
                "periods": "\(summary.periodsAnalysed.joined(separator: ","))", "alerts_raised": "\(summary.alertsRaised)",
                "alerts_cleared": "\(summary.alertsCleared)", "alerts_open": "\(summary.alertsOpen)"])
            for line in summary.attention { logger.warning("needs attention: \(line)") }
            if json {
                let encoder = JSONEncoder.runOutput(pretty: true)
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
            if summary.exitCode == 3 { throw Exit.attention }
        }
    }

    private func createParentFolder(of path: String) throws {
        let folder = FilePath(path).removingLastComponent()
        guard !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder.string, withIntermediateDirectories: true)
    }
}

/// One line per event on standard error: local time with offset, level, what, and key=value counts.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        formatter.formatOptions = [.withInternetDateTime]
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(terminalSafe($0.value.description))" }.joined(separator: " ")
        let line = "\(formatter.string(from: Date())) \(event.level.rawValue) \(label): \(terminalSafe(event.message.description))"
            + (fields.isEmpty ? "" : " " + fields) + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
