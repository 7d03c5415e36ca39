import Foundation
import RiverModel
import Statistics

/// A parameter and the way it moved: what district-wide patterns and station responses are counted by.
public struct ParameterMove: Sendable, Hashable {
    public var parameter: Parameter
    public var direction: Direction

    /// "nh3n rose": the form notes and logs use.
    public var code: String { "\(parameter.code) \(direction.code)" }
}

/// How one parameter took part in an anomaly event.
public struct EventParameter: Sendable, Codable, Equatable {
    public var parameter: Parameter
    public var direction: Direction
    public var peak: Double
    public var baseline: Double
    /// peak − baseline, in the parameter's canonical unit.
    public var increment: Double
    /// Robust z-score of the peak (noise widths above or below the baseline).
    public var score: Double
    public var peakTime: Date

    public var move: ParameterMove { ParameterMove(parameter: parameter, direction: direction) }

    public init(parameter: Parameter, direction: Direction, peak: Double, baseline: Double, increment: Double,
                score: Double, peakTime: Date) {
        self.parameter = parameter
        self.direction = direction
        self.peak = peak
        self.baseline = baseline
        self.increment = increment
        self.score = score
        self.peakTime = peakTime
    }

    enum CodingKeys: String, CodingKey {
        case parameter, direction, peak, baseline, increment, score
        case peakTime = "peak_time"
    }
}

/// An anomaly event at one point: several parameters leaving their baselines together. What the trace-back
/// engine starts from.
public struct AnomalyEvent: Sendable, Codable, Equatable {
    public var pointID: String
    /// Onset: the first reading of the earliest excursion.
    public var start: Date
    public var end: Date
    /// The time of the strongest excursion's peak.
    public var peakTime: Date
    /// Strongest first.
    public var parameters: [EventParameter]
    /// For an event found only with the nights around it — one of a run of nights on which the station rose at the
    /// same clock hour (``RecurringExcess``), under the single-night bar — the run's folded statistic; nil for every
    /// event the detector found on its own.
    public var foldedScore: Double?

    /// The parameters that rose, and those that fell: the event's signature.
    public var rose: [Parameter] { parameters.filter { $0.direction == .rose }.map(\.parameter) }
    public var fell: [Parameter] { parameters.filter { $0.direction == .fell }.map(\.parameter) }
    /// The largest |score| of any parameter.
    public var strength: Double { parameters.map { abs($0.score) }.max() ?? 0 }

    enum CodingKeys: String, CodingKey {
        case parameters, start, end
        case pointID = "point_id"
        case peakTime = "peak_time"
        case foldedScore = "folded_score"
    }

    public init(pointID: String, start: Date, end: Date, peakTime: Date, parameters: [EventParameter],
                foldedScore: Double? = nil) {
        self.pointID = pointID
        self.start = start
        self.end = end
        self.peakTime = peakTime
        self.parameters = parameters
        self.foldedScore = foldedScore
    }



    /// The events of one station, from its parameters' baselines.
    /// - Parameters:
    ///   - baselines: per parameter, its series against its baseline.
    ///   - interval: the station's reading interval.
    public static func events(pointID: String, baselines: [Parameter: BaselineSeries], interval: TimeInterval,
                              detector: AnomalyDetector = AnomalyDetector()) -> [AnomalyEvent] {
        // Excursions are labelled with parameter codes, so ties are ordered by code whatever the enum's order.
        let excursions = baselines.sorted { $0.key.code < $1.key.code }.flatMap { parameter, baseline in
            detector.excursions(label: parameter.code, in: baseline, interval: interval)
        }
        let byCode = Dictionary(uniqueKeysWithValues: baselines.keys.map { ($0.code, $0) })
        return detector.eventGroups(excursions, interval: interval).map { group in
            let parameters = group.strongest.compactMap { excursion in
                byCode[excursion.label].map { parameter in
                    EventParameter(parameter: parameter, direction: Direction(sign: excursion.direction),
                               peak: excursion.peakValue, baseline: excursion.baseline,
                                   increment: excursion.peakValue - excursion.baseline, score: excursion.peakScore,
                                   peakTime: excursion.peakTime)
                }
            }
            return AnomalyEvent(pointID: pointID, start: group.start, end: group.end, peakTime: parameters[0].peakTime,
                                parameters: parameters)
        }
    }
}
