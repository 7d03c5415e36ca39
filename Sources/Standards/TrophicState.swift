import Foundation
import RiverModel

/// The trophic state of a lake or reservoir: 综合营养状态指数 TLI(Σ) and its grade.
///
/// Source: 《地表水环境质量评价办法（试行）》(环办〔2011〕22号) 附 湖泊（水库）营养状态评价方法 (中国环境监测总站):
/// TLI(Σ) = Σ W_j · TLI(j), W_j = r_ij² / Σ r_ij² with the correlations r of each parameter with chlorophyll a
/// (chl-a 1, TP 0.84, TN 0.82, SD −0.83, CODMn 0.83), over the parameters measured (the weights renormalised);
/// TLI(chl-a) = 10 (2.5 + 1.086 ln chl-a), TLI(TP) = 10 (9.436 + 1.624 ln TP), TLI(TN) = 10 (5.453 + 1.694 ln TN),
/// TLI(SD) = 10 (5.118 − 1.94 ln SD), TLI(CODMn) = 10 (0.109 + 2.661 ln CODMn); chl-a in mg/m³ (µg/L), SD in m,
/// the others in mg/L. Grades: < 30 贫营养, 30–50 中营养, 50–60 轻度富营养, 60–70 中度富营养, > 70 重度富营养.
public struct TrophicState: Sendable, Codable, Equatable {
    /// TLI(Σ), rounded to one decimal.
    public var index: Double
    public var grade: TrophicGrade
    /// The parameters it was computed from (chl-a always among them).
    public var parameters: [Parameter]

    enum CodingKeys: String, CodingKey {
        case index = "tli", grade, parameters
    }

    /// The correlation of each parameter with chlorophyll a in the method.
    static let correlations: [Parameter: Double] = [.chlorophyllA: 1, .totalPhosphorus: 0.84, .totalNitrogen: 0.82,
                                                    .transparency: -0.83, .permanganateIndex: 0.83]

    /// The trophic state from the period values of a lake's or reservoir's parameters, in rivertrace's canonical units
    /// (chl-a mg/L, transparency cm). Nil without chlorophyll a (every weight is relative to it) or with a value ≤ 0.
    public init?(periodValues: [Parameter: Double]) {
        guard let chla = periodValues[.chlorophyllA] else { return nil }
        var weighted = 0.0
        var weights = 0.0
        var used: [Parameter] = []
        for parameter in [Parameter.chlorophyllA, .totalPhosphorus, .totalNitrogen, .transparency, .permanganateIndex] {
            guard let value = periodValues[parameter], let single = Self.single(parameter, value),
                  let r = Self.correlations[parameter] else {
                if parameter == .chlorophyllA { return nil }
                continue
            }
            weighted += r * r * single
            weights += r * r
            used.append(parameter)
        }
        guard chla > 0, weights > 0 else { return nil }
        let tli = weighted / weights
        guard tli.isFinite else { return nil }
        index = MethodRounding.round(tli, decimals: 1)
        grade = TrophicGrade(index: index)
        parameters = used
    }

    /// TLI(j) of one parameter, from its canonical-unit value; nil for a value ≤ 0 (no logarithm).
    static func single(_ parameter: Parameter, _ value: Double) -> Double? {
        guard value > 0 else { return nil }
        switch parameter {
        case .chlorophyllA: return 10 * (2.5 + 1.086 * log(value * 1_000))  // mg/L → mg/m³
        case .totalPhosphorus: return 10 * (9.436 + 1.624 * log(value))
        case .totalNitrogen: return 10 * (5.453 + 1.694 * log(value))
        case .transparency: return 10 * (5.118 - 1.94 * log(value / 100))  // cm → m
        case .permanganateIndex: return 10 * (0.109 + 2.661 * log(value))
        default: return nil
        }
    }
}

/// 营养状态分级 of TLI(Σ).
public enum TrophicGrade: String, Sendable, Codable, CaseIterable {
    case oligotrophic = "贫营养"
    case mesotrophic = "中营养"
    case lightlyEutrophic = "轻度富营养"
    case moderatelyEutrophic = "中度富营养"
    case heavilyEutrophic = "重度富营养"

    /// < 30 贫营养; 30 ≤ TLI ≤ 50 中营养; 50 < TLI ≤ 60 轻度富营养; 60 < TLI ≤ 70 中度富营养; > 70 重度富营养.
    public init(index: Double) {
        switch index {
        case ..<30: self = .oligotrophic
        case ...50: self = .mesotrophic
        case ...60: self = .lightlyEutrophic
        case ...70: self = .moderatelyEutrophic
        default: self = .heavilyEutrophic
        }
    }

    /// English wording for reports.
    public var english: String {
        switch self {
        case .oligotrophic: "oligotrophic"
        case .mesotrophic: "mesotrophic"
        case .lightlyEutrophic: "lightly eutrophic"
        case .moderatelyEutrophic: "moderately eutrophic"
        case .heavilyEutrophic: "heavily eutrophic"
        }
    }
}
