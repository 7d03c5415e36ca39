import Foundation
import RiverModel

/// One stored measurement as the evaluation sees it.
public struct Observation: Sendable, Equatable {
    public var time: Date
    public var value: Double?
    public var isCensored: Bool
    public var detectionLimit: Double?
    public var flag: String?

    public init(time: Date, value: Double?, isCensored: Bool = false, detectionLimit: Double? = nil, flag: String? = nil) {
        self.time = time
        self.value = value
        self.isCensored = isCensored
        self.detectionLimit = detectionLimit
        self.flag = flag
    }

    /// Valid for evaluation: no flag, or HJ 212 `N` (normal). Maintenance, calibration, faults… are kept but
    /// not used (HJ 212-2017 §6.6.4).
    public var isValid: Bool { flag == nil || flag == "N" }

    /// The value used in a period mean: the value, or half the detection limit for a censored value
    /// (地表水环境质量评价办法: 未检出按检出限的一半参与平均); nil when it cannot be used.
    public var valueForMean: Double? {
        guard isValid else { return nil }
        if isCensored { return detectionLimit.map { $0 / 2 } }
        return value
    }
}

/// A time range [start, end) with a label ("2026-10", "2026-Q3", "2026").
public struct EvaluationPeriod: Sendable, Codable, Equatable {
    public var label: String
    public var start: Date
    public var end: Date

    public init(label: String, start: Date, end: Date) {
        self.label = label
        self.start = start
        self.end = end
    }
}

/// The qualitative description of water quality (水质状况).
public enum QualityGrade: String, Sendable, Codable, CaseIterable {
    case excellent = "优"
    case good = "良好"
    case lightlyPolluted = "轻度污染"
    case moderatelyPolluted = "中度污染"
    case heavilyPolluted = "重度污染"

    /// English wording for reports.
    public var english: String {
        switch self {
        case .excellent: "excellent"
        case .good: "good"
        case .lightlyPolluted: "lightly polluted"
        case .moderatelyPolluted: "moderately polluted"
        case .heavilyPolluted: "heavily polluted"
        }
    }

    /// A section's description from its class: I–II 优, III 良好, IV 轻度, V 中度, 劣V 重度.
    public init(sectionClass: WaterClass) {
        switch sectionClass {
        case .i, .ii: self = .excellent
        case .iii: self = .good
        case .iv: self = .lightlyPolluted
        case .v: self = .moderatelyPolluted
        case .worseThanV: self = .heavilyPolluted
        }
    }

    /// A river's or district's grade from its share of sections in I–III and in 劣V (0…1), for 5 sections or
    /// more: ≥ 90 % I–III 优; 75–90 % 良好; below 75 %: 劣V < 20 % 轻度, 20–40 % 中度, ≥ 40 % 重度
    /// (地表水环境质量评价办法（试行）, 河流水质定性评价).
    public init(shareGood: Double, shareWorseThanV: Double) {
        if shareGood >= 0.9 {
            self = .excellent
        } else if shareGood >= 0.75 {
            self = .good
        } else if shareWorseThanV < 0.2 {
            self = .lightlyPolluted
        } else if shareWorseThanV < 0.4 {
            self = .moderatelyPolluted
        } else {
            self = .heavilyPolluted
        }
    }
}

/// One parameter's evaluation at one point over a period.
public struct ParameterResult: Sendable, Codable, Equatable {
    public var parameter: String
    /// Readings in the period, all flags.
    public var readings: Int
    /// Readings used in the mean (valid; censored ones with a detection limit).
    public var used: Int
    public var censored: Int
    /// Readings expected in the period at the series' interval (monthly for manual points).
    public var expected: Int
    /// used / expected, 0…1 (有效数据率).
    public var completeness: Double
    /// Enough valid data to evaluate (see ``Evaluator/minimumCompleteness``).
    public var sufficient: Bool
    public var mean: Double?
    /// The class of the mean (nil when the parameter is not classed or data are insufficient).
    public var waterClass: WaterClass?
    /// (mean − Class III limit) / Class III limit when the mean exceeds it (超标倍数, the national method).
    public var exceedanceMultiple: Double?
    /// The same against the point's target class.
    public var targetExceedanceMultiple: Double?
    /// A censored reading's detection limit lies above the target class limit: `<DL` cannot show compliance.
    public var detectionLimitAboveTarget: Bool

    public init(parameter: String, readings: Int, used: Int, censored: Int, expected: Int, completeness: Double, sufficient: Bool, mean: Double?, waterClass: WaterClass?, exceedanceMultiple: Double?, targetExceedanceMultiple: Double?, detectionLimitAboveTarget: Bool) {
        self.parameter = parameter
        self.readings = readings
        self.used = used
        self.censored = censored
        self.expected = expected
        self.completeness = completeness
        self.sufficient = sufficient
        self.mean = mean
        self.waterClass = waterClass
        self.exceedanceMultiple = exceedanceMultiple
        self.targetExceedanceMultiple = targetExceedanceMultiple
        self.detectionLimitAboveTarget = detectionLimitAboveTarget
    }

    enum CodingKeys: String, CodingKey {
        case parameter, readings, used, censored, expected, completeness, sufficient, mean
        case waterClass = "class"
        case exceedanceMultiple = "exceedance_multiple"
        case targetExceedanceMultiple = "target_exceedance_multiple"
        case detectionLimitAboveTarget = "detection_limit_above_target"
    }
}

/// A main pollutant of a section worse than Class III, written like 高锰酸盐指数(1.2).
public struct MainPollutant: Sendable, Codable, Equatable {
    public var parameter: String
    /// Against the Class III limit (national method); nil for DO and pH.
    public var exceedanceMultiple: Double?

    public init(parameter: String, exceedanceMultiple: Double?) {
        self.parameter = parameter
        self.exceedanceMultiple = exceedanceMultiple
    }

    enum CodingKeys: String, CodingKey {
        case parameter
        case exceedanceMultiple = "exceedance_multiple"
    }
}

/// A point's evaluation over a period.
public struct PointResult: Sendable, Codable, Equatable {
    public var pointID: String
    public var riverID: String
    public var targetClass: WaterClass?
    /// The worst class among the river class parameters with sufficient data; nil when none has.
    public var waterClass: WaterClass?
    public var grade: QualityGrade?
    public var meetsTarget: Bool?
    public var mainPollutants: [MainPollutant]
    /// The lowest completeness among the class parameters measured at the point.
    public var completeness: Double
    /// Class parameters left out for want of data.
    public var insufficient: [String]
    public var parameters: [ParameterResult]

    public init(pointID: String, riverID: String, targetClass: WaterClass?, waterClass: WaterClass?, grade: QualityGrade?, meetsTarget: Bool?, mainPollutants: [MainPollutant], completeness: Double, insufficient: [String], parameters: [ParameterResult]) {
        self.pointID = pointID
        self.riverID = riverID
        self.targetClass = targetClass
        self.waterClass = waterClass
        self.grade = grade
        self.meetsTarget = meetsTarget
        self.mainPollutants = mainPollutants
        self.completeness = completeness
        self.insufficient = insufficient
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case grade, completeness, insufficient, parameters
        case pointID = "point_id"
        case riverID = "river_id"
        case targetClass = "target_class"
        case waterClass = "class"
        case meetsTarget = "meets_target"
        case mainPollutants = "main_pollutants"
    }
}

/// A river's (or the district's) evaluation.
public struct GroupResult: Sendable, Codable, Equatable {
    /// The river's id; nil for the district.
    public var id: String?
    /// Sections with a class in the period.
    public var sections: Int
    public var shareGood: Double
    public var shareWorseThanV: Double
    public var grade: QualityGrade?
    /// `proportion` (5 sections or more) or `mean` (fewer: each parameter averaged over the sections).
    public var method: String
    /// The class of the averaged parameters (the `mean` method only).
    public var waterClass: WaterClass?
    /// For rivers: parameters ranked by the share of sections worse than Class III (断面超标率), top three.
    public var mainPollutants: [String]

    public init(id: String?, sections: Int, shareGood: Double, shareWorseThanV: Double, grade: QualityGrade?,
                method: String, waterClass: WaterClass?, mainPollutants: [String]) {
        self.id = id
        self.sections = sections
        self.shareGood = shareGood
        self.shareWorseThanV = shareWorseThanV
        self.grade = grade
        self.method = method
        self.waterClass = waterClass
        self.mainPollutants = mainPollutants
    }

    enum CodingKeys: String, CodingKey {
        case sections, grade, method
        case id = "river_id"
        case shareGood = "share_i_iii"
        case shareWorseThanV = "share_worse_than_v"
        case waterClass = "class"
        case mainPollutants = "main_pollutants"
    }
}

/// Evaluates points, rivers and the district over a period by GB 3838-2002 and 地表水环境质量评价办法（试行）.
public struct Evaluator: Sendable {
    public let network: Network
    public let period: EvaluationPeriod
    /// Completeness below which a parameter is "insufficient", not evaluated (automatic stations).
    public var minimumCompleteness: Double

    public init(network: Network, period: EvaluationPeriod, minimumCompleteness: Double = 0.75) {
        self.network = network
        self.period = period
        self.minimumCompleteness = minimumCompleteness
    }

    /// Evaluates one point from its observations in the period, per parameter.
    public func evaluate(point: MonitoringPoint, series: [Parameter: [Observation]]) -> PointResult {
        let target = network.targetClass(of: point)
        var results: [ParameterResult] = []
        for parameter in Parameter.allCases {
            guard let observations = series[parameter], !observations.isEmpty else { continue }
            results.append(evaluate(parameter, observations, kind: point.kind, target: target))
        }
        let classed = results.filter { result in
            GB3838.riverClassParameters.contains { $0.code == result.parameter }
        }
        let usable = classed.filter { $0.sufficient && $0.waterClass != nil }
        let worst = usable.compactMap(\.waterClass).max()
        var main: [MainPollutant] = []
        if let worst, worst > .iii {
            main = usable.filter { $0.waterClass! > .iii }
                .sorted { ($0.waterClass!, $0.exceedanceMultiple ?? 0) > ($1.waterClass!, $1.exceedanceMultiple ?? 0) }
                .prefix(3).map { MainPollutant(parameter: $0.parameter, exceedanceMultiple: $0.exceedanceMultiple) }
        }
        return PointResult(pointID: point.id, riverID: point.riverID, targetClass: target, waterClass: worst,
                           grade: worst.map(QualityGrade.init(sectionClass:)),
                           meetsTarget: worst.flatMap { found in target.map { found <= $0 } },
                           mainPollutants: main, completeness: classed.map(\.completeness).min() ?? 0,
                           insufficient: classed.filter { !$0.sufficient }.map(\.parameter), parameters: results)
    }

    func evaluate(_ parameter: Parameter, _ observations: [Observation], kind: PointKind, target: WaterClass?) -> ParameterResult {
        let inPeriod = observations.filter { $0.time >= period.start && $0.time < period.end }
        // Physically impossible readings are faults (reported in `faults[]`), not water quality.
        let values = inPeriod.compactMap(\.valueForMean).filter { PhysicalBounds.violation(parameter, $0) == nil }
        let expected = Self.expectedCount(inPeriod.map(\.time), period: period, kind: kind)
        let completeness = expected == 0 ? 0 : min(1, Double(values.count) / Double(expected))
        // Manual sampling: one valid sample in the period is the programme; stations need the share.
        let sufficient = kind == .manual ? !values.isEmpty : (!values.isEmpty && completeness >= minimumCompleteness)
        let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        let waterClass = sufficient ? mean.flatMap { GB3838.classify(parameter, $0) } : nil
        let targetLimit = target.flatMap { GB3838.limit(parameter, $0) }
        let dlAbove = parameter != .dissolvedOxygen && inPeriod.contains { observation in
            observation.isCensored && observation.detectionLimit.map { limit in targetLimit.map { limit > $0 } ?? false } ?? false
        }
        return ParameterResult(parameter: parameter.code, readings: inPeriod.count, used: values.count,
                               censored: inPeriod.filter(\.isCensored).count, expected: expected,
                               completeness: completeness, sufficient: sufficient, mean: mean, waterClass: waterClass,
                               exceedanceMultiple: sufficient ? mean.flatMap { GB3838.exceedanceMultiple(parameter, $0) } : nil,
                               targetExceedanceMultiple: sufficient ? mean.flatMap { value in
                                   target.flatMap { GB3838.exceedanceMultiple(parameter, value, against: $0) } } : nil,
                               detectionLimitAboveTarget: dlAbove)
    }

    /// Readings expected in the period: at the series' most common interval for stations, one a month for
    /// manual points.
    static func expectedCount(_ times: [Date], period: EvaluationPeriod, kind: PointKind) -> Int {
        let seconds = period.end.timeIntervalSince(period.start)
        if kind == .manual { return max(1, Int((seconds / (30.4375 * 86_400)).rounded())) }
        let sorted = times.sorted()
        var gaps: [Int: Int] = [:]
        for (a, b) in zip(sorted, sorted.dropFirst()) where b > a { gaps[Int(b.timeIntervalSince(a)), default: 0] += 1 }
        let interval = gaps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 3_600
        return max(1, Int(seconds) / max(interval, 60))
    }

    /// A river's or the district's evaluation from its points' results.
    /// - Parameter id: the river's id, nil for the district.
    public func evaluateGroup(id: String?, points: [PointResult]) -> GroupResult {
        let classed = points.filter { $0.waterClass != nil }
        let count = classed.count
        let good = classed.filter { $0.waterClass! <= .iii }.count
        let worse = classed.filter { $0.waterClass! == .worseThanV }.count
        let shareGood = count == 0 ? 0 : Double(good) / Double(count)
        let shareWorse = count == 0 ? 0 : Double(worse) / Double(count)
        // By the share of sections worse than III; on a tie, by the mean exceedance multiple over those sections
        // (as a section's own ties are broken; DO and pH have none, so a measured excess ranks first).
        var ranking: [(code: String, share: Double, multiple: Double)] = []
        for parameter in GB3838.riverClassParameters where count > 0 {
            let exceeding = classed.compactMap { point in
                point.parameters.first { $0.parameter == parameter.code && ($0.waterClass ?? .i) > .iii }
            }
            guard !exceeding.isEmpty else { continue }
            let multiple = exceeding.map { $0.exceedanceMultiple ?? 0 }.reduce(0, +) / Double(exceeding.count)
            ranking.append((parameter.code, Double(exceeding.count) / Double(count), multiple))
        }
        let main = ranking.sorted { ($0.share, $0.multiple) > ($1.share, $1.multiple) }.prefix(3).map(\.code)
        guard count > 0 else {
            return GroupResult(id: id, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil, method: "none",
                               waterClass: nil, mainPollutants: [])
        }
        if count >= 5 {
            return GroupResult(id: id, sections: count, shareGood: shareGood, shareWorseThanV: shareWorse,
                               grade: QualityGrade(shareGood: shareGood, shareWorseThanV: shareWorse),
                               method: "proportion", waterClass: nil, mainPollutants: main)
        }
        // Fewer than 5 sections: average each parameter over the sections, then single-factor class.
        var worst: WaterClass?
        for parameter in GB3838.riverClassParameters {
            let means = classed.compactMap { point in
                point.parameters.first { $0.parameter == parameter.code && $0.sufficient }?.mean
            }
            guard !means.isEmpty, let found = GB3838.classify(parameter, means.reduce(0, +) / Double(means.count)) else {
                continue
            }
            worst = max(worst ?? found, found)
        }
        return GroupResult(id: id, sections: count, shareGood: shareGood, shareWorseThanV: shareWorse,
                           grade: worst.map(QualityGrade.init(sectionClass:)), method: "mean", waterClass: worst,
                           mainPollutants: main)
    }
}
