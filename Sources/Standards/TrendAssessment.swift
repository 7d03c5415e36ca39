import Foundation
import RiverModel
import Statistics

/// The long-term trend of one point's parameter, as `analyze --json` `trends[]` reports it.
public struct SeriesTrend: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: Parameter
    /// The test: `seasonal_kendall` on monthly medians (season = calendar month), or
    /// `censored_seasonal_kendall` (Akritas–Theil–Sen slope) when a month's value is below its detection limit.
    public var method: TrendMethod
    public var firstMonth: String
    public var lastMonth: String
    /// Months with a value.
    public var months: Int
    /// Months whose value is below a detection limit ("<DL"): a lab sample reported so, or a monthly median the
    /// detected days do not fix (``CensoredValue/median(_:)``). Always set by ``MonthlyTrend``.
    public var censoredMonths: Int?
    /// False when the data are too thin: then `reason` says why and the numbers are absent.
    public var assessed: Bool
    /// Why not assessed, in English; ``reasonCode`` is the stable code, ``reasonChinese`` the message in Chinese.
    public var reason: String?
    public var reasonCode: String?
    public var reasonChinese: String?
    /// Judged on the BH-adjusted p.
    public var trend: TrendDirection?
    public var p: Double?
    /// Benjamini–Hochberg adjusted over every assessed trend of the document.
    public var pAdjusted: Double?
    public var z: Double?
    public var tau: Double?
    public var s: Double?
    /// Seasonal Sen slope, canonical units per year.
    public var slopePerYear: Double?
    /// The slope as a share of the series' median, percent per year.
    public var percentPerYear: Double?

    public init(pointID: String, parameter: Parameter, method: TrendMethod, firstMonth: String, lastMonth: String, months: Int,
                assessed: Bool, reason: String? = nil) {
        self.pointID = pointID
        self.parameter = parameter
        self.method = method
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.months = months
        self.assessed = assessed
        self.reason = reason
    }

    /// Marks the trend not assessed, for `reason`: the numbers stay absent.
    public mutating func notAssessed(_ reason: NotAssessedReason) {
        assessed = false
        self.reason = reason.english
        reasonCode = reason.code
        reasonChinese = reason.chinese
        (trend, p, pAdjusted, z, tau, s, slopePerYear, percentPerYear) = (nil, nil, nil, nil, nil, nil, nil, nil)
    }

    enum CodingKeys: String, CodingKey {
        case parameter, method, months, assessed, reason, trend, p, z, tau, s
        case pointID = "point_id"
        case censoredMonths = "censored_months"
        case reasonCode = "reason_code"
        case reasonChinese = "reason_zh"
        case firstMonth = "first_month"
        case lastMonth = "last_month"
        case pAdjusted = "p_adjusted"
        case slopePerYear = "slope_per_year"
        case percentPerYear = "percent_per_year"
    }
}

/// How a long-term trend was tested.
public enum TrendMethod: String, Sendable, Codable {
    /// Seasonal Mann-Kendall on monthly medians (season = calendar month), seasonal Sen slope.
    case seasonalKendall = "seasonal_kendall"
    /// The censored seasonal Kendall test with the Akritas–Theil–Sen slope, when months are below a detection limit.
    case censoredSeasonalKendall = "censored_seasonal_kendall"
}

/// A shift in one point's parameter (Pettitt on monthly anomalies), as `analyze --json` `changepoints[]` reports it.
public struct ChangePoint: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: Parameter
    /// The first month after the shift (`YYYY-MM`).
    public var month: String
    public var p: Double
    /// Mean monthly anomaly (value − that calendar month's median) before and after.
    public var before: Double
    public var after: Double

    public init(pointID: String, parameter: Parameter, month: String, p: Double, before: Double, after: Double) {
        self.pointID = pointID
        self.parameter = parameter
        self.month = month
        self.p = p
        self.before = before
        self.after = after
    }

    enum CodingKeys: String, CodingKey {
        case parameter, month, p, before, after
        case pointID = "point_id"
    }
}

/// Trend and change-point analysis of a regular monthly series (nil for a month without data), January first.
public enum MonthlyTrend {
    /// More months below a detection limit than this share of the months with data: not assessed. LAWA practice
    /// (`../shared/reference/standards.md`, "Trend-data sufficiency": ≤ 30 % censored before a trend is assessed):
    /// with more, most within-month comparisons are ties and the slope rests on a few detected values.
    public static let maximumCensoredShare = 0.3

    /// - Parameters:
    ///   - values: monthly medians on a regular grid starting in January of `firstYear`.
    ///   - censored: per month, whether its value is below a detection limit (`values[i]` is then the limit or
    ///     an upper bound). Any censored month switches the test to the censored seasonal Kendall with the
    ///     Akritas–Theil–Sen slope (`CensoredTrend`), which compares `<DL` with other values only where the order
    ///     is certain; more than ``maximumCensoredShare`` of the months censored: not assessed. A censored value is
    ///     never taken as a measurement.
    ///   - minimumYears: calendar years with at least 9 months of data needed before a trend is assessed.
    /// - Returns: the trend (always with `censoredMonths`) and, for a series without censored months, a Pettitt
    ///   shift when one is significant (Pettitt's test has no censored form here: it would read `<DL` as DL).
    public static func assess(pointID: String, parameter: Parameter, values: [Double?], censored: [Bool]? = nil,
                              firstYear: Int, minimumYears: Int = 3, alpha: Double = 0.05) -> (SeriesTrend, ChangePoint?) {
        let present = values.indices.filter { values[$0] != nil }
        let isCensored = { (index: Int) in censored.map { index < $0.count && $0[index] } ?? false }
        func label(_ index: Int) -> String { String(format: "%04d-%02d", firstYear + index / 12, index % 12 + 1) }
        var result = SeriesTrend(pointID: pointID, parameter: parameter, method: .seasonalKendall,
                                 firstMonth: present.first.map(label) ?? "", lastMonth: present.last.map(label) ?? "",
                                 months: present.count, assessed: false)
        let censoredMonths = present.filter(isCensored).count
        result.censoredMonths = censoredMonths
        if censoredMonths > 0 { result.method = .censoredSeasonalKendall }
        // A year counts when it has 9 of its 12 months: the seasonal test compares like months across years.
        let monthsPerYear = 9
        let fullYears = stride(from: 0, to: values.count, by: 12).filter { start in
            values[start..<min(values.count, start + 12)].compactMap { $0 }.count >= monthsPerYear
        }.count
        guard fullYears >= minimumYears else {
            result.notAssessed(.tooFewYears(found: fullYears, needed: minimumYears, monthsPerYear: monthsPerYear))
            return (result, nil)
        }
        guard Double(censoredMonths) <= maximumCensoredShare * Double(present.count) else {
            result.notAssessed(.tooManyCensored(censored: censoredMonths, of: present.count, maximumShare: maximumCensoredShare))
            return (result, nil)
        }
        do {
            if censoredMonths > 0 {
                let test = try CensoredTrend.seasonal(times: present.map { Double($0) / 12 }, values: present.map { values[$0]! },
                                                      censored: present.map(isCensored), seasons: present.map { $0 % 12 },
                                                      alpha: alpha)
                (result.trend, result.p, result.z, result.tau, result.s, result.slopePerYear) =
                    (test.trend, test.p, test.z, test.tau, test.s, test.slope)
            } else {
                let test = try MannKendall.seasonal(values, period: 12, alpha: alpha)
                (result.trend, result.p, result.z, result.tau, result.s, result.slopePerYear) =
                    (test.trend, test.p, test.z, test.tau, test.s, test.slope)
            }
            result.assessed = true
        } catch let error as TrendTestError {
            result.notAssessed(error.reason)
            return (result, nil)
        } catch {
            preconditionFailure("the trend tests throw only TrendTestError: \(error)")
        }
        // The slope as a share of the median: none when the median is 0 or itself below a detection limit.
        let median = CensoredValue.median(present.map { CensoredValue(values[$0]!, censored: isCensored($0)) })
        if let median, !median.censored, median.value != 0, let slope = result.slopePerYear {
            result.percentPerYear = 100 * slope / abs(median.value)
        }
        guard censoredMonths == 0 else { return (result, nil) }
        // Pettitt on anomalies from each calendar month's median, so a season is not taken for a shift.
        var monthMedian = [Double](repeating: 0, count: 12)
        for month in 0..<12 {
            let same = stride(from: month, to: values.count, by: 12).compactMap { values[$0] }
            monthMedian[month] = same.isEmpty ? 0 : SensSlope.median(same)
        }
        let anomalies = values.indices.map { index in values[index].map { $0 - monthMedian[index % 12] } }
        guard let shift = try? Pettitt.test(anomalies, alpha: alpha), shift.h,
              shift.changePoint < values.count else { return (result, nil) }
        return (result, ChangePoint(pointID: pointID, parameter: parameter, month: label(shift.changePoint), p: shift.p,
                                    before: shift.meanBefore, after: shift.meanAfter))
    }
}
