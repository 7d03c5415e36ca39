import Foundation
import Ingest
import Pipeline
import RiverModel
import Standards
import Statistics
import Store
import TestSupport
import Testing

/// Four years (2022–2025) of monthly lab samples of NH3-N at T-01 (a manual point of the fixture network), with no
/// trend: 0.20–0.24 mg/L in a fixed pattern. `extra` adds rows.
private func labDump(extra: (Int, Int) -> String = { _, _ in "" }) -> String {
    var text = longHeader
    for year in 2022...2025 {
        for month in 1...12 {
            let value = 0.20 + 0.01 * Double((month * 7 + year * 3) % 5)
            text += String(format: "T-01,%04d-%02d-15 09:00,nh3n,%.2f,mg/L,N\n", year, month, value)
            text += extra(year, month)
        }
    }
    return text
}

private let shanghai = TimeZone.chinaStandard

/// The NH3-N trend of T-01 over the four years, as the analysis of December 2025 computes it.
private func t01Trend(_ text: String) throws -> (assessed: Bool, method: TrendMethod, trend: TrendDirection?, censoredMonths: Int?,
                                               reasonCode: String?) {
    let (_, store) = try ingestOne(try scratchFile(text, name: "lab.csv"))
    let end = try #require(PeriodParser.parse("2025-12", timeZone: shanghai)).end
    let found = try #require(try AnalysisJob(store: store, network: fixtureNetwork, timeZone: shanghai).trends(until: end).trends
        .first { $0.pointID == "T-01" && $0.parameter == .ammoniaNitrogen })
    return (found.assessed, found.method, found.trend, found.censoredMonths, found.reasonCode)
}

@Suite("trends in the analysis: values below a detection limit")
struct TrendCensoredTests {
    @Test("a lab series without nondetects: seasonal Kendall, no trend, 0 censored months")
    func plain() throws {
        let found = try t01Trend(labDump())
        #expect(found.assessed && found.method == .seasonalKendall)
        #expect(found.censoredMonths == 0)
        #expect(found.trend == .noTrend)
    }

    // In 2025 the lab adds a second sample each month reported "<1.0" (a method with a high limit). Taken as 1.0, the
    // month's median of its two days would be (0.2x + 1.0)/2 ≈ 0.6 in every month of 2025: each of the 12 seasons
    // rises in its last year, S = 12 × 3 = 36 at least, a false increasing trend. As "<1.0" the median is only below
    // 0.6 (CensoredValue.median): 12 censored months of 48 (25 % ≤ 30 %), the censored seasonal Kendall, and "<0.6"
    // orders with none of the 0.20–0.24 of earlier years.
    @Test("a nondetect with a high limit never enters the test as that limit: no false trend, 12 censored months")
    func highLimitNondetects() throws {
        let text = labDump { year, month in
            year == 2025 ? String(format: "T-01,%04d-%02d-20 09:00,nh3n,<1.0,mg/L,N\n", year, month) : ""
        }
        let found = try t01Trend(text)
        #expect(found.assessed)
        #expect(found.method == .censoredSeasonalKendall)
        #expect(found.censoredMonths == 12)
        #expect(found.trend == .noTrend)
    }

    @Test("more than 30 % of the months censored: not assessed, with the code")
    func mostlyNondetects() throws {
        let text = labDump { year, month in
            year >= 2024 && month <= 10 || year == 2025 ? String(format: "T-01,%04d-%02d-20 09:00,nh3n,<1.0,mg/L,N\n", year, month) : ""
        }
        let found = try t01Trend(text)
        #expect(!found.assessed)
        #expect(found.censoredMonths == 22)
        #expect(found.reasonCode == "too_many_censored")
    }

    @Test("the analysis document encodes without NaN, and every assessed trend has its numbers")
    func documentHasNoNaN() throws {
        let (_, store) = try ingestOne(try scratchFile(labDump { year, month in
            year == 2025 ? String(format: "T-01,%04d-%02d-20 09:00,nh3n,<1.0,mg/L,N\n", year, month) : ""
        }, name: "lab.csv"))
        let period = try #require(PeriodParser.parse("2025-12", timeZone: shanghai))
        let document = try AnalysisJob(store: store, network: fixtureNetwork, timeZone: shanghai).run(period: period)
        let data = try JSONEncoder().encode(document)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let trends = try #require(object["trends"] as? [[String: Any]])
        #expect(!trends.isEmpty)
        for trend in trends {
            #expect(trend["censored_months"] is NSNumber)
            if trend["assessed"] as? Bool == true {
                for key in ["p", "p_adjusted", "z", "tau", "s", "slope_per_year"] {
                    let value = try #require(trend[key] as? NSNumber, "\(key) missing in \(trend)")
                    #expect(value.doubleValue.isFinite)
                }
            } else {
                #expect(trend["reason_code"] is String && trend["reason"] is String && trend["reason_zh"] is String)
            }
        }
    }
}
