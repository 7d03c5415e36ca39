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
    /// A station judged clean above was already under an event moving one of this event's parameters the same way
    /// (any of them, however strongly) when its window opened: a long plume passing it earlier, of which this event
    /// may be the far end, not a new source.
    public var upstreamUnderWay: Bool
    /// Turbidity rose at the event's station, as runoff makes it do.
    public var muddied: Bool
    /// Other stations, counted once each, whose events with turbidity up began within ``TraceEngine/simultaneity`` of
    /// this one, at most 2. No travel lag is asked for, so a station on the plume's own path counts too: mostly rain
    /// on part of the district, too little to be a pattern.
    public var othersMuddied: Int

    /// The facts; the last three default to none, as in documents written before they were added.
    init(logStrength: Double, parameters: Int, affected: Int, cleanAbove: Bool, noData: Int, profileFit: Double,
         profile: SourceSignature? = nil, inPattern: Bool, inseparable: Bool, downstream: Int, logHours: Double,
         upstreamUnderWay: Bool = false, muddied: Bool = false, othersMuddied: Int = 0) {
        self.logStrength = logStrength
        self.parameters = parameters
        self.affected = affected
        self.cleanAbove = cleanAbove
        self.noData = noData
        self.profileFit = profileFit
        self.profile = profile
        self.inPattern = inPattern
        self.inseparable = inseparable
        self.downstream = downstream
        self.logHours = logHours
        self.upstreamUnderWay = upstreamUnderWay
        self.muddied = muddied
        self.othersMuddied = othersMuddied
    }

    /// Decodes the facts; documents written before `upstream_under_way`, `muddied` and `others_muddied` were added
    /// read as none of them (false, false, 0), which is what the model was fitted without.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        logStrength = try container.decode(Double.self, forKey: .logStrength)
        parameters = try container.decode(Int.self, forKey: .parameters)
        affected = try container.decode(Int.self, forKey: .affected)
        cleanAbove = try container.decode(Bool.self, forKey: .cleanAbove)
        noData = try container.decode(Int.self, forKey: .noData)
        profileFit = try container.decode(Double.self, forKey: .profileFit)
        profile = try container.decodeIfPresent(SourceSignature.self, forKey: .profile)
        inPattern = try container.decode(Bool.self, forKey: .inPattern)
        inseparable = try container.decode(Bool.self, forKey: .inseparable)
        downstream = try container.decode(Int.self, forKey: .downstream)
        logHours = try container.decode(Double.self, forKey: .logHours)
        upstreamUnderWay = try container.decodeIfPresent(Bool.self, forKey: .upstreamUnderWay) ?? false
        muddied = try container.decodeIfPresent(Bool.self, forKey: .muddied) ?? false
        othersMuddied = try container.decodeIfPresent(Int.self, forKey: .othersMuddied) ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case parameters, affected, inseparable, downstream, profile, muddied
        case logStrength = "log_strength"
        case cleanAbove = "clean_above"
        case noData = "no_data"
        case profileFit = "profile_fit"
        case inPattern = "in_pattern"
        case logHours = "log_hours"
        case upstreamUnderWay = "upstream_under_way"
        case othersMuddied = "others_muddied"
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

    /// When a plume leaving a station at `onset` may begin at a station `travelHours` below it: from 0.3 × the travel
    /// time − 3 h to 3 × it + 6 h after the onset (the configured or learned travel is typical, not measured).
    static func arrivalWindow(after onset: Date, travelHours hours: Double) -> (from: Date, to: Date) {
        (onset.addingTimeInterval((0.3 * hours - 3) * 3_600), onset.addingTimeInterval((3 * hours + 6) * 3_600))
    }

    /// Whether the station below saw the traced plume: an event there with one of `event`'s parameters moving the same
    /// way, beginning (or under way) between 0.3 × the expected travel time − 3 h and 3 × it + 6 h after the onset.
    func downstreamCheck(_ event: AnomalyEvent, at point: MonitoringPoint) -> DownstreamCheck? {
        guard let below = stationBelow(point),
              let hours = travelTimes.hours(from: point, to: below, in: network) else { return nil }
        let (from, to) = Self.arrivalWindow(after: event.start, travelHours: hours)
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
        let moves = Set(event.parameters.map(\.move))
        let underWay = result.evidence.contains { evidence in
            evidence.role == .clean && events(overlapping: evidence.windowStart, evidence.windowStart).contains { other in
                other.pointID == evidence.pointID && other.start < evidence.windowStart && other.end > evidence.windowStart
                    && other.parameters.contains { moves.contains($0.move) }
            }
        }
        let muddiedNearby = Self.muddiedStations(events(overlapping: event.start.addingTimeInterval(-simultaneity),
                                                        event.start.addingTimeInterval(simultaneity)).filter { other in
            other.pointID != event.pointID && abs(other.start.timeIntervalSince(event.start)) <= simultaneity
        })
        return ConfidenceBasis(
            logStrength: log(max(1, event.strength)),
            parameters: min(5, event.parameters.filter { abs($0.score) >= affectedScore }.count),
            affected: min(3, roles.filter { $0 == .affected }.count), cleanAbove: clean,
            noData: roles.filter { $0 == .noData }.count,
            profileFit: best.fit, profile: best.signature,
            inPattern: result.districtPattern != nil, inseparable: result.confluence?.finding == .inseparable,
            downstream: downstream,
            logHours: log(max(1, event.end.timeIntervalSince(event.start) / 3_600)),
            upstreamUnderWay: underWay, muddied: event.isMuddied,
            othersMuddied: min(2, muddiedNearby.count))
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
    /// Fitted on 64 tuning runs, 19,591 traces: score-trace.sh `TUNING=1` with stations read every 1, 2 or 4 h
    /// (--vary seeds 501–505 and base seeds 11–13 with uniform rain, the same with the sensors' noise doubled, --vary
    /// 501–515 and base 11–13 with patchy rain) and --vary 1401–1410 read hourly with the noise × 1, 2 and 3. Fitted
    /// on the model's noise alone, it stated 50–70 % for traces right 40–47 % of the time once the sensors were twice
    /// as noisy, and traced their excursions as sources (docs/performance.md, "Sensors noisier than the model's").
    static let coefficients: [Double] = [-4.231, 0.663, -0.207, 1.216, 1.136, -2.558, 5.233, 0.151, -1.267, 1.262, -0.365,
                                         0.032, -1.679, -1.236, -0.603]

    /// The model's probability against the share of traces right, as knots of a map linear between them. Fitted on
    /// the same 64 runs' 19,591 traces: a model fitted on some runs states more or less than other runs earn, and the
    /// map makes its number the share right again.
    static let calibration: [(model: Double, right: Double)] = [
        (0.000, 0.000), (0.029, 0.034), (0.075, 0.049), (0.123, 0.099), (0.174, 0.159), (0.223, 0.200), (0.275, 0.270),
        (0.324, 0.273), (0.374, 0.346), (0.423, 0.378), (0.475, 0.544), (0.525, 0.570), (0.575, 0.632), (0.626, 0.727),
        (0.676, 0.732), (0.727, 0.788), (0.776, 0.793), (0.827, 0.856), (0.877, 0.883), (0.928, 0.929), (0.975, 0.975),
        (1.000, 1.000),
    ]

    /// The facts as numbers, in the model's order: ln strength, parameters, affected, clean above, no data,
    /// profile fit, in a pattern, inseparable, the station below saw it, the station below did not, ln hours, a plume
    /// under way above, muddied, others muddied.
    static func features(_ basis: ConfidenceBasis) -> [Double] {
        [basis.logStrength, Double(basis.parameters), Double(basis.affected), basis.cleanAbove ? 1 : 0,
         Double(basis.noData), basis.profileFit, basis.inPattern ? 1 : 0, basis.inseparable ? 1 : 0,
         basis.downstream == 1 ? 1 : 0, basis.downstream == -1 ? 1 : 0, basis.logHours,
         basis.upstreamUnderWay ? 1 : 0, basis.muddied ? 1 : 0, Double(basis.othersMuddied)]
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
