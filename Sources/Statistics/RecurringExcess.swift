import Foundation

/// A discharge repeated at the same clock hour night after night (夜间偷排) can stay under one night's detection bar
/// at a station far below it, yet show when the nights are taken together: its rises add, the noise averages out.
/// This finds runs of nights on which one station's readings rose at the same clock hour beyond the rest of each day,
/// several parameters together. Pure: series in, findings out.
public enum RecurringExcess {
    /// One parameter of a station, signed so that effluent moves it up.
    public struct Channel: Sendable {
        public var label: String
        public var direction: Double
        public var series: BaselineSeries

        public init(label: String, direction: Double, series: BaselineSeries) {
            self.label = label
            self.direction = direction
            self.series = series
        }
    }

    /// A run of nights whose readings rose at the same clock hour.
    public struct Finding: Sendable, Equatable {
        /// Each night's window start (``windowHours`` long) on which the station rose at that hour.
        public var nights: [Date]
        /// The run's folded statistic: its nights' standardised values, each capped, summed over √nights.
        public var score: Double
    }

    /// The folded statistic a run must reach. The statistic is at most ``nightCap`` × √``nightsFolded`` (8.9). On ten
    /// hourly tuning runs without night discharges (--vary 1621–1630) 7 made 10 events in all (each run a year), none
    /// traced to a source; 6.5 made 84, 6 made 226; with night discharges (1631–1640) 7 found a fifth of the nights
    /// the detector missed (docs/performance.md).
    public static let threshold = 7.0
    /// A window of clock time: readings in it are one night's value for that hour.
    public static let windowHours = 4
    /// Nights folded together.
    public static let nightsFolded = 5
    /// A night's standardised excess counts at most this much: one strong night (a plume, a rain's peak) cannot make a
    /// run by itself.
    public static let nightCap = 4.0
    /// A night in a run counts as one of its nights from this standardised excess on.
    public static let nightFloor = 1.0
    /// The parameters effluent of one kind moves together: industrial (conductivity, CODMn), sewage (NH3-N, TP).
    public static let pairs = [("cond", "codmn"), ("nh3n", "tp")]
    /// Nights either side whose same clock hour is a night's reference.
    static let sameHourDays = 21
    /// A reading's score counts at most this much in its window's mean.
    static let readingCap = 6.0

    /// The runs of ``nightsFolded`` nights at one clock hour whose folded statistic reaches `threshold`, merged where
    /// they overlap (at clock hours within 2 h of each other), strongest first. A night's value is, for the pair of
    /// ``pairs`` that rose most, the mean of its two parameters' capped scores over the ``windowHours`` from that
    /// hour, less each one's median over the day's 24 windows, less the median of the same hour over the nights
    /// around (± ``sameHourDays``), standardised by the station's median and MAD; the folded statistic sums five
    /// nights' values, each capped at ``nightCap``, over √5.
    /// - Parameters:
    ///   - channels: the station's parameters (at least two make a finding possible).
    ///   - secondsFromGMT: the local offset clock hours and days are counted in.
    ///   - threshold: the folded statistic a run must reach.
    public static func find(channels: [Channel], secondsFromGMT: Int, threshold: Double = threshold) -> [Finding] {
        guard channels.count >= 2 else { return [] }
        let offset = Double(secondsFromGMT)
        var firstDay = Int.max, lastDay = Int.min
        for channel in channels {
            guard let first = channel.series.times.first, let last = channel.series.times.last else { continue }
            firstDay = min(firstDay, Int(((first.timeIntervalSince1970 + offset) / 86_400).rounded(.down)))
            lastDay = max(lastDay, Int(((last.timeIntervalSince1970 + offset) / 86_400).rounded(.down)))
        }
        guard firstDay <= lastDay else { return [] }
        let days = lastDay - firstDay + 1
        // Per channel, per local day and clock hour: the mean capped score of the readings in [hour, hour + window),
        // less that day's median over its 24 windows (a day that is high all day — rain, a leak, a step — is not a
        // repeat at one hour).
        var excess = [[Double?]](repeating: [Double?](repeating: nil, count: days * 24), count: channels.count)
        for (c, channel) in channels.enumerated() {
            var sums = [Double](repeating: 0, count: days * 24)
            var counts = [Int](repeating: 0, count: days * 24)
            for index in channel.series.times.indices {
                let hours = Int(((channel.series.times[index].timeIntervalSince1970 + offset) / 3_600).rounded(.down))
                let score = min(readingCap, max(-readingCap, channel.direction * channel.series.score(index)))
                // The reading lies in the windows that began at its hour and the window − 1 hours before it.
                for back in 0..<windowHours {
                    let slot = hours - back - firstDay * 24
                    guard slot >= 0, slot < days * 24 else { continue }
                    sums[slot] += score
                    counts[slot] += 1
                }
            }
            for day in 0..<days {
                let means = (0..<24).map { counts[day * 24 + $0] > 0 ? sums[day * 24 + $0] / Double(counts[day * 24 + $0]) : nil }
                let present = means.compactMap { $0 }
                guard present.count >= 12 else { continue }
                let median = SensSlope.median(present)
                for hour in 0..<24 { excess[c][day * 24 + hour] = means[hour].map { $0 - median } }
            }
        }
        // The night's value: the mean of a pair one kind of effluent moves together, the pair that rose most.
        let index = Dictionary(uniqueKeysWithValues: channels.enumerated().map { ($1.label, $0) })
        let usable = pairs.compactMap { pair in index[pair.0].flatMap { a in index[pair.1].map { (a, $0) } } }
        guard !usable.isEmpty else { return [] }
        var combined = [Double?](repeating: nil, count: days * 24)
        for slot in 0..<(days * 24) {
            for (a, b) in usable {
                guard let x = excess[a][slot], let y = excess[b][slot] else { continue }
                combined[slot] = max(combined[slot] ?? -.infinity, (x + y) / 2)
            }
        }
        // Against the same clock hour on the nights around (± ``sameHourDays``): a residue of the time-of-day profile
        // that persists for weeks is the station's, not a discharge's.
        var local = [Double?](repeating: nil, count: days * 24)
        for hour in 0..<24 {
            // The window of nights slides day by day: one value in, one out (a selection per day cost more than the
            // rest of the search).
            var around = SortedWindow(capacity: 2 * sameHourDays + 2)
            // Finite values only, in and out alike: a NaN has no place in the order (the store holds none; a guard).
            func value(_ day: Int) -> Double? { combined[day * 24 + hour].flatMap { $0.isFinite ? $0 : nil } }
            for day in 0..<min(days, sameHourDays) { if let value = value(day) { around.insert(value) } }
            for day in 0..<days {
                if day + sameHourDays < days, let value = value(day + sameHourDays) { around.insert(value) }
                if day - sameHourDays - 1 >= 0, let value = value(day - sameHourDays - 1) { around.remove(value) }
                guard around.values.count >= 2 * nightsFolded, let value = value(day) else { continue }
                local[day * 24 + hour] = value - around.median
            }
        }
        let present = local.compactMap { $0 }
        guard present.count >= 24 * nightsFolded else { return [] }
        let centre = SensSlope.median(present)
        let spread = 1.4826 * SensSlope.median(present.map { abs($0 - centre) })
        guard spread > 0 else { return [] }
        let standard = local.map { $0.map { ($0 - centre) / spread } }

        // Then standardised over the station's whole span (median, 1.4826 × MAD); five nights or more to fold.
        guard days >= nightsFolded else { return [] }
        var runs: [(day: Int, hour: Int, score: Double)] = []
        for hour in 0..<24 {
            for day in 0...(days - nightsFolded) {
                var sum = 0.0
                for night in 0..<nightsFolded { sum += min(nightCap, standard[(day + night) * 24 + hour] ?? 0) }
                let score = sum / Double(nightsFolded).squareRoot()
                if score >= threshold { runs.append((day, hour, score)) }
            }
        }
        // Strongest first; a run overlapping a stronger one (nights shared, clock within 2 h) joins it.
        runs.sort { ($0.score, $1.day) > ($1.score, $0.day) }
        var kept: [(days: ClosedRange<Int>, hour: Int, score: Double, nights: Set<Int>)] = []
        for run in runs {
            let span = run.day...(run.day + nightsFolded - 1)
            let nights = span.filter { (standard[$0 * 24 + run.hour] ?? 0) >= nightFloor }.map { $0 * 24 + run.hour }
            if let index = kept.firstIndex(where: { other in
                other.days.overlaps(span) && min(abs(other.hour - run.hour), 24 - abs(other.hour - run.hour)) <= 2
            }) {
                let mergedDays = min(kept[index].days.lowerBound, span.lowerBound)...max(kept[index].days.upperBound, span.upperBound)
                var merged = kept[index].nights
                // A night already held (at a neighbouring hour) is not counted twice.
                for slot in nights where !merged.contains(where: { abs($0 - slot) <= 2 }) { merged.insert(slot) }
                kept[index] = (mergedDays, kept[index].hour, kept[index].score, merged)
            } else {
                kept.append((span, run.hour, run.score, Set(nights)))
            }
        }
        return kept.map { run in
            Finding(nights: run.nights.sorted().map { Date(timeIntervalSince1970: Double(firstDay * 24 + $0) * 3_600 - offset) },
                    score: run.score)
        }
    }
}
