import Foundation

/// A station series set against what is normal for it: a robust level that follows the seasons, a time-of-day
/// profile, and a robust scale, so that `score(i)` says how many "noise widths" reading `i` lies off normal.
public struct BaselineSeries: Sendable {
    public let times: [Date]
    public let values: [Double]
    /// The expected value at each reading: the seasonal level plus the time-of-day profile.
    public let expected: [Double]
    /// 1.4826 × MAD of the readings around `expected` in the surrounding weeks (a robust standard deviation).
    public let scale: [Double]
    /// The series' typical spacing (``SensorFaultDetector/typicalInterval(_:)``), worked out once with the fit: the
    /// trace asks for it at every station it judges.
    public let interval: TimeInterval

    /// (value − expected) / scale.
    public func score(_ index: Int) -> Double { (values[index] - expected[index]) / scale[index] }

    /// The index of the first reading at or after `date` (binary search; `times.count` when none).
    public func firstIndex(atOrAfter date: Date) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < date { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Which way pollution moves a parameter: it decides which side of the daily medians is the clean background.
public enum PollutionDirection: Sendable {
    /// Effluent only adds (ammonia, phosphorus, COD, turbidity …): the background is a lower quantile.
    case raises
    /// Effluent only takes away (dissolved oxygen …): the background is an upper quantile.
    case lowers
    /// Either way, or no pollution signal: the background is the median.
    case either
}

/// Fits `BaselineSeries`: median/MAD statistics, robust to pollution episodes shorter than about two weeks — and,
/// for a parameter pollution moves one way, to a chronic leak on up to about half the days of a month.
///
/// - Level: for each local day, a running quantile of the daily medians of the `levelHalfWindowDays` days either
///   side — the median when pollution may move the parameter either way; the 35th percentile when pollution
///   raises it and the 65th when it lowers it. A centred running median follows seasons and slow trends and
///   ignores episodes of a few days, but an intermittent leak on more than half the days of the window lifts
///   it with the leak; since pollution only adds, the clean background sits on the lower side (the classical
///   estimate of a water-quality background is a lower percentile). The 35th, not lower, because clean days
///   also differ from each other, and a lower level makes them score high.
/// - Time of day: per week, the median residual at each local hour over the five surrounding weeks (DO, pH and
///   temperature follow the sun). Where the level is a quantile, the residual from the reading's own day's
///   median instead: a median of residuals from the level would lift a quantile level back to the median.
/// - Scale: per week, a robust standard deviation of the residuals over the same five weeks (see `spread`),
///   never below `minimumScale` or 1 % of the level (so a sensor that rounds coarsely does not make every
///   step an anomaly). Where pollution moves the parameter one way, no wider than 1.2 × the noise within days
///   (each reading against its own day's median) combined with the noise from day to day (successive daily
///   medians): a leak on half the days splits the residuals in two clusters and widens their spread, but
///   shifts neither of those.
public enum RobustBaseline {
    /// - Parameters:
    ///   - times: ascending.
    ///   - secondsFromGMT: the local offset the days and hours are counted in (the sun keeps local time).
    ///   - minimumScale: the smallest meaningful change of this parameter (about its reporting resolution).
    ///   - pollution: which way pollution moves the parameter; picks the level's quantile.
    public static func fit(times: [Date], values: [Double], secondsFromGMT: Int = 8 * 3_600,
                           minimumScale: Double, levelHalfWindowDays: Int = 15,
                           pollution: PollutionDirection = .either) -> BaselineSeries {
        precondition(times.count == values.count, "one time per value")
        guard let first = times.first, let last = times.last else {
            return BaselineSeries(times: [], values: [], expected: [], scale: [], interval: SensorFaultDetector.typicalInterval([]))
        }
        let offset = Double(secondsFromGMT)
        func localDay(_ date: Date) -> Int { Int(((date.timeIntervalSince1970 + offset) / 86_400).rounded(.down)) }
        let firstDay = localDay(first)
        let dayCount = localDay(last) - firstDay + 1
        let day = times.map { localDay($0) - firstDay }
        let hour = times.map { Int(((($0.timeIntervalSince1970 + offset).truncatingRemainder(dividingBy: 86_400)) + 86_400)
                                        .truncatingRemainder(dividingBy: 86_400) / 3_600) }

        // Readings of each day, as index ranges (times ascend, so days are contiguous).
        var dayStart = [Int](repeating: 0, count: dayCount + 1)
        for d in day { dayStart[d + 1] += 1 }
        for d in 0..<dayCount { dayStart[d + 1] += dayStart[d] }

        // Two work buffers for every median and spread below, refilled each time: this runs for every day and week
        // of every series, and an array per median was a tenth of the fit's time.
        var work: [Double] = [], scratch: [Double] = []
        work.reserveCapacity(values.count)
        var dailyMedian = [Double?](repeating: nil, count: dayCount)
        for d in 0..<dayCount where dayStart[d + 1] > dayStart[d] {
            work.removeAll(keepingCapacity: true)
            work.append(contentsOf: values[dayStart[d]..<dayStart[d + 1]])
            dailyMedian[d] = SensSlope.median(reordering: &work)
        }
        let levelQuantile = switch pollution {
        case .raises: 0.35
        case .lowers: 0.65
        case .either: 0.5
        }
        let overall = SensSlope.median(values)
        var level = [Double](repeating: overall, count: dayCount)
        for d in 0..<dayCount {
            work.removeAll(keepingCapacity: true)
            for neighbour in max(0, d - levelHalfWindowDays)...min(dayCount - 1, d + levelHalfWindowDays) {
                if let median = dailyMedian[neighbour] { work.append(median) }
            }
            if work.count >= 3 { level[d] = quantile(reordering: &work, levelQuantile) }
        }
        let residual = values.indices.map { values[$0] - level[day[$0]] }
        // Every reading's day has a median: the day holds the reading.
        let shape = pollution == .either ? residual : values.indices.map { values[$0] - dailyMedian[day[$0]]! }

        // Profile and scale per week, from the five weeks around it. Weeks are counted from the epoch, not from the
        // first reading, so a day gets the same baseline whether a month or a year around it is fitted.
        let lead = ((firstDay % 7) + 7) % 7
        let weeks = (lead + dayCount + 6) / 7
        var profile = [[Double]](repeating: [Double](repeating: 0, count: 24), count: weeks)
        var weekScale = [Double](repeating: minimumScale, count: weeks)
        var byHour = [[Double]](repeating: [], count: 24)
        for week in 0..<weeks {
            let firstOfWeek = week * 7 - lead
            let windowDays = max(0, firstOfWeek - 14)..<max(0, min(dayCount, firstOfWeek + 21))
            let from = dayStart[windowDays.lowerBound]
            let to = dayStart[windowDays.upperBound]
            for h in 0..<24 { byHour[h].removeAll(keepingCapacity: true) }
            for index in from..<to { byHour[hour[index]].append(shape[index]) }
            for h in 0..<24 where byHour[h].count >= 5 { profile[week][h] = SensSlope.median(reordering: &byHour[h]) }
            guard to > from else { continue }
            let typicalLevel = abs(level[min(dayCount - 1, max(0, firstOfWeek + 3))])
            // A parameter effluent moves one way has its polluted side by design: its clean side's width is the noise.
            work.removeAll(keepingCapacity: true)
            for index in from..<to { work.append(residual[index] - profile[week][hour[index]]) }
            var noise = spread(reordering: &work, scratch: &scratch, floor: pollution == .either ? 0.75 : 0)
            if pollution != .either {
                // A leak on about half the days puts the residuals in two clusters, and even the clean side then
                // reaches to the middle; the noise within days and from day to day does not see the leak's days.
                work.removeAll(keepingCapacity: true)
                for index in from..<to { work.append(shape[index] - profile[week][hour[index]]) }
                let within = spread(reordering: &work, scratch: &scratch)
                let between = successiveDifferenceScale(windowDays.compactMap { dailyMedian[$0] })
                noise = min(noise, Self.splitNoiseAllowance * (within * within + between * between).squareRoot())
            }
            weekScale[week] = max(noise, minimumScale, 0.01 * typicalLevel)
        }
        var expected = [Double](repeating: 0, count: values.count)
        var scale = [Double](repeating: 0, count: values.count)
        for index in values.indices {
            let week = (day[index] + lead) / 7
            expected[index] = level[day[index]] + profile[week][hour[index]]
            scale[index] = weekScale[week]
        }
        return BaselineSeries(times: times, values: values, expected: expected, scale: scale,
                              interval: SensorFaultDetector.typicalInterval(times))
    }

    /// How much wider than the within-day ⊕ day-to-day noise a one-way parameter's scale may be before that split
    /// estimate replaces the residuals' spread. Above 1 because the split misses drift slower than a day but
    /// faster than a week; 1.2 kept the false events of the stress runs where they were, 1.0 nearly tripled
    /// them (docs/performance.md).
    static let splitNoiseAllowance = 1.2

    /// The `p`-quantile, interpolated linearly between order statistics (Hyndman & Fan 1996, type 7); at 0.5
    /// the median.
    static func quantile(_ values: [Double], _ p: Double) -> Double {
        var work = values
        return quantile(reordering: &work, p)
    }

    /// ``quantile(_:_:)`` of `work`, which it reorders instead of copying: the two order statistics by selection.
    static func quantile(reordering work: inout [Double], _ p: Double) -> Double {
        guard p != 0.5 else { return SensSlope.median(reordering: &work) }
        let position = p * Double(work.count - 1)
        let below = Int(position.rounded(.down))
        let lower = SensSlope.select(&work, below)
        // Selection leaves the larger values after `below`: the next order statistic is their minimum.
        let upper = below + 1 < work.count ? work[(below + 1)...].min()! : lower
        return lower + (position - Double(below)) * (upper - lower)
    }

    /// The standard deviation of a series' noise from the median absolute difference of consecutive values
    /// (1.4826 / √2 × median |x[i] − x[i−1]|): steps and slow drifts move few differences, so a leak on half the
    /// days does not widen it.
    static func successiveDifferenceScale(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        return 1.4826 / 2.0.squareRoot() * SensSlope.median(zip(values.dropFirst(), values).map { abs($0 - $1) })
    }

    /// 1.4826 × MAD, but where one side of the residuals is wider than the other — rain pushes turbidity up and
    /// conductivity down for a third of a wet month, a leak raises NH3-N for half of one — the narrower side's MAD,
    /// down to `floor` × the two-sided one (3/4 keeps a skewed but clean distribution from shrinking the scale
    /// much; 0 where the skew is the pollution being looked for).
    static func spread(_ residuals: [Double], floor: Double = 0.75) -> Double {
        var work = residuals, scratch: [Double] = []
        return spread(reordering: &work, scratch: &scratch, floor: floor)
    }

    /// ``spread(_:floor:)`` of the residuals in `work`, which it overwrites; `scratch` is a second buffer it may grow.
    ///
    /// Four medians a call, for every week of every series: after the centre, one pass writes every absolute
    /// deviation into `work` and the deviations below and above the centre into the two ends of `scratch`; the
    /// two-sided MAD, which lies between the one-sided ones unless the centre is heavily tied, is then selected among
    /// the deviations between them only. Every median is the same order statistic of the same values as a sort's.
    static func spread(reordering work: inout [Double], scratch: inout [Double], floor: Double = 0.75) -> Double {
        let count = work.count
        guard count > 0 else { return 1.4826 * Double.nan }
        let centre = SensSlope.median(reordering: &work)
        if scratch.count < count { scratch = [Double](repeating: 0, count: count) }
        var belowCount = 0, aboveStart = count, finite = true
        for index in 0..<count {
            // residual − centre is exactly −(centre − residual): the one-sided deviations come out as a rescan's.
            let deviation = work[index] - centre
            work[index] = abs(deviation)
            finite = finite && deviation.isFinite
            if deviation < 0 {
                scratch[belowCount] = -deviation
                belowCount += 1
            } else if deviation > 0 {
                aboveStart -= 1
                scratch[aboveStart] = deviation
            }
        }
        guard belowCount > 0, aboveStart < count else { return 1.4826 * SensSlope.median(reordering: &work) }
        let below = SensSlope.median(reordering: &scratch, in: 0..<belowCount)
        let above = SensSlope.median(reordering: &scratch, in: aboveStart..<count)
        // A floor of 0 makes the two-sided MAD (finite, ≥ 0) irrelevant: max(narrower, 0 × MAD) is the narrower.
        if floor == 0 && finite { return 1.4826 * max(min(below, above), 0) }
        let all = finite
            ? SensSlope.median(of: work, between: min(below, above), and: max(below, above), scratch: &scratch)
                ?? SensSlope.median(reordering: &work)
            : SensSlope.median(reordering: &work)
        return 1.4826 * max(min(below, above), floor * all)
    }
}
