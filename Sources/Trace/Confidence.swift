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
    /// The profile that fits best (domestic, industrial, agricultural or stormwater); not a fact of the model, reported
    /// so that how often it names the true kind of source can be scored.
    public var profile: SourceSignature?
    /// Traced during or around a district-wide pattern (by distinctive parameters, a continuation, or the part before).
    public var inPattern: Bool
    /// The branches of a confluence on the stretch cannot be told apart.
    public var inseparable: Bool
    /// The station below: 1 saw the plume, −1 did not although it had readings, 0 no station or no data.
    public var downstream: Int
    /// ln of the event's length in hours (at least 1).
    public var logHours: Double

    enum CodingKeys: String, CodingKey {
        case parameters, affected, inseparable, downstream, profile
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
        let seen = events(overlapping: from, to).contains { other in
            other.pointID == below.id && other.parameters.contains { moves.contains($0.move) }
        }
        var finding = DownstreamCheck.Finding.seen
        if !seen {
            // Looked at: half the window's expected readings of one of the parameters, as for the walk's stations.
            let looked = moves.compactMap { baselines[below.id]?[$0.parameter] }.contains { series in
                let readings = series.firstIndex(atOrAfter: to.addingTimeInterval(1)) - series.firstIndex(atOrAfter: from)
                let expected = to.timeIntervalSince(from) / series.interval
                return Double(readings) >= 0.5 * expected
            }
            finding = looked ? .notSeen : .noData
        }
        return DownstreamCheck(pointID: below.id, finding: finding, windowStart: from, windowEnd: to)
    }

    /// The facts a source verdict's confidence rests on.
    /// - Parameter measured: the parameters the event's station measures (``measured(at:)``), for the profile's fit.
    func confidenceBasis(_ result: TraceResult, event: AnomalyEvent, measured: Set<Parameter>?) -> ConfidenceBasis {
        let roles = result.evidence.map(\.role)
        let downstream = switch result.downstream?.finding {
        case .seen: 1
        case .notSeen: -1
        case .noData, nil: 0
        }
        let clean = result.evidence.contains { $0.role == .clean }
        let best = SignatureFit.bestProfile(changes: SignatureFit.changes(of: event), measured: measured)
        return ConfidenceBasis(
            logStrength: log(max(1, event.strength)),
            parameters: min(5, event.parameters.filter { abs($0.score) >= affectedScore }.count),
            affected: min(3, roles.filter { $0 == .affected }.count), cleanAbove: clean,
            noData: roles.filter { $0 == .noData }.count,
            profileFit: best.fit, profile: best.signature,
            inPattern: result.districtPattern != nil, inseparable: result.confluence?.finding == .inseparable,
            downstream: downstream,
            logHours: log(max(1, event.end.timeIntervalSince(event.start) / 3_600)))
    }
}

/// What would settle an uncertain verdict: the readings or samples a field team or an operator can get.
public struct SettlingStep: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The station below had no plume, or no readings: its readings (or a grab sample) over the window would
        /// confirm the plume went on, or show the event was the station's own.
        case checkBelow = "check_below"
        /// A station above had no readings in its window: its readings, once delivered, decide the walk.
        case readingsAbove = "readings_above"
        /// Samples on both rivers just above a tributary's mouth tell which branch carries it.
        case sampleMouth = "sample_mouth"
        /// Grab samples along the suspect stretch, above and below its outfalls.
        case sampleStretch = "sample_stretch"
    }

    public var kind: Kind
    /// The station concerned (check_below, readings_above).
    public var pointID: String?
    /// The tributary and the river it joins (sample_mouth).
    public var riverID: String?
    public var receivingRiverID: String?
    /// When (check_below, readings_above).
    public var windowStart: Date?
    public var windowEnd: Date?

    public init(kind: Kind, pointID: String? = nil, riverID: String? = nil, receivingRiverID: String? = nil,
                windowStart: Date? = nil, windowEnd: Date? = nil) {
        self.kind = kind
        self.pointID = pointID
        self.riverID = riverID
        self.receivingRiverID = receivingRiverID
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case pointID = "point_id"
        case riverID = "river_id"
        case receivingRiverID = "receiving_river_id"
        case windowStart = "window_start"
        case windowEnd = "window_end"
    }
}

/// How likely a source verdict is to put the source on its suspect stretch: a logistic model of the facts in
/// ``ConfidenceBasis``, fitted on the tuning runs of the simulator (`scripts/fit_confidence.py`), then calibrated
/// against the share of traces that were right on many more runs (`scripts/calibrate_confidence.py`). The fitted
/// figures and the reliability table on held-out runs are in docs/methods.md and docs/performance.md.
public enum ConfidenceModel {
    /// Intercept first, then one coefficient per fact in the order of ``features(_:)``.
    /// Fitted on the tuning runs (score-trace.sh `TUNING=1`: --vary seeds 501–505, base seeds 11–13): 2,468 traces,
    /// refitted when signatures came to be weighed over the parameters a station measures.
    static let coefficients: [Double] = [-2.634, 0.364, -0.189, 0.971, 0.981, -1.717, 4.766, -0.258, -1.362, 0.653, -0.155, -0.127]

    /// The model's probability against the share of traces right, as knots of a map linear between them. Fitted on
    /// 21,620 traces of 68 runs (tuning mixed-interval, held-out seeds 1001–1030 hourly and mixed): the model, fitted on
    /// eight tuning runs, stated more than other runs earned — traces given 30–50 % were right 17–38 % of the time.
    static let calibration: [(model: Double, right: Double)] = [
        (0.000, 0.000), (0.057, 0.048), (0.122, 0.066), (0.202, 0.102), (0.272, 0.183), (0.325, 0.191), (0.375, 0.243),
        (0.424, 0.312), (0.476, 0.410), (0.524, 0.512), (0.605, 0.588), (0.704, 0.681), (0.774, 0.748), (0.859, 0.813),
        (0.929, 0.949), (0.974, 0.970), (1.000, 1.000),
    ]

    /// The facts as numbers, in the model's order: ln strength, parameters, affected, clean above, no data,
    /// profile fit, in a pattern, inseparable, the station below saw it, the station below did not, ln hours.
    static func features(_ basis: ConfidenceBasis) -> [Double] {
        [basis.logStrength, Double(basis.parameters), Double(basis.affected), basis.cleanAbove ? 1 : 0,
         Double(basis.noData), basis.profileFit, basis.inPattern ? 1 : 0, basis.inseparable ? 1 : 0,
         basis.downstream == 1 ? 1 : 0, basis.downstream == -1 ? 1 : 0, basis.logHours]
    }

    /// The logistic model's probability, 0.02–0.98, before calibration.
    static func modelProbability(_ basis: ConfidenceBasis) -> Double {
        let z = zip(coefficients, [1] + features(basis)).reduce(0) { $0 + $1.0 * $1.1 }
        return min(0.98, max(0.02, 1 / (1 + exp(-z))))
    }

    /// `model` mapped through ``calibration``: linear between the knots around it.
    static func calibrated(_ model: Double) -> Double {
        for (lower, upper) in zip(calibration, calibration.dropFirst()) where model <= upper.model {
            return lower.right + (model - lower.model) / (upper.model - lower.model) * (upper.right - lower.right)
        }
        return calibration[calibration.count - 1].right
    }

    /// 0.02–0.98, three decimals: the share of verdicts with these facts whose stretch held the source.
    public static func probability(_ basis: ConfidenceBasis) -> Double {
        (min(0.98, max(0.02, calibrated(modelProbability(basis)))) * 1000).rounded() / 1000
    }
}

extension TraceEngine {
    /// Below this confidence a source verdict is `uncertain` unless the settings say otherwise (`uncertain_below`):
    /// reported with what would settle it, not sent out. 0.5: more likely right than wrong.
    public static let defaultUncertainBelow = 0.5

    /// What would settle `result`, most telling first.
    func settlingSteps(_ result: TraceResult) -> [SettlingStep] {
        var steps: [SettlingStep] = []
        if let below = result.downstream, below.finding != .seen {
            steps.append(SettlingStep(kind: .checkBelow, pointID: below.pointID, windowStart: below.windowStart,
                                      windowEnd: below.windowEnd))
        }
        for blind in result.evidence where blind.role == .noData {
            steps.append(SettlingStep(kind: .readingsAbove, pointID: blind.pointID, windowStart: blind.windowStart,
                                      windowEnd: blind.windowEnd))
        }
        if let confluence = result.confluence, confluence.finding == .inseparable {
            steps.append(SettlingStep(kind: .sampleMouth, riverID: confluence.tributaryID,
                                      receivingRiverID: confluence.receivingRiverID))
        }
        steps.append(SettlingStep(kind: .sampleStretch, riverID: result.suspectSegment?.riverID))
        return steps
    }
}
