import Foundation
import RiverModel

/// What `--vary` changes in the plan: plumes on the flow clock, mixing below confluences, events placed beside
/// other events or around rain, and sensor faults on the plumes' paths (docs/simulator.md, "Variation").
extension SimulationPlan {
    /// Hours since the run's first hour.
    func hour(_ date: Date) -> Double { date.timeIntervalSince(origin) / 3_600 }
    func date(_ hour: Double) -> Date { origin.addingTimeInterval(hour * 3_600) }

    /// One impact of a varied run: travel on the flow clock at the true velocities, spreading × the run's factor,
    /// and the confluence's mixing share when `point` is the first station below the tributary the plume came down.
    /// - Parameter flowHours: the travel at base flow (distance over the true velocities).
    func variedImpact(point: MonitoringPoint, fromRiver riverID: String, flowHours: Double, dilution: Double,
                      begin: Date, end: Date, variation: SimulationVariation, clock: FlowClock,
                      network: Network) -> Impact {
        let sigma = WaterQualityModel.spreadHours(travelHours: flowHours) * variation.dispersionFactor
        let (releaseStart, releaseEnd) = (clock.flowHour(hour(begin)), clock.flowHour(hour(end)))
        let travel = clock.realHour(releaseStart + flowHours) - hour(begin)
        var impact = Impact(pointID: point.id, travelHours: travel, arrival: begin.addingTimeInterval(travel * 3_600),
                            peakTime: date(clock.realHour((releaseStart + releaseEnd) / 2 + flowHours)),
                            dilution: dilution * confluenceShare(fromRiver: riverID, to: point, variation: variation,
                                                                 network: network),
                            peakIncrement: [:],
                            windowStart: date(clock.realHour(releaseStart + flowHours - 4 * sigma)),
                            windowEnd: date(clock.realHour(releaseEnd + flowHours + 4 * sigma)))
        impact.flowHours = flowHours
        impact.spreadHours = sigma
        return impact
    }

    /// The share of the fully mixed increment a plume from `riverID` shows at `point`: the mixing share of the
    /// tributary it joins `point`'s river by, when `point` is the first station below that mouth; 1 otherwise.
    func confluenceShare(fromRiver riverID: String, to point: MonitoringPoint, variation: SimulationVariation,
                         network: Network) -> Double {
        var river = riverID
        // The loader rejects cycles; the bound only keeps a hand-built network from looping.
        for _ in 0..<(network.rivers.count + 1) {
            guard let current = network.river(river), let into = current.flowsInto else { return 1 }
            if into == point.riverID {
                let conditions = DischargeConditions(network: network, stations: stations, rain: [], faults: [],
                                                     velocityFactors: [:])
                return conditions.isFirstStation(point, below: current) ? variation.confluenceMixing[current.id] ?? 1 : 1
            }
            river = into
        }
        return 1
    }

    /// Re-places events the base plan spaced apart: about a quarter beside the event before them (overlapping it
    /// or beginning 0–12 h after it ends, on its river or a neighbouring one), about a third around the nearest
    /// rain (6–24 h before it begins, during it, 1–24 h after it ends). Kind, length, flow and effluent stay.
    mutating func placeVariedEvents(hours: Double, random: inout RandomSource, network: Network, hydrology: Hydrology) {
        for index in discharges.indices {
            let original = discharges[index]
            let length = hour(original.end) - hour(original.start)
            var riverID = original.riverID
            var km = original.kilometre
            var source = original.registeredSourceID.flatMap { id in network.sources.first { $0.id == id } }
            var begin: Double
            let roll = random.uniform()
            if index > 0, roll < 0.25 {
                let anchor = discharges[index - 1]
                let (anchorStart, anchorEnd) = (hour(anchor.start), hour(anchor.end))
                begin = random.uniform() < 0.5 ? anchorStart + random.uniform(0...max(0, anchorEnd - anchorStart))
                                               : anchorEnd + random.uniform(0...DischargeConditions.successionHours)
                let neighbours = DischargeConditions.neighbourhood(of: anchor.riverID, in: network)
                riverID = random.uniform() < 0.5 ? anchor.riverID : random.pick(neighbours)
                let fitting = network.sources.filter {
                    $0.riverID == riverID && Self.signatures(original.kind).contains($0.signature)
                }.sorted { $0.id < $1.id }
                if source != nil, !fitting.isEmpty {
                    let chosen = random.pick(fitting)
                    source = chosen
                    km = chosen.kilometre
                } else {
                    source = nil
                    let length = network.river(riverID)?.lengthKilometres ?? 0
                    km = (random.uniform(0.05...0.95) * length * 100).rounded() / 100
                }
            } else if roll < 0.6, !rain.isEmpty {
                let start = hour(original.start)
                let storm = rain.min { (abs(hour($0.start) - start), $0.id) < (abs(hour($1.start) - start), $1.id) }!
                let (rainStart, rainEnd) = (hour(storm.start), hour(storm.end))
                switch random.integer(0...2) {
                case 0: begin = rainStart - random.uniform(6...24)
                case 1: begin = random.uniform(rainStart...max(rainStart, rainEnd))
                default: begin = rainEnd + random.uniform(1...24)
                }
            } else {
                continue
            }
            begin = begin.rounded()
            guard begin >= 24, begin < hours - 24 else { continue }
            let moved = discharge(id: original.id, kind: original.kind, registered: source, riverID: riverID, km: km,
                                  begin: date(begin), end: date(min(hours, begin + length)),
                                  flow: original.flowM3PerSecond, effluent: original.effluent, rainID: nil,
                                  network: network, hydrology: hydrology)
            if !moved.impacts.isEmpty { discharges[index] = moved }
        }
    }

    /// Sensor faults where a field team's evidence comes from: for about 40 % of the pollution events, one fault at
    /// one of the first three stations its plume reaches, half of them inside the plume's window there, the others
    /// within three days of its arrival. Kinds: a spike of 1–2 readings (× 3–6), a slow drift (+5–15 % of the
    /// level a day for 2–7 days), a gap (6–24 h without rows) or a flat line (12–48 h).
    mutating func addFaultsOnPaths(hours: Double, stepHours: Double, random: inout RandomSource) {
        var number = faults.count
        for discharge in discharges where discharge.kind != .stormwaterOverflow {
            guard random.uniform() < 0.4 else { continue }
            let reached = discharge.impacts.filter { stations.contains($0.pointID) }.prefix(3)
            guard !reached.isEmpty else { continue }
            let impact = random.pick(Array(reached))
            let kind = random.pick([InjectedFault.spike, .drift, .dropout, .stuck])
            let (from, until) = DischargeConditions.window(of: impact, in: discharge)
            let arrival = discharge.start.addingTimeInterval(impact.travelHours * 3_600)
            var begin = random.uniform() < 0.5 ? random.uniform(hour(from)...max(hour(from), hour(until)))
                                               : hour(arrival) + random.uniform(-72...72)
            begin = begin.rounded()
            let parameter = random.pick(Self.faultParameters(discharge.kind))
            var parameters = [parameter]
            var length = 0.0
            var magnitude = 0.0
            switch kind {
            case .spike:
                length = Double(random.integer(0...1)) * stepHours
                magnitude = random.uniform(3...6)
            case .drift:
                length = random.uniform(48...168).rounded()
                magnitude = random.uniform(0.05...0.15)
            case .dropout:
                length = random.uniform(6...24).rounded()
                parameters = []
            default:
                length = random.uniform(12...48).rounded()
            }
            guard begin >= 24, begin + length <= hours - 1 else { continue }
            number += 1
            faults.append(SensorFault(id: String(format: "F%03d", number), kind: kind, pointID: impact.pointID,
                                      parameters: parameters, start: date(begin), end: date(begin + length),
                                      magnitude: (magnitude * 1000).rounded() / 1000))
        }
    }

    /// The station parameters a discharge of `kind` moves most: the ones a fault there is most easily taken for it.
    static func faultParameters(_ kind: DischargeKind) -> [Parameter] {
        switch kind {
        case .industrialPulse: [.conductivity, .permanganateIndex, .pH]
        case .sewageLeak: [.ammoniaNitrogen, .dissolvedOxygen, .permanganateIndex]
        case .agriculturalRunoff, .stormwaterOverflow: [.turbidity, .totalPhosphorus, .ammoniaNitrogen]
        case .sandWashing: [.turbidity]
        case .brine: [.conductivity]
        }
    }
}
