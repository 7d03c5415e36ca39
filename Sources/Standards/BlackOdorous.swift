import Foundation
import RiverModel

/// Grades of black-odorous water (城市黑臭水体整治工作指南, 住建部/环保部 2015).
public enum BlackOdorousGrade: String, Sendable, Codable, Comparable {
    case none = "无"
    case light = "轻度黑臭"
    case severe = "重度黑臭"

    public var english: String {
        switch self {
        case .none: "not black-odorous"
        case .light: "lightly black-odorous"
        case .severe: "severely black-odorous"
        }
    }

    private var rank: Int { self == .none ? 0 : self == .light ? 1 : 2 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One item's share of readings at each level.
public struct BlackOdorousItem: Sendable, Codable, Equatable {
    public var parameter: Parameter
    public var readings: Int
    /// Share of readings at the 重度 level, 0…1.
    public var severeShare: Double
    /// Share of readings at the 轻度 level or worse, 0…1.
    public var lightOrWorseShare: Double

    enum CodingKeys: String, CodingKey {
        case parameter, readings
        case severeShare = "severe_share"
        case lightOrWorseShare = "light_or_worse_share"
    }
}

/// A point's black-odorous grading over a period.
public struct BlackOdorousResult: Sendable, Codable, Equatable {
    public var pointID: String
    public var grade: BlackOdorousGrade
    public var items: [BlackOdorousItem]

    enum CodingKeys: String, CodingKey {
        case grade, items
        case pointID = "point_id"
    }
}

/// Grades black-odorous water from transparency, DO, ORP and NH3-N.
///
/// Levels per reading (the guide's table): transparency 10–25 cm 轻度, < 10 cm 重度; DO 0.2–2.0 mg/L 轻度,
/// < 0.2 重度; ORP −200–50 mV 轻度, < −200 重度; NH3-N 8.0–15 mg/L 轻度, > 15 重度. The guide does not say
/// whether the ends belong to the band; rivertrace takes them as inclusive of 轻度. A point is 重度黑臭 when one
/// item has ≥ 60 % of its readings at 重度 or two items ≥ 30 % (the guide's rule); rivertrace applies the same
/// shares to 轻度-or-worse readings for 轻度黑臭 (the guide leaves that share unstated).
public enum BlackOdorousGrader {
    public static let items: [Parameter] = [.transparency, .dissolvedOxygen, .redoxPotential, .ammoniaNitrogen]

    /// The level of one reading: nil when not black-odorous.
    public static func level(_ parameter: Parameter, _ value: Double) -> BlackOdorousGrade {
        switch parameter {
        case .transparency: value < 10 ? .severe : value <= 25 ? .light : .none
        case .dissolvedOxygen: value < 0.2 ? .severe : value <= 2.0 ? .light : .none
        case .redoxPotential: value < -200 ? .severe : value <= 50 ? .light : .none
        case .ammoniaNitrogen: value > 15 ? .severe : value >= 8 ? .light : .none
        default: .none
        }
    }

    /// Grades a point from its valid readings of the four items; nil when none was measured at least 3 times.
    public static func grade(pointID: String, series: [Parameter: [Observation]]) -> BlackOdorousResult? {
        var results: [BlackOdorousItem] = []
        for parameter in items {
            let values = (series[parameter] ?? []).compactMap { $0.waterValue(of: parameter) }
            // The guide samples at least 3 times: fewer readings do not grade an item.
            guard values.count >= 3 else { continue }
            let levels = values.map { level(parameter, $0) }
            results.append(BlackOdorousItem(parameter: parameter, readings: values.count,
                                            severeShare: Double(levels.filter { $0 == .severe }.count) / Double(values.count),
                                            lightOrWorseShare: Double(levels.filter { $0 != .none }.count) / Double(values.count)))
        }
        guard !results.isEmpty else { return nil }
        func reaches(_ share: (BlackOdorousItem) -> Double) -> Bool {
            results.contains { share($0) >= 0.6 } || results.filter { share($0) >= 0.3 }.count >= 2
        }
        let grade: BlackOdorousGrade = reaches(\.severeShare) ? .severe : reaches(\.lightOrWorseShare) ? .light : .none
        return BlackOdorousResult(pointID: pointID, grade: grade, items: results)
    }
}
