import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Simulator

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a deterministic synthetic district: the dumps a real district exports, plus truth.json.",
        discussion: """
            The network comes from --network (default data/network). Automatic stations write hourly day files
            (main river: wide GB18030 with Chinese headers; tributaries: long UTF-8), manual points a monthly lab
            sheet; truth.json says what really happened (pollution events, rain, trends, sensor faults) and what
            `rivertrace ingest` should report on the dumps. Model and parameters: docs/simulator.md.

            Scenarios:
              clean   background, seasons and noise only
              demo    rain, pollution events, trends, faults, a black-odorous river, dirty files (default)
              stress  every point automatic, many events and faults (benchmarks, scoring)

            Examples:
              rivertrace simulate --out sim --days 120 --start 2026-07-01
              rivertrace simulate --scenario stress --days 3650 --out /tmp/stress --seed 7
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Folder to write the dumps and truth.json into.")
    var out: String

    @Option(help: "clean, demo or stress.")
    var scenario: String = "demo"

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 20_261_001

    @Option(help: "First day (local date, YYYY-MM-DD).")
    var start: String = "2026-07-01"

    @Option(help: "Number of days.")
    var days: Int = 90

    @Option(help: "Minutes between automatic readings (60 hourly, 240 four-hourly).")
    var interval: Int = 60

    @Option(help: "Pollution events per 30 days (default: the scenario's).")
    var eventsPerMonth: Double?

    @Option(help: "Sensor faults per 30 days (default: the scenario's).")
    var faultsPerMonth: Double?

    @Option(help: "Multiply every river flow (wet or dry year).")
    var flowScale: Double = 1

    func validate() throws {
        guard ScenarioName(rawValue: scenario) != nil else {
            throw ValidationError("--scenario \(scenario): expected one of clean, demo, stress")
        }
        guard (1...36_600).contains(days) else { throw ValidationError("--days \(days): expected 1 to 36600") }
        guard [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440].contains(interval) else {
            throw ValidationError("--interval \(interval): expected minutes that divide a day, e.g. 60 or 240")
        }
        guard flowScale > 0 else { throw ValidationError("--flow-scale: expected a positive number") }
        guard startDate != nil else { throw ValidationError("--start \(start): expected a date such as 2026-07-01") }
    }

    private var startDate: Date? {
        guard case .time(let date) = TimeParser(timeZone: zone, defaultYear: nil).parse(start),
              start.count <= 10 else { return nil }
        return date
    }

    private var zone: TimeZone {
        (try? common.settings()).flatMap { TimeZone(identifier: $0.timeZoneIdentifier) } ?? TimeZone(identifier: "Asia/Shanghai")!
    }

    func run() throws {
        try runReportingFailures {
            let settingsFile = try common.settings()
            let network = try NetworkLoader.load(directory: settingsFile.networkDirectory)
            var settings = SimulationSettings(start: startDate!)
            settings.seed = seed
            settings.scenario = ScenarioName(rawValue: scenario)!
            settings.days = days
            settings.intervalMinutes = interval
            settings.timeZone = zone
            settings.flowScale = flowScale
            settings.eventsPerMonth = eventsPerMonth
            settings.faultsPerMonth = faultsPerMonth
            let began = Date()
            let truth = try DistrictSimulator(network: network, settings: settings).run(into: out)
            let seconds = Date().timeIntervalSince(began)
            let e = truth.expectedIngest
            print("""
                simulated \(scenario), \(days) days from \(start), seed \(seed) into \(out) in \(String(format: "%.1f", seconds)) s
                  \(truth.files.count) files, \(e.readingsRead) readings; \(truth.discharges.count) pollution events, \
                \(truth.rain.count) rain events, \(truth.faults.count) sensor faults, \(truth.trends.count) trends
                  truth: \(out)/truth.json
                """)
        }
    }
}
