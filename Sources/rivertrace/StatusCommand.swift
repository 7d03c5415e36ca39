import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Store
import SystemPackage

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the store holds: coverage per point and parameter, quarantine, conflicts, files.",
        discussion: """
            Completeness is readings held / readings expected between a series' first and last reading at its \
            most common interval (hourly stations: 1 h). Times are shown in the settings' time zone.

            Examples:
              rivertrace status
              rivertrace status --store var/rt.sqlite --network data/network
              rivertrace status --health --config /srv/rivertrace/rivertrace.toml   # exit 3 when a person is needed

            --health checks the unattended installation instead: silent stations, a hung or failing run, no run \
            lately, old files in the inbox, files in failed/, quarantined rows in the last run, undelivered alert \
            files, a store that cannot be written, a nearly full disk. Each problem is printed with what to do; \
            exit 0 when there is none, 3 otherwise.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Check the installation for anything that needs a person (exit 3 if so).")
    var health = false

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            if health {
                let store = FileManager.default.fileExists(atPath: settings.storePath) ? try common.existingStore(settings) : nil
                let network = try store.map { try common.network(settings, store: $0) }
                    ?? NetworkLoader.load(directory: settings.networkDirectory)
                let problems = try HealthCheck(settings: settings, network: network).problems(store: store)
                if problems.isEmpty {
                    print("health: ok")
                    return
                }
                print("health: \(problems.count) problem(s) need a person")
                for problem in problems {
                    print("  - \(terminalSafe(problem.what))\n    → \(terminalSafe(problem.todo))")
                }
                throw Exit.attention
            }
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let zone = settings.timeZone
            print(try StatusText(store: store, network: network, zone: zone).text)
        }
    }
}
