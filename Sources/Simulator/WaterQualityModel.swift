import Foundation
import RiverModel

/// The parameters the simulator computes, in a fixed order (array slots, not dictionaries, on the hot path).
enum Slot: Int, CaseIterable {
    case temp, ph, dissolvedOxygen, conductivity, turbidity, codmn, nh3n, tp, tn, cod, bod5, transparency, orp

    var parameter: Parameter {
        switch self {
        case .temp: .temperature
        case .ph: .pH
        case .dissolvedOxygen: .dissolvedOxygen
        case .conductivity: .conductivity
        case .turbidity: .turbidity
        case .codmn: .permanganateIndex
        case .nh3n: .ammoniaNitrogen
        case .tp: .totalPhosphorus
        case .tn: .totalNitrogen
        case .cod: .chemicalOxygenDemand
        case .bod5: .biochemicalOxygenDemand
        case .transparency: .transparency
        case .orp: .redoxPotential
        }
    }

    static let count = allCases.count
}

/// The water itself: background by class, seasons, day cycles, rain runoff, trends, and the discharges
/// travelling down the river tree (plug flow with first-order decay and Gaussian spreading).
///
/// Noise is added by the caller (it needs the random stream in a fixed order); this type is deterministic.
struct WaterQualityModel {
    /// Background levels per point, one row per point, one column per `Slot`.
    let levels: [[Double]]
    /// DO as a fraction of saturation per point.
    let oxygenFraction: [Double]
    /// Trend rate per point and slot, fraction of the level per year.
    let trendRates: [[Double]]
    let impacts: [ActiveImpact]
    let rain: [(start: Double, end: Double, intensity: Double)]
    /// `--patchy-rain`: how each rain falls on each point (nil: on every point alike).
    var footprint: RainFootprint?
    /// `--vary`: the clock the plumes travel on (nil: real hours).
    let flowClock: FlowClock?

    /// A discharge as seen from one point.
    struct ActiveImpact {
        let pointIndex: Int
        /// The release, in hours since the start (flow hours under `--vary`).
        let startHour: Double
        let endHour: Double
        /// Travel and spreading, hours (flow hours under `--vary`).
        let travelHours: Double
        let sigmaHours: Double
        let dilution: Double
        /// Effluent concentration per slot (NaN: the effluent does not change it).
        let effluent: [Double]
        /// First-order decay per day, per slot.
        let decayPerDay: [Double]
        /// The real hours the plume is at the point (±4 σ).
        let activeFrom: Double
        let activeUntil: Double

        init(pointIndex: Int, startHour: Double, endHour: Double, travelHours: Double, sigmaHours: Double,
             dilution: Double, effluent: [Double], decayPerDay: [Double] = Slot.allCases.map { WaterQualityModel.decayPerDay($0.parameter) },
             activeFrom: Double? = nil, activeUntil: Double? = nil) {
            (self.pointIndex, self.startHour, self.endHour) = (pointIndex, startHour, endHour)
            (self.travelHours, self.sigmaHours, self.dilution) = (travelHours, sigmaHours, dilution)
            (self.effluent, self.decayPerDay) = (effluent, decayPerDay)
            self.activeFrom = activeFrom ?? startHour + travelHours - 4 * sigmaHours
            self.activeUntil = activeUntil ?? endHour + travelHours + 4 * sigmaHours
        }
    }

    init(points: [MonitoringPoint], network: Network, plan: SimulationPlan, start: Date, random: inout RandomSource) {
        var levels: [[Double]] = []
        var fractions: [Double] = []
        var trends: [[Double]] = []
        for point in points {
            var target = network.targetClass(of: point) ?? .iv
            if plan.degradedPoints.contains(point.id), let worse = WaterClass(rawValue: min(5, target.rawValue + 1)) {
                target = worse
            }
            let c = target.rawValue
            let u = random.uniform(0.35...0.8)
            func within(_ limits: [Double]) -> Double {
                let lower = c == 1 ? limits[0] * 0.5 : limits[c - 2]
                return lower + u * (limits[c - 1] - lower)
            }
            var row = [Double](repeating: 0, count: Slot.count)
            row[Slot.temp.rawValue] = 0
            row[Slot.ph.rawValue] = 7.5 + random.uniform(-0.2...0.2)
            row[Slot.codmn.rawValue] = within([2, 4, 6, 10, 15])
            // NH3-N is 25 % higher in mid-winter: the level leaves room for it inside the class.
            row[Slot.nh3n.rawValue] = within([0.15, 0.5, 1.0, 1.5, 2.0]) / 1.25
            row[Slot.tp.rawValue] = within([0.02, 0.1, 0.2, 0.3, 0.4])
            row[Slot.tn.rawValue] = 1.5 * row[Slot.nh3n.rawValue] + 0.6
            row[Slot.conductivity.rawValue] = 380 + 60 * Double(c) + 40 * u
            row[Slot.turbidity.rawValue] = 8 + 5 * Double(c)
            row[Slot.transparency.rawValue] = [120, 90, 60, 40, 30][c - 1]
            row[Slot.orp.rawValue] = 180 - 15 * Double(c)
            var fraction = [0.92, 0.82, 0.75, 0.58, 0.45][c - 1]
            if plan.blackOdorousRivers.contains(point.riverID) {
                // 轻度黑臭: transparency 10–25 cm, DO 0.2–2 mg/L, ORP −200–50 mV, NH3-N 8–15 mg/L.
                row[Slot.nh3n.rawValue] = 10.5 + 2 * u
                row[Slot.tn.rawValue] = 14
                row[Slot.tp.rawValue] = 0.9
                row[Slot.codmn.rawValue] = 14
                row[Slot.turbidity.rawValue] = 35
                row[Slot.transparency.rawValue] = 18
                row[Slot.orp.rawValue] = -90
                fraction = 0.15
            }
            row[Slot.cod.rawValue] = 2.5 * row[Slot.codmn.rawValue]
            row[Slot.bod5.rawValue] = 0.55 * row[Slot.codmn.rawValue]
            levels.append(row)
            fractions.append(fraction)
            var rates = [Double](repeating: 0, count: Slot.count)
            for trend in plan.trends where trend.pointID == point.id {
                if let slot = Slot.allCases.first(where: { $0.parameter == trend.parameter }) {
                    rates[slot.rawValue] = trend.percentPerYear / 100
                }
            }
            trends.append(rates)
        }
        self.levels = levels
        oxygenFraction = fractions
        trendRates = trends

        let index = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.id, $0) })
        var impacts: [ActiveImpact] = []
        let decay = Slot.allCases.map { slot in plan.variation?.decayPerDay(slot.parameter) ?? Self.decayPerDay(slot.parameter) }
        for discharge in plan.discharges {
            let startHour = discharge.start.timeIntervalSince(start) / 3600
            let endHour = discharge.end.timeIntervalSince(start) / 3600
            let effluent = Slot.allCases.map { discharge.effluent[$0.parameter.code] ?? .nan }
            for impact in discharge.impacts {
                guard let pointIndex = index[impact.pointID] else { continue }
                if let clock = plan.flowClock, let flowHours = impact.flowHours, let sigma = impact.spreadHours,
                   let from = impact.windowStart, let until = impact.windowEnd {
                    impacts.append(ActiveImpact(pointIndex: pointIndex, startHour: clock.flowHour(startHour),
                                                endHour: clock.flowHour(endHour), travelHours: flowHours,
                                                sigmaHours: sigma, dilution: impact.dilution, effluent: effluent,
                                                decayPerDay: decay,
                                                activeFrom: from.timeIntervalSince(start) / 3600,
                                                activeUntil: until.timeIntervalSince(start) / 3600))
                    continue
                }
                impacts.append(ActiveImpact(pointIndex: pointIndex, startHour: startHour, endHour: endHour,
                                            travelHours: impact.travelHours,
                                            sigmaHours: Self.spreadHours(travelHours: impact.travelHours),
                                            dilution: impact.dilution, effluent: effluent))
            }
        }
        self.impacts = impacts.sorted { $0.activeFrom < $1.activeFrom }
        rain = plan.rain.map { ($0.start.timeIntervalSince(start) / 3600, $0.end.timeIntervalSince(start) / 3600, $0.intensity) }
        flowClock = plan.flowClock
    }

    /// The discharges with each impact's noise-free peak increment above the point's background level.
    /// - Parameter variation: a `--vary` run's factors: the release's length and the spreading are in flow hours,
    ///   the decay runs at the run's rates over the real travel of the release's first parcel.
    func withPeakIncrements(_ discharges: [Discharge], points: [MonitoringPoint],
                            variation: SimulationVariation? = nil, start: Date? = nil) -> [Discharge] {
        let index = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.id, $0) })
        return discharges.map { discharge in
            var updated = discharge
            var hours = discharge.end.timeIntervalSince(discharge.start) / 3600
            if let clock = flowClock, let start {
                hours = clock.flowHour(discharge.end.timeIntervalSince(start) / 3600)
                    - clock.flowHour(discharge.start.timeIntervalSince(start) / 3600)
            }
            updated.impacts = discharge.impacts.map { impact in
                var result = impact
                guard let point = index[impact.pointID] else { return result }
                let sigma = impact.spreadHours ?? Self.spreadHours(travelHours: impact.travelHours)
                let share = erf(hours / (2 * 2.0.squareRoot() * sigma))
                result.peakIncrement = [:]
                for slot in Slot.allCases where slot != .ph && slot != .dissolvedOxygen && slot != .temp {
                    guard let effluent = discharge.effluent[slot.parameter.code] else { continue }
                    let rate = variation?.decayPerDay(slot.parameter) ?? Self.decayPerDay(slot.parameter)
                    let decay = exp(-rate * impact.travelHours / 24)
                    let increment = impact.dilution / (1 + impact.dilution) * share * decay
                        * (effluent - levels[point][slot.rawValue])
                    result.peakIncrement[slot.parameter] = (increment * 10_000).rounded() / 10_000
                }
                return result
            }
            return updated
        }
    }

    /// First-order decay per day in the river (nitrification, settling, reaeration for the DO deficit).
    static func decayPerDay(_ parameter: Parameter) -> Double {
        switch parameter {
        case .ammoniaNitrogen: 0.3
        case .totalPhosphorus, .totalNitrogen: 0.05
        case .permanganateIndex, .chemicalOxygenDemand: 0.2
        case .biochemicalOxygenDemand: 0.3
        case .turbidity: 1.0
        case .dissolvedOxygen: 1.5
        case .pH: 0.5
        default: 0
        }
    }

    /// How much a pulse has widened (one standard deviation, hours) after travelling `travelHours`.
    static func spreadHours(travelHours: Double) -> Double {
        0.3 + 0.25 * travelHours.squareRoot()
    }

    /// The share of a rectangular release [start, end] seen at time `t` after `travel` hours with spreading σ.
    static func window(_ t: Double, start: Double, end: Double, travel: Double, sigma: Double) -> Double {
        let s = sigma * 2.0.squareRoot()
        return 0.5 * (erf((t - travel - start) / s) - erf((t - travel - end) / s))
    }

    /// DO saturation in fresh water at `celsius` (APHA 4500-O polynomial), mg/L.
    static func oxygenSaturation(celsius: Double) -> Double {
        14.652 - 0.41022 * celsius + 0.007991 * celsius * celsius - 0.000077774 * celsius * celsius * celsius
    }

    /// Runoff factor 0…~1 at hour `t`: rises over 2 h of rain, decays with a 10 h time constant after it.
    func runoff(at t: Double) -> Double {
        Self.runoff(at: t, rain: rain)
    }

    /// Runoff factor at point `point` (the simulator's order) at hour `t`: ``runoff(at:)`` unless the rain is patchy,
    /// when each rain reaches the point with its share, its delay and its rise time (``RainFootprint``).
    func runoff(at t: Double, point: Int) -> Double {
        guard let footprint else { return runoff(at: t) }
        var total = 0.0
        for (index, event) in rain.enumerated() {
            let delay = footprint.delayHours[index][point]
            total += Self.runoff(at: t, start: event.start + delay, end: event.end + delay,
                                 strength: event.intensity * footprint.share[index][point],
                                 riseHours: footprint.riseHours[index][point])
        }
        return min(total, 1.5)
    }

    /// Runoff factor at hour `t` of `rain` (hours since the start, intensity 0–1).
    static func runoff(at t: Double, rain: [(start: Double, end: Double, intensity: Double)]) -> Double {
        let total = rain.reduce(0.0) { total, event in
            total + runoff(at: t, start: event.start, end: event.end, strength: event.intensity, riseHours: 2)
        }
        return min(total, 1.5)
    }

    /// One rain's runoff at hour `t`: rising linearly over `riseHours` while it rains, decaying with a 10 h time
    /// constant after it, gone 60 h after it ends.
    static func runoff(at t: Double, start: Double, end: Double, strength: Double, riseHours: Double) -> Double {
        guard start <= t && t < end + 60 else { return 0 }
        if t < end { return strength * min(1, (t - start) / riseHours) }
        return strength * min(1, (end - start) / riseHours) * exp(-(t - end) / 10)
    }

    /// Background values (no discharges, no noise) of every slot at one point and hour.
    func background(point: Int, hour t: Double, dayOfYear: Double, hourOfDay: Double, runoff r: Double,
                    into values: inout [Double]) {
        let level = levels[point]
        let years = t / 8766
        let daily = sin(2 * Double.pi * (hourOfDay - 9) / 24)  // peaks at 15:00 (photosynthesis)
        let season = sin(2 * Double.pi * (dayOfYear - 125) / 365.25)  // warmest early August, coldest late January
        let winter = cos(2 * Double.pi * (dayOfYear - 15) / 365.25)  // coldest mid January
        func trended(_ slot: Slot) -> Double { level[slot.rawValue] * max(0.05, 1 + trendRates[point][slot.rawValue] * years) }
        let temperature = 17 + 12 * season + 1.2 * daily
        values[Slot.temp.rawValue] = temperature
        values[Slot.ph.rawValue] = level[Slot.ph.rawValue] + 0.15 * daily
        values[Slot.dissolvedOxygen.rawValue] = max(0.1, Self.oxygenSaturation(celsius: temperature) * oxygenFraction[point]
                                                    + 0.5 * daily * oxygenFraction[point])
        values[Slot.conductivity.rawValue] = trended(.conductivity) * (1 - 0.15 * r)
        values[Slot.turbidity.rawValue] = trended(.turbidity) * (1 + 4 * r)
        values[Slot.codmn.rawValue] = trended(.codmn) + 2 * r
        values[Slot.nh3n.rawValue] = trended(.nh3n) * (1 + 0.25 * winter) + 0.3 * r
        values[Slot.tp.rawValue] = trended(.tp) + 0.12 * r
        values[Slot.tn.rawValue] = trended(.tn) * (1 + 0.15 * winter) + 0.6 * r
        values[Slot.cod.rawValue] = 2.5 * values[Slot.codmn.rawValue]
        values[Slot.bod5.rawValue] = 0.55 * values[Slot.codmn.rawValue]
        values[Slot.transparency.rawValue] = level[Slot.transparency.rawValue]
        values[Slot.orp.rawValue] = level[Slot.orp.rawValue]
    }

    /// Adds one discharge's effect at hour `t`: mixing `dilution × window` of effluent into the water.
    static func apply(_ impact: ActiveImpact, hour t: Double, to values: inout [Double]) {
        apply(impact, clockHour: t, decayHours: impact.travelHours, to: &values)
    }

    /// Adds one discharge's effect at flow hour `clockHour` (real hours without `--vary`), the water having
    /// travelled `decayHours` real hours.
    static func apply(_ impact: ActiveImpact, clockHour t: Double, decayHours: Double, to values: inout [Double]) {
        let share = window(t, start: impact.startHour, end: impact.endHour, travel: impact.travelHours,
                           sigma: impact.sigmaHours)
        guard share > 1e-6 else { return }
        for slot in Slot.allCases {
            let effluent = impact.effluent[slot.rawValue]
            guard !effluent.isNaN else { continue }
            let decay = exp(-impact.decayPerDay[slot.rawValue] * decayHours / 24)
            let mixed = impact.dilution * share * decay
            values[slot.rawValue] += mixed * (effluent - values[slot.rawValue]) / (1 + impact.dilution)
        }
    }

    /// Quantities derived after mixing: transparency falls with turbidity, ORP with the DO deficit.
    func finish(point: Int, into values: inout [Double]) {
        let level = levels[point]
        let extraTurbidity = max(0, values[Slot.turbidity.rawValue] - level[Slot.turbidity.rawValue])
        values[Slot.transparency.rawValue] = level[Slot.transparency.rawValue] / (1 + 0.02 * extraTurbidity)
        values[Slot.orp.rawValue] -= 40 * max(0, 2 - values[Slot.dissolvedOxygen.rawValue])
    }
}
