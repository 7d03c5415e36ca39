import Foundation

/// Why a statistic was not computed: the data cannot give a meaningful number, so none is given — never NaN or
/// infinity. Each reason has a stable ``code`` for machines (`analyze --json` `trends[].reason_code`, `stats --json`
/// `reason_code`) and a message in English and Chinese for people.
public enum NotAssessedReason: Error, Sendable, Equatable, Hashable {
    /// Fewer values than the test needs.
    case tooFewValues(found: Int, needed: Int)
    /// Every value is the same: no order, no trend.
    case allValuesEqual
    /// The seasonal test found no season with two values: the series is shorter than two periods.
    case noSeasonWithTwoValues
    /// Var(S) came out zero or negative: no pair of values gives an order to test.
    case varianceNotPositive
    /// The Hamed–Rao or Yue–Wang correction factor for serial correlation is zero or negative, so the corrected
    /// Var(S) is too (short, strongly oscillating series): the correction breaks down.
    case correctedVarianceNotPositive(method: SerialCorrection, factor: Double)
    /// The Sen-detrended series (or its ranks) is constant, so its autocorrelation is 0/0: the correction for
    /// serial correlation is undefined (an exactly linear series).
    case autocorrelationUndefined(method: SerialCorrection)
    /// Fewer complete rows than the multivariate test needs.
    case tooFewCompleteRows(found: Int, columns: Int)
    /// The covariate explains the series completely: the partial test's variance is zero.
    case covariateExplainsSeries
    /// Fewer detected (not censored) values than the censored test needs.
    case tooFewDetected(found: Int, needed: Int)
    /// More values below their detection limit than the test accepts.
    case tooManyCensored(censored: Int, of: Int, maximumShare: Double)
    /// No pair of values is ordered for certain (censored values hide every order).
    case noCertainComparison
    /// The Akritas–Theil–Sen slope has no finite bound on one side.
    case slopeUnbounded
    /// Fewer than two pairs of values at different times.
    case tooFewPairsAtDifferentTimes
    /// The monthly trend gate: too few calendar years with enough months of data.
    case tooFewYears(found: Int, needed: Int, monthsPerYear: Int)
    /// The arithmetic overflowed (values near the limits of a double): no finite result.
    case nonFiniteResult

    /// The corrections for serial correlation that need the autocorrelation of the detrended series.
    public enum SerialCorrection: String, Sendable, Hashable {
        case hamedRao = "Hamed–Rao"
        case yueWang = "Yue–Wang"
        case trendFreePreWhitening = "trend-free pre-whitening"
    }

    /// A stable snake_case code: the same for every series the reason applies to, whatever its numbers.
    public var code: String {
        switch self {
        case .tooFewValues: "too_few_values"
        case .allValuesEqual: "all_values_equal"
        case .noSeasonWithTwoValues: "no_season_with_two_values"
        case .varianceNotPositive: "variance_not_positive"
        case .correctedVarianceNotPositive: "corrected_variance_not_positive"
        case .autocorrelationUndefined: "autocorrelation_undefined"
        case .tooFewCompleteRows: "too_few_complete_rows"
        case .covariateExplainsSeries: "covariate_explains_series"
        case .tooFewDetected: "too_few_detected"
        case .tooManyCensored: "too_many_censored"
        case .noCertainComparison: "no_certain_comparison"
        case .slopeUnbounded: "slope_unbounded"
        case .tooFewPairsAtDifferentTimes: "too_few_pairs_at_different_times"
        case .tooFewYears: "too_few_years"
        case .nonFiniteResult: "non_finite_result"
        }
    }

    /// The reason in English, with the numbers that matter.
    public var english: String {
        switch self {
        case .tooFewValues(let found, let needed): "\(found) values; at least \(needed) are needed"
        case .allValuesEqual: "all values are equal"
        case .noSeasonWithTwoValues: "no season has two values: the series is shorter than two periods"
        case .varianceNotPositive: "Var(S) is zero: no pair of values is ordered"
        case .correctedVarianceNotPositive(let method, let factor):
            "the \(method.rawValue) correction for serial correlation gives a factor of \(Self.number(factor)) (≤ 0), "
                + "so the corrected Var(S) is not positive: the correction breaks down on this short, oscillating series; "
                + "use the original test"
        case .autocorrelationUndefined(let method):
            "the series less its Sen trend is constant, so its autocorrelation and the \(method.rawValue) correction "
                + "are undefined; use the original test"
        case .tooFewCompleteRows(let found, let columns):
            "\(found) complete rows of \(columns) columns; 2 rows, 2 columns and 4 values are needed"
        case .covariateExplainsSeries: "the covariate explains the series completely"
        case .tooFewDetected(let found, let needed): "\(found) detected values; at least \(needed) are needed"
        case .tooManyCensored(let censored, let total, let share):
            "\(censored) of \(total) values (\(Self.percent(Double(censored) / Double(max(1, total))))) are below a "
                + "detection limit; at most \(Self.percent(share)) for a trend"
        case .noCertainComparison: "no pair of values compares for certain"
        case .slopeUnbounded: "the slope is not bounded"
        case .tooFewPairsAtDifferentTimes: "fewer than two pairs of values at different times"
        case .tooFewYears(let found, let needed, let months):
            "\(found) year(s) with at least \(months) months of data; \(needed) needed"
        case .nonFiniteResult: "the values are too large for the arithmetic: no finite result"
        }
    }

    /// The reason in Chinese.
    public var chinese: String {
        switch self {
        case .tooFewValues(let found, let needed): "仅 \(found) 个数值，至少需要 \(needed) 个"
        case .allValuesEqual: "所有数值相同"
        case .noSeasonWithTwoValues: "没有任何季节有两个数值：序列短于两个周期"
        case .varianceNotPositive: "Var(S) 为零：没有可比较大小的数值对"
        case .correctedVarianceNotPositive(let method, let factor):
            "\(method.rawValue) 自相关修正系数为 \(Self.number(factor))（≤ 0），修正后的 Var(S) 不为正："
                + "该修正不适用于这一短而剧烈振荡的序列，请用原始检验"
        case .autocorrelationUndefined(let method):
            "去除 Sen 趋势后序列为常数，自相关及 \(method.rawValue) 修正无定义，请用原始检验"
        case .tooFewCompleteRows(let found, let columns): "完整的行仅 \(found) 行（共 \(columns) 列）；至少需要 2 行、2 列、4 个数值"
        case .covariateExplainsSeries: "协变量完全解释了该序列"
        case .tooFewDetected(let found, let needed): "检出值仅 \(found) 个，至少需要 \(needed) 个"
        case .tooManyCensored(let censored, let total, let share):
            "\(total) 个数值中 \(censored) 个低于检出限（\(Self.percent(Double(censored) / Double(max(1, total))))），"
                + "趋势评价要求不超过 \(Self.percent(share))"
        case .noCertainComparison: "没有能确定大小关系的数值对"
        case .slopeUnbounded: "斜率无界"
        case .tooFewPairsAtDifferentTimes: "不同时间的数值对少于两对"
        case .tooFewYears(let found, let needed, let months): "每年至少 \(months) 个月有数据的年份仅 \(found) 年，需 \(needed) 年"
        case .nonFiniteResult: "数值过大，无法得到有限的结果"
        }
    }

    /// A factor for a message: four significant digits, never NaN (a non-finite factor is named as such).
    private static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "not finite"
    }

    private static func percent(_ share: Double) -> String {
        String(format: "%.0f %%", share * 100)
    }
}
