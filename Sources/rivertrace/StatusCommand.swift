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
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let store = try common.existingStore(settings)
            let network = try common.network(settings, store: store)
            let zone = settings.timeZone
            print(try StatusText(store: store, network: network, zone: zone).text)
        }
    }
}
