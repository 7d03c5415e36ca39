import Foundation
import RiverModel

/// What really happened in a simulated district: written as `truth.json` beside the dumps, for scoring.
public struct GroundTruth: Codable, Sendable {
    public var schemaVersion = 1
    public var seed: UInt64
    public var scenario: String
    public var start: Date
    public var end: Date
    public var intervalMinutes: Int
    /// Each automatic station's reporting interval, minutes, when they differ (`--station-intervals`; absent
    /// otherwise: every station reports every `intervalMinutes`).
    public var stationIntervalMinutes: [String: Int]?
    public var timeZone: String
    public var rivers: [RiverFlow]
    public var discharges: [Discharge]
    public var rain: [RainEvent]
    public var trends: [Trend]
    public var faults: [SensorFault]
    public var blackOdorousRivers: [String]
    public var degradedPoints: [String]
    /// Statistics of every written automatic series before faults were applied (pollution included).
    public var cleanSeries: [SeriesStatistics]
    public var expectedIngest: ExpectedIngest
    public var files: [String]
    /// True when the run was simulated with `--vary` (absent otherwise: the file is as before the knob).
    public var vary: Bool?
    /// The factors a `--vary` run drew (absent otherwise).
    public var variation: SimulationVariation?
    /// True when the rain was patchy (`--patchy-rain`; absent otherwise): `rain[]` then gives each point's share.
    public var patchyRain: Bool? = nil
    /// The measurement noise's multiplier when it is not 1 (`--noise-scale`; absent otherwise).
    public var noiseScale: Double? = nil

    enum CodingKeys: String, CodingKey {
        case seed, scenario, start, end, rivers, discharges, rain, trends, faults, files, vary, variation
        case schemaVersion = "schema_version"
        case intervalMinutes = "interval_minutes"
        case stationIntervalMinutes = "station_interval_minutes"
        case patchyRain = "patchy_rain"
        case noiseScale = "noise_scale"
        case timeZone = "time_zone"
        case blackOdorousRivers = "black_odorous_rivers"
        case degradedPoints = "degraded_points"
        case cleanSeries = "clean_series"
        case expectedIngest = "expected_ingest"
    }
}

/// A river's flows in the simulation.
public struct RiverFlow: Codable, Sendable {
    public var riverID: String
    public var headwaterM3PerSecond: Double
    public var outletM3PerSecond: Double
    /// `--vary`: the true velocity at base flow over rivers.csv `velocity_m_s` (absent otherwise).
    public var velocityFactor: Double?
    /// `--vary`: the true velocity at base flow, m/s (absent otherwise).
    public var velocityMetresPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case riverID = "river_id"
        case headwaterM3PerSecond = "headwater_m3_s"
        case outletM3PerSecond = "outlet_m3_s"
        case velocityFactor = "velocity_factor"
        case velocityMetresPerSecond = "velocity_m_s"
    }
}

/// The kinds of pollution the simulator injects.
public enum DischargeKind: String, Codable, Sendable, CaseIterable {
    /// An illegal short discharge: conductivity and CODMn jump, pH shifts.
    case industrialPulse = "industrial_pulse"
    /// A continuous sewage leak: NH3-N, TP, CODMn up, DO down.
    case sewageLeak = "sewage_leak"
    /// Runoff from farmland after rain: TP, TN, turbidity up.
    case agriculturalRunoff = "agricultural_runoff"
    /// A registered stormwater outfall overflowing during heavy rain.
    case stormwaterOverflow = "stormwater_overflow"
    /// Water from washing sand or gravel (洗砂废水), let out for days: turbidity alone.
    case sandWashing = "sand_washing"
    /// Saline process water (高盐废水), let out for days: conductivity alone.
    case brine
}

/// Where a discharge enters, in terms of the monitoring points around it.
public struct Segment: Codable, Sendable, Equatable {
    public var riverID: String
    /// The nearest point upstream on the same river (nil: above the river's first point).
    public var upstreamPointID: String?
    /// The nearest point downstream on the same river (nil: below the river's last point).
    public var downstreamPointID: String?
    public var fromKilometre: Double
    public var toKilometre: Double

    enum CodingKeys: String, CodingKey {
        case riverID = "river_id"
        case upstreamPointID = "upstream_point_id"
        case downstreamPointID = "downstream_point_id"
        case fromKilometre = "from_km"
        case toKilometre = "to_km"
    }
}

/// How a discharge reaches one monitoring point.
public struct Impact: Codable, Sendable {
    public var pointID: String
    public var travelHours: Double
    /// When the plume's front reaches the point: the discharge's start + `travelHours` (half the full rise; nil in
    /// truth files written before it was added).
    public var arrival: Date?
    /// When the rise at the point is largest: the middle of the release + `travelHours` (the spreading is symmetric).
    public var peakTime: Date?
    /// Discharge flow / river flow at the point (× the confluence's mixing share at the first station below a
    /// tributary mouth under `--vary`).
    public var dilution: Double
    /// The largest increase above background the discharge causes at the point, per parameter (noise-free).
    public var peakIncrement: [Parameter: Double]
    /// `--vary`: when the plume is at the point, from 4 σ before its front to 4 σ after its tail (absent otherwise:
    /// then it is `start + travel_hours − 4σ` to `end + travel_hours + 4σ`, σ = 0.3 + 0.25 √travel_hours).
    public var windowStart: Date?
    public var windowEnd: Date?
    /// `--vary`: the travel in flow hours (``FlowClock``) and the spreading σ in flow hours the model runs on; not
    /// written to truth.json.
    var flowHours: Double?
    var spreadHours: Double?

    enum CodingKeys: String, CodingKey {
        case pointID = "point_id"
        case travelHours = "travel_hours"
        case arrival
        case peakTime = "peak_time"
        case dilution
        case peakIncrement = "peak_increment"
        case windowStart = "window_start"
        case windowEnd = "window_end"
    }
}

/// One injected pollution source event.
public struct Discharge: Codable, Sendable {
    public var id: String
    public var kind: DischargeKind
    /// The registered source (sources.csv) it comes from, or nil for an unregistered source.
    public var registeredSourceID: String?
    public var riverID: String
    public var kilometre: Double
    public var segment: Segment
    public var start: Date
    public var end: Date
    public var flowM3PerSecond: Double
    /// Effluent concentrations, canonical units, per parameter code.
    public var effluent: [String: Double]
    /// The rain event that triggered it (overflows, farmland runoff).
    public var rainID: Int?
    public var impacts: [Impact]
    /// `--vary`: the conditions that make it hard to trace (`unregistered`, `overlapping`, `before_rain`, …;
    /// docs/simulator.md, "Conditions"); absent otherwise.
    public var conditions: [String]?

    enum CodingKeys: String, CodingKey {
        case id, kind, kilometre = "km", segment, start, end, effluent, impacts, conditions
        case registeredSourceID = "source_id"
        case riverID = "river_id"
        case flowM3PerSecond = "flow_m3_s"
        case rainID = "rain_id"
    }
}

/// A rain event: runoff raises turbidity, TP and CODMn at every point at once — or, with `--patchy-rain`, at each
/// point with its share, a little later where the storm arrives later.
public struct RainEvent: Codable, Sendable {
    public var id: Int
    public var start: Date
    public var end: Date
    /// 0…1.
    public var intensity: Double
    /// `--patchy-rain`: per point, the share of the intensity that reached it, two decimals (absent otherwise).
    public var pointShares: [String: Double]?
    /// `--patchy-rain`: per point, hours after `start` that the rain began there, two decimals (absent otherwise).
    public var pointDelayHours: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case id, start, end, intensity
        case pointShares = "point_shares"
        case pointDelayHours = "point_delay_hours"
    }
}

/// A long-term trend on one point and parameter.
public struct Trend: Codable, Sendable {
    public var pointID: String
    public var parameter: Parameter
    /// Change of the background level per year, percent of the starting level.
    public var percentPerYear: Double

    enum CodingKeys: String, CodingKey {
        case pointID = "point_id"
        case parameter
        case percentPerYear = "percent_per_year"
    }
}

/// Sensor faults: what a station writes is wrong, the water is not.
public enum InjectedFault: String, Codable, Sendable, CaseIterable {
    case stuck, spike, drift, dropout
    case clockOffset = "clock_offset"
    case outOfRange = "out_of_range"
    /// An analyser reading a fixed share high or low from one maintenance visit to the next (`--calibration-steps`).
    case step

    /// The kinds the scenario's faults take in turn (a calibration step only when asked for).
    static let cycled: [InjectedFault] = [.stuck, .spike, .drift, .dropout, .clockOffset, .outOfRange]
}

/// One injected sensor fault.
public struct SensorFault: Codable, Sendable {
    public var id: String
    public var kind: InjectedFault
    public var pointID: String
    /// The parameters affected; empty for every one of the station's (dropout, clock offset), `["*"]` in truth.json.
    public var parameters: [Parameter]
    public var start: Date
    public var end: Date
    /// Spike factor, drift per day, clock offset in hours, or the impossible value written.
    public var magnitude: Double

    enum CodingKeys: String, CodingKey {
        case id, kind, parameters, start, end, magnitude
        case pointID = "point_id"
    }

    /// Whether the fault touches `parameter`; nil (a finding for the whole station) matches any fault.
    public func affects(_ parameter: Parameter?) -> Bool {
        guard let parameter, !parameters.isEmpty else { return true }
        return parameters.contains(parameter)
    }

    public init(id: String, kind: InjectedFault, pointID: String, parameters: [Parameter], start: Date, end: Date,
                magnitude: Double) {
        (self.id, self.kind, self.pointID, self.parameters) = (id, kind, pointID, parameters)
        (self.start, self.end, self.magnitude) = (start, end, magnitude)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(InjectedFault.self, forKey: .kind)
        pointID = try container.decode(String.self, forKey: .pointID)
        let codes = try container.decode([String].self, forKey: .parameters)
        parameters = try codes == ["*"] ? [] : codes.map { code in
            guard let parameter = Parameter(rawValue: code) else {
                throw DecodingError.dataCorruptedError(forKey: .parameters, in: container,
                                                       debugDescription: "unknown parameter \(code)")
            }
            return parameter
        }
        start = try container.decode(Date.self, forKey: .start)
        end = try container.decode(Date.self, forKey: .end)
        magnitude = try container.decode(Double.self, forKey: .magnitude)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(pointID, forKey: .pointID)
        try container.encode(parameters.isEmpty ? ["*"] : parameters.map(\.code), forKey: .parameters)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(magnitude, forKey: .magnitude)
    }
}

/// Summary of one fault-free series, for scoring detection.
public struct SeriesStatistics: Codable, Sendable {
    public var pointID: String
    public var parameter: Parameter
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double

    enum CodingKeys: String, CodingKey {
        case parameter, count, mean, minimum = "min", maximum = "max"
        case pointID = "point_id"
        case standardDeviation = "sd"
    }
}

/// What `rivertrace ingest` should report on the dumps, from the dirt the simulator put in on purpose.
public struct ExpectedIngest: Codable, Sendable, Equatable {
    public var files = 0
    public var skippedFiles = 0
    public var readingsRead = 0
    public var accepted = 0
    public var duplicates = 0
    public var conflicts = 0
    public var quarantinedByReason: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case files, accepted, duplicates, conflicts
        case skippedFiles = "skipped_files"
        case readingsRead = "readings_read"
        case quarantinedByReason = "quarantined_by_reason"
    }
}
