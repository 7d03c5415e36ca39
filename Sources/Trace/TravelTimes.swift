import Foundation
import RiverModel
import Statistics

/// One travel time seen in the data: a plume's shape at an upstream station found again at the station below it.
public struct LagObservation: Sendable, Codable, Equatable {
    public var upstreamPointID: String
    public var downstreamPointID: String
    /// Distance over the configured velocities (`rivers.csv` `velocity_m_s`).
    public var configuredHours: Double
    /// The lag at which the two stations' scores correlate best.
    public var observedHours: Double
    public var correlation: Double
    /// The downstream event's onset.
    public var time: Date

    enum CodingKeys: String, CodingKey {
        case correlation, time
        case upstreamPointID = "upstream_point_id"
        case downstreamPointID = "downstream_point_id"
        case configuredHours = "configured_hours"
        case observedHours = "observed_hours"
    }
}

/// Travel times learned from the plumes of a period: per river, a factor on the configured travel time.
///
/// Each observed lag is spread over the rivers of its path by their share of the configured hours. A river's factor
/// is the weighted median of its observations' ratios (observed / configured, on a log scale) together with the
/// network's factor counted as ``priorWeight`` observations; the network's factor is the weighted median of every
/// ratio together with 1 (the configured velocities) counted the same. With no observations the configured
/// velocities stand; a few cannot move them far; many outweigh them.
public struct LearnedTravelTimes: Sendable, Codable, Equatable {
    /// A river's learned factor on its configured travel time.
    public struct RiverFactor: Sendable, Codable, Equatable {
        public var riverID: String
        /// Observed / configured travel time: 2 means the water is half as fast as `velocity_m_s` says.
        public var factor: Double
        /// The middle half of the ratios behind it (nil with fewer than three observations).
        public var lowerQuartile: Double?
        public var upperQuartile: Double?
        /// Observations on the river, weighted by their share of each path's hours.
        public var weight: Double
        public var observations: Int
        /// `velocity_m_s` from `rivers.csv`, and what the factor makes of it.
        public var configuredVelocity: Double
        public var learnedVelocity: Double

        enum CodingKeys: String, CodingKey {
            case factor, weight, observations
            case riverID = "river_id"
            case configuredVelocity = "configured_velocity_m_s"
            case learnedVelocity = "learned_velocity_m_s"
            case lowerQuartile = "lower_quartile"
            case upperQuartile = "upper_quartile"
        }
    }

    /// How many observations the prior (the configured velocity, or for a river the network's factor) counts as.
    public static let priorWeight = 2.0

    public var networkFactor: Double
    public var rivers: [RiverFactor]
    public var observations: [LagObservation]

    enum CodingKeys: String, CodingKey {
        case rivers, observations
        case networkFactor = "network_factor"
    }

    /// The configured velocities: every factor 1.
    public static let configured = LearnedTravelTimes(networkFactor: 1, rivers: [], observations: [])

    /// Learns the factors from `observations` on `network`.
    public static func learn(_ observations: [LagObservation], network: Network) -> LearnedTravelTimes {
        var perRiver: [String: [(ratio: Double, weight: Double)]] = [:]
        var all: [(ratio: Double, weight: Double)] = []
        var counts: [String: Int] = [:]
        for observation in observations where observation.configuredHours > 0 && observation.observedHours > 0 {
            guard let upstream = network.point(observation.upstreamPointID),
                  let downstream = network.point(observation.downstreamPointID) else { continue }
            let ratio = log(observation.observedHours / observation.configuredHours)
            all.append((ratio, 1))
            let pieces = network.downstreamPieces(fromRiver: upstream.riverID, kilometre: upstream.kilometre, to: downstream)
            for piece in pieces ?? [] where piece.hours > 0 {
                perRiver[piece.riverID, default: []].append((ratio, piece.hours / observation.configuredHours))
                counts[piece.riverID, default: 0] += 1
            }
        }
        let networkMap = network
        let networkLog = weightedMedian(all + [(0, priorWeight)])
        let rivers = perRiver.keys.sorted().map { id in
            let ratios = perRiver[id]!
            let quartiles = ratios.count >= 3
                ? (weightedQuantile(ratios, 0.25), weightedQuantile(ratios, 0.75)) : nil
            let factor = exp(weightedMedian(ratios + [(networkLog, priorWeight)]))
            let velocity = networkMap.river(id)?.velocityMetresPerSecond ?? 0
            return RiverFactor(riverID: id, factor: rounded(factor),
                               lowerQuartile: quartiles.map { rounded(exp($0.0)) }, upperQuartile: quartiles.map { rounded(exp($0.1)) },
                               weight: rounded(ratios.map(\.weight).reduce(0, +)), observations: counts[id] ?? 0,
                               configuredVelocity: velocity, learnedVelocity: rounded(velocity / factor))
        }
        return LearnedTravelTimes(networkFactor: rounded(exp(networkLog)), rivers: rivers, observations: observations)
    }

    /// The factor on a river's configured travel time: its own, else the network's.
    public func factor(river riverID: String) -> Double {
        rivers.first { $0.riverID == riverID }?.factor ?? networkFactor
    }

    /// The learned travel time from `upstream` down to `downstream`, hours (nil when it is not below it).
    public func hours(from upstream: MonitoringPoint, to downstream: MonitoringPoint, in network: Network) -> Double? {
        network.downstreamPieces(fromRiver: upstream.riverID, kilometre: upstream.kilometre, to: downstream)?
            .reduce(0) { $0 + $1.hours * factor(river: $1.riverID) }
    }

    /// Three decimals: what the documents print, and the same factor whichever platform computes it.
    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    static func weightedMedian(_ values: [(ratio: Double, weight: Double)]) -> Double {
        weightedQuantile(values, 0.5)
    }

    /// The smallest value whose cumulative weight reaches `q` of the total (the lower one on an exact tie at ½,
    /// averaged with the next, as a median of an even count is).
    static func weightedQuantile(_ values: [(ratio: Double, weight: Double)], _ q: Double) -> Double {
        let sorted = values.filter { $0.weight > 0 }.sorted { $0.ratio < $1.ratio }
        guard !sorted.isEmpty else { return 0 }
        let total = sorted.map(\.weight).reduce(0, +)
        var cumulative = 0.0
        for (index, value) in sorted.enumerated() {
            cumulative += value.weight
            if abs(cumulative - q * total) < 1e-12 * total, index + 1 < sorted.count {
                return (value.ratio + sorted[index + 1].ratio) / 2
            }
            if cumulative >= q * total { return value.ratio }
        }
        return sorted[sorted.count - 1].ratio
    }
}

extension TraceEngine {
    /// The least correlation of two stations' scores at the best lag for the lag to count as a travel time.
    static let learningCorrelation = 0.7
    /// Observed lags are searched from this fraction of the configured travel time to ``learningHighest`` times it:
    /// the rivers' velocities may be off by half either way, and slower still at low flow.
    static let learningLowest = 0.3
    static let learningHighest = 3.0

    /// Travel times seen in the period's events: for every event not part of a district-wide pattern, each station
    /// immediately upstream with an event of the same parameter beginning earlier by a plausible travel time, and
    /// the lag at which their scores line up best (correlation at least ``learningCorrelation``, not at the edge
    /// of the search).
    func lagObservations() -> [LagObservation] {
        var observations: [LagObservation] = []
        let byPoint = Dictionary(grouping: events, by: \.pointID)
        for event in events {
            guard let point = network.point(event.pointID), pattern(of: event, at: point) == nil else { continue }
            for upstream in immediateUpstream(of: point) {
                guard let configured = network.downstreamPath(from: upstream, to: point)?.hours, configured > 0.5 else { continue }
                let earliest = event.start.addingTimeInterval(-(Self.learningHighest * configured + 6) * 3_600)
                let latest = event.start.addingTimeInterval(-(Self.learningLowest * configured - 2) * 3_600)
                let moves = Set(event.parameters.filter { abs($0.score) >= affectedScore }.map(\.move))
                guard let before = byPoint[upstream.id]?.last(where: { other in
                    other.start >= earliest && other.start <= latest && pattern(of: other, at: upstream) == nil
                        && other.parameters.contains { abs($0.score) >= affectedScore && moves.contains($0.move) }
                }) else { continue }
                let shared = event.parameters.filter { parameter in
                    abs(parameter.score) >= affectedScore && before.parameters.contains { $0.move == parameter.move }
                }
                var best: (hours: Double, correlation: Double)?
                for parameter in shared {
                    guard let up = baselines[upstream.id]?[parameter.parameter],
                          let down = baselines[point.id]?[parameter.parameter] else { continue }
                    let low = max(1, Int((Self.learningLowest * configured).rounded(.down)))
                    let high = Int((Self.learningHighest * configured + 4).rounded(.up))
                    let lag = bestLag(upstream: up, downstream: down, event: event, lags: low...high)
                    guard let correlation = lag.correlation, lag.hours > Double(low), lag.hours < Double(high),
                          correlation > best?.correlation ?? Self.learningCorrelation else { continue }
                    best = (lag.hours, correlation)
                }
                guard let best,
                      abs(before.start.addingTimeInterval(best.hours * 3_600).timeIntervalSince(event.start))
                        <= max(3, 0.3 * best.hours) * 3_600 else { continue }
                observations.append(LagObservation(upstreamPointID: upstream.id, downstreamPointID: point.id,
                                                   configuredHours: configured, observedHours: best.hours,
                                                   correlation: (best.correlation * 1000).rounded() / 1000, time: event.start))
            }
        }
        return observations
    }
}
