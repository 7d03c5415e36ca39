import Foundation
import TOMLKit

/// The knobs of `rivertrace simulate` read from a TOML file (`--scenario-file`); flags override them.
///
/// ```toml
/// scenario = "demo"          # clean | demo | stress
/// seed = 7
/// start = "2026-07-01"
/// days = 120
/// interval_minutes = 60
/// station_intervals = [60, 120, 240]   # each station at one of them (optional)
/// events_per_month = 3.0
/// faults_per_month = 2.0
/// flow_scale = 1.0
/// noise_scale = 1.0          # the sensors' noise, multiplied
/// calibration_steps = 0.0    # calibration steps per 30 days
/// night_discharges = 0.0     # night-time discharge episodes per 30 days
/// single_parameter_discharges = 0.0  # sand-washing water or brine let out for days, per 30 days
/// vary = true                # varied physics and harder events (docs/simulator.md)
/// patchy_rain = true         # storm cells and uneven rain (docs/simulator.md)
/// ```
public struct ScenarioFile: Sendable, Equatable {
    public var scenario: String?
    public var seed: UInt64?
    public var start: String?
    public var days: Int?
    public var intervalMinutes: Int?
    public var stationIntervals: [Int]?
    public var eventsPerMonth: Double?
    public var faultsPerMonth: Double?
    public var flowScale: Double?
    /// Multiplies the measurement noise (`noise_scale`).
    public var noiseScale: Double?
    /// Calibration steps per 30 days (`calibration_steps`).
    public var calibrationSteps: Double?
    /// Night-time discharge episodes per 30 days (`night_discharges`).
    public var nightDischarges: Double?
    /// Single-parameter discharges per 30 days (`single_parameter_discharges`).
    public var singleParameterDischarges: Double?
    public var vary: Bool?
    public var patchyRain: Bool?

    public init() {}

    static let keys: Set<String> = ["scenario", "seed", "start", "days", "interval_minutes", "station_intervals", "events_per_month",
                                    "faults_per_month", "calibration_steps", "night_discharges",
                                    "single_parameter_discharges", "flow_scale", "noise_scale", "vary", "patchy_rain"]

    /// Reads `path`. Unknown keys are an error (a misspelt knob should not be silently ignored).
    /// - Throws: ``SettingsError`` naming the file, the key and what was expected.
    public static func load(path: String) throws -> ScenarioFile {
        let table = try readTOML(path)
        try rejectUnknownKeys(table, known: keys, in: path, section: nil)
        func number(_ key: String) throws -> Double? {
            guard let value = table[key] else { return nil }
            if let double = value.double { return double }
            if let int = value.int { return Double(int) }
            throw SettingsError(file: path, message: "\(key): expected a number")
        }
        func integer(_ key: String) throws -> Int? {
            guard let value = table[key] else { return nil }
            guard let int = value.int else { throw SettingsError(file: path, message: "\(key): expected a whole number") }
            return int
        }
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw SettingsError(file: path, message: "\(key): expected a string") }
            return text
        }
        var file = ScenarioFile()
        file.scenario = try string("scenario")
        if let seed = try integer("seed") {
            guard seed >= 0 else { throw SettingsError(file: path, message: "seed: expected a number ≥ 0") }
            file.seed = UInt64(seed)
        }
        file.start = try string("start")
        file.days = try integer("days")
        file.intervalMinutes = try integer("interval_minutes")
        if let value = table["station_intervals"] {
            let minutes = value.array?.compactMap(\.int)
            guard let minutes, minutes.count == value.array?.count else {
                throw SettingsError(file: path, message: "station_intervals: expected a list of whole numbers, e.g. [60, 120, 240]")
            }
            file.stationIntervals = minutes
        }
        file.eventsPerMonth = try number("events_per_month")
        file.faultsPerMonth = try number("faults_per_month")
        file.flowScale = try number("flow_scale")
        file.noiseScale = try number("noise_scale")
        file.calibrationSteps = try number("calibration_steps")
        file.nightDischarges = try number("night_discharges")
        file.singleParameterDischarges = try number("single_parameter_discharges")
        for (key, store) in [("vary", \ScenarioFile.vary), ("patchy_rain", \ScenarioFile.patchyRain)] {
            guard let value = table[key] else { continue }
            guard let flag = value.bool else { throw SettingsError(file: path, message: "\(key): expected true or false") }
            file[keyPath: store] = flag
        }
        return file
    }
}
