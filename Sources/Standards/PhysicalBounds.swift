import Foundation
import RiverModel

/// A sensor fault at a station: the readings are wrong, the water is not. Kept in the store, listed, and (for
/// impossible values) left out of the means.
public struct FaultFinding: Sendable, Codable, Equatable {
    public var pointID: String
    /// The parameter whose readings are wrong; nil for the whole station (a clock offset), `*` in JSON.
    public var parameter: Parameter?
    public var kind: FaultKind
    public var start: Date
    public var end: Date
    /// The reading (impossible values, spikes) or the repeated value (flat lines).
    public var value: Double?
    /// What it breaks, in words.
    public var rule: String

    public init(pointID: String, parameter: Parameter?, kind: FaultKind, start: Date, end: Date, value: Double?, rule: String) {
        self.pointID = pointID
        self.parameter = parameter
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey {
        case parameter, kind, start, end, value, rule
        case pointID = "point_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pointID = try container.decode(String.self, forKey: .pointID)
        let code = try container.decode(String.self, forKey: .parameter)
        parameter = code == "*" ? nil : try container.decode(Parameter.self, forKey: .parameter)
        kind = try container.decode(FaultKind.self, forKey: .kind)
        start = try container.decode(Date.self, forKey: .start)
        end = try container.decode(Date.self, forKey: .end)
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        rule = try container.decode(String.self, forKey: .rule)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameter?.code ?? "*", forKey: .parameter)
        try container.encode(kind, forKey: .kind)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encode(rule, forKey: .rule)
        try container.encode(pointID, forKey: .pointID)
    }
}

/// Physical limits of river water: outside them a reading is an instrument fault, not a pollution event.
public enum PhysicalBounds {
    /// The rule a value breaks (outside ``Parameter/physicalRange``), in words, or nil when it is possible.
    public static func violation(_ parameter: Parameter, _ value: Double) -> String? {
        guard !parameter.physicalRange.contains(value) else { return nil }
        return switch parameter {
        case .pH: "pH outside 0–14"
        case .temperature: "water temperature outside −1–45 ℃"
        case .dissolvedOxygen: "dissolved oxygen outside 0–25 mg/L"
        case .redoxPotential: "ORP outside ±1000 mV"
        default: "negative \(parameter.englishName)"
        }
    }

    /// The fastest change per hour between consecutive readings a river station can honestly show, with the scale
    /// it is measured on: a natural-log ratio for concentrations (ln 8 ≈ 2.08: eightfold within the hour), a
    /// difference otherwise; nil where no limit is set. For ratio limits only falls count (a discharge can multiply
    /// a concentration at an outfall within the hour; nothing but its end, or rain, divides it). Chosen above what
    /// the water does at a station 100 m below an outfall (docs/methods.md, rate of change).
    public static func maximumChangePerHour(_ parameter: Parameter) -> (limit: Double, isRatio: Bool)? {
        switch parameter {
        // Day cycles move water temperature by well under 1 ℃/h; 3 ℃ leaves room for storm runoff.
        case .temperature: (3, false)
        // Near an outfall of pH 3–11 effluent, mixing moves pH by about one unit; two units is a sensor.
        case .pH: (2, false)
        // Photosynthesis and a sewage front move DO by at most 2–3 mg/L in an hour.
        case .dissolvedOxygen: (5, false)
        // Falls: fresh storm water or the end of an industrial pulse divide conductivity by 2–3 at most.
        case .conductivity: (log(5), true)
        case .ammoniaNitrogen, .totalPhosphorus, .totalNitrogen, .permanganateIndex, .chemicalOxygenDemand:
            (log(8), true)
        // Settling and flushing clear turbid water over hours, not a twentieth within one.
        case .turbidity: (log(20), true)
        default: nil
        }
    }
}
