import Foundation

/// One parameter's stretch of readings away from its baseline in one direction.
public struct Excursion: Sendable, Equatable {
    public var parameter: String
    /// +1 rose, −1 fell.
    public var direction: Int
    public var start: Date
    public var end: Date
    public var peakTime: Date
    public var peakValue: Double
    /// The baseline (expected value) at the peak.
    public var baseline: Double
    /// The peak's score: (value − baseline) / scale.
    public var peakScore: Double
    public var readings: Int
}

/// How one parameter took part in an anomaly event.
public struct EventParameter: Sendable, Codable, Equatable {
    public var parameter: String
    /// "rose" or "fell".
    public var direction: String
    public var peak: Double
    public var baseline: Double
    /// peak − baseline, in the parameter's canonical unit.
    public var increment: Double
    /// Robust z-score of the peak (noise widths above or below the baseline).
    public var score: Double
    public var peakTime: Date

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

    /// The parameters that rose, and those that fell: the event's signature.
    public var rose: [String] { parameters.filter { $0.direction == "rose" }.map(\.parameter) }
    public var fell: [String] { parameters.filter { $0.direction == "fell" }.map(\.parameter) }
    /// The largest |score| of any parameter.
    public var strength: Double { parameters.map { abs($0.score) }.max() ?? 0 }

    enum CodingKeys: String, CodingKey {
        case parameters, start, end
        case pointID = "point_id"
        case peakTime = "peak_time"
    }
}

/// Finds excursions in baseline-scored series and joins the ones that overlap into events.
///
/// An excursion is a run of at least two readings `enterScore` noise widths off the baseline in one direction,
/// extended while they stay `stayScore` off; a single reading alone is a spike, which is the sensor-fault
/// detector's business. A group of excursions becomes an event when one of them is strong on its own (peaks
/// at `peakScore`, or lasts `sustainedReadings` readings like a leak that raises the level for days), or when
/// `corroboratingParameters` parameters peak at `corroboratedScore` together: noise is independent between
/// analysers, an effluent moves several parameters at once.
public struct AnomalyDetector: Sendable {
    public var enterScore = 3.0
    public var stayScore = 2.0
    public var peakScore = 5.0
    public var sustainedReadings = 12
    public var corroboratedScore = 3.0
    public var corroboratingParameters = 2
    /// Excursions of different parameters closer than this join one event.
    public var joinGap: TimeInterval = 3 * 3_600

    public init() {}

    /// - Parameter interval: the station's reading interval; a longer gap ends a run.
    public func excursions(parameter: String, in series: BaselineSeries, interval: TimeInterval) -> [Excursion] {
        var found: [Excursion] = []
        var index = 0
        let count = series.values.count
        while index < count {
            let score = series.score(index)
            guard abs(score) >= enterScore else { index += 1; continue }
            let sign = score > 0 ? 1.0 : -1.0
            var last = index
            var peak = index
            var next = index + 1
            while next < count, sign * series.score(next) >= stayScore,
                  series.times[next].timeIntervalSince(series.times[last]) <= 1.5 * interval {
                if abs(series.score(next)) > abs(series.score(peak)) { peak = next }
                last = next
                next += 1
            }
            let readings = last - index + 1
            if readings >= 2 {
                found.append(Excursion(parameter: parameter, direction: Int(sign), start: series.times[index],
                                       end: series.times[last], peakTime: series.times[peak],
                                       peakValue: series.values[peak], baseline: series.expected[peak],
                                       peakScore: series.score(peak), readings: readings))
            }
            index = next
        }
        return found
    }

    func isStrong(_ excursion: Excursion) -> Bool {
        abs(excursion.peakScore) >= peakScore || excursion.readings >= sustainedReadings
    }

    func isEvent(_ group: [Excursion]) -> Bool {
        group.contains(where: isStrong)
            || Set(group.filter { abs($0.peakScore) >= corroboratedScore }.map(\.parameter)).count >= corroboratingParameters
    }

    /// Joins excursions (any parameters, one point) that overlap or lie within `joinGap` of each other.
    public func events(pointID: String, excursions: [Excursion]) -> [AnomalyEvent] {
        let ordered = excursions.sorted { ($0.start, $0.parameter) < ($1.start, $1.parameter) }
        var groups: [[Excursion]] = []
        var groupEnd = Date.distantPast
        for excursion in ordered {
            // A parameter moving a new way hours into an episode is a second cause arriving (a plume during
            // rain: conductivity up while the rain pulls it down elsewhere): it starts its own event.
            let arrivesLate = groups.last.map { group in
                excursion.start.timeIntervalSince(group[0].start) > joinGap && isStrong(excursion)
                    && !group.contains { $0.parameter == excursion.parameter && $0.direction == excursion.direction }
            } ?? false
            if !groups.isEmpty, !arrivesLate, excursion.start.timeIntervalSince(groupEnd) <= joinGap {
                groups[groups.count - 1].append(excursion)
                groupEnd = max(groupEnd, excursion.end)
            } else {
                groups.append([excursion])
                groupEnd = excursion.end
            }
        }
        return groups.filter(isEvent).map { group in
            // One entry per parameter: its strongest excursion in the group.
            var strongest: [String: Excursion] = [:]
            for excursion in group where abs(excursion.peakScore) > abs(strongest[excursion.parameter]?.peakScore ?? 0) {
                strongest[excursion.parameter] = excursion
            }
            let parameters = strongest.values
                .sorted { (abs($0.peakScore), $1.parameter) > (abs($1.peakScore), $0.parameter) }
                .map { EventParameter(parameter: $0.parameter, direction: $0.direction > 0 ? "rose" : "fell",
                                      peak: $0.peakValue, baseline: $0.baseline, increment: $0.peakValue - $0.baseline,
                                      score: $0.peakScore, peakTime: $0.peakTime) }
            return AnomalyEvent(pointID: pointID, start: group.map(\.start).min()!, end: group.map(\.end).max()!,
                                peakTime: parameters[0].peakTime, parameters: parameters)
        }
    }
}
