import Foundation
@testable import Report
import Standards
import Testing

private let origin = Date(timeIntervalSince1970: 1_735_660_800)  // 2025-01-01 00:00 +08:00

private func hours(_ values: [Double], from start: Int = 0) -> [(Date, Double)] {
    values.enumerated().map { (origin.addingTimeInterval(Double(start + $0.offset) * 3_600), $0.element) }
}

private func period(hours count: Int) -> EvaluationPeriod {
    EvaluationPeriod(label: "test", start: origin, end: origin.addingTimeInterval(Double(count) * 3_600))
}

private func times(_ run: [(Date, Double)]) -> [Int] {
    run.map { Int($0.0.timeIntervalSince(origin) / 3_600) }
}

@Suite("the period chart's series")
struct ChartSeriesTests {
    @Test("hourly readings break where four hours are missing, not where two are (three typical intervals)")
    func runsBreakAtGaps() {
        // Readings at hours 0–3, then 6–7 (a 3 h step: kept), then 12 (a 5 h step: broken).
        let readings = hours([1, 2, 3, 4]) + hours([5, 6], from: 6) + hours([7], from: 12)
        let series = ChartSeries(readings.reversed(), period: period(hours: 24))
        #expect(series.runs.map(times) == [[0, 1, 2, 3, 6, 7], [12]])
        #expect(series.readingCount == 7)
    }

    @Test("up to four readings a column the series is kept whole")
    func shortSeriesKept() {
        let values = (0..<8).map { Double($0 % 3) }
        let series = ChartSeries(hours(values), period: period(hours: 8), columns: 2)
        #expect(series.runs.map(times) == [Array(0..<8)])
    }

    @Test("a longer series keeps each column's first, lowest, highest and last reading (worked by hand)")
    func reducedByHand() {
        // 12 hours on 2 columns of 6 h: column 0 holds 3 1 4 1 5 9 (first h0, lowest h1, highest and last h5),
        // column 1 holds 2 6 5 3 5 8 (first and lowest h6, highest and last h11).
        let series = ChartSeries(hours([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]), period: period(hours: 12), columns: 2)
        #expect(series.runs.map(times) == [[0, 1, 5, 6, 11]])
        #expect(series.runs[0].map(\.1) == [3, 1, 9, 2, 8])
        #expect(series.readingCount == 12)
    }

    @Test("a year of hourly readings on the chart's 678 columns: every column's first, last, lowest and highest are kept, in at most four points")
    func yearReduced() {
        // A gap of two days in March breaks the line; the values wander (a daily cycle and scattered steps) with spikes.
        let values = (0..<8_760).map { (hour: Int) -> Double in
            let cycle = sin(Double(hour) * 2 * Double.pi / 24)
            let step = Double((hour * 7_919) % 101) / 100
            return 1 + cycle + step + (hour % 97 == 0 ? 5.0 : 0.0)
        }
        let readings = hours(values)
            .filter { !(1_600..<1_648).contains(Int($0.0.timeIntervalSince(origin) / 3_600)) }
        let year = period(hours: 8_760)
        let series = ChartSeries(readings, period: year)
        #expect(series.runs.count == 2)
        #expect(series.readingCount == readings.count)
        let kept = series.runs.map(\.count).reduce(0, +)
        #expect(kept <= 4 * 678 + 4)
        // The columns worked out here from the chart's x: (t − start) / span × 678.
        func column(_ date: Date) -> Int { Int(date.timeIntervalSince(origin) / (8_760 * 3_600) * 678) }
        let wholeRuns: [[(Date, Double)]] = [Array(readings.prefix(1_600)), Array(readings.dropFirst(1_600))]
        for (run, whole) in zip(series.runs, wholeRuns) {
            let reduced = Dictionary(grouping: run, by: { column($0.0) })
            let all = Dictionary(grouping: whole, by: { column($0.0) })
            #expect(Set(reduced.keys) == Set(all.keys))
            for (key, original) in all {
                let mine = reduced[key] ?? []
                let (mineValues, originalValues) = (mine.map { $0.1 }, original.map { $0.1 })
                #expect(mine.count <= 4)
                #expect(mine.first?.0 == original.first?.0)
                #expect(mine.last?.0 == original.last?.0)
                #expect(mineValues.min() == originalValues.min())
                #expect(mineValues.max() == originalValues.max())
            }
            #expect(zip(run, run.dropFirst()).allSatisfy { $0.0 < $1.0 }, "in time order, each once")
        }
    }
}
