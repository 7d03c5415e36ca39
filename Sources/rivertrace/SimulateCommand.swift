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
            The network comes from --network (default data/network). Automatic stations write hourly day files \
            (main river: wide GB18030 with Chinese headers; tributaries: long UTF-8), manual points a monthly lab \
            sheet; truth.json says what really happened (pollution events, rain, trends, sensor faults) and what \
            `rivertrace ingest` should report on the dumps. Model and parameters: docs/simulator.md.

            Scenarios:
              clean   background, seasons and noise only
              demo    rain, pollution events, trends, faults, a black-odorous river, dirty files (default)
              stress  every point automatic, many events and faults (benchmarks, scoring)

            --vary draws harder physics and events from the seed (true velocities 0.5–1.5× rivers.csv and faster             in rain, dispersion, decay, partial mixing below confluences, about half the events unregistered,             overlapping and successive events, events around rain, faults on the plumes' paths) and tags every             discharge in truth.json with its conditions; without it the output is what it always was.
            --patchy-rain makes each rain a storm cell over part of the district or uneven rain over all of it,             moving across it (truth.json gives each point's share); the rain's times and the rest are unchanged.

            Examples:
              rivertrace simulate --out sim --days 120 --start 2026-07-01
              rivertrace simulate --scenario stress --days 3650 --out /tmp/stress --seed 7
              rivertrace simulate --scenario-file scenarios/wet-summer.toml --out sim --seed 3
              rivertrace simulate --scenario stress --vary --days 365 --start 2025-01-01 --seed 501 --out /tmp/v501
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Folder to write the dumps and truth.json into.")
    var out: String

    @Option(help: "TOML file with the knobs below (keys: scenario, seed, start, days, interval_minutes, station_intervals, events_per_month, faults_per_month, calibration_steps, night_discharges, single_parameter_discharges, flow_scale, noise_scale, vary, patchy_rain); flags override it.")
    var scenarioFile: String?

    @Option(help: "clean, demo or stress (default demo).")
    var scenario: ScenarioName?

    @Option(help: "Seed: the same seed gives the same bytes (default 20261001).")
    var seed: UInt64?

    @Option(help: "First day, local date YYYY-MM-DD (default 2026-07-01).")
    var start: String?

    @Option(help: "Number of days (default 90).")
    var days: Int?

    @Option(help: "Minutes between automatic readings: 60 hourly, 240 four-hourly (default 60).")
    var interval: Int?

    @Option(help: ArgumentHelp(
        "Minutes between readings per station, comma-separated: each automatic station reports at one of them, drawn by the seed (e.g. 60,120,240; multiples of --interval). Default: every station at --interval.",
        valueName: "minutes,…"))
    var stationIntervals: String?

    @Option(help: "Pollution events per 30 days (default: the scenario's).")
    var eventsPerMonth: Double?

    @Option(help: "Sensor faults per 30 days (default: the scenario's).")
    var faultsPerMonth: Double?

    @Option(help: "Calibration steps per 30 days: an analyser reading 15–40 % high or low for 2–10 days, a fault the scenarios do not draw (default 0).")
    var calibrationSteps: Double?

    @Option(help: "Night-time discharge episodes per 30 days: an outfall releasing for 2–4 h a night on most nights of 4–14, an event shape the scenarios do not draw (default 0).")
    var nightDischarges: Double?

    @Option(help: "Single-parameter discharges per 30 days: sand-washing water (turbidity) or brine (conductivity) let out for 1–5 days, moving one parameter as a recalibrated analyser does (default 0).")
    var singleParameterDischarges: Double?

    @Option(help: "Multiply every river flow, for a wet or dry year (default 1).")
    var flowScale: Double?

    @Option(help: "Multiply the stations' and the lab's measurement noise, for scoring on noisier or quieter sensors than the model's (default 1; 0: no noise).")
    var noiseScale: Double?

    @Flag(inversion: .prefixedNo,
          help: "Varied physics and harder events for scoring trace-back (docs/simulator.md, \"Variation\"; default off).")
    var vary: Bool?

    @Flag(inversion: .prefixedNo,
          help: "Patchy rain: storm cells over part of the district and uneven rain moving across it (docs/simulator.md, \"Patchy rain\"; default off).")
    var patchyRain: Bool?

    /// Flags over the scenario file over the defaults.
    private func resolved() throws -> (settings: SimulationSettings, startText: String) {
        let file = try scenarioFile.map(ScenarioFile.load(path:)) ?? ScenarioFile()
        let scenarioText = file.scenario ?? ScenarioName.demo.rawValue
        guard let scenarioName = scenario ?? ScenarioName(rawValue: scenarioText) else {
            throw ValidationError("scenario \(scenarioText): expected one of "
                                  + ScenarioName.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let days = self.days ?? file.days ?? 90
        guard (1...36_600).contains(days) else { throw ValidationError("days \(days): expected 1 to 36600") }
        let interval = self.interval ?? file.intervalMinutes ?? 60
        guard interval > 0, 1_440 % interval == 0 else {
            throw ValidationError("interval \(interval): expected minutes that divide a day, e.g. 60 or 240")
        }
        let stationIntervals = try self.stationIntervals.map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { field in
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let minutes = Int(trimmed) else {
                    throw ValidationError("station intervals \(text): expected minutes separated by commas, e.g. 60,120,240")
                }
                return minutes
            }
        } ?? file.stationIntervals ?? []
        var checked = SimulationSettings(start: Date())
        checked.intervalMinutes = interval
        checked.stationIntervalChoices = stationIntervals
        if let problem = checked.stationIntervalProblem { throw ValidationError(problem) }
        let flowScale = self.flowScale ?? file.flowScale ?? 1
        guard flowScale > 0, flowScale.isFinite else { throw ValidationError("flow scale \(flowScale): expected a positive number") }
        let startText = start ?? file.start ?? "2026-07-01"
        guard startText.count <= 10,
              case .time(let startDate) = TimeParser(timeZone: zone, defaultYear: nil).parse(startText) else {
            throw ValidationError("start \(startText): expected a date such as 2026-07-01")
        }
        for (name, value) in [("events per month", eventsPerMonth ?? file.eventsPerMonth),
                              ("faults per month", faultsPerMonth ?? file.faultsPerMonth),
                              ("calibration steps", calibrationSteps ?? file.calibrationSteps),
                              ("night discharges", nightDischarges ?? file.nightDischarges),
                              ("single-parameter discharges", singleParameterDischarges ?? file.singleParameterDischarges)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(name) \(value): expected a number ≥ 0") }
        }
        let noiseScale = self.noiseScale ?? file.noiseScale ?? 1
        guard noiseScale >= 0, noiseScale.isFinite else { throw ValidationError("noise scale \(noiseScale): expected a number ≥ 0") }
        var settings = SimulationSettings(start: startDate)
        settings.seed = seed ?? file.seed ?? 20_261_001
        settings.scenario = scenarioName
        settings.days = days
        settings.intervalMinutes = interval
        settings.stationIntervalChoices = stationIntervals
        settings.timeZone = zone
        settings.flowScale = flowScale
        settings.noiseScale = noiseScale
        settings.eventsPerMonth = eventsPerMonth ?? file.eventsPerMonth
        settings.faultsPerMonth = faultsPerMonth ?? file.faultsPerMonth
        settings.calibrationStepsPerMonth = calibrationSteps ?? file.calibrationSteps ?? 0
        settings.nightDischargesPerMonth = nightDischarges ?? file.nightDischarges ?? 0
        settings.singleParameterDischargesPerMonth = singleParameterDischarges ?? file.singleParameterDischarges ?? 0
        settings.vary = vary ?? file.vary ?? false
        settings.patchyRain = patchyRain ?? file.patchyRain ?? false
        return (settings, startText)
    }

    private var zone: TimeZone {
        (try? common.settings())?.timeZone ?? .chinaStandard
    }

    func run() throws {
        try runReportingFailures {
            let knobs: (settings: SimulationSettings, startText: String)
            do {
                knobs = try resolved()
            } catch let error as ValidationError {
                printError("rivertrace simulate: \(error.message)")
                throw ExitCode(2)
            }
            let settingsFile = try common.settings()
            let network = try NetworkLoader.load(directory: settingsFile.networkDirectory)
            let settings = knobs.settings
            let began = Date()
            let truth = try DistrictSimulator(network: network, settings: settings).run(into: out)
            let seconds = Date().timeIntervalSince(began)
            let e = truth.expectedIngest
            print("""
                simulated \(settings.scenario.rawValue)\(settings.vary ? " (varied)" : "")\(settings.patchyRain ? " (patchy rain)" : "")\(settings.noiseScale == 1 ? "" : " (noise ×\(settings.noiseScale))"), \(settings.days) days from \(knobs.startText), seed \(settings.seed) into \(out) in \(String(format: "%.1f", seconds)) s
                  \(truth.files.count) files, \(e.readingsRead) readings; \(truth.discharges.count) pollution events, \
                \(truth.rain.count) rain events, \(truth.faults.count) sensor faults, \(truth.trends.count) trends
                  truth: \(out)/truth.json
                """)
        }
    }
}
