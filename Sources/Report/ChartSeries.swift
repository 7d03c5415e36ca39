import Foundation
import Standards

/// A station's series as its period chart draws it: runs of readings in time order, the line broken between runs
/// where readings are missing for more than three typical intervals; a series longer than four readings a pixel
/// column of the chart is reduced, run by run, to the first, lowest, highest and last reading of each column (M4:
/// Jugel, Jerzak, Hackenbroich and Markl, "M4: A Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10),
/// 2014), which draws the same line at the chart's width. A month or a quarter of hourly readings is kept whole; a
/// ten-year chart holds a few thousand points instead of every reading.
public struct ChartSeries: Sendable {
    /// Runs of (time, value) in time order; the line breaks between two runs.
    public let runs: [[(Date, Double)]]
    /// How many readings the series had before it was reduced (a short series is drawn with a marker on each).
    public let readingCount: Int

    /// No reading to draw.
    public var isEmpty: Bool { readingCount == 0 }

    /// The series of `readings` (in any order) on the chart of `period`.
    public init(_ readings: [(Date, Double)], period: EvaluationPeriod) {
        self.init(readings, period: period, columns: TimeSeriesChart.plotColumns)
    }

    /// The same on a chart `columns` pixels wide.
    init(_ readings: [(Date, Double)], period: EvaluationPeriod, columns: Int) {
        readingCount = readings.count
        let sorted = readings.sorted { $0.0 < $1.0 }
        // The typical interval is the whole series' (an upper median of the gaps), whether or not it is reduced.
        let gaps = zip(sorted, sorted.dropFirst()).map { $1.0.timeIntervalSince($0.0) }.sorted()
        let typical = gaps.isEmpty ? 3_600 : gaps[gaps.count / 2]
        var runs: [[(Date, Double)]] = []
        var runStart = 0
        for index in sorted.indices.dropFirst() where sorted[index].0.timeIntervalSince(sorted[index - 1].0) > 3 * typical {
            runs.append(Array(sorted[runStart..<index]))
            runStart = index
        }
        if !sorted.isEmpty { runs.append(Array(sorted[runStart...])) }
        guard readings.count > 4 * columns else {
            self.runs = runs
            return
        }
        let start = period.start.timeIntervalSince1970
        let span = max(1, period.end.timeIntervalSince1970 - start)
        // The column the chart draws a time in: its x is left + (t − start) / span × width.
        let column = { (date: Date) in Int(((date.timeIntervalSince1970 - start) / span * Double(columns)).rounded(.down)) }
        self.runs = runs.map { Self.firstLowestHighestLast($0, column: column) }
    }

    /// Each column's first, lowest, highest and last reading of `run`, in time order, each once.
    private static func firstLowestHighestLast(_ run: [(Date, Double)], column: (Date) -> Int) -> [(Date, Double)] {
        var kept: [(Date, Double)] = []
        var first = 0
        while first < run.count {
            let current = column(run[first].0)
            var (lowest, highest, next) = (first, first, first + 1)
            while next < run.count, column(run[next].0) == current {
                if run[next].1 < run[lowest].1 { lowest = next }
                if run[next].1 > run[highest].1 { highest = next }
                next += 1
            }
            var previous = -1
            for index in [first, lowest, highest, next - 1].sorted() where index != previous {
                kept.append(run[index])
                previous = index
            }
            first = next
        }
        return kept
    }
}
