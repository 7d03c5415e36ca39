import Foundation

/// A sensor fault found in one series: the readings are wrong, the water is not.
public struct DetectedFault: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The same value again and again: a stuck sensor or a frozen logger.
        case flatLine = "flat_line"
        /// One reading far off that its neighbours do not share.
        case spike
        /// No readings where the station's interval expects them.
        case dropout
        /// The divergence from the neighbouring stations grows steadily: a fouled or drifting sensor.
        case drift
        /// The station's clock runs ahead: its day cycle is late against its neighbours after a skipped reading.
        case clockOffset = "clock_offset"
        /// A jump between consecutive readings faster than the water can change, not shared and not undone.
        case rateOfChange = "rate_of_change"
    }

    public var kind: Kind
    public var start: Date
    public var end: Date
    /// The reading (spikes, rate of change), the repeated value (flat lines), the divergence reached (drift:
    /// relative for concentrations, 0.6 = 60 %; in the unit for pH and temperature) or the lag found in hours (clock offset).
    public var value: Double?

    public init(kind: Kind, start: Date, end: Date, value: Double?) {
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
    }
}

/// Finds flat lines, spikes and dropouts in a station series (time order). A pollution pulse lasts hours and
/// reaches the neighbouring readings; a spike is a single reading its neighbours do not share.
public enum SensorFaultDetector {
    /// - Parameters:
    ///   - interval: the station's interval (the series' most common gap when nil).
    ///   - flatRun: identical consecutive readings that make a flat line.
    public static func detect(times: [Date], values: [Double], interval: TimeInterval? = nil, flatRun: Int = 6) -> [DetectedFault] {
        precondition(times.count == values.count, "one time per value")
        guard values.count >= 3 else { return [] }
        let step = interval ?? typicalInterval(times)
        var faults: [DetectedFault] = []

        // Flat lines: a run of at least `flatRun` identical readings with no gap. A series that moves little
        // against its rounding (water temperature to 0.1 ℃ on a calm afternoon) repeats honestly: twice the run.
        let steps = zip(values, values.dropFirst()).map { abs($1 - $0) }
        let resolution = steps.filter { $0 > 0 }.min() ?? 0
        let coarse = resolution > 0 && median(steps) < 3 * resolution
        let flatRun = coarse ? 2 * flatRun : flatRun
        var runStart = 0
        for index in 1...values.count {
            let continues = index < values.count && values[index] == values[runStart]
                && times[index].timeIntervalSince(times[index - 1]) <= 1.5 * step
            if continues { continue }
            if index - runStart >= flatRun {
                faults.append(DetectedFault(kind: .flatLine, start: times[runStart], end: times[index - 1], value: values[runStart]))
            }
            runStart = index
        }

        // Spikes: far from the median of the three readings on each side, by more than 8 MADs and 50 %,
        // while the readings right next to it stay near that median.
        // Six values a reading: sorted in a fixed buffer, not in arrays allocated per reading.
        var neighbours = InlineArray<6, Double>(repeating: 0)
        for index in 3..<max(3, values.count - 3) {
            for offset in 0..<3 {
                neighbours[offset] = values[index - 3 + offset]
                neighbours[offset + 3] = values[index + 1 + offset]
            }
            let middle = medianOfSix(&neighbours)
            for offset in 0..<6 { neighbours[offset] = abs(neighbours[offset] - middle) }
            let spread = max(medianOfSix(&neighbours), 1e-9 + 0.01 * abs(middle))
            let offset = abs(values[index] - middle)
            let alone = abs(values[index - 1] - middle) < 3 * spread && abs(values[index + 1] - middle) < 3 * spread
            if offset > 8 * spread && offset > 0.5 * abs(middle) && alone {
                faults.append(DetectedFault(kind: .spike, start: times[index], end: times[index], value: values[index]))
            }
        }

        // Dropouts: gaps longer than three intervals.
        for index in 1..<values.count where times[index].timeIntervalSince(times[index - 1]) > 3 * step {
            faults.append(DetectedFault(kind: .dropout, start: times[index - 1].addingTimeInterval(step),
                                        end: times[index].addingTimeInterval(-step), value: nil))
        }
        return faults.sorted { ($0.start, $0.kind.rawValue) < ($1.start, $1.kind.rawValue) }
    }

    /// The times of `spikes` (of one station's series) that are water, not a sensor: at a station read every
    /// ``AnomalyDetector/coarseInterval`` or less often a pulse of a few hours falls on a single reading, and a single
    /// reading that two analysers or more share there is a plume passing — analysers fail one at a time. Every reading
    /// interval shorter than that keeps its spikes: there a plume reaches the neighbouring readings.
    public static func sharedSpikes(_ spikes: [DetectedFault], interval: TimeInterval) -> Set<Date> {
        guard AnomalyDetector.isCoarse(interval: interval) else { return [] }
        var count: [Date: Int] = [:]
        for spike in spikes where spike.kind == .spike { count[spike.start, default: 0] += 1 }
        return Set(count.filter { $0.value >= 2 }.keys)
    }

    /// A series' most common spacing: the median gap between consecutive readings (1 h when there is none).
    public static func typicalInterval(_ times: [Date]) -> TimeInterval {
        let gaps = zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }.filter { $0 > 0 }
        guard !gaps.isEmpty else { return 3_600 }
        return median(gaps)
    }

    private static func median(_ values: [Double]) -> Double { SensSlope.median(values) }

    /// The median of six values, the mean of the middle two as ``SensSlope/median(_:)`` takes it; sorts them with
    /// the 12-comparator network for six inputs (branch-free min/max, where an insertion sort mispredicts).
    static func medianOfSix(_ values: inout InlineArray<6, Double>) -> Double {
        @inline(__always) func order(_ i: Int, _ j: Int) {
            let low = min(values[i], values[j]), high = max(values[i], values[j])
            values[i] = low
            values[j] = high
        }
        order(0, 5); order(1, 3); order(2, 4)
        order(1, 2); order(3, 4)
        order(0, 3); order(2, 5)
        order(0, 1); order(2, 3); order(4, 5)
        order(1, 2); order(3, 4)
        return (values[2] + values[3]) / 2
    }
}
