import RiverModel

/// How water quality changed between two periods (变化程度), in the words of 地表水环境质量评价办法（试行）
/// (环办〔2011〕22号, 水质变化趋势分析; `../shared/reference/standards.md`; docs/methods.md).
public enum QualityChange: String, Sendable, Codable, CaseIterable, Labelled {
    case clearlyBetter = "clearly_better"
    case slightlyBetter = "slightly_better"
    case noSignificantChange = "no_significant_change"
    case slightlyWorse = "slightly_worse"
    case clearlyWorse = "clearly_worse"

    public var code: String { rawValue }

    public var chinese: String {
        switch self {
        case .clearlyBetter: "明显好转"
        case .slightlyBetter: "有所好转"
        case .noSignificantChange: "无明显变化"
        case .slightlyWorse: "有所变差"
        case .clearlyWorse: "明显变差"
        }
    }

    public var english: String {
        switch self {
        case .clearlyBetter: "clearly better"
        case .slightlyBetter: "slightly better"
        case .noSignificantChange: "no significant change"
        case .slightlyWorse: "slightly worse"
        case .clearlyWorse: "clearly worse"
        }
    }

    /// By the description (水质状况) of the two periods: the same grade 无明显变化, one grade apart 有所好转/变差,
    /// two or more 明显好转/变差.
    public init(from before: QualityGrade, to now: QualityGrade) {
        let steps = QualityGrade.allCases.firstIndex(of: now)! - QualityGrade.allCases.firstIndex(of: before)!
        switch steps {
        case 0: self = .noSignificantChange
        case -1: self = .slightlyBetter
        case 1: self = .slightlyWorse
        case ..<(-1): self = .clearlyBetter
        default: self = .clearlyWorse
        }
    }

    /// By the shares of sections (组合类别比例法): ΔG = change of the I–III share, ΔD = change of the 劣V share, in
    /// percentage points; ΔG − ΔD > 0 better, < 0 worse; |ΔG − ΔD| ≤ 10 无明显变化, ≤ 20 有所好转/变差, above 明显.
    ///
    /// Shares are 0…1. The difference is rounded half to even to 0.1 percentage point first, as the shares are
    /// printed, so that 30 % − 20 % is exactly 10 and not 10.000000000000002.
    public init(shareGoodBefore: Double, shareWorseThanVBefore: Double, shareGoodNow: Double, shareWorseThanVNow: Double) {
        self.init(pointsDifference: Self.pointsDifference(shareGoodBefore: shareGoodBefore, shareWorseThanVBefore: shareWorseThanVBefore,
                                                          shareGoodNow: shareGoodNow, shareWorseThanVNow: shareWorseThanVNow))
    }

    /// From ΔG − ΔD in percentage points (see ``init(shareGoodBefore:shareWorseThanVBefore:shareGoodNow:shareWorseThanVNow:)``).
    public init(pointsDifference difference: Double) {
        let size = abs(difference)
        if size <= 10 {
            self = .noSignificantChange
        } else if size <= 20 {
            self = difference > 0 ? .slightlyBetter : .slightlyWorse
        } else {
            self = difference > 0 ? .clearlyBetter : .clearlyWorse
        }
    }

    /// ΔG − ΔD in percentage points, rounded half to even to 0.1.
    public static func pointsDifference(shareGoodBefore: Double, shareWorseThanVBefore: Double,
                                        shareGoodNow: Double, shareWorseThanVNow: Double) -> Double {
        let good = (shareGoodNow - shareGoodBefore) * 100
        let worse = (shareWorseThanVNow - shareWorseThanVBefore) * 100
        return MethodRounding.round(good - worse, decimals: 1)
    }
}
