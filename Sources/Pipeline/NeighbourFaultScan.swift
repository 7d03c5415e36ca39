import Foundation
import RiverModel
import Standards
import Statistics

/// Runs the detectors that need the other stations (drift, clock offset, rate of change) over a period's
/// station series, once every station's series has been read.
struct NeighbourFaultScan {
    /// Every station's readings the detectors may trust in the period (``trusted(_:parameter:)``), by point id.
    let stations: [String: [Parameter: TimedValues]]

    /// Parameters whose day cycle (sun and photosynthesis) shows a shifted clock.
    static let diurnal: [Parameter] = [.temperature, .dissolvedOxygen, .pH]

    static func scale(_ parameter: Parameter) -> DivergenceScale {
        switch parameter {
        case .pH, .temperature, .redoxPotential: .difference
        default: .ratio
        }
    }

    /// The smallest divergence counted as a drift: 25 % for concentrations, else in the parameter's unit.
    static func minimumDrift(_ parameter: Parameter) -> Double {
        switch parameter {
        case .pH: 0.3
        case .temperature: 1.5
        case .redoxPotential: 50
        default: log(1.25)
        }
    }

    /// A point read by a station in the period: marked automatic in points.csv, or with a series that comes
    /// every few hours (a manual point that got a station, or a network file that lags behind the field).
    static func isStation(_ point: MonitoringPoint, _ series: [Parameter: ReportedSeries]) -> Bool {
        if point.kind == .automatic { return true }
        guard let longest = series.values.max(by: { $0.times.count < $1.times.count }), longest.times.count >= 48 else { return false }
        return SensorFaultDetector.typicalInterval(longest.times) <= 4 * 3600
    }

    func findings() -> [FaultFinding] {
        let usable = stations
        // Each station's series in time order with its reference, once: the shared-drift check needs the others'.
        let pointIDs = usable.keys.sorted()
        var prepared: [String: [Parameter: (times: [Date], values: [Double], reference: [Double?])]] = [:]
        var diurnalReferences: [String: [Parameter: [Double?]]] = [:]
        for parameter in Set(usable.values.flatMap(\.keys)) {
            let holders = pointIDs.filter { usable[$0]?[parameter] != nil }
            let series = holders.map { pointID -> (times: [Date], values: [Double]) in
                let kept = usable[pointID]![parameter]!
                return (kept.times, kept.values)
            }
            let references = NeighbourFaultDetector.referenceSeries(for: series, scale: Self.scale(parameter))
            for (index, pointID) in holders.enumerated() {
                prepared[pointID, default: [:]][parameter] = (series[index].times, series[index].values, references[index])
            }
            guard Self.diurnal.contains(parameter) else { continue }
            // Day cycles are compared as departures from each station's own median level.
            let centred = NeighbourFaultDetector.referenceSeries(for: series, scale: .difference)
            for (index, pointID) in holders.enumerated() {
                diurnalReferences[pointID, default: [:]][parameter] = centred[index]
            }
        }
        var findings: [FaultFinding] = []
        for pointID in pointIDs {
            let own = usable[pointID]!
            for parameter in own.keys.sorted() {
                let (times, values, ref) = prepared[pointID]![parameter]!
                let scale = Self.scale(parameter)
                for fault in NeighbourFaultDetector.drifts(times: times, values: values, reference: ref, scale: scale,
                                                           minimumChange: Self.minimumDrift(parameter)) {
                    let rise = fault.value ?? 0
                    let shared = prepared.contains { other, series in
                        guard other != pointID, let theirs = series[parameter],
                              let change = NeighbourFaultDetector.divergenceChange(
                                times: theirs.times, values: theirs.values, reference: theirs.reference, scale: scale,
                                start: fault.start, end: fault.end) else { return false }
                        return change * rise > 0 && abs(change) >= 0.5 * abs(rise)
                    }
                    guard !shared else { continue }
                    findings.append(FaultFinding(pointID: pointID, parameter: parameter, kind: FaultKind(fault.kind),
                                                 start: fault.start, end: fault.end, value: fault.value, rule: fault.kind.rule))
                }
                if let (limit, isRatio) = PhysicalBounds.maximumChangePerHour(parameter) {
                    for fault in NeighbourFaultDetector.rateOfChange(times: times, values: values, reference: ref,
                                                                     scale: isRatio ? .ratio : .difference,
                                                                     limitPerHour: limit, fallsOnly: isRatio) {
                        findings.append(FaultFinding(pointID: pointID, parameter: parameter, kind: FaultKind(fault.kind),
                                                     start: fault.start, end: fault.end, value: fault.value,
                                                     rule: fault.kind.rule))
                    }
                }
            }
            // A clock is the station's, not a parameter's: one finding on the station's times, parameter "*".
            let channels = Self.diurnal.filter { own[$0] != nil }
            let times = channels.reduce(into: [Date]()) { $0 = Self.union($0, own[$1]!.times) }
            let values = channels.map { parameter in Self.aligned(own[parameter]!.times, own[parameter]!.values, on: times) }
            let references = channels.map { parameter in
                diurnalReferences[pointID]?[parameter].map { Self.aligned(own[parameter]!.times, $0, on: times) }
                    ?? [Double?](repeating: nil, count: times.count)
            }
            let centred = values.map { series -> [Double?] in
                let centre = SensSlope.median(series.compactMap { $0 })
                return series.map { $0.map { $0 - centre } }
            }
            var clocks = NeighbourFaultDetector.clockOffsets(times: times, channels: centred, references: references)
            let allTimes = own.values.reduce(into: [Date]()) { $0 = Self.union($0, $1.times) }
            for shift in NeighbourFaultDetector.offScheduleClock(times: allTimes)
            where !clocks.contains(where: { $0.start <= shift.end && $0.end >= shift.start }) {
                clocks.append(shift)
            }
            for fault in clocks {
                findings.append(FaultFinding(pointID: pointID, parameter: nil, kind: FaultKind(fault.kind),
                                             start: fault.start, end: fault.end, value: fault.value, rule: fault.kind.rule))
            }
        }
        return findings
    }
}

extension NeighbourFaultScan {
    /// A series' usable readings, time ascending.
    struct TimedValues {
        var times: [Date]
        var values: [Double]
    }

    /// The times of both (each ascending, without repeats), ascending, without repeats.
    static func union(_ a: [Date], _ b: [Date]) -> [Date] {
        var merged: [Date] = []
        merged.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) {
                merged.append(a[i]); i += 1
            } else if i == a.count || b[j] < a[i] {
                merged.append(b[j]); j += 1
            } else {
                merged.append(a[i]); i += 1; j += 1
            }
        }
        return merged
    }

    /// A series' values (on `times`, ascending) at each of `grid` (ascending, holding all of `times`); nil between.
    static func aligned<Value>(_ times: [Date], _ values: [Value?], on grid: [Date]) -> [Value?] {
        var result = [Value?](repeating: nil, count: grid.count)
        var position = 0
        for (index, time) in grid.enumerated() {
            while position < times.count, times[position] < time { position += 1 }
            if position < times.count, times[position] == time { result[index] = values[position] }
        }
        return result
    }

    static func aligned(_ times: [Date], _ values: [Double], on grid: [Date]) -> [Double?] {
        aligned(times, values.map(Optional.some), on: grid)
    }
}

extension FaultKind {
    /// The vocabulary's word for what a detector found.
    init(_ kind: DetectedFault.Kind) {
        switch kind {
        case .flatLine: self = .flatLine
        case .spike: self = .spike
        case .dropout: self = .dropout
        case .drift: self = .drift
        case .clockOffset: self = .clockOffset
        case .rateOfChange: self = .rateOfChange
        }
    }
}

extension DetectedFault.Kind {
    /// What the fault breaks, in words (the `rule` of a finding).
    var rule: String {
        switch self {
        case .flatLine: "the same value at every reading"
        case .spike: "one reading far from its neighbours, which do not share it"
        case .dropout: "no readings where the station's interval expects them"
        case .drift: "the divergence from the other stations grows steadily, as a drifting sensor's does"
        case .clockOffset: "the station's clock ran ahead: a reading skipped and the day cycle late against the other stations, or readings off the station's schedule"
        case .rateOfChange: "a jump faster than the water can change, not shared by the other stations and not undone"
        }
    }
}
