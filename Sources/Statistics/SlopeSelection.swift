import Foundation

/// One set of points whose pairs form Theil–Sen slopes: every pair (i, j) with x_i < x_j gives
/// (y_j − y_i) / (x_j − x_i), or with `perYear` (y_j − y_i) / ((x_j − x_i) / 365.25 d) for x in seconds.
/// Pairs at equal x give no slope. The seasonal Sen slope pools several blocks (one per season).
struct SlopeBlock {
    static let secondsPerYear = 365.25 * 86_400

    /// Points in ascending x; equal x ordered by ascending y, so that they never count as a pair below.
    private(set) var x: [Double]
    private(set) var y: [Double]
    let perYear: Bool
    /// The index of each point's run of equal x (ascending): pairs inside one run are not pairs.
    private(set) var run: [Int32]
    /// The coordinate used to classify pairs against a trial slope: x − x₀, or (x − x₀) / year.
    private(set) var key: [Double]
    /// Pairs at different x.
    private(set) var pairs = 0
    private(set) var largestValue = 0.0
    private(set) var largestKey = 0.0
    /// The smallest positive step between consecutive keys.
    private(set) var smallestKeyStep = Double.infinity
    /// The smallest positive difference between two values.
    private(set) var smallestValueStep = Double.infinity
    /// Pairs at different x with equal values: the slopes that are exactly 0.
    private(set) var equalValuePairs = 0

    /// `points` need not be sorted; nil or NaN values must already be left out.
    init(points: [(x: Double, y: Double)], perYear: Bool) {
        self.perYear = perYear
        let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        x = sorted.map(\.x)
        y = sorted.map(\.y)
        run = []
        key = []
        run.reserveCapacity(sorted.count)
        key.reserveCapacity(sorted.count)
        var current: Int32 = 0
        var runLength = 0
        for index in sorted.indices {
            if index > 0 && x[index] != x[index - 1] {
                current += 1
                pairs -= runLength * (runLength - 1) / 2
                runLength = 0
            }
            runLength += 1
            run.append(current)
            let offset = x[index] - (x.first ?? 0)
            key.append(perYear ? offset / Self.secondsPerYear : offset)
            largestValue = max(largestValue, abs(y[index]))
            largestKey = max(largestKey, abs(key[index]))
            if index > 0 && key[index] > key[index - 1] { smallestKeyStep = min(smallestKeyStep, key[index] - key[index - 1]) }
        }
        pairs -= runLength * (runLength - 1) / 2
        pairs += sorted.count * (sorted.count - 1) / 2
        // Equal values at equal x are neighbours in x order (y ascending within a run of x).
        var sameRunAndValue = 1
        for index in sorted.indices.dropFirst() {
            if x[index] == x[index - 1] && y[index] == y[index - 1] {
                equalValuePairs -= sameRunAndValue
                sameRunAndValue += 1
            } else {
                sameRunAndValue = 1
            }
        }
        let values = y.sorted()
        var sameValue = 1
        for index in values.indices.dropFirst() {
            if values[index] > values[index - 1] {
                smallestValueStep = min(smallestValueStep, values[index] - values[index - 1])
                sameValue = 1
            } else {
                equalValuePairs += sameValue
                sameValue += 1
            }
        }
    }

    var count: Int { x.count }

    /// The slope of points i < j exactly as the brute force computes it, so the selected value is bit-identical.
    @inline(__always)
    func slope(_ i: Int, _ j: Int) -> Double {
        perYear ? (y[j] - y[i]) / ((x[j] - x[i]) / Self.secondsPerYear) : (y[j] - y[i]) / (x[j] - x[i])
    }

    /// Every slope, for the brute force and the tests.
    func allSlopes(into slopes: inout [Double]) {
        for i in 0..<count {
            for j in (i + 1)..<max(i + 1, count) where x[j] != x[i] { slopes.append(slope(i, j)) }
        }
    }

    /// A classification key of each point against a trial slope θ, in x order. A pair i < j (x order) is "below"
    /// exactly when its key at j sorts strictly before its key at i: y_j − θx_j < y_i − θx_i ⇔ slope < θ. With
    /// `inclusive`, equal keys of points at different x also count (slope ≤ θ): the run index, reversed, breaks
    /// the tie. θ = +∞ makes every pair at different x below; θ = −∞ none.
    func keys(_ bound: SlopeBound) -> [SlopeKey] {
        var keys: [SlopeKey] = []
        keys.reserveCapacity(count)
        let theta = bound.theta
        let finite = theta.isFinite
        let byRun = theta == .infinity || (finite && bound.inclusive)
        for index in 0..<count {
            keys.append(SlopeKey(u: finite ? y[index] - theta * key[index] : 0, tie: byRun ? -run[index] : 0,
                                 point: Int32(index)))
        }
        return keys
    }

    /// How many pairs are classified below `bound` (floating-point classification, see ``SlopeSelection``).
    func countBelow(_ bound: SlopeBound) -> Int {
        if bound.theta == -.infinity { return 0 }
        if bound.theta == .infinity { return pairs }
        guard !bound.inclusive else {
            var keys = keys(bound)
            return SlopeKey.sortCountingInversions(&keys)
        }
        // Without ties to break, the keys alone: half the memory traffic of the general sort.
        var u = [Double](repeating: 0, count: count)
        for index in 0..<count { u[index] = y[index] - bound.theta * key[index] }
        return Self.sortCountingInversions(&u)
    }

    /// Merge sort of `u`; returns the number of pairs p < q with u[q] < u[p].
    static func sortCountingInversions(_ u: inout [Double]) -> Int { InversionCount.sort(&u, by: <) }

    /// The slope of a pair drawn uniformly from all pairs of this block; nil for a pair at equal x.
    @inline(__always)
    func randomSlope(using random: inout SplitMix64) -> Double? {
        let a = random.below(x.count), b = random.below(x.count)
        guard a != b, x[a] != x[b] else { return nil }
        return a < b ? slope(a, b) : slope(b, a)
    }

    /// Appends the slopes of the pairs below `upper` but not below `lower`. Sorting the points by their keys
    /// at `lower` and numbering them in their order at `upper`, these pairs are exactly the inversions between
    /// the two orders (Dillencourt, Mount & Netanyahu 1992), enumerated by a merge sort in O(n log n + pairs).
    /// Returns the pairs below each bound (a by-product of the sorts), or nil when a pair at equal x turns up,
    /// which only a broken classification could cause.
    func slopes(between lower: SlopeBound, and upper: SlopeBound, into slopes: inout [Double]) -> (below: Int, upTo: Int)? {
        var atLower = keys(lower)
        let below = SlopeKey.sortCountingInversions(&atLower)
        var atUpper = keys(upper)
        let upTo = SlopeKey.sortCountingInversions(&atUpper)
        var rank = [Int32](repeating: 0, count: count)
        for (position, key) in atUpper.enumerated() { rank[Int(key.point)] = Int32(position) }
        var sequence = atLower.map { SlopeKey(u: Double(rank[Int($0.point)]), tie: 0, point: $0.point) }
        var buffer = sequence
        var consistent = true
        var width = 1
        var inBuffer = false
        while width < count {
            if inBuffer {
                consistent = enumerationPass(buffer, into: &sequence, width: width, slopes: &slopes) && consistent
            } else {
                consistent = enumerationPass(sequence, into: &buffer, width: width, slopes: &slopes) && consistent
            }
            inBuffer.toggle()
            width *= 2
        }
        return consistent ? (below, upTo) : nil
    }

    /// One merge pass over the points numbered by their order at the upper bound: each element taken from the
    /// right run is smaller than all that remain on the left, and each such pair is a slope inside the bracket.
    private func enumerationPass(_ source: [SlopeKey], into target: inout [SlopeKey], width: Int, slopes: inout [Double]) -> Bool {
        let n = source.count
        var consistent = true
        var low = 0
        while low < n {
            let middle = min(low + width, n), high = min(low + 2 * width, n)
            var i = low, j = middle, k = low
            while i < middle && j < high {
                if source[j].u < source[i].u {
                    let right = Int(source[j].point)
                    for left in i..<middle {
                        let a = Int(source[left].point)
                        let (p, q) = a < right ? (a, right) : (right, a)
                        if x[p] == x[q] { consistent = false; continue }
                        slopes.append(slope(p, q))
                    }
                    target[k] = source[j]
                    j &+= 1
                } else {
                    target[k] = source[i]
                    i &+= 1
                }
                k &+= 1
            }
            while i < middle { target[k] = source[i]; i &+= 1; k &+= 1 }
            while j < high { target[k] = source[j]; j &+= 1; k &+= 1 }
            low = high
        }
        return consistent
    }

    /// A bound on how far from θ the computed slope of a misclassified pair can be: the rounding of
    /// y − θ·key (two operations, plus the key's own two for timestamps) over the smallest key step, plus the
    /// slope's own rounding (at most four operations). Generous by a factor 4. Exact (0) at θ = 0, where
    /// y − 0·key = y and the sign of every slope is the sign of y_j − y_i.
    func uncertainty(at theta: Double) -> Double {
        guard theta != 0, theta.isFinite, pairs > 0 else { return 0 }
        let unit = Double.ulpOfOne / 2
        let classification = (2 * unit * largestValue + 9 * unit * abs(theta) * largestKey) / smallestKeyStep
        return 4 * (classification + 5 * unit * abs(theta)) + Double.leastNormalMagnitude
    }

    /// Whether every value is finite and no slope of two different values can underflow to zero, the
    /// conditions of the error bounds and of the exact count at θ = 0.
    var isWellConditioned: Bool {
        guard pairs > 0 else { return true }
        guard largestValue < 0x1p500, x.allSatisfy(\.isFinite) else { return false }
        return smallestValueStep == .infinity || smallestValueStep / max(largestKey, 1) > 0x1p-900
    }
}

/// A trial slope θ and whether pairs at exactly θ count as below it.
struct SlopeBound {
    var theta: Double
    var inclusive: Bool
}

/// A point's key against a trial slope, ordered by u then tie; `point` rides along.
struct SlopeKey {
    var u: Double
    var tie: Int32
    var point: Int32

    @inline(__always)
    static func before(_ a: SlopeKey, _ b: SlopeKey) -> Bool { a.u < b.u || (a.u == b.u && a.tie < b.tie) }

    /// Stable merge sort; returns the number of pairs p < q with keys[q] strictly before keys[p].
    static func sortCountingInversions(_ keys: inout [SlopeKey]) -> Int { InversionCount.sort(&keys, by: before) }
}

/// Exact order statistics of the Theil–Sen pair slopes without materialising the n(n−1)/2 of them: randomized
/// slope selection (Matoušek 1991; Dillencourt, Mount & Netanyahu 1992). Sampled pairs bracket the wanted
/// ranks; merge-sort inversion counting of y − θx counts the pairs below each end of the bracket in
/// O(n log n); once few pairs remain inside, they are enumerated and the rank is selected among them.
///
/// Classifying a pair against θ through y − θx in floating point can disagree with its computed slope when
/// that slope is within rounding of θ. So a value selected inside the bracket is accepted only when it is
/// farther from both ends than ``SlopeBlock/uncertainty(at:)``: then every pair counted below the lower end
/// is smaller and every pair above the upper end larger, whatever the rounding, and the value is the same
/// double the brute force (all slopes, then the median) would pick. Otherwise the bracket is widened.
/// The slope 0 is handled exactly (rounded series have many pairs of equal values). Deterministic: the
/// sampler has a fixed seed.
enum SlopeSelection {
    /// Below this many pairs, all slopes are materialised and selected directly.
    static let bruteForcePairs = 1 << 19

    /// The values at the given 0-based ranks of the sorted multiset of all pair slopes of `blocks`.
    static func values(atRanks ranks: [Int], of blocks: [SlopeBlock]) -> [Double] {
        let total = blocks.reduce(0) { $0 + $1.pairs }
        precondition(ranks.allSatisfy { (0..<total).contains($0) }, "ranks within the pairs")
        guard total > bruteForcePairs else { return bruteForce(ranks, blocks) }
        return exactSelection(ranks, blocks) ?? bruteForce(ranks, blocks)
    }

    /// The selection without the brute-force fallback: nil for data outside the error analysis (non-finite or
    /// huge values, differences that could underflow) or when a classification check fails.
    static func exactSelection(_ ranks: [Int], _ blocks: [SlopeBlock]) -> [Double]? {
        let total = blocks.reduce(0) { $0 + $1.pairs }
        guard total > 0, blocks.allSatisfy(\.isWellConditioned) else { return nil }
        var selector = Selector(blocks: blocks, total: total)
        return selector.values(atRanks: ranks)
    }

    /// All slopes, then quickselect per rank.
    static func bruteForce(_ ranks: [Int], _ blocks: [SlopeBlock]) -> [Double] {
        var slopes: [Double] = []
        slopes.reserveCapacity(blocks.reduce(0) { $0 + $1.pairs })
        for block in blocks { block.allSlopes(into: &slopes) }
        return ranks.map { SensSlope.select(&slopes, $0) }
    }

    /// The median of all pair slopes (the mean of the two middle ones for an even count), as
    /// ``SensSlope/median(_:)`` of all slopes would give it; NaN without pairs.
    static func median(of blocks: [SlopeBlock]) -> Double {
        let total = blocks.reduce(0) { $0 + $1.pairs }
        guard total > 0 else { return .nan }
        if total % 2 == 1 { return values(atRanks: [total / 2], of: blocks)[0] }
        let middle = values(atRanks: [total / 2 - 1, total / 2], of: blocks)
        return (middle[0] + middle[1]) / 2
    }

    private struct Selector {
        let blocks: [SlopeBlock]
        let total: Int
        var random: SplitMix64

        init(blocks: [SlopeBlock], total: Int) {
            self.blocks = blocks
            self.total = total
            random = SplitMix64(seed: 0x5EED_5E45 ^ UInt64(total))
        }

        /// The pairs enumerated at the end: a few times the points keeps it O(n log n) in time and O(n) in memory.
        var budget: Int { max(16_384, 16 * blocks.reduce(0) { $0 + $1.count }) }

        func count(_ bound: SlopeBound) -> Int { blocks.reduce(0) { $0 + $1.countBelow(bound) } }

        func uncertainty(_ theta: Double) -> Double { blocks.reduce(0) { max($0, $1.uncertainty(at: theta)) } }

        /// nil when the classification turned out inconsistent (the caller falls back to the brute force).
        mutating func values(atRanks ranks: [Int]) -> [Double]? {
            var out = [Double](repeating: 0, count: ranks.count)
            let pending = ranks.enumerated().map { (rank: $1, slot: $0) }.sorted { $0.rank < $1.rank }
            let everything = Bracket(lower: Bracket.End(bound: SlopeBound(theta: -.infinity, inclusive: false), count: 0),
                                     upper: Bracket.End(bound: SlopeBound(theta: .infinity, inclusive: true), count: total))
            var start = 0
            while start < pending.count {
                // Neighbouring ranks (the two middle slopes) share one bracket.
                var end = start
                while end + 1 < pending.count && pending[end + 1].rank - pending[start].rank <= 1 { end += 1 }
                guard let found = select(first: pending[start].rank, last: pending[end].rank, within: everything)
                else { return nil }
                for offset in start...end { out[pending[offset].slot] = found[pending[offset].rank - pending[start].rank] }
                start = end + 1
            }
            return out
        }

        /// Pairs with a slope below 0 and at most 0, counted exactly (y − 0·x = y), once.
        var zeroCounts: (negative: Int, nonPositive: Int)?

        mutating func countsAtZero() -> (negative: Int, nonPositive: Int) {
            if let zeroCounts { return zeroCounts }
            let negative = count(SlopeBound(theta: 0, inclusive: false))
            let counts = (negative, negative + blocks.reduce(0) { $0 + $1.equalValuePairs })
            zeroCounts = counts
            return counts
        }

        /// The ranks first...last when the bracket around them holds 0: those among the pairs of equal values are
        /// 0 (+0.0, as (y − y)/dx), the others are selected on their side of 0, whose exact end keeps the (often
        /// very many) pairs of equal values out of any enumeration.
        mutating func splitAtZero(first: Int, last: Int, within bracket: Bracket) -> [Double]? {
            let (negative, nonPositive) = countsAtZero()
            var out: [Double] = []
            var rank = first
            if rank < negative {
                let upTo = min(last, negative - 1)
                let upper = Bracket.End(bound: SlopeBound(theta: 0, inclusive: false), count: negative)
                guard let found = select(first: rank, last: upTo, within: Bracket(lower: bracket.lower, upper: upper))
                else { return nil }
                out += found
                rank = upTo + 1
            }
            while rank <= last && rank < nonPositive {
                out.append(0)
                rank += 1
            }
            if rank <= last {
                let lower = Bracket.End(bound: SlopeBound(theta: 0, inclusive: true), count: nonPositive)
                guard let found = select(first: rank, last: last, within: Bracket(lower: lower, upper: bracket.upper))
                else { return nil }
                out += found
            }
            return out
        }

        struct Bracket {
            struct End {
                var bound: SlopeBound
                var count: Int
            }
            var lower: End
            var upper: End
        }

        /// The values at ranks first...last (consecutive), which lie inside `initial`.
        mutating func select(first: Int, last: Int, within initial: Bracket) -> [Double]? {
            var bracket = initial
            // The last bracket whose counts were checked, to return to when a speculative one misses.
            var checked = initial
            var rounds = 0
            while bracket.upper.count - bracket.lower.count > budget && rounds < 8 {
                rounds += 1
                guard let outcome = narrowed(bracket, first: first, last: last) else { break }
                guard case .narrower(let narrower, let counted) = outcome else {
                    return splitAtZero(first: first, last: last, within: bracket)
                }
                bracket = narrower
                guard counted else { break }
                checked = bracket
            }
            var speculative = bracket.lower.count < 0 || bracket.upper.count < 0
            // Widen a side whose selected value lies within rounding of its end; the initial ends are exact.
            for _ in 0..<8 {
                var slopes: [Double] = []
                slopes.reserveCapacity(speculative ? 2 * budget : bracket.upper.count - bracket.lower.count)
                var below = 0, upTo = 0
                for block in blocks {
                    guard let counts = block.slopes(between: bracket.lower.bound, and: bracket.upper.bound, into: &slopes)
                    else { return nil }
                    below += counts.below
                    upTo += counts.upTo
                }
                guard below <= first, last < upTo, slopes.count == upTo - below else {
                    guard speculative else { return nil }
                    speculative = false
                    bracket = checked
                    continue
                }
                bracket.lower.count = below
                bracket.upper.count = upTo
                // The next ranks are the smallest of what quickselect left above the first.
                var found = [SensSlope.select(&slopes, first - below)]
                for rank in (first + 1)..<(last + 1) {
                    found.append(slopes[(rank - below)...].min()!)
                    if let index = slopes[(rank - below)...].firstIndex(of: found.last!) { slopes.swapAt(rank - below, index) }
                }
                let low = bracket.lower.bound.theta, high = bracket.upper.bound.theta
                let lowOK = !low.isFinite || found.min()! >= low + uncertainty(low)
                let highOK = !high.isFinite || found.max()! <= high - uncertainty(high)
                if lowOK && highOK { return found }
                if !lowOK { bracket.lower = widened(bracket.lower, toward: initial.lower, by: high - low, below: true) }
                if !highOK { bracket.upper = widened(bracket.upper, toward: initial.upper, by: high - low, below: false) }
            }
            return nil
        }

        /// The end moved outward by the bracket's width (at least several uncertainties), or the initial end.
        /// Its count is left to the enumeration.
        func widened(_ end: Bracket.End, toward initial: Bracket.End, by width: Double, below: Bool) -> Bracket.End {
            let theta = end.bound.theta
            let step = max(width.isFinite ? width : 0, 8 * uncertainty(theta), abs(theta) * 1e-12)
            let moved = below ? theta - step : theta + step
            if below ? moved <= initial.bound.theta : moved >= initial.bound.theta { return initial }
            return Bracket.End(bound: SlopeBound(theta: moved, inclusive: end.bound.inclusive), count: -1)
        }

        enum Narrowing {
            /// With `counted` false its new ends' counts (−1) are left to the enumeration, which checks them.
            case narrower(Bracket, counted: Bool)
            /// The wanted ranks look close to 0, inside a bracket that holds 0.
            case straddlesZero
        }

        /// A narrower bracket from a sample of the pairs inside this one, or nil when sampling fails. When the
        /// sample says the new bracket holds few enough pairs to enumerate, its ends are not counted.
        mutating func narrowed(_ bracket: Bracket, first: Int, last: Int) -> Narrowing? {
            let inside = bracket.upper.count - bracket.lower.count
            let ratio = Double(inside) / Double(budget)
            let points = blocks.reduce(0) { $0 + $1.count }
            let size = Int(min(max(25 * ratio * ratio, 256), Double(max(2 * points, 4096))))
            // Rejection sampling from all pairs: the share inside is inside/total.
            let maxDraws = max(20 * size, Int(Double(size) * Double(total) / Double(inside) * 3))
            var sample: [Double] = []
            sample.reserveCapacity(size)
            let low = bracket.lower.bound, high = bracket.upper.bound
            var draws = 0
            while sample.count < size && draws < maxDraws {
                draws += 1
                guard let slope = randomSlope() else { continue }
                let aboveLow = low.inclusive ? slope > low.theta : slope >= low.theta
                let belowHigh = high.inclusive ? slope <= high.theta : slope < high.theta
                if aboveLow && belowHigh { sample.append(slope) }
            }
            guard sample.count >= 256 else { return nil }
            let m = Double(sample.count)
            let spread = 2.5 * m.squareRoot()
            let from = Double(first - bracket.lower.count) / Double(inside) * m - spread
            let to = Double(last + 1 - bracket.lower.count) / Double(inside) * m + spread
            // Two order statistics of the sample, by selection; a tie in the sample moves them apart (rare).
            var chosen: [Int: Double] = [:]
            func at(_ index: Int) -> Double {
                if let known = chosen[index] { return known }
                let value = SensSlope.select(&sample, index)
                chosen[index] = value
                return value
            }
            var lowIndex = Int(from.rounded(.down)), highIndex = Int(to.rounded(.up))
            if low.theta < 0 && high.theta > 0 && (lowIndex < 0 || at(lowIndex) <= 0)
                && (highIndex >= sample.count || at(highIndex) >= 0) {
                return .straddlesZero
            }
            // The ends must be farther apart than their rounding, or a pair could be below the upper end and
            // not below the lower one at once.
            func separated(_ a: Double, _ b: Double) -> Bool { b - a > 4 * (uncertainty(a) + uncertainty(b)) }
            while lowIndex >= 0 && highIndex < sample.count && !separated(at(lowIndex), at(highIndex)) {
                lowIndex -= 1
                highIndex += 1
            }
            var lower: SlopeBound?, upper: SlopeBound?
            if lowIndex >= 0, at(lowIndex) > low.theta, separated(at(lowIndex), high.theta) {
                lower = SlopeBound(theta: at(lowIndex), inclusive: false)
            }
            if highIndex < sample.count, at(highIndex) < high.theta, separated(lower?.theta ?? low.theta, at(highIndex)) {
                upper = SlopeBound(theta: at(highIndex), inclusive: false)
            }
            guard lower != nil || upper != nil else { return nil }
            var result = bracket
            let expected = Double(inside) * Double(min(highIndex, sample.count) - max(lowIndex, 0)) / m
            if expected <= 2 * Double(budget) {
                if let lower { result.lower = Bracket.End(bound: lower, count: -1) }
                if let upper { result.upper = Bracket.End(bound: upper, count: -1) }
                return .narrower(result, counted: false)
            }
            if let lower {
                let below = count(lower)
                if below <= first && below >= bracket.lower.count { result.lower = Bracket.End(bound: lower, count: below) }
            }
            if let upper {
                let below = count(upper)
                if below > last && below <= bracket.upper.count { result.upper = Bracket.End(bound: upper, count: below) }
            }
            if result.lower.count == bracket.lower.count && result.upper.count == bracket.upper.count { return nil }
            return .narrower(result, counted: true)
        }

        /// The slope of a pair drawn uniformly from all pairs at different x; nil for a pair at equal x.
        mutating func randomSlope() -> Double? {
            var block = 0
            if blocks.count > 1 {
                var pick = random.below(total)
                while pick >= blocks[block].pairs { pick -= blocks[block].pairs; block += 1 }
            }
            return blocks[block].randomSlope(using: &random)
        }
    }
}

/// A small deterministic generator (Steele, Lea & Flood 2014): the sample, hence the work done, is the same
/// on every run; the result does not depend on it.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (the multiply-shift map; its bias of bound/2⁶⁴ does not matter for a sample).
    mutating func below(_ bound: Int) -> Int {
        Int(UInt64(bound).multipliedFullWidth(by: next()).high)
    }
}
