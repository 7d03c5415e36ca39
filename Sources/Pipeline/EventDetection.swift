import Foundation
import RiverModel
import Standards
import Statistics
import Store
import Trace

/// The station series of a period, each set against its robust baseline: what events and trace-backs read.
public struct StationBaselines: Sendable {
    /// Per point id, per parameter.
    public var series: [String: [Parameter: BaselineSeries]]
    /// Each station's reading interval, seconds.
    public var interval: [String: TimeInterval]

    public func baseline(point: String, parameter: Parameter) -> BaselineSeries? { series[point]?[parameter] }
}

/// A series' readings that a baseline may use: the water's values (``Observation/waterValue(of:)``).
public struct UsableReadings: Sendable {
    public var times: [Date] = []
    public var values: [Double] = []
}

extension AnalysisJob {
    /// Half a month of readings either side of the period feed the baselines, so the period's first and last
    /// days are judged against weeks of context, not against themselves.
    static let baselineMargin: TimeInterval = 15 * 86_400

    /// Readings further apart than this are lab samples, too sparse for baselines and events.
    static let longestStationInterval: TimeInterval = 6 * 3_600

    /// Water temperature follows the weather, not outfalls: it is no pollution signal.
    static let eventParameters = Parameter.allCases.filter { $0 != .temperature }

    /// Which way effluent moves a parameter, for its baseline's level.
    ///
    /// Dissolved oxygen, transparency and redox potential fall under pollution, but they swing with the weather
    /// from day to day by more than their noise: an upper-quantile level made clean days score low (the stress
    /// scenario's false events doubled, mostly DO falls), so they keep the median, like pH and temperature.
    public static func pollutionDirection(_ parameter: Parameter) -> PollutionDirection {
        parameter.pollutionEffect == .raises ? .raises : .either
    }

    /// Fits baselines to every station's valid readings, leaving out readings inside a fault.
    /// - Parameter readings: per point and parameter, the period's usable readings and `baselineMargin` either side.
    public func baselines(of readings: [String: [Parameter: UsableReadings]], period: EvaluationPeriod,
                          faults: [FaultFinding]) -> StationBaselines {
        var result = StationBaselines(series: [:], interval: [:])
        let offset = timeZone.secondsFromGMT(for: period.start)
        // Any point read often enough is a station here, whatever `kind` the network file gives it.
        for point in network.points {
            let pointFaults = faults.filter { $0.pointID == point.id }
            var intervals: [TimeInterval] = []
            for parameter in Self.eventParameters {
                guard let usable = readings[point.id]?[parameter] else { continue }
                let excluded = pointFaults.filter { $0.parameter == parameter || $0.parameter == nil }
                let kept = usable.times.indices.filter { index in
                    !excluded.contains { $0.start <= usable.times[index] && usable.times[index] <= $0.end }
                }
                guard kept.count >= 48 else { continue }
                let times = kept.map { usable.times[$0] }
                let interval = SensorFaultDetector.typicalInterval(times)
                guard interval <= Self.longestStationInterval else { continue }
                intervals.append(interval)
                result.series[point.id, default: [:]][parameter] = RobustBaseline.fit(
                    times: times, values: kept.map { usable.values[$0] }, secondsFromGMT: offset,
                    minimumScale: parameter.smallestMeaningfulChange, pollution: Self.pollutionDirection(parameter))
            }
            if !intervals.isEmpty { result.interval[point.id] = SensSlope.median(intervals) }
        }
        return result
    }

    /// Anomaly events that start inside the period, station by station.
    public func events(in baselines: StationBaselines, period: EvaluationPeriod,
                       detector: AnomalyDetector = AnomalyDetector()) -> [AnomalyEvent] {
        var events: [AnomalyEvent] = []
        let offset = timeZone.secondsFromGMT(for: period.start)
        for point in network.points {
            guard let series = baselines.series[point.id], let interval = baselines.interval[point.id] else { continue }
            let found = AnomalyEvent.events(pointID: point.id, baselines: series, interval: interval, detector: detector)
            // Nights of a discharge repeated at one hour that stayed under the bar one by one (夜间偷排).
            let folded = AnomalyEvent.foldedNights(pointID: point.id, baselines: series, events: found,
                                                   secondsFromGMT: offset)
            events += (found + folded).filter { $0.start >= period.start && $0.start < period.end }
        }
        return events.sorted { ($0.start, $0.pointID) < ($1.start, $1.pointID) }
    }
}
