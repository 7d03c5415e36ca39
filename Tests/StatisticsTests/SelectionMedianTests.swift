@testable import Statistics
import Testing

/// The module's seeded generator drives the samples: the same inputs on every run.
extension SplitMix64: RandomNumberGenerator {}

/// The selection-based medians, quantiles and spreads against the definitions computed by sorting: the same order
/// statistics, so the same doubles, whatever order selection leaves the values in.
@Suite("medians by selection agree with medians by sorting")
struct SelectionMedianTests {
    /// The kinds of sample a baseline meets: continuous noise, a leak on some of the values (two clusters), and
    /// coarsely rounded readings with many ties (the centre itself repeated).
    enum Shape: CaseIterable { case continuous, skewed, tied }

    static func sample(_ shape: Shape, count: Int, generator: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in
            switch shape {
            case .continuous: Double.random(in: -5...5, using: &generator)
            case .skewed: Double.random(in: -1...1, using: &generator) + (Bool.random(using: &generator) ? 6 : 0)
            case .tied: Double(Int.random(in: -3...3, using: &generator)) / 10
            }
        }
    }

    /// The median as defined: the middle of the sorted values, the mean of the two middle ones for an even count.
    static func sortedMedian(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `RobustBaseline.spread` as its documentation defines it, every median by sorting.
    static func sortedSpread(_ residuals: [Double], floor: Double) -> Double {
        let centre = sortedMedian(residuals)
        let all = sortedMedian(residuals.map { abs($0 - centre) })
        let below = residuals.filter { $0 < centre }.map { centre - $0 }
        let above = residuals.filter { $0 > centre }.map { $0 - centre }
        guard !below.isEmpty, !above.isEmpty else { return 1.4826 * all }
        return 1.4826 * max(min(sortedMedian(below), sortedMedian(above)), floor * all)
    }

    static let counts = [1, 2, 3, 4, 5, 8, 17, 64, 65, 840, 841]

    @Test("the median of part of a buffer is the sorted median of that part, the rest untouched",
          arguments: Shape.allCases)
    func medianOfPart(shape: Shape) {
        var generator = SplitMix64(seed: 1)
        for count in Self.counts {
            let values = Self.sample(shape, count: count + 6, generator: &generator)
            var work = values
            let part = 3..<(3 + count)
            #expect(SensSlope.median(reordering: &work, in: part) == Self.sortedMedian(Array(values[part])))
            #expect(work[..<3] == values[..<3] && work[part.upperBound...] == values[part.upperBound...])
        }
    }

    @Test("the median within a bracket is the sorted median when the bracket holds it, nil when it does not",
          arguments: Shape.allCases)
    func bracketedMedian(shape: Shape) {
        var generator = SplitMix64(seed: 2)
        for count in Self.counts {
            let values = Self.sample(shape, count: count, generator: &generator)
            let sorted = values.sorted()
            let median = Self.sortedMedian(values)
            var scratch = [Double](repeating: 0, count: count)
            #expect(SensSlope.median(of: values, between: sorted.first!, and: sorted.last!, scratch: &scratch) == median)
            let middle = count / 2
            let lowerMiddle = count % 2 == 0 ? sorted[middle - 1] : sorted[middle]
            #expect(SensSlope.median(of: values, between: lowerMiddle, and: sorted[middle], scratch: &scratch) == median)
            if sorted.last! > sorted[middle] {
                let aboveMedian = sorted.first { $0 > sorted[middle] }!
                #expect(SensSlope.median(of: values, between: aboveMedian, and: sorted.last!, scratch: &scratch) == nil)
            }
        }
    }

    @Test("the spread by selection is the spread by sorting, for both floors", arguments: Shape.allCases)
    func spread(shape: Shape) {
        var generator = SplitMix64(seed: 3)
        for count in Self.counts {
            for _ in 0..<20 {
                let residuals = Self.sample(shape, count: count, generator: &generator)
                for floor in [0, 0.75] {
                    #expect(RobustBaseline.spread(residuals, floor: floor) == Self.sortedSpread(residuals, floor: floor),
                            "\(shape), \(count) residuals, floor \(floor)")
                }
            }
        }
    }

    @Test("a work buffer reused across spreads of different lengths gives each the spread by sorting")
    func reusedBuffers() {
        var generator = SplitMix64(seed: 4)
        var work: [Double] = [], scratch: [Double] = []
        for count in Self.counts.reversed() + Self.counts {
            let residuals = Self.sample(.skewed, count: count, generator: &generator)
            work.removeAll(keepingCapacity: true)
            work.append(contentsOf: residuals)
            #expect(RobustBaseline.spread(reordering: &work, scratch: &scratch) == Self.sortedSpread(residuals, floor: 0.75))
        }
    }

    @Test("the quantile by selection is the type-7 quantile of the sorted values", arguments: [0.35, 0.5, 0.65])
    func quantile(p: Double) {
        var generator = SplitMix64(seed: 5)
        for shape in Shape.allCases {
            for count in Self.counts {
                let values = Self.sample(shape, count: count, generator: &generator)
                let sorted = values.sorted()
                let position = p * Double(count - 1)
                let below = Int(position.rounded(.down))
                let above = min(below + 1, count - 1)
                let expected = p == 0.5
                    ? Self.sortedMedian(values)
                    : sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
                #expect(RobustBaseline.quantile(values, p) == expected, "\(shape), \(count) values")
            }
        }
    }
}

@Suite("a sorted sliding window's medians agree with the medians of each window by sorting")
struct SortedWindowTests {
    @Test("centred running medians equal each window's sorted median, ends included",
          arguments: SelectionMedianTests.Shape.allCases)
    func centredMedians(shape: SelectionMedianTests.Shape) {
        var generator = SplitMix64(seed: 6)
        for count in [1, 2, 5, 16, 17, 33, 34, 200] {
            let values = SelectionMedianTests.sample(shape, count: count, generator: &generator)
            for halfWidth in [0, 1, 4, 16] {
                let expected = values.indices.map { j in
                    SelectionMedianTests.sortedMedian(Array(values[max(0, j - halfWidth)..<min(count, j + halfWidth + 1)]))
                }
                #expect(SortedWindow.centredMedians(values, halfWidth: halfWidth) == expected,
                        "\(shape), \(count) values, half-width \(halfWidth)")
            }
        }
    }

    @Test("a trailing window of eight slid by one insert and one removal keeps the sorted median of its values")
    func trailingWindow() {
        var generator = SplitMix64(seed: 7)
        let values = SelectionMedianTests.sample(.tied, count: 300, generator: &generator)
        var window = SortedWindow(capacity: 9)
        for j in 0..<8 { window.insert(values[j]) }
        for end in 8...values.count {
            if end > 8 {
                window.remove(values[end - 9])
                window.insert(values[end - 1])
            }
            #expect(window.values == values[(end - 8)..<end].sorted())
            #expect(window.median == SelectionMedianTests.sortedMedian(Array(values[(end - 8)..<end])))
        }
    }
}
