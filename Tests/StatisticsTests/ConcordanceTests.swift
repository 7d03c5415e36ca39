import Foundation
@testable import Statistics
import Testing

@Suite("K and R of the correlated tests in O(n log n), against their pairwise definitions")
struct ConcordanceTests {
    /// Values on a coarse grid so that ties in x, in z and in both are common.
    private func column(_ n: Int, levels: Int, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        return (0..<n).map { _ in Double(random.below(levels)) * 0.1 }
    }

    @Test("K = Σ_{i<j} sign((x_j − x_i)(z_j − z_i)) with ties in x, in z and in both", arguments: [2, 5, 40, 1_000])
    func concordance(levels: Int) {
        for n in [0, 1, 2, 3, 17, 400] {
            let x = column(n, levels: levels, seed: UInt64(n * 31 + levels))
            let z = column(n, levels: levels, seed: UInt64(n * 7 + levels + 1))
            var k = 0.0
            for i in 0..<max(0, n - 1) {
                for j in (i + 1)..<n {
                    let product = (x[j] - x[i]) * (z[j] - z[i])
                    k += product > 0 ? 1 : product < 0 ? -1 : 0
                }
            }
            #expect(MannKendall.concordance(x, z) == k, "n \(n), \(levels) levels")
            #expect(MannKendall.concordance(x, x) == Double(n * (n - 1) / 2) - tiedPairs(x), "a column with itself")
        }
    }

    @Test("R_j = (n + 1 + Σ_i sign(x_j − x_i)) / 2 with ties")
    func rankScores() {
        let x = column(300, levels: 12, seed: 5)
        let expected = x.map { value in
            (Double(x.count) + 1 + x.reduce(0.0) { $0 + (value > $1 ? 1 : value < $1 ? -1 : 0) }) / 2
        }
        #expect(MannKendall.rankScores(x) == expected)
    }

    private func tiedPairs(_ x: [Double]) -> Double {
        Dictionary(grouping: x, by: { $0 }).values.reduce(0.0) { $0 + Double($1.count * ($1.count - 1) / 2) }
    }
}
