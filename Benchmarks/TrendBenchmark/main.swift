// Trend benchmark: the original Mann-Kendall test (S, Var(S), Sen's slope and intercept) on the issue's
// workloads, and Sen's slope per year with its interval on the long series.
//
//   TrendBenchmark [--runs 5] [--csv DIR]
//
// Series are deterministic (a fixed generator): a seasonal cycle + a trend + noise, rounded to 0.01 (ties)
// with about 1 % gaps. --csv writes the same series for pyMannKendall (scripts/bench-trends.sh).
import Foundation
import Statistics

/// xorshift64*: the same series on every machine and run.
struct SeriesGenerator {
    var state: UInt64

    mutating func uniform() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53)
    }

    mutating func normal() -> Double {
        (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform())
    }

    /// Daily-like values: level, a yearly cycle of 365 steps, a trend per step, noise; rounded to 0.01.
    mutating func series(count: Int, number: Int) -> [Double?] {
        let trend = (Double(number % 7) - 3) * 2e-4 * 3_650 / Double(count)
        let level = 4 + Double(number % 5)
        return (0..<count).map { i in
            if uniform() < 0.01 { return nil }
            let t = Double(i)
            let value = level + 1.5 * sin(2 * .pi * t / 365.25) + trend * t + 0.8 * normal()
            return (value * 100).rounded() / 100
        }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Runs `work` `runs` times; prints each wall time, the medians of wall and CPU time; returns the last result.
/// CPU time (clock(3), this process) is the steadier figure on a machine shared with other jobs.
func measure<T>(_ name: String, runs: Int, _ work: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    var times: [Double] = []
    var cpu: [Double] = []
    var last: T?
    for _ in 0..<runs {
        let start = clock.now
        let cpuStart = Foundation.clock()
        last = try work()
        cpu.append(Double(Foundation.clock() - cpuStart) / Double(CLOCKS_PER_SEC))
        times.append(seconds(clock.now - start))
    }
    let list = times.map { String(format: "%.3f", $0) }.joined(separator: " ")
    print(String(format: "%-44@ median %.3f s wall, %.3f s CPU  (wall per run: %@)", name as NSString, median(times),
                 median(cpu), list as NSString))
    return last!
}

func writeCSV(_ columns: [[Double?]], to path: String) throws {
    var text = (0..<columns.count).map { "s\($0)" }.joined(separator: ",") + "\n"
    for row in 0..<(columns.map(\.count).max() ?? 0) {
        text += columns.map { row < $0.count ? $0[row].map { "\($0)" } ?? "" : "" }.joined(separator: ",") + "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

var runs = 5
var csvDirectory: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--csv": csvDirectory = arguments.next()
    default:
        FileHandle.standardError.write("usage: TrendBenchmark [--runs N] [--csv DIR]\n".data(using: .utf8)!)
        exit(2)
    }
}

var generator = SeriesGenerator(state: 0x9E37_79B9_7F4A_7C15)
let many = (0..<264).map { generator.series(count: 3_650, number: $0) }
let long = generator.series(count: 100_000, number: 4)
let medium = generator.series(count: 20_000, number: 5)
if let directory = csvDirectory {
    try writeCSV(many, to: directory + "/trend-series-264x3650.csv")
    try writeCSV([medium], to: directory + "/trend-series-20000.csv")
    try writeCSV([long], to: directory + "/trend-series-100000.csv")
}

print("TrendBenchmark: \(runs) runs each; wall time (ContinuousClock) and CPU time (clock)")
let results = try measure("original MK + Sen, 264 series × 3,650", runs: runs) {
    try many.map { try MannKendall.original($0) }
}
_ = measure("  of which Sen's slope alone", runs: runs) { many.map { SensSlope.estimate($0).slope } }
print("  check: Σ s \(results.reduce(0) { $0 + $1.s }), first slope \(results[0].slope), last slope \(results[263].slope)")
let mediumResult = try measure("original MK + Sen, 1 series × 20,000", runs: runs) { try MannKendall.original(medium) }
print("  check: s \(mediumResult.s), slope \(mediumResult.slope), intercept \(mediumResult.intercept)")
let longResult = try measure("original MK + Sen, 1 series × 100,000", runs: runs) { try MannKendall.original(long) }
print("  check: s \(longResult.s), slope \(longResult.slope), intercept \(longResult.intercept)")
// Hourly readings: the 100,000 values span 11.4 years.
let start = Date(timeIntervalSince1970: 1_451_606_400)
let kept = long.indices.filter { long[$0] != nil }
let times = kept.map { start.addingTimeInterval(3_600 * Double($0)) }
let values = kept.map { long[$0]! }
let annual = try measure("AnnualSenSlope (slope + 95 % CI), 100,000", runs: runs) {
    try AnnualSenSlope.estimate(times: times, values: values)
}
print("  check: \(annual.perYear) per year [\(annual.lower), \(annual.upper)], \(annual.pairs) pairs")
