import ArgumentParser
import Foundation

@main
struct Rivertrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rivertrace",
        abstract: "Water-quality sensor dumps of a river network → store, evaluation, trace-back reports.",
        discussion: """
            Settings come from rivertrace.toml (or --config); --store and --network override them.

            Exit codes:
              0  done, every row accepted
              1  failure: the command could not do its job (store, network files, settings, unreadable path)
              2  usage: bad flags or arguments
              3  done, but some rows were quarantined or conflicting, or a file needs attention
                 (a note, changed while read, not readable); for run and status --health, anything a person must see
              75 run: another run holds the lock
            """,
        subcommands: [IngestCommand.self, CheckCommand.self, StatusCommand.self, QuarantineCommand.self,
                      SimulateCommand.self, AnalyzeCommand.self, ReportCommand.self, TraceCommand.self, StatsCommand.self,
                      RunCommand.self, AlertsCommand.self, InitCommand.self])

    /// Parses and runs, mapping argument errors to exit code 2 (ArgumentParser's own is 64).
    static func main() {
        // Past a file-size limit (ulimit -f) a write then fails with EFBIG, which the store reports and survives,
        // instead of the signal killing the process mid-write.
        signal(SIGXFSZ, SIG_IGN)
        var failure: (any Error)?
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            failure = error
        }
        // What `print` left in the buffer: a full disk must not end in exit 0 (a failed write of the command's own
        // was reported by the command).
        if !StandardOutput.hasFailed {
            do {
                try StandardOutput.flush()
            } catch {
                FileHandle.standardError.write(Data("rivertrace: error: \(error)\n".utf8))
                Foundation.exit(1)
            }
        }
        if let error = failure {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
