import Foundation
import RiverModel
import Standards
import TestSupport
import Testing

/// The rules the periodic report's comparisons and concentration tables stand on.
@Suite("change between periods, the year before, min and max")
struct PeriodReportRulesTests {
    // ΔG − ΔD in percentage points against the wording of 地表水环境质量评价办法（试行）: ≤ 10 无明显变化,
    // 10 < |·| ≤ 20 有所好转/变差, > 20 明显好转/变差 (../shared/reference/standards.md).
    @Test("the share rule's wording at and either side of 10 and 20 percentage points", arguments: [
        (10.0, QualityChange.noSignificantChange), (10.1, .slightlyBetter), (20.0, .slightlyBetter), (20.1, .clearlyBetter),
        (-10.0, .noSignificantChange), (-10.1, .slightlyWorse), (-20.0, .slightlyWorse), (-20.1, .clearlyWorse), (0.0, .noSignificantChange),
    ])
    func shareWording(difference: Double, expected: QualityChange) {
        #expect(QualityChange(pointsDifference: difference) == expected)
    }

    @Test("I–III from 60 % to 70 % with 劣V unchanged is exactly 10 points: no significant change, not 'slightly better'")
    func floatingBoundary() {
        // 0.7 − 0.6 in binary is 0.09999999999999998; the method compares the printed percentage points.
        let change = QualityChange(shareGoodBefore: 0.6, shareWorseThanVBefore: 0.2, shareGoodNow: 0.7, shareWorseThanVNow: 0.2)
        #expect(change == .noSignificantChange)
        #expect(QualityChange.pointsDifference(shareGoodBefore: 0.6, shareWorseThanVBefore: 0.2, shareGoodNow: 0.7,
                                               shareWorseThanVNow: 0.2) == 10)
    }

    @Test("I–III up 10 points and 劣V down 5 is ΔG − ΔD = 15: slightly better (hand-worked)")
    func bothShares() {
        // ΔG = 50 − 40 = +10, ΔD = 10 − 15 = −5, ΔG − ΔD = 15.
        #expect(QualityChange(shareGoodBefore: 0.4, shareWorseThanVBefore: 0.15, shareGoodNow: 0.5, shareWorseThanVNow: 0.1) == .slightlyBetter)
    }

    @Test("by status: the same grade, one step and two steps either way", arguments: [
        (QualityGrade.good, QualityGrade.good, QualityChange.noSignificantChange), (.good, .excellent, .slightlyBetter),
        (.good, .lightlyPolluted, .slightlyWorse), (.heavilyPolluted, .lightlyPolluted, .clearlyBetter), (.excellent, .moderatelyPolluted, .clearlyWorse),
    ])
    func gradeWording(before: QualityGrade, now: QualityGrade, expected: QualityChange) {
        #expect(QualityChange(from: before, to: now) == expected)
    }

    @Test("the same period a year earlier: a month, a quarter, a year, a range of days")
    func yearBefore() throws {
        let zone = TimeZone.chinaStandard
        for (label, expected) in [("2026-09", "2025-09"), ("2026-Q3", "2025-Q3"), ("2026", "2025")] {
            let period = try #require(PeriodParser.parse(label, timeZone: zone))
            #expect(PeriodParser.yearBefore(period, timeZone: zone) == PeriodParser.parse(expected, timeZone: zone))
        }
        let range = try #require(PeriodParser.range(from: "2028-02-10", to: "2028-02-29", timeZone: zone))
        // 2027 has no 29 February: the range ends on the 28th.
        #expect(PeriodParser.yearBefore(range, timeZone: zone) == PeriodParser.range(from: "2027-02-10", to: "2027-02-28", timeZone: zone))
    }

    @Test("min and max are the detected valid readings; a censored or flagged reading is neither (hand-worked)")
    func minimumMaximum() {
        let network = Network(rivers: [River("R", targetClass: .iii)], points: [MonitoringPoint("P", riverID: "R", kilometre: 1)], sources: [])
        var readings = samples([0.8, 1.3, 0.45], censored: [0.05])
        readings.append(Observation(time: october2026.start.addingTimeInterval(25 * 86_400), value: 9.9, flag: "D"))
        let result = Evaluator(network: network, period: october2026)
            .evaluate(point: network.point("P")!, series: [.ammoniaNitrogen: readings]).parameters[0]
        #expect(result.minimum == 0.45)
        #expect(result.maximum == 1.3)
        // Daily samples: the most common gap is one day.
        #expect(result.intervalSeconds == 86_400)
    }
}
