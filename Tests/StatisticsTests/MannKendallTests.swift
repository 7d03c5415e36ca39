import CSV
import Foundation
import Statistics
import Testing

/// Reference values printed by pyMannKendall 1.4.3 (`python3 -c "import pymannkendall as mk; …"`) on the
/// same data; agreement is required to 1e-9 relative (absolute for p below 1e-12, where both lose digits).
private func close(_ a: Double, _ b: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let tolerance = max(1e-9 * max(abs(a), abs(b)), abs(b) < 1e-12 ? 1e-12 : 0)
    #expect(abs(a - b) <= tolerance, "\(what): \(a) vs pyMannKendall \(b)", sourceLocation: sourceLocation)
}

private func check(_ result: TrendTestResult, _ trend: String, _ h: Bool, _ p: Double, _ z: Double, _ tau: Double, _ s: Double,
                   _ varS: Double, _ slope: Double, _ intercept: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.trend.rawValue == trend, sourceLocation: sourceLocation)
    #expect(result.h == h, sourceLocation: sourceLocation)
    close(result.p, p, "p", sourceLocation: sourceLocation)
    close(result.z, z, "z", sourceLocation: sourceLocation)
    close(result.tau, tau, "Tau", sourceLocation: sourceLocation)
    close(result.s, s, "s", sourceLocation: sourceLocation)
    close(result.varS, varS, "var_s", sourceLocation: sourceLocation)
    close(result.slope, slope, "slope", sourceLocation: sourceLocation)
    close(result.intercept, intercept, "intercept", sourceLocation: sourceLocation)
}

/// 16 values with a gap and ties.
private let series: [Double?] = [4.2, 3.9, 5.1, 4.8, nil, 5.5, 5.5, 6.1, 5.9, 6.8, 6.2, 7.0, 6.9, 7.4, 7.4, 8.1]

@Suite("Mann-Kendall against pyMannKendall 1.4.3")
struct MannKendallTests {
    @Test("original test")
    func original() throws {
        check(try MannKendall.original(series), "increasing", true, 5.018565003123143e-06, 4.5640101532802575,
              0.8857142857142857, 93, 406.3333333333333, 0.25, 4.1)
    }

    @Test("Hamed-Rao modification")
    func hamedRao() throws {
        check(try MannKendall.hamedRao(series), "increasing", true, 6.661338147750939e-16, 8.061707777459532,
              0.8857142857142857, 93, 130.23315184513, 0.25, 4.1)
    }

    @Test("Yue-Wang modification")
    func yueWang() throws {
        check(try MannKendall.yueWang(series), "increasing", true, 0, 9.168418099340194, 0.8857142857142857, 93,
              100.6901145750071, 0.25, 4.1)
    }

    @Test("pre-whitening")
    func preWhitening() throws {
        check(try MannKendall.preWhitening(series), "no trend", false, 0.06269811626098254, 1.8613262649346203,
              0.38461538461538464, 35, 333.6666666666667, 0.25, 4.1)
    }

    @Test("trend-free pre-whitening")
    func trendFreePreWhitening() throws {
        check(try MannKendall.trendFreePreWhitening(series), "increasing", true, 1.4533143730677267e-06,
              4.817550332771958, 0.978021978021978, 89, 333.6666666666667, 0.25, 4.1)
    }

    @Test("real data: dissolved solids 1974–1985 (80 samples, 3 blank), pyMannKendall's own test file")
    func dissolvedSolids() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/public-data/water-quality-ds-discharge.csv")
        var ds: [Double?] = []
        try CSVReader(path: url.path).forEachRecord { record in
            guard record.line > 1 else { return }
            ds.append(Double(record.field(2).trimmingCharacters(in: .whitespaces)))
        }
        #expect(ds.count == 80 && ds.filter { $0 == nil }.count == 3)
        check(try MannKendall.original(ds), "no trend", false, 0.38336904452976617, -0.8717055265806398,
              -0.06801093643198906, -199, 51593, -0.5634920634920635, 471.9761904761905)
        let hamed = try MannKendall.hamedRao(ds, lag: 3)
        close(hamed.varS, 51593, "var_s (lag 3)")
        let yue = try MannKendall.yueWang(ds, lag: 1)
        close(yue.p, 0.3520351058551201, "p (lag 1)")
        close(yue.varS, 45264.57579982921, "var_s (lag 1)")
    }

    @Test("S in O(n log n) equals the pairwise definition on series with many ties")
    func scoreMatchesDefinition() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 2...300, using: &generator)
            let x = (0..<n).map { _ in Double(Int.random(in: 0...20, using: &generator)) }
            var direct = 0.0
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { direct += x[j] > x[i] ? 1 : x[j] < x[i] ? -1 : 0 } }
            #expect(MannKendall.score(x) == direct)
        }
    }

    @Test("short and constant series are not assessed, never NaN", arguments: [
        [1.0, 2.0, 3.0] as [Double?], [5, 5, 5, 5, 5], [nil, 1, nil, 2, 3], [],
    ])
    func notAssessed(values: [Double?]) {
        #expect(throws: TrendTestError.self) { try MannKendall.original(values) }
    }

    @Test("the normal quantile inverts the CDF (SciPy: norm.ppf(0.975) = 1.959963984540054)")
    func quantile() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959963984540054) < 1e-13)
        for p in [1e-10, 0.001, 0.02425, 0.3, 0.5, 0.9, 0.999999] {
            #expect(abs(StandardNormal.cdf(StandardNormal.quantile(p)) - p) < 1e-14 * max(1, 1 / p))
        }
    }
}

@Suite("seasonal Kendall against pyMannKendall 1.4.3")
struct SeasonalTests {
    func rainfall(_ station: String) throws -> [Double?] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/public-data/monthly-rainfall-bangladesh.csv")
        var index: Int?
        var values: [Double?] = []
        try CSVReader(path: url.path).forEachRecord { record in
            guard let column = index else {
                index = record.fields.firstIndex(of: station)
                return
            }
            values.append(Double(record.field(column).trimmingCharacters(in: .whitespaces)))
        }
        return values
    }

    @Test("monthly rainfall 1981–2010, period 12 (pyMannKendall's own test file)", arguments: [
        ("Dhaka", "decreasing", 0.02069192473732051, -2.3135590025632684, -0.08561912225705329, -437.0, 35515.00000000001,
         -0.1846590909090909, 147.77758049242425),
        ("Sylhet", "decreasing", 0.0033311457677496215, -2.93540315445163, -0.108708357685564, -558.0, 36006.00000000001,
         -0.3, 265.525),
    ])
    func rainfallStations(station: String, trend: String, p: Double, z: Double, tau: Double, s: Double, varS: Double,
                          slope: Double, intercept: Double) throws {
        let values = try rainfall(station)
        #expect(values.count == 360)
        check(try MannKendall.seasonal(values, period: 12), trend, true, p, z, tau, s, varS, slope, intercept)
    }
}

@Suite("change points and the Spearman method")
struct ChangePointTests {
    @Test("Pettitt against pyhomogeneity (pettitt_test(x, sim=None)): U 64, cp 8, p 0.007055755283170262")
    func pettitt() throws {
        let x: [Double?] = [4.2, 3.9, 5.1, 4.8, 5.5, 5.5, 6.1, 5.9, 6.8, 6.2, 7.0, 6.9, 7.4, 7.4, 8.1, 7.9]
        let result = try Pettitt.test(x)
        #expect(result.u == 64 && result.changePoint == 8 && result.h)
        close(result.p, 0.007055755283170262, "p")
        close(result.meanBefore, 5.125, "mean before")
        close(result.meanAfter, 7.2125, "mean after")
        // A gap before the shift moves the position in the input, not among the values.
        let gapped = try Pettitt.test([nil] + x)
        #expect(gapped.changePoint == 9 && gapped.valuesBefore == 8)
    }

    @Test("Spearman r_s hand-worked: one swap in five years gives 1 − 6·2/120 = 0.9, significant at 0.05 (W = 0.900)")
    func spearman() throws {
        let result = try SpearmanTrend.test([1.0, 2.0, 4.0, 3.0, 5.0])
        #expect(abs(result.rs - 0.9) < 1e-12)
        #expect(result.significant05 && !result.significant01 && result.trend == .increasing)
        let falling = try SpearmanTrend.test([0.9, 0.8, 0.85, 0.6, 0.5, 0.4])
        // d² = (1−6)²+(2−4)²… by hand: ranks of values 6,4,5,3,2,1 → d = −5,−2,−2,1,3,5 → Σd² = 68 → 1 − 408/210.
        #expect(abs(falling.rs - (1 - 6.0 * 68 / 210)) < 1e-12)
        // |r_s| = 0.942857… = 33/35: above W(0.05) = 0.829, and equal to W(0.01) for n = 6, which Zar prints as 0.943.
        // Exactly: Σd² = 68 mirrors to 70 − 68 = 2 on the other tail; P(Σd² ≤ 2) = (1 + 5)/720 = 0.0083 ≤ 0.01, so it
        // is significant at 0.01 too (the table is read to three decimals: 0.943 ≥ 0.943).
        #expect(falling.trend == .decreasing && falling.significant05 && falling.significant01)
        #expect(throws: TrendTestError.self) { try SpearmanTrend.test([1, 2, 3]) }
    }
}

@Suite("trend extras")
struct TrendExtrasTests {
    @Test("Benjamini–Hochberg, hand-worked: p (0.01, 0.04, 0.03, 0.005, 0.2) → (0.025, 0.05, 0.05, 0.025, 0.2)")
    func benjaminiHochberg() {
        let adjusted = BenjaminiHochberg.adjust([0.01, 0.04, 0.03, 0.005, 0.2])
        for (a, b) in zip(adjusted, [0.025, 0.05, 0.05, 0.025, 0.2]) { #expect(abs(a - b) < 1e-12) }
        #expect(BenjaminiHochberg.adjust([]).isEmpty)
    }

    @Test("Sen's slope per year from timestamps: 0.1 a month on irregular dates is 1.2 a year; the interval holds it")
    func annualSlope() throws {
        let month = 365.25 * 86_400 / 12
        var times: [Date] = []
        var values: [Double] = []
        for i in 0..<60 where i % 7 != 3 {  // irregular: some months missing
            times.append(Date(timeIntervalSince1970: Double(i) * month))
            values.append(0.5 + 0.1 * Double(i))
        }
        let exact = try AnnualSenSlope.estimate(times: times, values: values)
        #expect(abs(exact.perYear - 1.2) < 1e-9 && abs(exact.lower - 1.2) < 1e-9 && abs(exact.upper - 1.2) < 1e-9)
        var generator = SystemRandomNumberGenerator()
        let noisy = values.map { $0 + Double.random(in: -0.3...0.3, using: &generator) }
        let estimate = try AnnualSenSlope.estimate(times: times, values: noisy)
        #expect(estimate.lower <= estimate.perYear && estimate.perYear <= estimate.upper)
        #expect(estimate.lower > 0.8 && estimate.upper < 1.6)
    }

    @Test("trend sufficiency: five years at ≥ 90 % of the samples and ≤ 30 % censored (LAWA practice)")
    func gate() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
        let monthly = (0..<72).filter { $0 % 12 != 5 }.map { calendar.date(byAdding: .month, value: $0, to: start)! }
        let ok = TrendGate.check(times: monthly, censored: monthly.map { _ in false }, expectedPerYear: 12, calendar: calendar)
        #expect(ok.assessed)
        let thin = TrendGate.check(times: Array(monthly.prefix(30)), censored: Array(repeating: false, count: 30),
                                   expectedPerYear: 12, calendar: calendar)
        #expect(!thin.assessed && thin.reason.contains("5 needed"))
        let censored = TrendGate.check(times: monthly, censored: monthly.indices.map { $0 % 3 == 0 }, expectedPerYear: 12,
                                       calendar: calendar)
        #expect(!censored.assessed && censored.reason.contains("censored"))
    }
}

@Suite("multivariate tests against pyMannKendall 1.4.3")
struct MultivariateTests {
    func table(_ file: String, _ columns: [String]) throws -> [[Double?]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/public-data/\(file)")
        var indices: [Int] = []
        var rows: [[Double?]] = []
        try CSVReader(path: url.path).forEachRecord { record in
            if indices.isEmpty {
                indices = columns.map { record.fields.firstIndex(of: $0)! }
                return
            }
            rows.append(indices.map { Double(record.field($0).trimmingCharacters(in: .whitespaces)) })
        }
        return rows
    }

    let stations = ["Bogra", "Dhaka", "Mymensingh", "Rangpur", "Srimangal", "Sylhet"]

    @Test("regional test over six rainfall stations")
    func regional() throws {
        check(try MannKendall.regional(table("monthly-rainfall-bangladesh.csv", stations)), "no trend", false,
              0.06443501180664057, -1.8491579278636574, -0.02672619796252044, -10200, 30420557.999999996,
              -0.007017543859649123, 144.26900584795322)
    }

    @Test("correlated multivariate test over six rainfall stations")
    func correlatedMultivariate() throws {
        check(try MannKendall.correlatedMultivariate(table("monthly-rainfall-bangladesh.csv", stations)), "no trend", false,
              0.3579989565502104, -0.9191847304041887, -0.0312970635204792, -11014, 143576890,
              -0.007017543859649123, 144.26900584795322)
    }

    @Test("correlated seasonal test, Dhaka, period 12")
    func correlatedSeasonal() throws {
        let dhaka = try table("monthly-rainfall-bangladesh.csv", ["Dhaka"]).map { $0[0] }
        check(try MannKendall.correlatedSeasonal(dhaka, period: 12), "no trend", false, 0.07092028292206498,
              -1.8059875587952257, -0.08531746031746032, -387, 45919, -0.1846590909090909, 147.77758049242425)
    }

    @Test("partial test: dissolved solids given discharge")
    func partial() throws {
        let rows = try table("water-quality-ds-discharge.csv", ["DS", "Discharge"])
        check(try MannKendall.partial(rows.map { $0[0] }, covariate: rows.map { $0[1] }), "no trend", false,
              0.06670496348739152, -1.8336567432191642, -0.07552758237689744, -282.53012319329804, 23740.695506142725,
              -0.5634920634920635, 471.9761904761905)
    }
}

@Suite("edge cases found by the cross-check")
struct StatisticsEdgeCaseTests {
    @Test("a seasonal test on less than two periods is not assessed, never NaN (pyMannKendall divides by zero)")
    func seasonalTooShort() {
        #expect(throws: TrendTestError.self) { try MannKendall.seasonal((1...10).map(Double.init), period: 12) }
    }
}

@Suite("median by selection")
struct MedianTests {
    @Test("quickselect medians equal sorted medians on random data with ties, odd and even counts")
    func medians() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let n = Int.random(in: 1...500, using: &generator)
            let values = (0..<n).map { _ in Double(Int.random(in: 0...30, using: &generator)) / 4 }
            let sorted = values.sorted()
            let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            #expect(SensSlope.estimate(values.map(Optional.some)).slope.isFinite || n < 2)
            #expect(SensSlope.median(values) == expected)
        }
    }
}

@Suite("sensor-fault detection")
struct SensorFaultDetectorTests {
    let hours = (0..<48).map { Date(timeIntervalSince1970: Double($0) * 3_600) }
    func wave(_ index: Int) -> Double { 6 + sin(Double(index) / 3) }

    @Test("a flat line of six identical readings is found; five are not enough")
    func flatLine() {
        var values = hours.indices.map(wave)
        for index in 10..<16 { values[index] = 6.25 }
        let found = SensorFaultDetector.detect(times: hours, values: values).filter { $0.kind == .flatLine }
        #expect(found.count == 1 && found[0].start == hours[10] && found[0].end == hours[15])
        values[15] = wave(15)
        #expect(SensorFaultDetector.detect(times: hours, values: values).allSatisfy { $0.kind != .flatLine })
    }

    @Test("a single-reading spike is a fault; a pulse over several readings is not")
    func spikeVersusPulse() {
        var values = hours.indices.map(wave)
        values[20] *= 5
        #expect(SensorFaultDetector.detect(times: hours, values: values).map(\.kind) == [.spike])
        var pulse = hours.indices.map(wave)
        for (offset, rise) in [1.0, 4, 9, 12, 9, 4, 1].enumerated() { pulse[20 + offset] += rise }
        #expect(SensorFaultDetector.detect(times: hours, values: pulse).isEmpty)
    }

    @Test("read every 3 h or less often, a spike two analysers share at one reading is water; one analyser's stays a fault",
          arguments: [(14_400.0, true), (10_800.0, true), (7_200.0, false), (3_600.0, false)])
    func sharedSpikes(interval: TimeInterval, shared: Bool) {
        let at = Date(timeIntervalSince1970: 20 * interval)
        let other = Date(timeIntervalSince1970: 30 * interval)
        let spikes = [DetectedFault(kind: .spike, start: at, end: at, value: 40),
                      DetectedFault(kind: .spike, start: at, end: at, value: 3.1),
                      DetectedFault(kind: .spike, start: other, end: other, value: 9),
                      DetectedFault(kind: .flatLine, start: other, end: other.addingTimeInterval(6 * interval), value: 9)]
        // Hourly or every 2 h, a plume reaches the neighbouring readings: every spike stays a fault there.
        #expect(SensorFaultDetector.sharedSpikes(spikes, interval: interval) == (shared ? [at] : []))
    }

    @Test("a gap of more than three intervals is a dropout")
    func dropout() {
        let times = hours.enumerated().filter { !(10..<15).contains($0.offset) }.map(\.element)
        let found = SensorFaultDetector.detect(times: times, values: times.indices.map(wave))
        #expect(found.map(\.kind) == [.dropout])
        #expect(found.first?.start == hours[10] && found.first?.end == hours[14])
    }
}

@Suite("flat lines and rounding")
struct FlatLineRoundingTests {
    @Test("a slowly moving series rounded to 0.1 may repeat six times without being stuck; twelve repeats are a fault")
    func rounding() {
        let times = (0..<72).map { Date(timeIntervalSince1970: Double($0) * 3_600) }
        // Steps of 0.1 most of the time, the resolution of the data.
        var values = times.indices.map { 24 + 0.1 * Double(($0 / 2) % 6) }
        for index in 20..<26 { values[index] = 24.9 }
        #expect(SensorFaultDetector.detect(times: times, values: values).allSatisfy { $0.kind != .flatLine })
        for index in 40..<52 { values[index] = 24.9 }
        #expect(SensorFaultDetector.detect(times: times, values: values).filter { $0.kind == .flatLine }.count == 1)
    }
}
