import Foundation
import RiverModel

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
    public var parameter: Parameter
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
    /// The period value as the method evaluates it: the exact mean of the valid readings (pH by hydrogen-ion
    /// concentration), rounded half to even at the parameter's decimals (``MethodRounding``).
    public var mean: Double?
    /// The class of the mean (nil when the parameter is not classed or data are insufficient). TN is classed for lakes
    /// and reservoirs only, and reported apart: it never decides a section's class.
    public var waterClass: WaterClass?
    /// (mean − Class III limit) / Class III limit when the mean exceeds it (超标倍数, the national method).
    public var exceedanceMultiple: Double?
    /// The same against the point's target class.
    public var targetExceedanceMultiple: Double?
    /// A censored reading's detection limit lies above the target class limit: `<DL` cannot show compliance.
    public var detectionLimitAboveTarget: Bool
    /// The lowest and highest valid, detected reading of the period (censored readings left out: `censored` counts
    /// them); nil when there is none. The reading as stored, not rounded.
    public var minimum: Double?
    public var maximum: Double?
    /// The series' most common interval between readings, seconds, as the data show it (the interval the expected
    /// count is made from at stations); nil with fewer than two readings at distinct times.
    public var intervalSeconds: Int?

    public init(parameter: Parameter, readings: Int, used: Int, censored: Int, expected: Int, completeness: Double, sufficient: Bool, mean: Double?, waterClass: WaterClass?, exceedanceMultiple: Double?, targetExceedanceMultiple: Double?, detectionLimitAboveTarget: Bool) {
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
        case minimum = "min"
        case maximum = "max"
        case intervalSeconds = "interval_seconds"
    }
}

/// A main pollutant of a section worse than Class III, written like 高锰酸盐指数(1.2).
public struct MainPollutant: Sendable, Codable, Equatable {
    public var parameter: Parameter
    /// Against the Class III limit (national method); nil for DO and pH.
    public var exceedanceMultiple: Double?

    public init(parameter: Parameter, exceedanceMultiple: Double?) {
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
    public var insufficient: [Parameter]
    public var parameters: [ParameterResult]
    /// `river`, `lake` or `reservoir`: the limits it was evaluated by.
    public var waterBody: WaterBody = .river
    /// For a lake or reservoir with chlorophyll a: 综合营养状态指数 and its grade.
    public var trophicState: TrophicState?

    public init(pointID: String, riverID: String, targetClass: WaterClass?, waterClass: WaterClass?, grade: QualityGrade?, meetsTarget: Bool?, mainPollutants: [MainPollutant], completeness: Double, insufficient: [Parameter], parameters: [ParameterResult]) {
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
        case waterBody = "water_body"
        case trophicState = "trophic_state"
    }
}

/// How a river's or the district's grade was found (地表水环境质量评价办法 二(二)).
public enum GroupMethod: String, Sendable, Codable {
    /// Five sections or more: the shares of sections by class.
    case proportion
    /// Fewer: each parameter averaged over the sections, evaluated as one section.
    case mean
    /// No section has a class.
    case none
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
    public var method: GroupMethod
    /// The class of the averaged parameters (the `mean` method only).
    public var waterClass: WaterClass?
    /// Main pollutants: from 5 sections on, ranked by the share of sections worse than Class III (断面超标率); with
    /// fewer, those of the averaged section (the section method). Top three.
    public var mainPollutants: [Parameter]
    /// For a lake or reservoir (all its sections): the trophic state of its averaged values.
    public var trophicState: TrophicState?

    public init(id: String?, sections: Int, shareGood: Double, shareWorseThanV: Double, grade: QualityGrade?,
                method: GroupMethod, waterClass: WaterClass?, mainPollutants: [Parameter]) {
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
        case trophicState = "trophic_state"
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

    /// Evaluates one point from its observations in the period, per parameter, by the limits of its river's water body.
    public func evaluate(point: MonitoringPoint, series: [Parameter: [Observation]]) -> PointResult {
        let target = network.targetClass(of: point)
        let body = network.river(point.riverID)?.waterBody ?? .river
        var results: [ParameterResult] = []
        for parameter in Parameter.allCases {
            guard let observations = series[parameter], !observations.isEmpty else { continue }
            results.append(evaluate(parameter, observations, kind: point.kind, target: target, body: body))
        }
        let classed = results.filter { result in
            GB3838.riverClassParameters.contains(result.parameter)
        }
        let usable = classed.filter { $0.sufficient && $0.waterClass != nil }
        let worst = usable.compactMap(\.waterClass).max()
        let main = Self.mainPollutants(usable)
        var result = PointResult(pointID: point.id, riverID: point.riverID, targetClass: target, waterClass: worst,
                                 grade: worst.map(QualityGrade.init(sectionClass:)),
                                 meetsTarget: worst.flatMap { found in target.map { found <= $0 } },
                                 mainPollutants: main, completeness: classed.map(\.completeness).min() ?? 0,
                                 insufficient: classed.filter { !$0.sufficient }.map(\.parameter), parameters: results)
        result.waterBody = body
        if body.isLakeOrReservoir {
            result.trophicState = TrophicState(periodValues: Self.periodValues(results))
        }
        return result
    }

    /// The period values of the parameters with sufficient data.
    static func periodValues(_ results: [ParameterResult]) -> [Parameter: Double] {
        Dictionary(results.compactMap { result in
            guard result.sufficient, let mean = result.mean else { return nil }
            return (result.parameter, mean)
        }, uniquingKeysWith: { first, _ in first })
    }

    func evaluate(_ parameter: Parameter, _ observations: [Observation], kind: PointKind, target: WaterClass?,
                  body: WaterBody = .river) -> ParameterResult {
        let inPeriod = observations.filter { $0.time >= period.start && $0.time < period.end }
        // Physically impossible readings are faults (reported in `faults[]`), not water quality.
        let values = inPeriod.compactMap { $0.valueForMean(of: parameter) }
        let expected = Self.expectedCount(inPeriod.map(\.time), period: period, kind: kind)
        let completeness = expected == 0 ? 0 : min(1, Double(values.count) / Double(expected))
        // Manual sampling: one valid sample in the period is the programme; stations need the share.
        let sufficient = kind == .manual ? !values.isEmpty : (!values.isEmpty && completeness >= minimumCompleteness)
        let mean = MethodRounding.periodMean(values, for: parameter)
        let waterClass = sufficient ? mean.flatMap { GB3838.classify(parameter, $0, body: body) } : nil
        let targetLimit = target.flatMap { GB3838.limit(parameter, $0, body: body) }
        let dlAbove = parameter != .dissolvedOxygen && inPeriod.contains { observation in
            observation.isCensored && observation.detectionLimit.map { limit in targetLimit.map { limit > $0 } ?? false } ?? false
        }
        let detected = inPeriod.compactMap { $0.isCensored ? nil : $0.waterValue(of: parameter) }
        var result = ParameterResult(parameter: parameter, readings: inPeriod.count, used: values.count,
                               censored: inPeriod.filter(\.isCensored).count, expected: expected,
                               completeness: completeness, sufficient: sufficient, mean: mean, waterClass: waterClass,
                               exceedanceMultiple: sufficient ? mean.flatMap { GB3838.exceedanceMultiple(parameter, $0, body: body) } : nil,
                               targetExceedanceMultiple: sufficient ? mean.flatMap { value in
                                   target.flatMap { GB3838.exceedanceMultiple(parameter, value, against: $0, body: body) } } : nil,
                               detectionLimitAboveTarget: dlAbove)
        result.minimum = detected.min()
        result.maximum = detected.max()
        result.intervalSeconds = Self.modalInterval(inPeriod.map(\.time))
        return result
    }

    /// The most common gap between consecutive distinct times, seconds (the shorter on a tie); nil without a gap.
    static func modalInterval(_ times: [Date]) -> Int? {
        let sorted = times.sorted()
        var gaps: [Int: Int] = [:]
        for (a, b) in zip(sorted, sorted.dropFirst()) where b > a { gaps[Int(b.timeIntervalSince(a)), default: 0] += 1 }
        return gaps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }

    /// Readings expected in the period: at the series' most common interval for stations, one a month for
    /// manual points.
    static func expectedCount(_ times: [Date], period: EvaluationPeriod, kind: PointKind) -> Int {
        let seconds = period.end.timeIntervalSince(period.start)
        if kind == .manual { return max(1, Int((seconds / (30.4375 * 86_400)).rounded())) }
        let interval = modalInterval(times) ?? 3_600
        return max(1, Int(seconds) / max(interval, 60))
    }

    /// A river's or the district's evaluation from its points' results (地表水环境质量评价办法（试行） 二(二)).
    ///
    /// Five sections or more (含5个): the shares of sections by class decide the grade, and the main pollutants are the
    /// parameters with the highest share of sections worse than III (断面超标率). Fewer: each class parameter's period
    /// values are averaged over the sections and that mean is evaluated as one section — class, grade and main
    /// pollutants by the section method.
    /// - Parameter id: the river's id, nil for the district.
    public func evaluateGroup(id: String?, points: [PointResult]) -> GroupResult {
        let classed = points.filter { $0.waterClass != nil }
        let count = classed.count
        guard count > 0 else {
            return GroupResult(id: id, sections: 0, shareGood: 0, shareWorseThanV: 0, grade: nil, method: .none,
                               waterClass: nil, mainPollutants: [])
        }
        let good = classed.filter { $0.waterClass! <= .iii }.count
        let worse = classed.filter { $0.waterClass! == .worseThanV }.count
        let shareGood = Double(good) / Double(count)
        let shareWorse = Double(worse) / Double(count)
        let bodies = Set(classed.map(\.waterBody))
        let body = bodies.count == 1 ? bodies.first! : .river
        if count >= 5 {
            var group = GroupResult(id: id, sections: count, shareGood: shareGood, shareWorseThanV: shareWorse,
                                    grade: QualityGrade(shareGood: shareGood, shareWorseThanV: shareWorse),
                                    method: .proportion, waterClass: nil,
                                    mainPollutants: Self.mainPollutantsByShare(classed))
            if body.isLakeOrReservoir { group.trophicState = TrophicState(periodValues: Self.averagedValues(classed)) }
            return group
        }
        // Fewer than 5 sections: the mean of each parameter's period values over the sections, evaluated as a section.
        let averaged = Self.averagedValues(classed)
        var results: [ParameterResult] = []
        for parameter in GB3838.riverClassParameters {
            guard let mean = averaged[parameter], let found = GB3838.classify(parameter, mean, body: body) else { continue }
            results.append(ParameterResult(parameter: parameter, readings: 0, used: 0, censored: 0, expected: 0,
                                           completeness: 1, sufficient: true, mean: mean, waterClass: found,
                                           exceedanceMultiple: GB3838.exceedanceMultiple(parameter, mean, body: body),
                                           targetExceedanceMultiple: nil, detectionLimitAboveTarget: false))
        }
        let worst = results.compactMap(\.waterClass).max()
        var group = GroupResult(id: id, sections: count, shareGood: shareGood, shareWorseThanV: shareWorse,
                                grade: worst.map(QualityGrade.init(sectionClass:)), method: .mean, waterClass: worst,
                                mainPollutants: Self.mainPollutants(results).map(\.parameter))
        if body.isLakeOrReservoir { group.trophicState = TrophicState(periodValues: averaged) }
        return group
    }

    /// A section's main pollutants (主要污染指标): none unless worse than III; then the parameters worse than III, worst
    /// class first, ties by the larger exceedance multiple (none for DO and pH: they come after), at most three.
    static func mainPollutants(_ results: [ParameterResult]) -> [MainPollutant] {
        let classed = results.filter { result in
            result.sufficient && GB3838.riverClassParameters.contains(result.parameter)
        }
        guard let worst = classed.compactMap(\.waterClass).max(), worst > .iii else { return [] }
        return classed.filter { ($0.waterClass ?? .i) > .iii }
            .sorted { ($0.waterClass!, $0.exceedanceMultiple ?? -1) > ($1.waterClass!, $1.exceedanceMultiple ?? -1) }
            .prefix(3).map { MainPollutant(parameter: $0.parameter, exceedanceMultiple: $0.exceedanceMultiple) }
    }

    /// A river's main pollutants from five sections on: the parameters ranked by the share of sections worse than III
    /// (断面超标率), ties by the mean exceedance multiple over those sections (DO and pH, without one, last), top three.
    static func mainPollutantsByShare(_ classed: [PointResult]) -> [Parameter] {
        var ranking: [(parameter: Parameter, share: Double, multiple: Double)] = []
        for parameter in GB3838.riverClassParameters {
            let exceeding = classed.compactMap { point in
                point.parameters.first { $0.parameter == parameter && ($0.waterClass ?? .i) > .iii }
            }
            guard !exceeding.isEmpty else { continue }
            let multiples = exceeding.compactMap(\.exceedanceMultiple)
            let multiple = multiples.isEmpty ? -1 : multiples.reduce(0, +) / Double(multiples.count)
            ranking.append((parameter, Double(exceeding.count) / Double(classed.count), multiple))
        }
        return ranking.sorted { ($0.share, $0.multiple) > ($1.share, $1.multiple) }.prefix(3).map(\.parameter)
    }

    /// Each parameter's period value averaged over the sections that have one (exact mean, rounded as the method says).
    static func averagedValues(_ points: [PointResult]) -> [Parameter: Double] {
        var averaged: [Parameter: Double] = [:]
        for parameter in Parameter.allCases {
            let means = points.compactMap { point in
                point.parameters.first { $0.parameter == parameter && $0.sufficient }?.mean
            }
            averaged[parameter] = MethodRounding.periodMean(means, for: parameter)
        }
        return averaged
    }
}
