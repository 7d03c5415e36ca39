import RiverModel

/// GB 3838-2002 Table 1 (basic items) for the parameters rivertrace measures, and single-factor classing.
///
/// Limits are "≤" except dissolved oxygen ("≥") and pH (6–9 for every class); a value exactly on a limit
/// belongs to the better class. Source: GB 3838-2002 表1 地表水环境质量标准基本项目标准限值
/// (`../shared/reference/standards.md`; docs/methods.md).
public enum GB3838 {
    /// Class I…V limits, mg/L, or nil when the parameter is not classed.
    public static func limits(_ parameter: Parameter, body: WaterBody = .river) -> [Double]? {
        switch parameter {
        case .dissolvedOxygen: [7.5, 6, 5, 3, 2]
        case .permanganateIndex: [2, 4, 6, 10, 15]
        case .chemicalOxygenDemand: [15, 15, 20, 30, 40]
        case .biochemicalOxygenDemand: [3, 3, 4, 6, 10]
        case .ammoniaNitrogen: [0.15, 0.5, 1.0, 1.5, 2.0]
        case .totalPhosphorus: body.isLakeOrReservoir ? [0.01, 0.025, 0.05, 0.1, 0.2] : [0.02, 0.1, 0.2, 0.3, 0.4]
        // The TN limits are for lakes and reservoirs only (GB 3838-2002 表1 注).
        case .totalNitrogen: body.isLakeOrReservoir ? [0.2, 0.5, 1.0, 1.5, 2.0] : nil
        default: nil
        }
    }

    /// The limit of one class (nil for pH, unclassed parameters and 劣V).
    public static func limit(_ parameter: Parameter, _ waterClass: WaterClass, body: WaterBody = .river) -> Double? {
        guard waterClass != .worseThanV, let limits = limits(parameter, body: body) else { return nil }
        return limits[waterClass.rawValue - 1]
    }

    /// The parameters that decide a river section's class under 地表水环境质量评价办法（试行）: Table 1 items
    /// except water temperature, total nitrogen and fecal coliform (of those rivertrace measures).
    public static let riverClassParameters: [Parameter] = [.pH, .dissolvedOxygen, .permanganateIndex,
                                                            .chemicalOxygenDemand, .biochemicalOxygenDemand,
                                                            .ammoniaNitrogen, .totalPhosphorus]

    /// The class of one value: the best class whose limit it meets; 劣V when it meets none.
    ///
    /// The value is first rounded as the method rounds it (``MethodRounding``: GB/T 8170 half to even at the parameter's
    /// decimals), so a single reading of NH3-N 1.004 is 1.00, Class III. Every class rivertrace prints comes from here.
    /// Returns nil for parameters the standard does not class (temperature, conductivity, …).
    public static func classify(_ parameter: Parameter, _ value: Double, body: WaterBody = .river) -> WaterClass? {
        let value = MethodRounding.round(value, for: parameter)
        if parameter == .pH { return (6...9).contains(value) ? .i : .worseThanV }
        guard let limits = limits(parameter, body: body) else { return nil }
        for (index, limit) in limits.enumerated() {
            let meets = parameter == .dissolvedOxygen ? value >= limit : value <= limit
            if meets { return WaterClass(rawValue: index + 1) }
        }
        return .worseThanV
    }

    /// Exceedance multiple (超标倍数) (C − S) / S against the `reference` class limit, C rounded as for the class, the
    /// multiple rounded half to even (``MethodRounding/exceedanceMultipleDecimals``); nil where the method gives none
    /// (DO, pH, unclassed) and when the value does not exceed.
    public static func exceedanceMultiple(_ parameter: Parameter, _ value: Double, against reference: WaterClass = .iii,
                                          body: WaterBody = .river) -> Double? {
        guard parameter != .dissolvedOxygen, parameter != .pH,
              let standard = limit(parameter, reference, body: body) else { return nil }
        return MethodRounding.exceedanceMultiple(MethodRounding.round(value, for: parameter), limit: standard)
    }

    /// Whether a value meets a target class (DO ≥, pH 6–9, others ≤).
    public static func meets(_ parameter: Parameter, _ value: Double, target: WaterClass, body: WaterBody = .river) -> Bool? {
        guard let found = classify(parameter, value, body: body) else { return nil }
        return found <= target
    }
}
