import Foundation

/// The long-term trend of one point's parameter, as `analyze --json` `trends[]` reports it.
public struct SeriesTrend: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: String
    /// The test: `seasonal_kendall` on monthly medians (season = calendar month), or
    /// `censored_seasonal_kendall` (Akritas–Theil–Sen slope) when a month's value is below its detection limit.
    public var method: String
    public var firstMonth: String
    public var lastMonth: String
    /// Months with a value.
    public var months: Int
    /// False when the data are too thin: then `reason` says why and the numbers are absent.
    public var assessed: Bool
    public var reason: String?
    /// `increasing`, `decreasing` or `no trend` (judged on the BH-adjusted p).
    public var trend: String?
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

    public init(pointID: String, parameter: String, method: String, firstMonth: String, lastMonth: String, months: Int,
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

    enum CodingKeys: String, CodingKey {
        case parameter, method, months, assessed, reason, trend, p, z, tau, s
        case pointID = "point_id"
        case firstMonth = "first_month"
        case lastMonth = "last_month"
        case pAdjusted = "p_adjusted"
        case slopePerYear = "slope_per_year"
        case percentPerYear = "percent_per_year"
    }
}

/// A shift in one point's parameter (Pettitt on monthly anomalies), as `analyze --json` `changepoints[]` reports it.
public struct ChangePoint: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: String
    /// The first month after the shift (`YYYY-MM`).
    public var month: String
    public var p: Double
    /// Mean monthly anomaly (value − that calendar month's median) before and after.
    public var before: Double
    public var after: Double

    public init(pointID: String, parameter: String, month: String, p: Double, before: Double, after: Double) {
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
    /// - Parameters:
    ///   - values: monthly medians on a regular grid starting in January of `firstYear`.
    ///   - minimumYears: calendar years with at least 9 months of data needed before a trend is assessed.
    ///   - censored: per month, whether its value is a detection limit ("<DL"); any censored month switches the
    ///     test to the censored seasonal Kendall with the Akritas–Theil–Sen slope (`CensoredTrend`).
    public static func assess(pointID: String, parameter: String, values: [Double?], censored: [Bool]? = nil,
                              firstYear: Int, minimumYears: Int = 3, alpha: Double = 0.05) -> (SeriesTrend, ChangePoint?) {
        let present = values.indices.filter { values[$0] != nil }
        func label(_ index: Int) -> String { String(format: "%04d-%02d", firstYear + index / 12, index % 12 + 1) }
        var result = SeriesTrend(pointID: pointID, parameter: parameter, method: "seasonal_kendall",
                                 firstMonth: present.first.map(label) ?? "", lastMonth: present.last.map(label) ?? "",
                                 months: present.count, assessed: false)
        // A year counts when it has 9 of its 12 months: the seasonal test compares like months across years.
        let fullYears = stride(from: 0, to: values.count, by: 12).filter { start in
            values[start..<min(values.count, start + 12)].compactMap { $0 }.count >= 9
        }.count
        guard fullYears >= minimumYears else {
            result.reason = "\(fullYears) year(s) with at least 9 months of data; \(minimumYears) needed"
            return (result, nil)
        }
        do {
            let median = SensSlope.median(values.compactMap { $0 })
            if let censored, censored.contains(true) {
                let test = try CensoredTrend.seasonal(times: present.map { Double($0) / 12 }, values: present.map { values[$0]! },
                                                      censored: present.map { censored[$0] }, seasons: present.map { $0 % 12 },
                                                      alpha: alpha)
                result.method = "censored_seasonal_kendall"
                (result.trend, result.p, result.z, result.tau, result.s, result.slopePerYear) =
                    (test.trend, test.p, test.z, test.tau, test.s, test.slope)
            } else {
                let test = try MannKendall.seasonal(values, period: 12, alpha: alpha)
                (result.trend, result.p, result.z, result.tau, result.s, result.slopePerYear) =
                    (test.trend, test.p, test.z, test.tau, test.s, test.slope)
            }
            result.assessed = true
            result.percentPerYear = median != 0 ? result.slopePerYear.map { 100 * $0 / abs(median) } : nil
        } catch {
            result.reason = "\(error)"
            return (result, nil)
        }
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
