import Foundation
import RiverModel

/// 数值修约: the values the evaluation compares with limits, computed without binary error and rounded the way the
/// method says.
///
/// - Decimals for evaluation: 《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号), 评价数据修约
///   (docs/methods.md lists them with their sources).
/// - Rounding: GB/T 8170-2008 §3 — 四舍六入五成双 (round half to even) on the decimal value.
/// - Means: the exact arithmetic mean of the readings' decimal values (each reading taken as the shortest decimal that
///   reads back as the same double, i.e. as written in the file), rounded once; pH by hydrogen-ion concentration.
public enum MethodRounding {
    /// Decimals kept for evaluation (nil: the method gives none; the value is compared unrounded).
    public static func decimals(_ parameter: Parameter) -> Int? {
        switch parameter {
        case .temperature: 1
        case .pH: 0
        case .dissolvedOxygen: 1
        case .permanganateIndex: 1
        case .chemicalOxygenDemand: 1
        case .biochemicalOxygenDemand: 1
        case .ammoniaNitrogen: 2
        case .totalPhosphorus: 3
        case .totalNitrogen: 2
        case .conductivity: 1
        case .turbidity: 1
        case .chlorophyllA: 3
        case .redoxPotential, .transparency: nil
        }
    }

    /// Decimals of an exceedance multiple (超标倍数): the method's example writes one (高锰酸盐指数(1.2)); rivertrace
    /// keeps two, so that an excess of a few percent does not read 0.0.
    public static let exceedanceMultipleDecimals = 2

    /// `value` rounded half to even at `parameter`'s decimals; unchanged when the method gives none.
    public static func round(_ value: Double, for parameter: Parameter) -> Double {
        guard let places = decimals(parameter) else { return value }
        return round(value, decimals: places)
    }

    /// `value`, read as its shortest decimal, rounded half to even at `decimals` places (GB/T 8170).
    public static func round(_ value: Double, decimals places: Int) -> Double {
        guard value.isFinite, let exact = ExactDecimal(value) else { return value }
        return ExactDecimal.roundedQuotient(exact.scaled, by: 1, decimals: places)
    }

    /// The period value of `values` (valid readings, censored ones already at half their limit): the exact mean, rounded
    /// for evaluation. pH is averaged as hydrogen-ion concentration (10^−pH) and turned back into pH.
    /// Returns nil for no values.
    public static func periodMean(_ values: [Double], for parameter: Parameter) -> Double? {
        guard !values.isEmpty else { return nil }
        if parameter == .pH {
            let hydrogen = values.reduce(0) { $0 + pow(10, -$1) } / Double(values.count)
            // Logarithms carry error in the last bits: cleared at 10 places before the method's rounding, so a mean of
            // pH 8.5 readings is 8.5, a midpoint, not 8.499999999999998.
            let mean = round(-log10(hydrogen), decimals: 10)
            return round(mean, for: parameter)
        }
        var sum: Int128 = 0
        for value in values {
            guard let exact = ExactDecimal(value) else { return nil }
            sum += exact.scaled
        }
        guard let places = decimals(parameter) else {
            return ExactDecimal.quotient(sum, by: Int128(values.count))
        }
        return ExactDecimal.roundedQuotient(sum, by: Int128(values.count), decimals: places)
    }

    /// The exceedance multiple (C − S) / S of an evaluated value against a limit, rounded half to even; nil when C ≤ S.
    public static func exceedanceMultiple(_ value: Double, limit: Double) -> Double? {
        guard value > limit, limit > 0, let c = ExactDecimal(value), let s = ExactDecimal(limit) else { return nil }
        return ExactDecimal.roundedQuotient((c.scaled - s.scaled) * ExactDecimal.unit, by: s.scaled,
                                            decimals: exceedanceMultipleDecimals)
    }
}

/// A double taken as a decimal with at most ``places`` places, held as an integer count of 10^−places.
struct ExactDecimal {
    /// The places kept: beyond any method's precision, and small enough that sums of millions of readings fit in 128 bits.
    static let places = 12
    static let unit: Int128 = 1_000_000_000_000
    private static let powers: [Double] = (0...places).map { pow(10, Double($0)) }

    /// The value × 10^places.
    var scaled: Int128

    /// The shortest decimal (of at most 12 places) that reads back as `value`; longer ones (results of unit
    /// conversions) are taken at 12 places. Nil for values too large to hold (beyond 10^20).
    init?(_ value: Double) {
        guard value.isFinite, abs(value) < 1e20 else { return nil }
        for k in 0...Self.places {
            let shifted = (value * Self.powers[k]).rounded()
            if shifted / Self.powers[k] == value, abs(shifted) < 9e15 {
                scaled = Int128(shifted) * Self.tenTo(Self.places - k)
                return
            }
        }
        // No short form: the nearest count of 10^-12 (exact enough for any evaluation's rounding).
        let whole = value.rounded(.towardZero)
        let fraction = ((value - whole) * Self.powers[Self.places]).rounded()
        scaled = Int128(whole) * Self.unit + Int128(fraction)
    }

    static func tenTo(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// numerator / (denominator × 10^places) as the nearest double.
    static func quotient(_ numerator: Int128, by denominator: Int128) -> Double {
        let whole = numerator / (denominator * unit)
        let rest = numerator - whole * denominator * unit
        return Double(whole) + Double(rest) / (Double(denominator) * Double(unit))
    }

    /// numerator / (denominator × 10^places), rounded half to even at `decimals` places, as the double nearest to
    /// that decimal (the same double as the decimal written as a literal, so it compares with limits as written).
    static func roundedQuotient(_ numerator: Int128, by denominator: Int128, decimals: Int) -> Double {
        let negative = (numerator < 0) != (denominator < 0)
        let n = numerator.magnitude * UInt128(tenTo(decimals))
        let d = denominator.magnitude * UInt128(unit)
        var q = n / d
        let r = n - q * d
        if r * 2 > d || (r * 2 == d && q % 2 == 1) { q += 1 }
        let value = Double(q) / pow(10, Double(decimals))
        return negative && q != 0 ? -value : value
    }
}
