import Foundation
import RiverModel

/// A sensor fault at a station: the readings are wrong, the water is not. Kept in the store, listed, and (for
/// impossible values) left out of the means.
public struct FaultFinding: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: String
    /// `impossible_value`, `flat_line`, `spike`, `dropout`, `drift`, `clock_offset` or `rate_of_change`.
    public var kind: String
    public var start: Date
    public var end: Date
    /// The reading (impossible values, spikes) or the repeated value (flat lines).
    public var value: Double?
    /// What it breaks, in words.
    public var rule: String

    public init(pointID: String, parameter: String, kind: String, start: Date, end: Date, value: Double?, rule: String) {
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
}

/// Physical limits of river water: outside them a reading is an instrument fault, not a pollution event.
public enum PhysicalBounds {
    /// The rule a value breaks, or nil when it is possible.
    public static func violation(_ parameter: Parameter, _ value: Double) -> String? {
        switch parameter {
        case .pH: (0...14).contains(value) ? nil : "pH outside 0–14"
        case .temperature: (-1...45).contains(value) ? nil : "water temperature outside −1–45 ℃"
        // Supersaturation above ~200 % does not occur in rivers; 20 mg/L is about 200 % at 25 ℃.
        case .dissolvedOxygen: (0...25).contains(value) ? nil : "dissolved oxygen outside 0–25 mg/L"
        case .redoxPotential: (-1000...1000).contains(value) ? nil : "ORP outside ±1000 mV"
        default: value >= 0 ? nil : "negative \(parameter.englishName)"
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
