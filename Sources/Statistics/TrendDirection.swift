/// The outcome of a trend test at its significance level, with the codes pyMannKendall prints.
public enum TrendDirection: String, Sendable, Codable, CaseIterable {
    case increasing
    case decreasing
    /// Not significant at the test's level.
    case noTrend = "no trend"

    /// The outcome of a two-sided test: significant or not, and the sign of its statistic.
    public init(significant: Bool, statistic: Double) {
        self = !significant ? .noTrend : statistic < 0 ? .decreasing : .increasing
    }

    /// True for a significant trend either way.
    public var isSignificant: Bool { self != .noTrend }
}
