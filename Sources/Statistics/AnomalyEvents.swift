import Foundation

/// One series' stretch of readings away from its baseline in one direction.
public struct Excursion: Sendable, Equatable {
    /// The caller's name for the series (the analysis uses parameter codes): it tells the series of one station apart
    /// and orders ties, nothing more.
    public var label: String
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
    /// Lasted like a leak that raises the level for days: ``AnomalyDetector/sustainedReadings`` hourly readings, or
    /// as long at a station that reads less often.
    public var sustained = false
}

/// Finds excursions in baseline-scored series and joins the ones that overlap into events (groups of excursions of one
/// station's series). Generic over what the series are: the caller names them and gives the groups their meaning.
///
/// An excursion is a run of at least two readings `enterScore` noise widths off the baseline in one direction,
/// extended while they stay `stayScore` off; a single reading alone is a spike, which is the sensor-fault
/// detector's business. A group of excursions becomes an event when one of them is strong on its own (peaks
/// at `peakScore`, or lasts `sustainedReadings` readings like a leak that raises the level for days), or when
/// `corroboratingParameters` parameters peak at `corroboratedScore` together: noise is independent between
/// analysers, an effluent moves several parameters at once.
///
/// The counts are of hourly readings: at a station that reads less often a sustained excursion lasts as long as
/// `sustainedReadings` hourly readings span. One that reads every ``coarseInterval`` or less often can catch a pulse
/// of a few hours in one reading, so there a single reading is an excursion too — never strong on its own, it makes
/// an event only with another parameter moving with it.
public struct AnomalyDetector: Sendable {
    public var enterScore = 3.0
    public var stayScore = 2.0
    public var peakScore = 5.0
    public var sustainedReadings = 12
    public var corroboratedScore = 3.0
    public var corroboratingParameters = 2
    /// Excursions of different parameters closer than this join one event.
    public var joinGap: TimeInterval = 3 * 3_600
    /// From this interval between readings on, a station is read too coarsely for a pulse of a few hours to reach two
    /// readings (the simulator's industrial pulses last 2–6 h; the district's stations report every 1–4 h). At 2 h
    /// most still reach two, and single readings there added more false alarms than plumes (docs/methods.md).
    public static let coarseInterval: TimeInterval = 3 * 3_600

    public init() {}

    /// Whether a station read every `interval` is read too coarsely for a short pulse to reach two readings.
    public static func isCoarse(interval: TimeInterval) -> Bool { interval >= coarseInterval }

    /// The readings a run needs to be an excursion at a station read every `interval`.
    static func shortestRun(interval: TimeInterval) -> Int { isCoarse(interval: interval) ? 1 : 2 }

    /// The readings that make an excursion sustained at a station read every `interval`: as long a run as
    /// `sustainedReadings` hourly readings span (11 h for 12), and never fewer readings than that at a faster station.
    func sustainedRun(interval: TimeInterval) -> Int {
        guard interval > 3_600 else { return sustainedReadings }
        return 1 + Int((Double(sustainedReadings - 1) * 3_600 / interval).rounded(.up))
    }

    /// The gap that still joins excursions into one event: `joinGap`, or one reading and a half where that is longer
    /// (a station read less often than every 2 h: the excursions of one plume then sit one reading apart).
    func joinGap(interval: TimeInterval) -> TimeInterval { max(joinGap, 1.5 * interval) }

    /// - Parameter interval: the station's reading interval; a longer gap ends a run.
    public func excursions(label: String, in series: BaselineSeries, interval: TimeInterval) -> [Excursion] {
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
            if readings >= Self.shortestRun(interval: interval) {
                found.append(Excursion(label: label, direction: Int(sign), start: series.times[index],
                                       end: series.times[last], peakTime: series.times[peak],
                                       peakValue: series.values[peak], baseline: series.expected[peak],
                                       peakScore: series.score(peak), readings: readings,
                                       sustained: readings >= sustainedRun(interval: interval)))
            }
            index = next
        }
        return found
    }

    func isStrong(_ excursion: Excursion) -> Bool {
        abs(excursion.peakScore) >= peakScore && excursion.readings >= 2 || excursion.sustained
    }

    func isEvent(_ group: [Excursion]) -> Bool {
        group.contains(where: isStrong)
            || Set(group.filter { abs($0.peakScore) >= corroboratedScore }.map(\.label)).count >= corroboratingParameters
    }

    /// Joins excursions (any series of one station) that overlap or lie within `joinGap` of each other, and keeps
    /// the groups that are events.
    /// - Parameter interval: the station's reading interval (see ``joinGap(interval:)``).
    public func eventGroups(_ excursions: [Excursion], interval: TimeInterval) -> [ExcursionGroup] {
        let gap = joinGap(interval: interval)
        let ordered = excursions.sorted { ($0.start, $0.label) < ($1.start, $1.label) }
        var groups: [[Excursion]] = []
        var groupEnd = Date.distantPast
        for excursion in ordered {
            // A series moving a new way hours into an episode is a second cause arriving (a plume during
            // rain: conductivity up while the rain pulls it down elsewhere): it starts its own event.
            let arrivesLate = groups.last.map { group in
                excursion.start.timeIntervalSince(group[0].start) > gap && isStrong(excursion)
                    && !group.contains { $0.label == excursion.label && $0.direction == excursion.direction }
            } ?? false
            if !groups.isEmpty, !arrivesLate, excursion.start.timeIntervalSince(groupEnd) <= gap {
                groups[groups.count - 1].append(excursion)
                groupEnd = max(groupEnd, excursion.end)
            } else {
                groups.append([excursion])
                groupEnd = excursion.end
            }
        }
        return groups.filter(isEvent).map { group in
            var strongest: [String: Excursion] = [:]
            for excursion in group where abs(excursion.peakScore) > abs(strongest[excursion.label]?.peakScore ?? 0) {
                strongest[excursion.label] = excursion
            }
            return ExcursionGroup(start: group.map(\.start).min()!, end: group.map(\.end).max()!,
                                  strongest: strongest.values.sorted { (abs($0.peakScore), $1.label) > (abs($1.peakScore), $0.label) })
        }
    }
}

/// Excursions of one station that make an event.
public struct ExcursionGroup: Sendable, Equatable {
    /// The first reading of the earliest excursion.
    public var start: Date
    /// The last reading of the latest excursion.
    public var end: Date
    /// Per series, its strongest excursion in the group; strongest first, ties by label.
    public var strongest: [Excursion]
}
