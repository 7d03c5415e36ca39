import Foundation
import RiverModel

/// A sensor fault at a station: the readings are wrong, the water is not. Kept in the store, listed, and (for
/// impossible values) left out of the means.
public struct FaultFinding: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: String
    /// `impossible_value`, `flat_line`, `spike` or `dropout`.
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
}
