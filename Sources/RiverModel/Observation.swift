import Foundation

/// One stored measurement of one point's parameter, as every stage after the store reads it: evaluation,
/// statistics, detection, trace-back and charts. The rules of which readings count are here, once.
public struct Observation: Sendable, Equatable {
    public var time: Date
    /// The value in the parameter's canonical unit; for a censored reading, its detection limit (nil when the
    /// file gave none, as with a bare `ND`).
    public var value: Double?
    /// Below the detection limit (`<0.05`, `0.05L`, `ND`, `未检出`).
    public var isCensored: Bool
    public var detectionLimit: Double?
    /// The station's data flag (HJ 212-2017 letter, or the file's own marker).
    public var flag: String?
    /// Where it came from, when known.
    public var provenance: Provenance?

    public init(time: Date, value: Double?, isCensored: Bool = false, detectionLimit: Double? = nil, flag: String? = nil,
                provenance: Provenance? = nil) {
        self.time = time
        self.value = value
        self.isCensored = isCensored
        self.detectionLimit = detectionLimit
        self.flag = flag
        self.provenance = provenance
    }

    /// Valid for evaluation and analysis: no flag, or HJ 212-2017 `N` (normal). Maintenance, calibration, faults… are
    /// kept but not used (HJ 212-2017 §6.6.4).
    public var isValid: Bool { Self.isValid(flag: flag) }

    /// Whether a reading with this data flag is valid (see ``isValid``).
    public static func isValid(flag: String?) -> Bool { flag == nil || flag == "N" }

    /// What the station reports as measured: a valid, uncensored, finite value — impossible ones included, which the
    /// fault checks look at.
    public var reportedValue: Double? { Self.reportedValue(value, isCensored: isCensored, isValid: isValid) }

    /// ``reportedValue`` of a reading given by its parts, its flag judged by ``isValid(flag:)`` (``ReportedSeries`` is
    /// built without an observation).
    public static func reportedValue(_ value: Double?, isCensored: Bool, isValid: Bool) -> Double? {
        guard isValid, !isCensored, let value, value.isFinite else { return nil }
        return value
    }

    /// The water's value: a reported value that is physically possible (``Parameter/physicalRange``). What
    /// statistics, events, trace-backs, exceedances and charts read.
    public func waterValue(of parameter: Parameter) -> Double? {
        guard let value = reportedValue, parameter.physicalRange.contains(value) else { return nil }
        return value
    }

    /// The value a period mean takes: the water's value, or half the detection limit for a censored reading
    /// (地表水环境质量评价办法: 未检出按检出限的一半参与平均); nil when it cannot be used.
    public func valueForMean(of parameter: Parameter) -> Double? {
        guard isValid else { return nil }
        if isCensored {
            guard let limit = detectionLimit, limit.isFinite, parameter.physicalRange.contains(limit) else { return nil }
            return limit / 2
        }
        return waterValue(of: parameter)
    }
}

/// One parameter's readings over a window as the detectors read them, without an ``Observation`` (80 bytes) per
/// reading: every reading's time (how often the point reports), and the reported values
/// (``Observation/reportedValue``) with their times.
public struct ReportedSeries: Sendable, Equatable {
    /// Every reading's time, ascending, whatever its value or flag.
    public var times: [Date] = []
    public var reportedTimes: [Date] = []
    public var reportedValues: [Double] = []

    public init() {}

    /// The reported values that are physically possible (``Observation/waterValue(of:)``), with their times.
    public func water(of parameter: Parameter) -> (times: [Date], values: [Double]) {
        var kept: (times: [Date], values: [Double]) = ([], [])
        kept.times.reserveCapacity(reportedTimes.count)
        kept.values.reserveCapacity(reportedValues.count)
        for (time, value) in zip(reportedTimes, reportedValues) where parameter.physicalRange.contains(value) {
            kept.times.append(time)
            kept.values.append(value)
        }
        return kept
    }
}

/// Where a stored reading came from: the ledger id of its file and its 1-based line.
public struct Provenance: Sendable, Equatable, Hashable {
    public var fileID: Int64
    public var line: Int

    public init(fileID: Int64, line: Int) {
        self.fileID = fileID
        self.line = line
    }
}

extension Parameter {
    /// The values river water can have: outside them a reading is an instrument fault, not water quality.
    /// pH 0–14; water temperature −1–45 ℃; DO 0–25 mg/L (supersaturation above about 200 % does not occur in rivers:
    /// 20 mg/L is about 200 % at 25 ℃); ORP ±1000 mV; no concentration, conductivity, turbidity or transparency
    /// below 0.
    public var physicalRange: ClosedRange<Double> {
        switch self {
        case .pH: 0...14
        case .temperature: -1...45
        case .dissolvedOxygen: 0...25
        case .redoxPotential: -1000...1000
        default: 0...Double.greatestFiniteMagnitude
        }
    }
}
