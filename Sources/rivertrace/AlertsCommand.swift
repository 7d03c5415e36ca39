import ArgumentParser
import Foundation
import Pipeline
import Report
import Store

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the open alerts and those raised or cleared recently.",
        discussion: "Alerts are raised by `rivertrace run`; each has a stable id kind/point/parameter/start.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Also list alerts raised or cleared in the last this many days.")
    var days: Int = 7

    @Flag(help: "Print JSON (the alerts as the alert files carry them).")
    var json = false

    func validate() throws {
        guard days >= 0 else { throw ValidationError("--days \(days): expected 0 or more") }
    }

    func run() throws {
        try runReportingFailures {
            let settings = try common.settings()
            let store = try common.existingStore(settings)
            let open = try store.openAlerts()
            let recent = try store.recentAlerts(since: Date().addingTimeInterval(-Double(days) * 86_400))
                .filter { $0.clearedAt != nil }
            if json {
                struct Listing: Encodable {
                    var open: [Alert]
                    var recentlyCleared: [Alert]
                }
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                func decode(_ alerts: [StoredAlert]) throws -> [Alert] {
                    try alerts.map { try decoder.decode(Alert.self, from: Data($0.body.utf8)) }
                }
                let encoder = JSONEncoder.runOutput(pretty: true)
                let listing = Listing(open: try decode(open), recentlyCleared: try decode(recent))
                print(String(decoding: try encoder.encode(listing), as: UTF8.self))
                return
            }
            let zone = settings.timeZone
            print("open alerts: \(open.count)")
            for alert in open {
                print("  \(alert.severity) \(terminalSafe(alert.id)) — raised \(localTime(alert.raisedAt, in: zone))")
            }
            print("cleared in the last \(days) day(s): \(recent.count)")
            for alert in recent {
                print("  \(terminalSafe(alert.id)) — raised \(localTime(alert.raisedAt, in: zone)), cleared "
                      + (alert.clearedAt.map { localTime($0, in: zone) } ?? ""))
            }
        }
    }
}
