import Foundation
import Standards
import Statistics
import Testing

@Suite("censored values in monthly trends")
struct CensoredMonthsTests {
    /// Four years of monthly values rising 0.12 a year in every calendar month, with a summer season.
    let rising: [Double?] = (0..<48).map { (index: Int) -> Double? in
        let summer: Double = (5...8).contains(index % 12) ? 1 : 0
        return 2 + summer + 0.12 * Double(index / 12)
    }

    @Test("the median of censored values, by hand", arguments: [
        // <0.05, 0.2, 0.3: whatever lies below 0.05 stays below the middle value → 0.2, detected.
        ([CensoredValue(0.05, censored: true), CensoredValue(0.2), CensoredValue(0.3)], CensoredValue(0.2)),
        // <0.05, <0.05, 0.3: the middle value is one of the nondetects → <0.05.
        ([CensoredValue(0.05, censored: true), CensoredValue(0.05, censored: true), CensoredValue(0.3)],
         CensoredValue(0.05, censored: true)),
        // <0.05, 0.04, 0.3: the median lies in [0.04, 0.05) → <0.05, never 0.05 as a measurement.
        ([CensoredValue(0.05, censored: true), CensoredValue(0.04), CensoredValue(0.3)], CensoredValue(0.05, censored: true)),
        // <0.05, 0.2: (0.05 + 0.2)/2 is only an upper bound → <0.125.
        ([CensoredValue(0.05, censored: true), CensoredValue(0.2)], CensoredValue(0.125, censored: true)),
        // 0.1, 0.2, 0.3, 0.4, <0.05: two detected values on each side of 0.2 whatever the nondetect is → 0.2.
        ([CensoredValue(0.1), CensoredValue(0.2), CensoredValue(0.3), CensoredValue(0.4), CensoredValue(0.05, censored: true)],
         CensoredValue(0.2)),
    ])
    func median(values: [CensoredValue], expected: CensoredValue) {
        #expect(CensoredValue.median(values) == expected)
    }

    @Test("a series without censored months says so: censored_months 0, the plain seasonal Kendall")
    func noCensoredMonths() {
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: rising, firstYear: 2022)
        #expect(trend.censoredMonths == 0)
        #expect(trend.method == .seasonalKendall)
    }

    @Test("12 of 48 months below the detection limit (25 %): the censored test, and the count in the output")
    func quarterCensored() {
        let values: [Double?] = rising.indices.map { $0 < 12 ? 1.5 : rising[$0] }
        let (trend, shift) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: values,
                                                 censored: rising.indices.map { $0 < 12 }, firstYear: 2022)
        #expect(trend.assessed)
        #expect(trend.method == .censoredSeasonalKendall)
        #expect(trend.censoredMonths == 12)
        // No Pettitt on a censored series: it would read "<1.5" as 1.5.
        #expect(shift == nil)
    }

    // 15 of 48 months censored = 31 % > 30 % (LAWA's share, standards.md): refused with the numbers.
    @Test("more than 30 % of the months below the detection limit: not assessed, with the reason and its code")
    func tooManyCensored() {
        let censored = rising.indices.map { $0 < 12 || [12, 13, 14].contains($0) }
        let values: [Double?] = rising.indices.map { censored[$0] ? 1.5 : rising[$0] }
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: values, censored: censored, firstYear: 2022)
        #expect(!trend.assessed)
        #expect(trend.p == nil && trend.s == nil && trend.slopePerYear == nil)
        #expect(trend.censoredMonths == 15)
        #expect(trend.reasonCode == "too_many_censored")
        #expect(trend.reason == "15 of 48 values (31 %) are below a detection limit; at most 30 % for a trend")
        #expect(trend.reasonChinese?.contains("低于检出限") == true)
    }

    // The same rise, but the months of year 1 reported "<3.5" — a limit above every value of years 1–2. Read as 3.5 the
    // first year would look higher than year 2 in every month and the trend would vanish; compared as "<3.5" year 1
    // orders with nothing below 3.5 and the rise of years 2–4 stays: S = 12 × 3 (pairs of years 2–4) + the pairs
    // between year 1 and years 2–4 that are certain (values ≥ 3.5: only summer months of no year reach it → 0).
    @Test("a detection limit above the values is never read as a measurement (S from certain pairs only, by hand)")
    func highLimitNotSubstituted() {
        let censored = rising.indices.map { $0 < 12 }
        let values: [Double?] = rising.indices.map { $0 < 12 ? 3.5 : rising[$0] }
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: values, censored: censored, firstYear: 2022)
        // Years 2–4 rise in each month: C(3,2) = 3 pairs × 12 months = 36. Year 1 ("<3.5") against later years: in
        // summer later values are 3.12–3.36 < 3.5, in winter 2.12–2.36: never certainly above → 0.
        #expect(trend.s == 36)
        #expect(trend.censoredMonths == 12)
    }

    @Test("the reason of a not-assessed trend is typed, coded and bilingual")
    func shortSeries() {
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: Array(rising.prefix(24)), firstYear: 2022)
        #expect(!trend.assessed)
        #expect(trend.reasonCode == "too_few_years")
        #expect(trend.reason == "2 year(s) with at least 9 months of data; 3 needed")
        #expect(trend.reasonChinese == "每年至少 9 个月有数据的年份仅 2 年，需 3 年")
    }
}
