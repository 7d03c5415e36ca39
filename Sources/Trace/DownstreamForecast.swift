import Foundation
import RiverModel

// The downstream arrival forecast of early warning (提前预警): an event seen at one station is carried down the river
// tree with each river's travel time and the dilution at each confluence, so the points below — above all the
// assessed sections — are told when to expect it and how strong. Pure: values in, values out; the caller classes
// the expected peaks (Standards) and keeps the state of each forecast (verified, missed, pending).

/// Relative river flows where no gauge measures them: what the dilution of a plume down the tree is computed from.
///
/// The flow at km x of river r is headwater(r) + lateral(r)·x + the outlet flows of the tributaries that join r at
/// or above x; a tributary's outlet flow is its flow at its own length. Any consistent unit will do: only ratios of
/// flows are used.
public struct FlowIndex: Sendable {
    /// Flow entering each river at its upstream end, per river id.
    public let headwater: [String: Double]
    /// Flow gained per km along each river (runoff, drains, small ditches), per river id.
    public let lateralPerKilometre: [String: Double]
    private let network: Network
    private let outlets: [String: Double]

    /// Flows from given headwater and lateral inflows (measured, or from a hydrological study); rivers left out have none.
    public init(network: Network, headwater: [String: Double], lateralPerKilometre: [String: Double]) {
        self.network = network
        self.headwater = headwater
        self.lateralPerKilometre = lateralPerKilometre
        var outlets: [String: Double] = [:]
        // Tributaries before the rivers they join: the reverse of tree order.
        for river in network.riversInTreeOrder.reversed() {
            var flow = headwater[river.id, default: 0] + lateralPerKilometre[river.id, default: 0] * river.lengthKilometres
            for tributary in network.tributaries(of: river.id) { flow += outlets[tributary.id] ?? 0 }
            outlets[river.id] = flow
        }
        self.outlets = outlets
    }

    /// The estimate used when no flows are known: each river's headwater flow in proportion to its length, plus an
    /// equal inflow for every km along it.
    ///
    /// With `headwaterPerKilometreOfLength` = 2.5 a river brings in from above as much water as 2.5 km of banks per km
    /// of its length: the ratio of the simulator's `Hydrology` (0.05 m³/s per km of length at the head, 0.02 m³/s per
    /// km along), so on simulated districts the dilution is structurally right and the scores measure the rest.
    public static func fromRiverLengths(_ network: Network, headwaterPerKilometreOfLength: Double = 2.5) -> FlowIndex {
        FlowIndex(network: network,
                  headwater: Dictionary(network.rivers.map { ($0.id, headwaterPerKilometreOfLength * $0.lengthKilometres) },
                                        uniquingKeysWith: { first, _ in first }),
                  lateralPerKilometre: Dictionary(network.rivers.map { ($0.id, 1.0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The flow at `kilometre` of a river.
    public func flow(river riverID: String, kilometre: Double) -> Double {
        var flow = headwater[riverID, default: 0] + lateralPerKilometre[riverID, default: 0] * kilometre
        for tributary in network.tributaries(of: riverID) where (tributary.confluenceKilometres ?? 0) <= kilometre {
            flow += outlets[tributary.id] ?? 0
        }
        return flow
    }

    /// The flow at a monitoring point.
    public func flow(at point: MonitoringPoint) -> Double {
        flow(river: point.riverID, kilometre: point.kilometre)
    }
}

extension MonitoringPoint {
    /// Whether the point is an assessed section (考核断面).
    ///
    /// `points.csv` has no 考核断面 column: a point with its own `target_class` is taken as assessed (a target set
    /// for the point itself, not inherited from its river, is what an assessment fixes).
    public var isAssessedSection: Bool { ownTargetClass != nil }
}

/// How wide the arrival windows are, and what counts as a plume a station will see.
public struct ForecastSettings: Sendable, Equatable {
    /// How far the real velocity may be from `velocity_m_s`, as a fraction: the window runs from travel at
    /// (1 + u)·v to travel at (1 − u)·v. Kept within 0…0.9.
    public var velocityUncertainty: Double = 0.3
    /// Added before and after the window: the onset upstream is known to one reading, the arrival downstream is seen
    /// at a reading. Set it to the stations' reading interval (1 h for the sample district).
    public var readingInterval: TimeInterval = 3_600
    /// First-order loss in transit, per day, per parameter: none unless given (see docs/methods.md).
    public var decayPerDay: [Parameter: Double] = [:]
    /// Noise widths a parameter's expected change must reach for a point to be expected to see the plume.
    public var noticeableScore: Double = 3

    public init() {}
}

/// A station's normal state for one parameter, now: what an expected change is added to and measured against.
public struct StationLevel: Sendable, Equatable {
    /// The background level (the baseline's expected value), canonical unit.
    public var level: Double
    /// The noise width (the baseline's robust scale), canonical unit.
    public var noise: Double

    public init(level: Double, noise: Double) {
        self.level = level
        self.noise = noise
    }

    /// A station's level and noise from its recent readings (the week before the forecast, say), where its baseline is
    /// not at hand: the median, and 1.4826 × the median absolute deviation (a robust standard deviation) but at least
    /// `minimumNoise` (the parameter's `smallestMeaningfulChange`). Nil without finite values.
    public static func recent(_ values: [Double], minimumNoise: Double) -> StationLevel? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        let level = median(finite)
        return StationLevel(level: level, noise: max(1.4826 * median(finite.map { abs($0 - level) }), minimumNoise))
    }
}

/// The expected peak of one parameter at a downstream point.
public struct ParameterForecast: Sendable, Codable, Equatable {
    public var parameter: Parameter
    public var direction: Direction
    /// The expected peak change from the point's background, canonical unit (negative when it falls).
    public var increment: Double
    /// The point's background level as given by the caller (nil when not given).
    public var background: Double?
    /// background + increment, kept within the parameter's physical range: the concentration to class (nil without a
    /// background).
    public var peak: Double?
    /// |increment| in the point's noise widths (the event point's, when the caller gave none for this point).
    public var expectedScore: Double

    enum CodingKeys: String, CodingKey {
        case parameter, direction, increment, background, peak
        case expectedScore = "expected_score"
    }
}

/// What one downstream point is to expect, and when.
public struct PointForecast: Sendable, Codable, Equatable {
    public var pointID: String
    public var riverID: String
    public var kind: PointKind
    /// An assessed section (考核断面), see ``RiverModel/MonitoringPoint/isAssessedSection``.
    public var isAssessed: Bool
    /// The point's target class (its own, else its river's), for the caller to class the peaks against.
    public var targetClass: WaterClass?
    /// Distance down the river tree from the event point, km.
    public var kilometres: Double
    /// Travel time at the rivers' `velocity_m_s`, hours.
    public var travelHours: Double
    /// The arrival window: onset + travel at the fastest and at the slowest velocity, widened by a reading each side.
    public var earliest: Date
    /// onset + travel at `velocity_m_s`: the expected arrival.
    public var expected: Date
    public var latest: Date
    /// The event's peak time + travel.
    public var expectedPeakTime: Date
    /// Flow at the event point / flow here (≤ 1): the share of the event's change left after the inflows on the way.
    public var flowRatio: Double
    /// Strongest first, as the event's.
    public var parameters: [ParameterForecast]
    /// Whether some parameter is expected `noticeableScore` noise widths off: a station should see the plume. A point
    /// where none is is listed for completeness; its silence verifies nothing.
    public var isNoticeable: Bool

    enum CodingKeys: String, CodingKey {
        case kind, kilometres, earliest, expected, latest, parameters
        case pointID = "point_id"
        case riverID = "river_id"
        case isAssessed = "assessed"
        case targetClass = "target_class"
        case travelHours = "travel_hours"
        case expectedPeakTime = "expected_peak_time"
        case flowRatio = "flow_ratio"
        case isNoticeable = "noticeable"
    }
}

/// The forecast made from one event: every point below it, in order of expected arrival.
public struct DownstreamForecast: Sendable, Codable, Equatable {
    public var eventPointID: String
    public var eventStart: Date
    /// When the plume reached the event point: the anchor of every window.
    public var onset: Date
    /// When the forecast was made.
    public var issued: Date
    public var points: [PointForecast]

    /// The assessed sections among the points.
    public var assessed: [PointForecast] { points.filter(\.isAssessed) }

    enum CodingKeys: String, CodingKey {
        case onset, issued, points
        case eventPointID = "event_point_id"
        case eventStart = "event_start"
    }
}

/// Carries an anomaly event down the river tree (see docs/methods.md, "Downstream arrival forecast").
///
/// Timing: plug flow at each river's `velocity_m_s` (``RiverModel/FlowPath``), from the onset at the event point.
/// Strength: the event's change at its peak so far, times flow here / flow at the event point (mass balance of a
/// conservative substance: the load stays, the water carrying it grows at each confluence and along the banks), times
/// exp(−k·t) where a decay rate is given.
public struct DownstreamForecaster: Sendable {
    public let network: Network
    public let flows: FlowIndex
    public let settings: ForecastSettings

    /// - Parameter flows: nil for ``FlowIndex/fromRiverLengths(_:headwaterPerKilometreOfLength:)``.
    public init(network: Network, flows: FlowIndex? = nil, settings: ForecastSettings = ForecastSettings()) {
        self.network = network
        self.flows = flows ?? FlowIndex.fromRiverLengths(network)
        self.settings = settings
    }

    /// The forecast for every point downstream of the event's point, through the confluences to the outlet.
    /// - Parameters:
    ///   - event: the event as detected so far: its increments are the peak so far, so forecast again as it grows.
    ///   - issued: when the forecast is made (the run that found the event).
    ///   - onset: when the plume reached the event point, where that is not the event's start (a trace's
    ///     `tracedFrom`: a plume arriving during rain); nil for the event's start.
    ///   - levels: per point id and parameter, the point's background level and noise width now (its baseline);
    ///     points left out get no expected concentration and are judged by the event point's noise.
    ///   - plumeParameters: the parameters that are the plume's, where the event's other changes have another cause
    ///     (an event in rain: the trace's `districtPattern.parameters`); nil for all of the event's.
    public func forecast(_ event: AnomalyEvent, issued: Date, onset: Date? = nil,
                         levels: [String: [Parameter: StationLevel]] = [:],
                         plumeParameters: [Parameter]? = nil) -> DownstreamForecast {
        let anchor = onset ?? event.start
        guard let origin = network.point(event.pointID) else {
            return DownstreamForecast(eventPointID: event.pointID, eventStart: event.start, onset: anchor, issued: issued,
                                      points: [])
        }
        let u = settings.velocityUncertainty.isFinite ? min(max(settings.velocityUncertainty, 0), 0.9) : 0.3
        let slack = settings.readingInterval.isFinite ? max(settings.readingInterval, 0) : 3_600
        let originFlow = flows.flow(at: origin)
        var points: [PointForecast] = []
        for point in network.points where point.id != origin.id {
            guard let path = network.downstreamPath(from: origin, to: point), path.hours.isFinite else { continue }
            let travel = path.hours * 3_600
            let here = flows.flow(at: point)
            // Flows grow downstream; a ratio above 1 or undefined would only come from a flow table with holes.
            let ratio = originFlow > 0 && here > 0 ? min(1, originFlow / here) : 1
            let parameters = event.parameters.compactMap { change -> ParameterForecast? in
                // Rain raises turbidity and nutrients everywhere at once: that part travels nowhere.
                if let plumeParameters, !plumeParameters.contains(change.parameter) { return nil }
                let decay = exp(-max(settings.decayPerDay[change.parameter] ?? 0, 0) * path.hours / 24)
                let increment = change.increment * ratio * decay
                guard increment.isFinite, change.score.isFinite else { return nil }
                let given = levels[point.id]?[change.parameter]
                let background = given.map(\.level).flatMap { $0.isFinite ? $0 : nil }
                let peak = background.map { level in
                    let range = change.parameter.physicalRange
                    return min(max(level + increment, range.lowerBound), range.upperBound)
                }
                let score: Double
                if let noise = given?.noise, noise > 0, noise.isFinite {
                    score = abs(increment) / noise
                } else {
                    // The event point's noise width: its change over its score.
                    score = abs(change.score) * ratio * decay
                }
                return ParameterForecast(parameter: change.parameter, direction: change.direction, increment: increment,
                                         background: background, peak: peak, expectedScore: score)
            }
            points.append(PointForecast(
                pointID: point.id, riverID: point.riverID, kind: point.kind, isAssessed: point.isAssessedSection,
                targetClass: network.targetClass(of: point), kilometres: path.kilometres, travelHours: path.hours,
                earliest: anchor.addingTimeInterval(travel / (1 + u) - slack),
                expected: anchor.addingTimeInterval(travel),
                latest: anchor.addingTimeInterval(travel / (1 - u) + slack),
                expectedPeakTime: event.peakTime.addingTimeInterval(travel), flowRatio: ratio, parameters: parameters,
                isNoticeable: parameters.contains { $0.expectedScore >= settings.noticeableScore }))
        }
        points.sort { ($0.expected, $0.pointID) < ($1.expected, $1.pointID) }
        return DownstreamForecast(eventPointID: event.pointID, eventStart: event.start, onset: anchor, issued: issued,
                                  points: points)
    }
}

/// Whether a forecast arrival came true.
public struct ArrivalCheck: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// The window is open, or the station has not reported past its end.
        case pending
        /// A forecast parameter began an excursion the forecast way inside the window.
        case verified
        /// The window closed, the station reported past it, and no forecast parameter began an excursion in it.
        case missed
    }

    /// What showed the excursion.
    public enum Evidence: String, Sendable, Codable {
        /// An anomaly event at the point (the detector's rule).
        case event
        /// Two successive readings `ArrivalCheck.confirmingScore` noise widths off the level, the first of a run
        /// (weaker than an event needs: a diluted plume seldom makes one on its own).
        case readings
    }

    public var state: State
    /// The onset of the excursion that verified it.
    public var arrived: Date?
    public var evidence: Evidence?

    /// Noise widths two successive readings must reach: the detector's entry score.
    public static let confirmingScore = 3.0

    public init(state: State, arrived: Date? = nil, evidence: Evidence? = nil) {
        self.state = state
        self.arrived = arrived
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case state, arrived, evidence
    }
}

extension PointForecast {
    /// Checks the forecast against what the point has seen since.
    ///
    /// Verified when, inside [earliest, latest], a forecast parameter begins an excursion in the forecast direction:
    /// an anomaly event of the point starts with it, or (where readings and a level are given) two successive readings
    /// lie `ArrivalCheck.confirmingScore` noise widths off the level, the reading before them not. An excursion under
    /// way before the window opened confirms nothing: it has another cause.
    /// - Parameters:
    ///   - events: the point's anomaly events (others are ignored).
    ///   - readings: the point's readings per parameter, ascending in time (any span; the window's part is used).
    ///   - levels: the point's level and noise width per parameter, as before the window (the forecast's own levels).
    ///   - readUntil: the time of the point's latest reading: a window the station has not reported past stays pending.
    public func check(events: [AnomalyEvent], readings: [Parameter: [Observation]] = [:],
                      levels: [Parameter: StationLevel] = [:], readUntil: Date) -> ArrivalCheck {
        let expectedMoves = Set(parameters.map(\.move))
        let byEvent = events.filter { event in
            event.pointID == pointID && event.start >= earliest && event.start <= latest
                && event.parameters.contains { expectedMoves.contains($0.move) }
        }.map(\.start).min()
        var byReadings: Date?
        for forecast in parameters {
            guard let level = levels[forecast.parameter], level.noise > 0, let series = readings[forecast.parameter] else { continue }
            let sign = forecast.direction.sign
            var previousHigh = false
            var runStart: Date?
            for observation in series where observation.time <= latest {
                guard let value = observation.waterValue(of: forecast.parameter) else { continue }
                let high = sign * (value - level.level) / level.noise >= ArrivalCheck.confirmingScore
                if high, let start = runStart, start >= earliest {
                    byReadings = min(byReadings ?? start, start)
                    break
                }
                runStart = high && !previousHigh ? observation.time : (high ? runStart : nil)
                previousHigh = high
            }
        }
        switch (byEvent, byReadings) {
        case let (event?, readings?):
            return readings < event ? ArrivalCheck(state: .verified, arrived: readings, evidence: .readings)
                : ArrivalCheck(state: .verified, arrived: event, evidence: .event)
        case let (event?, nil): return ArrivalCheck(state: .verified, arrived: event, evidence: .event)
        case let (nil, readings?): return ArrivalCheck(state: .verified, arrived: readings, evidence: .readings)
        case (nil, nil): return ArrivalCheck(state: readUntil >= latest ? .missed : .pending)
        }
    }
}

extension ParameterForecast {
    public var move: ParameterMove { ParameterMove(parameter: parameter, direction: direction) }
}
