import Foundation
import RiverModel

/// How much a parameter rises along one stretch between consecutive points, beyond what mixing explains.
public struct SegmentStep: Sendable, Codable, Equatable {
    public var riverID: String
    public var fromPointID: String
    public var toPointID: String
    public var fromKilometre: Double
    public var toKilometre: Double
    public var parameter: Parameter
    /// The concentration expected at the lower point from the upper point and the tributaries joining in between.
    public var expected: Double
    public var observed: Double
    /// observed − expected, canonical units.
    public var increase: Double
    /// The increase over the parameter's Class III limit: comparable between parameters.
    public var increaseOverLimit: Double
    public var mixing: MixingBasis
    /// 1 = the stretch of this river where this parameter steps up most.
    public var rank: Int

    enum CodingKeys: String, CodingKey {
        case parameter, expected, observed, increase, mixing, rank
        case riverID = "river_id"
        case fromPointID = "from_point_id"
        case toPointID = "to_point_id"
        case fromKilometre = "from_km"
        case toKilometre = "to_km"
        case increaseOverLimit = "increase_over_limit"
    }
}

/// How the water expected below a confluence was mixed.
public enum MixingBasis: String, Sendable, Codable {
    /// Shares from conductivity, a conservative tracer.
    case conductivity
    /// Shares by the river length upstream of each inflow, a flow proxy.
    case length
    /// No tributary joins the stretch.
    case none
}

/// Persistent pollution: the stretches where period means step up most between consecutive points, accounting for
/// dilution by tributaries at confluences.
public enum PersistentPollution {
    /// - Parameters:
    ///   - means: period mean per point id and parameter.
    ///   - limits: the Class III limit per parameter (the parameters ranked).
    public static func rank(network: Network, means: [String: [Parameter: Double]], limits: [Parameter: Double]) -> [SegmentStep] {
        var steps: [SegmentStep] = []
        for river in network.riversInTreeOrder {
            let points = network.points(on: river.id).filter { means[$0.id] != nil }
            for (parameter, limit) in limits.sorted(by: { $0.key.code < $1.key.code }) {
                var riverSteps: [SegmentStep] = []
                for (upper, lower) in zip(points, points.dropFirst()) {
                    guard let top = means[upper.id]?[parameter], let bottom = means[lower.id]?[parameter] else { continue }
                    let joining = network.tributaries(of: river.id).filter {
                        ($0.confluenceKilometres ?? 0) > upper.kilometre && ($0.confluenceKilometres ?? 0) <= lower.kilometre
                    }
                    let outlets = joining.compactMap { tributary in
                        network.points(on: tributary.id).last { means[$0.id]?[parameter] != nil }.map { (tributary, $0) }
                    }
                    var expected = top
                    var mixing = MixingBasis.none
                    if !outlets.isEmpty {
                        let traced = conductivityShares(upper: upper, lower: lower, outlets: outlets.map(\.1), means: means)
                        let shares = traced ?? lengthShares(network: network, upper: upper, tributaries: outlets.map(\.0))
                        mixing = traced != nil ? .conductivity : .length
                        expected = shares[0] * top
                        for (index, outlet) in outlets.enumerated() { expected += shares[index + 1] * means[outlet.1.id]![parameter]! }
                    }
                    riverSteps.append(SegmentStep(riverID: river.id, fromPointID: upper.id, toPointID: lower.id,
                                                  fromKilometre: upper.kilometre, toKilometre: lower.kilometre,
                                                  parameter: parameter, expected: expected, observed: bottom,
                                                  increase: bottom - expected, increaseOverLimit: (bottom - expected) / limit,
                                                  mixing: mixing, rank: 0))
                }
                riverSteps.sort { $0.increase > $1.increase }
                for index in riverSteps.indices { riverSteps[index].rank = index + 1 }
                steps += riverSteps
            }
        }
        return steps
    }

    /// Mixing shares from conductivity, a conservative tracer: with one tributary T, the upper point's share is
    /// (C_lower − C_T) / (C_upper − C_T). Nil when there are several tributaries, no conductivity, or the two
    /// waters are too alike (within 5 %) to tell apart.
    static func conductivityShares(upper: MonitoringPoint, lower: MonitoringPoint, outlets: [MonitoringPoint],
                                   means: [String: [Parameter: Double]]) -> [Double]? {
        guard outlets.count == 1, let a = means[upper.id]?[.conductivity], let b = means[lower.id]?[.conductivity],
              let t = means[outlets[0].id]?[.conductivity], abs(a - t) > 0.05 * max(a, t) else { return nil }
        let share = (b - t) / (a - t)
        guard share > 0.02, share < 0.98 else { return nil }
        return [share, 1 - share]
    }

    /// Shares by the river length above each inflow (headwater flows grow with catchment, and length is what the
    /// network files give).
    static func lengthShares(network: Network, upper: MonitoringPoint, tributaries: [River]) -> [Double] {
        func total(_ river: River) -> Double {
            river.lengthKilometres + network.tributaries(of: river.id).map(total).reduce(0, +)
        }
        let above = upper.kilometre + network.tributaries(of: upper.riverID)
            .filter { ($0.confluenceKilometres ?? 0) <= upper.kilometre }.map(total).reduce(0, +)
        let weights = [max(above, 0.1)] + tributaries.map(total)
        let sum = weights.reduce(0, +)
        return weights.map { $0 / sum }
    }
}
