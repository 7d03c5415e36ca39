import CSV
import Foundation
import RiverModel
import SystemPackage

/// Simulates a district's monitoring and writes the dumps a real district produces, plus `truth.json`.
///
/// Streams: one day of automatic-station files at a time and one lab sheet a month, so memory does not
/// depend on the span. The same settings and seed give the same bytes.
public struct DistrictSimulator {
    public let network: Network
    public let settings: SimulationSettings

    public init(network: Network, settings: SimulationSettings) {
        self.network = network
        self.settings = settings
    }

    /// Parameters an automatic station writes (and ORP on a black-odorous river).
    static let stationSlots: [Slot] = [.temp, .ph, .dissolvedOxygen, .conductivity, .turbidity, .codmn, .nh3n, .tp, .tn]
    /// Parameters of the monthly lab sheet.
    static let labSlots: [Slot] = [.temp, .ph, .dissolvedOxygen, .codmn, .cod, .bod5, .nh3n, .tp, .tn, .transparency, .orp]

    /// Runs the simulation into `directory` (created when missing) and returns the ground truth it wrote.
    /// - Parameter progress: called with the fraction done, now and then.
    public func run(into directory: String, progress: ((Double) -> Void)? = nil) throws -> GroundTruth {
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            // Old dumps left beside new ones would be ingested as if simulated, against a truth.json that
            // does not list them.
            throw SimulationError(message: "\(directory) is not empty: simulate into a new or empty folder")
        }
        if let problem = settings.stationIntervalProblem { throw SimulationError(message: problem) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let variation = settings.vary ? SimulationVariation.draw(seed: settings.seed, network: network) : nil
        let hydrology = Hydrology(network: network, flowScale: settings.flowScale,
                                  velocityFactors: variation?.velocityFactors ?? [:])
        var plan = SimulationPlan(settings: settings, network: network, hydrology: hydrology, variation: variation)
        let points = network.riversInTreeOrder.flatMap { network.points(on: $0.id) }
        var modelRandom = RandomSource(seed: settings.seed, stream: 2)
        var model = WaterQualityModel(points: points, network: network, plan: plan, start: settings.start,
                                      random: &modelRandom)
        if settings.patchyRain {
            model.footprint = RainFootprint.draw(seed: settings.seed, network: network, points: points,
                                                 rainCount: plan.rain.count)
        }
        plan.discharges = model.withPeakIncrements(plan.discharges, points: points, variation: variation,
                                                   start: settings.start)
        var noise = RandomSource(seed: settings.seed, stream: 3)
        let outlet = network.riversInTreeOrder.first?.id
        let isStation = points.map { settings.allAutomatic || $0.kind == .automatic }
        let wideStations = points.indices.filter { isStation[$0] && (settings.allAutomatic || points[$0].riverID == outlet) }
        let isWide = points.indices.map { wideStations.contains($0) }
        let labPoints = points.indices.filter { !isStation[$0] }
        let blackOdorous = points.map { plan.blackOdorousRivers.contains($0.riverID) }
        let reportingInterval = settings.stationIntervals(points)
        // A station reads at the steps its interval falls on; the water and the noise are computed at every step
        // all the same, so that a mixed network is the same water as an all-hourly one.
        let stride = reportingInterval.map { $0 / settings.intervalMinutes }

        var writer = DumpWriter(directory: directory, settings: settings, points: points, withDirt: settings.withDirt)
        var statistics = [[RunningStatistics]](repeating: [RunningStatistics](repeating: RunningStatistics(), count: Slot.count),
                                               count: points.count)
        var drift = [[Double]](repeating: [Double](repeating: 0, count: Slot.count), count: points.count)
        var faults = FaultState(faults: plan.faults, points: points, start: settings.start,
                                stepHours: Double(settings.intervalMinutes) / 60)
        let labSchedule = LabSchedule(points: points, labPoints: labPoints, settings: settings)

        var values = [Double](repeating: 0, count: Slot.count)
        var active: [WaterQualityModel.ActiveImpact] = []
        var nextImpact = 0
        let stepHours = Double(settings.intervalMinutes) / 60
        let relativeNoise = Slot.allCases.map { slot -> Double in
            let share: Double = switch slot {
            case .temp, .ph, .orp: 0
            case .turbidity: 0.08
            default: 0.04
            }
            return share * settings.noiseScale
        }
        let absoluteNoise = Slot.allCases.map { slot -> Double in
            let width: Double = switch slot {
            case .temp: 0.3
            case .ph: 0.05
            case .orp: 15
            default: 0
            }
            return width * settings.noiseScale
        }
        let phi = pow(0.97, stepHours)
        let innovation = (1 - phi * phi).squareRoot()

        for step in 0..<settings.steps {
            let t = Double(step) * stepHours
            let clock = try writer.beginStep(step: step, hour: t)
            while nextImpact < model.impacts.count, model.impacts[nextImpact].activeFrom <= t {
                active.append(model.impacts[nextImpact])
                nextImpact += 1
            }
            active.removeAll { $0.activeUntil < t }
            let clockHour = model.flowClock?.flowHour(t) ?? t
            // Uniform rain: one runoff for every point this step.
            let uniformRunoff = model.footprint == nil ? model.runoff(at: t) : nil

            for pointIndex in points.indices where isStation[pointIndex] || labSchedule.isSampled(pointIndex, step: step) {
                model.background(point: pointIndex, hour: t, dayOfYear: clock.dayOfYear, hourOfDay: clock.hourOfDay,
                                 runoff: uniformRunoff ?? model.runoff(at: t, point: pointIndex), into: &values)
                for impact in active where impact.pointIndex == pointIndex {
                    if let clock = model.flowClock {
                        // The water at the point now left the outfall `travelHours` flow hours ago.
                        let decayHours = t - clock.realHour(clockHour - impact.travelHours)
                        WaterQualityModel.apply(impact, clockHour: clockHour, decayHours: decayHours, to: &values)
                    } else {
                        WaterQualityModel.apply(impact, hour: t, to: &values)
                    }
                }
                model.finish(point: pointIndex, into: &values)
                for slot in Slot.allCases {
                    var value = values[slot.rawValue]
                    if isStation[pointIndex] {
                        drift[pointIndex][slot.rawValue] = phi * drift[pointIndex][slot.rawValue] + innovation * noise.normal()
                        let wobble = 0.5 * drift[pointIndex][slot.rawValue] + 0.5 * noise.normal()
                        value = value * (1 + relativeNoise[slot.rawValue] * wobble) + absoluteNoise[slot.rawValue] * wobble
                    } else {
                        let wobble = noise.normal()
                        value = value * (1 + relativeNoise[slot.rawValue] * wobble) + absoluteNoise[slot.rawValue] * wobble
                    }
                    values[slot.rawValue] = Self.physical(value, slot: slot)
                }
                if isStation[pointIndex] {
                    // The truth's clean series describe what the station reports, not the steps between its readings.
                    let reports = step % stride[pointIndex] == 0
                    if reports {
                        for slot in Self.stationSlots { statistics[pointIndex][slot.rawValue].add(values[slot.rawValue]) }
                        if blackOdorous[pointIndex] { statistics[pointIndex][Slot.orp.rawValue].add(values[Slot.orp.rawValue]) }
                    }
                    // Faults run at every step all the same: their state is the all-hourly run's.
                    let written = faults.apply(point: pointIndex, step: step, hour: t, values: &values,
                                               levels: model.levels[pointIndex])
                    guard reports, let label = written else { continue }
                    let slots = blackOdorous[pointIndex] ? Self.stationSlots + [.orp] : Self.stationSlots
                    if isWide[pointIndex] {
                        try writer.wideRow(point: pointIndex, labelHour: label, values: values, slots: Self.stationSlots)
                    } else {
                        try writer.longRows(point: pointIndex, labelHour: label, values: values, slots: slots)
                    }
                } else {
                    writer.labRow(point: pointIndex, hour: t, values: values, slots: Self.labSlots)
                }
            }
            if step % 2_000 == 0 { progress?(Double(step) / Double(settings.steps)) }
        }
        try writer.finish()

        var cleanSeries: [SeriesStatistics] = []
        for pointIndex in points.indices where isStation[pointIndex] {
            for slot in Slot.allCases where statistics[pointIndex][slot.rawValue].count > 0 {
                let s = statistics[pointIndex][slot.rawValue]
                cleanSeries.append(SeriesStatistics(pointID: points[pointIndex].id, parameter: slot.parameter,
                                                    count: s.count, mean: Self.round(s.mean), standardDeviation: Self.round(s.standardDeviation),
                                                    minimum: Self.round(s.minimum), maximum: Self.round(s.maximum)))
            }
        }
        let truth = GroundTruth(
            seed: settings.seed, scenario: settings.scenario.rawValue, start: settings.start,
            end: settings.start.addingTimeInterval(Double(settings.steps) * stepHours * 3600),
            intervalMinutes: settings.intervalMinutes,
            stationIntervalMinutes: settings.stationIntervalChoices.isEmpty ? nil : Dictionary(
                uniqueKeysWithValues: points.indices.filter { isStation[$0] }.map { (points[$0].id, reportingInterval[$0]) }),
            timeZone: settings.timeZone.identifier,
            rivers: network.riversInTreeOrder.map { river in
                let factor = variation?.velocityFactors[river.id]
                return RiverFlow(riverID: river.id, headwaterM3PerSecond: Self.round(hydrology.headwaterFlow[river.id] ?? 0),
                                 outletM3PerSecond: Self.round(hydrology.flow(river: river.id, kilometre: river.lengthKilometres)),
                                 velocityFactor: factor,
                                 velocityMetresPerSecond: factor.map { Self.round(river.velocityMetresPerSecond * $0) })
            },
            discharges: plan.discharges, rain: Self.rain(plan.rain, footprint: model.footprint, points: points),
            trends: plan.trends, faults: plan.faults,
            blackOdorousRivers: plan.blackOdorousRivers, degradedPoints: plan.degradedPoints,
            cleanSeries: cleanSeries, expectedIngest: writer.expected, files: writer.files.sorted(),
            vary: variation == nil ? nil : true, variation: variation, patchyRain: settings.patchyRain ? true : nil,
            noiseScale: settings.noiseScale == 1 ? nil : settings.noiseScale)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(truth)
        let truthPath = FilePath(directory).appending("truth.json").string
        try data.write(to: URL(fileURLWithPath: truthPath), options: .atomic)
        progress?(1)
        return truth
    }

    /// Keeps values physical: concentrations stay positive, pH within 0–14, DO positive.
    static func physical(_ value: Double, slot: Slot) -> Double {
        switch slot {
        case .temp: max(0, value)
        case .ph: min(13.5, max(1.5, value))
        case .orp: value
        case .dissolvedOxygen: max(0.05, value)
        default: max(0.001, value)
        }
    }

    /// The plan's rain with what each point got of it, when the rain was patchy.
    static func rain(_ rain: [RainEvent], footprint: RainFootprint?, points: [MonitoringPoint]) -> [RainEvent] {
        guard let footprint else { return rain }
        return rain.enumerated().map { index, event in
            var event = event
            event.pointShares = Dictionary(uniqueKeysWithValues: points.indices.map {
                (points[$0].id, (footprint.share[index][$0] * 100).rounded() / 100) })
            event.pointDelayHours = Dictionary(uniqueKeysWithValues: points.indices.map {
                (points[$0].id, (footprint.delayHours[index][$0] * 100).rounded() / 100) })
            return event
        }
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

/// A simulation that cannot start.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Mean, standard deviation and range of a stream of values (Welford's algorithm).
struct RunningStatistics {
    var count = 0
    var mean = 0.0
    var squares = 0.0
    var minimum = Double.infinity
    var maximum = -Double.infinity

    mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        squares += delta * (value - mean)
        minimum = min(minimum, value)
        maximum = max(maximum, value)
    }

    var standardDeviation: Double { count > 1 ? (squares / Double(count - 1)).squareRoot() : 0 }
}

/// When each manual point is sampled: once a month, a working-day morning or afternoon, fixed by the seed.
struct LabSchedule {
    private var sampled: [Int: [Int]] = [:]

    init(points: [MonitoringPoint], labPoints: [Int], settings: SimulationSettings) {
        var random = RandomSource(seed: settings.seed, stream: 4)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = settings.timeZone
        let end = settings.start.addingTimeInterval(Double(settings.days) * 86_400)
        var month = calendar.date(from: calendar.dateComponents([.year, .month], from: settings.start))!
        let stepSeconds = Double(settings.intervalMinutes * 60)
        while month < end {
            for point in labPoints {
                let day = random.integer(8...14)
                let hour = random.integer(9...15)
                guard let when = calendar.date(byAdding: DateComponents(day: day - 1, hour: hour), to: month),
                      when >= settings.start, when < end else { continue }
                let step = Int((when.timeIntervalSince(settings.start) / stepSeconds).rounded(.down))
                sampled[step, default: []].append(point)
            }
            month = calendar.date(byAdding: .month, value: 1, to: month)!
        }
    }

    func isSampled(_ point: Int, step: Int) -> Bool {
        sampled[step]?.contains(point) ?? false
    }
}

/// Sensor faults as the stations write them: the value column is wrong, the water is not.
struct FaultState {
    private let byPoint: [Int: [(fault: SensorFault, start: Double, end: Double)]]
    private var stuckValues: [String: [Double]] = [:]

    private let stepHours: Double

    init(faults: [SensorFault], points: [MonitoringPoint], start: Date, stepHours: Double) {
        self.stepHours = stepHours
        let index = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.id, $0) })
        var byPoint: [Int: [(fault: SensorFault, start: Double, end: Double)]] = [:]
        for fault in faults {
            guard let point = index[fault.pointID] else { continue }
            byPoint[point, default: []].append((fault, fault.start.timeIntervalSince(start) / 3600,
                                                fault.end.timeIntervalSince(start) / 3600))
        }
        self.byPoint = byPoint
    }

    /// Applies the point's active faults to `values`; returns the hour the row is labelled with, or nil when
    /// the station writes nothing (dropout, or the hour a shifted clock wrote over).
    mutating func apply(point: Int, step: Int, hour t: Double, values: inout [Double], levels: [Double]) -> Double? {
        guard let faults = byPoint[point] else { return t }
        var label = t
        for (fault, start, end) in faults {
            let slots = Slot.allCases.filter { fault.affects($0.parameter) }
            switch fault.kind {
            case .dropout:
                if t >= start && t <= end { return nil }
            case .clockOffset:
                if t >= start && t <= end { label = t + fault.magnitude }
                // The hour the shifted clock already wrote: the logger keeps the shifted row.
                if t > end && t <= end + fault.magnitude { return nil }
            case .stuck:
                guard t >= start && t <= end else { continue }
                if stuckValues[fault.id] == nil { stuckValues[fault.id] = values }
                for slot in slots { values[slot.rawValue] = stuckValues[fault.id]![slot.rawValue] }
            case .spike:
                // One reading, or each reading up to `end` (a spike of two readings under `--vary`).
                if t >= start && t < max(start, end) + stepHours { for slot in slots { values[slot.rawValue] *= fault.magnitude } }
            case .drift:
                guard t >= start && t <= end else { continue }
                // DO and temperature have no fixed level (they follow saturation and the seasons): drift on the value.
                for slot in slots {
                    let base = levels[slot.rawValue] != 0 ? levels[slot.rawValue] : values[slot.rawValue]
                    values[slot.rawValue] += base * fault.magnitude * (t - start) / 24
                }
            case .outOfRange:
                if t >= start && t < start + stepHours { for slot in slots { values[slot.rawValue] = fault.magnitude } }
            case .step:
                guard t >= start && t <= end else { continue }
                for slot in slots { values[slot.rawValue] *= 1 + fault.magnitude }
            }
        }
        return label
    }
}
