/// Words the analysis and the reports share, each with a stable code (files, JSON, the store) and its Chinese and
/// English labels: reports translate by case, never by matching text.
public protocol Labelled {
    /// The stable code written in files and JSON.
    var code: String { get }
    /// The label in Chinese reports.
    var chinese: String { get }
    /// The label in English reports.
    var english: String { get }
}

/// Which way a parameter moved off its baseline.
public enum Direction: String, Sendable, Codable, CaseIterable, Labelled {
    case rose
    case fell

    /// The direction of a signed change (+1 rose, −1 fell; 0 counts as rose).
    public init(sign: some BinaryInteger) {
        self = sign < 0 ? .fell : .rose
    }

    /// The direction of a signed change.
    public init(sign: Double) {
        self = sign < 0 ? .fell : .rose
    }

    /// +1 for rose, −1 for fell.
    public var sign: Double { self == .rose ? 1 : -1 }

    public var code: String { rawValue }
    public var chinese: String { self == .rose ? "升高" : "降低" }
    public var english: String { rawValue }
}

/// Which way pollution moves a parameter: what counts as worse.
public enum PollutionEffect: Sendable {
    /// Effluent adds: concentrations, conductivity, turbidity, chlorophyll.
    case raises
    /// Effluent takes away: dissolved oxygen, transparency, redox potential.
    case lowers
    /// Either way: pH (acids and alkalis), water temperature.
    case either
}

extension Parameter {
    /// Which way pollution moves this parameter (GB 3838-2002: "≥" for DO only; black-odorous water: low
    /// transparency, DO and ORP). The one place the analysis, the trace-back and the reports learn it from.
    public var pollutionEffect: PollutionEffect {
        switch self {
        case .dissolvedOxygen, .transparency, .redoxPotential: .lowers
        case .pH, .temperature: .either
        case .permanganateIndex, .chemicalOxygenDemand, .biochemicalOxygenDemand, .ammoniaNitrogen, .totalPhosphorus,
             .totalNitrogen, .conductivity, .turbidity, .chlorophyllA: .raises
        }
    }

    /// Whether a move in `direction` is the way pollution moves this parameter (always, for pH and temperature).
    public func isPollutionLike(_ direction: Direction) -> Bool {
        switch pollutionEffect {
        case .raises: direction == .rose
        case .lowers: direction == .fell
        case .either: true
        }
    }
}

/// The kinds of sensor fault the analysis finds (`analyze --json` `faults[].kind`).
public enum FaultKind: String, Sendable, Codable, CaseIterable, Labelled {
    case impossibleValue = "impossible_value"
    case flatLine = "flat_line"
    case spike
    case dropout
    case drift
    case clockOffset = "clock_offset"
    case rateOfChange = "rate_of_change"
    /// One analyser read a fixed share off from one reading on, for a day or more (a trace's `suspected_fault` only).
    case calibrationStep = "calibration_step"

    public var code: String { rawValue }

    public var chinese: String {
        switch self {
        case .impossibleValue: "不可能值"
        case .flatLine: "卡值"
        case .spike: "跳变"
        case .dropout: "断数"
        case .drift: "漂移"
        case .clockOffset: "时钟偏移"
        case .rateOfChange: "变化速率异常"
        case .calibrationStep: "校准偏移"
        }
    }

    public var english: String {
        switch self {
        case .impossibleValue: "impossible value"
        case .flatLine: "flat line"
        case .spike: "spike"
        case .dropout: "dropout"
        case .drift: "drift"
        case .clockOffset: "clock offset"
        case .rateOfChange: "rate of change"
        case .calibrationStep: "calibration step"
        }
    }

    /// The rule that finds it, in Chinese and in English.
    public var rule: (chinese: String, english: String) {
        switch self {
        case .impossibleValue: ("超出物理可能范围，不参与均值", "outside physical limits; left out of the means")
        case .flatLine: ("连续多次读数完全相同", "the same value reading after reading")
        case .spike: ("单次读数远离前后读数，前后读数并无变化", "one reading far off that its neighbours do not share")
        case .dropout: ("超过三个采样间隔无数据", "no readings for more than three intervals")
        case .drift: ("与其他站点相比逐日偏离增大", "diverging from the other stations day by day")
        case .clockOffset: ("缺一次读数后，日变化相对其他站点滞后", "a skipped reading, then the day cycle late against the other stations")
        case .rateOfChange: ("相邻读数变化快于该指标的物理极限，且其他站点没有",
                             "a jump faster than the parameter can change, not shared by the other stations")
        case .calibrationStep: ("单一指标突然整体偏移并持续一天以上，同站其他指标不动",
                                "one parameter shifted at once and held for a day or more, no other at the station moving")
        }
    }
}

/// Dictionaries keyed by parameter encode as JSON objects keyed by code (`{"nh3n": 0.4}`).
extension Parameter: CodingKeyRepresentable {}

extension Parameter: Labelled {
    public var chinese: String { chineseName }
    public var english: String { englishName }
}
