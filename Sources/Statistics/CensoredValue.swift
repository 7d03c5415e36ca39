import Foundation

/// A value that may be left-censored: when `censored`, the true value lies somewhere below `value` (a detection
/// limit, or an upper bound such as a daily mean taken with its "<DL" readings at their limits).
public struct CensoredValue: Sendable, Equatable {
    public var value: Double
    public var censored: Bool

    public init(_ value: Double, censored: Bool = false) {
        self.value = value
        self.censored = censored
    }

    /// The median of values some of which are censored, itself censored unless the data fix it.
    ///
    /// The median is bounded above by the median with every censored value at its limit, and below by the median
    /// with every censored value lowered past all the others; when the two agree the median is that value, detected
    /// (`<0.05, 0.2, 0.3` → 0.2: whatever lies below 0.05 stays below the middle). Otherwise it is censored at the
    /// upper bound (`<0.05, <0.05, 0.3` → `<0.05`; `<0.05, 0.2` → `<0.125`), never a limit taken as a measurement.
    /// (An order statistic of left-censored data is known only where the censored values cannot reach it: Helsel
    /// 2012, *Statistics for Censored Environmental Data*.)
    /// - Returns: nil for no values.
    public static func median(_ values: [CensoredValue]) -> CensoredValue? {
        guard !values.isEmpty else { return nil }
        let upper = SensSlope.median(values.map(\.value))
        guard values.contains(where: \.censored) else { return CensoredValue(upper) }
        // Below every value, so that a censored value sorts first wherever it truly lies.
        let smallest = values.map(\.value).min()!
        let floor = smallest - 1 - abs(smallest)
        let lower = SensSlope.median(values.map { $0.censored ? floor : $0.value })
        return lower == upper ? CensoredValue(upper) : CensoredValue(upper, censored: true)
    }
}
