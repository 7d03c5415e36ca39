import Foundation
import RiverModel
import Statistics

/// Whether the station below saw the plume a source verdict says passed it: a real plume goes on downstream, a
/// station's own excursion does not.
public struct DownstreamCheck: Sendable, Codable, Equatable {
    public enum Finding: String, Sendable, Codable {
        /// An event with one of the traced parameters, moving the same way, in the window.
        case seen
        /// Readings in the window, and no such event.
        case notSeen = "not_seen"
        /// Too few readings in the window to say.
        case noData = "no_data"
    }

    /// The next station below the event point.
    public var pointID: String
    public var finding: Finding
    public var windowStart: Date
    public var windowEnd: Date

    enum CodingKeys: String, CodingKey {
        case finding
        case pointID = "point_id"
        case windowStart = "window_start"
        case windowEnd = "window_end"
    }
}

/// What a source verdict's confidence is computed from: each a fact of the trace, reported so that the number can be
/// checked and understood.
public struct ConfidenceBasis: Sendable, Codable, Equatable {
    /// ln of the event's strongest |score| (noise widths).
    public var logStrength: Double
    /// Parameters at |score| ≥ 3, at most 5.
    public var parameters: Int
    /// Upstream stations found affected, at most 3.
    public var affected: Int
    /// Whether a clean station bounds the suspect stretch above.
    public var cleanAbove: Bool
    /// Upstream stations without readings in their window.
    public var noData: Int
    /// The best-fitting profile's signature fit (0–1).
    public var profileFit: Double
    /// Traced during or around a district-wide pattern (by distinctive parameters, a continuation, or the part before).
    public var inPattern: Bool
    /// The branches of a confluence on the stretch cannot be told apart.
    public var inseparable: Bool
    /// The station below: 1 saw the plume, −1 did not although it had readings, 0 no station or no data.
    public var downstream: Int
    /// ln of the event's length in hours (at least 1).
    public var logHours: Double

    enum CodingKeys: String, CodingKey {
        case parameters, affected, inseparable, downstream
        case logStrength = "log_strength"
        case cleanAbove = "clean_above"
        case noData = "no_data"
        case profileFit = "profile_fit"
        case inPattern = "in_pattern"
        case logHours = "log_hours"
    }
}

extension TraceEngine {
    /// The next station below `point`: further down its river, or down the rivers it flows into.
    func stationBelow(_ point: MonitoringPoint) -> MonitoringPoint? {
        var riverID = point.riverID
        var kilometre = point.kilometre
        for _ in 0..<max(8, network.rivers.count + 1) {
            if let next = network.points(on: riverID).first(where: { $0.kilometre > kilometre && isStation($0) }) { return next }
            guard let river = network.river(riverID), let into = river.flowsInto, let joins = river.confluenceKilometres else {
                return nil
            }
            // Stations on the receiving river at the confluence or below it.
            (riverID, kilometre) = (into, joins - 1e-9)
        }
        return nil
    }

    /// Whether the station below saw the traced plume: an event there with one of `event`'s parameters moving the same
    /// way, beginning (or under way) between 0.3 × the expected travel time − 3 h and 3 × it + 6 h after the onset.
    func downstreamCheck(_ event: AnomalyEvent, at point: MonitoringPoint) -> DownstreamCheck? {
        guard let below = stationBelow(point),
              let hours = travelTimes.hours(from: point, to: below, in: network) else { return nil }
        let from = event.start.addingTimeInterval((0.3 * hours - 3) * 3_600)
        let to = event.start.addingTimeInterval((3 * hours + 6) * 3_600)
        let moves = Set(event.parameters.filter { abs($0.score) >= affectedScore }.map(\.move))
        let seen = events.contains { other in
            other.pointID == below.id && other.start <= to && other.end >= from
                && other.parameters.contains { moves.contains($0.move) }
        }
        var finding = DownstreamCheck.Finding.seen
        if !seen {
            // Looked at: half the window's expected readings of one of the parameters, as for the walk's stations.
            let looked = moves.compactMap { baselines[below.id]?[$0.parameter] }.contains { series in
                let readings = series.firstIndex(atOrAfter: to.addingTimeInterval(1)) - series.firstIndex(atOrAfter: from)
                let expected = to.timeIntervalSince(from) / SensorFaultDetector.typicalInterval(series.times)
                return Double(readings) >= 0.5 * expected
            }
            finding = looked ? .notSeen : .noData
        }
        return DownstreamCheck(pointID: below.id, finding: finding, windowStart: from, windowEnd: to)
    }

    /// The facts a source verdict's confidence rests on.
    func confidenceBasis(_ result: TraceResult, event: AnomalyEvent) -> ConfidenceBasis {
        let roles = result.evidence.map(\.role)
        let downstream = switch result.downstream?.finding {
        case .seen: 1
        case .notSeen: -1
        case .noData, nil: 0
        }
        let clean = result.evidence.contains { $0.role == .clean }
        return ConfidenceBasis(
            logStrength: log(max(1, event.strength)),
            parameters: min(5, event.parameters.filter { abs($0.score) >= affectedScore }.count),
            affected: min(3, roles.filter { $0 == .affected }.count), cleanAbove: clean,
            noData: roles.filter { $0 == .noData }.count,
            profileFit: SignatureFit.bestProfile(changes: SignatureFit.changes(of: event)).fit,
            inPattern: result.districtPattern != nil, inseparable: result.confluence?.finding == .inseparable,
            downstream: downstream,
            logHours: log(max(1, event.end.timeIntervalSince(event.start) / 3_600)))
    }
}
