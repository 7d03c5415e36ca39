import Foundation
import RiverModel

/// The named scenarios of `rivertrace simulate`.
public enum ScenarioName: String, CaseIterable, Sendable, Codable {
    /// Background, seasons, noise only: no rain, no pollution, no faults, no dirt (false-alarm tests).
    case clean
    /// The demo district: rain, a handful of pollution events, trends, faults, a black-odorous river, dirt.
    case demo
    /// Every point automatic, many events and faults: benchmarks and scoring at scale.
    case stress
}

/// What to simulate.
public struct SimulationSettings: Sendable {
    public var seed: UInt64 = 20_261_001
    public var scenario: ScenarioName = .demo
    /// Local midnight of the first day.
    public var start: Date
    public var days: Int = 90
    /// Minutes between automatic readings: the simulation's step.
    public var intervalMinutes: Int = 60
    /// When not empty, each automatic station reports at one of these intervals (minutes, multiples of
    /// `intervalMinutes`), drawn by the seed: a network of stations read every 1–4 h, as the district's are. The
    /// water is the same as with every station at `intervalMinutes`: only the rows between a station's readings are
    /// left out.
    public var stationIntervalChoices: [Int] = []
    public var timeZone: TimeZone = .chinaStandard
    /// Multiplies every river flow.
    public var flowScale: Double = 1
    /// Multiplies the measurement noise of stations and lab samples (the random draws are the same: at 2 each
    /// reading's noise is twice what it is at 1, at 0 there is none).
    public var noiseScale: Double = 1
    /// Pollution events per 30 days (nil: the scenario's default).
    public var eventsPerMonth: Double?
    /// Sensor faults per 30 days (nil: the scenario's default).
    public var faultsPerMonth: Double?
    /// Calibration steps per 30 days (`--calibration-steps`): faults of a kind the scenarios do not draw (default 0).
    public var calibrationStepsPerMonth: Double = 0
    /// Night-time discharge episodes per 30 days (`--night-discharges`): events of a shape the scenarios do not draw
    /// (default 0).
    public var nightDischargesPerMonth: Double = 0
    /// Single-parameter discharges per 30 days (`--single-parameter-discharges`): sand-washing water or brine let out
    /// for days, moving one parameter only (default 0).
    public var singleParameterDischargesPerMonth: Double = 0
    /// Varied physics and harder events (`--vary`: true velocities, flow-dependent travel, dispersion, decay,
    /// confluence mixing, more unregistered, overlapping and rain-timed events, faults on the plumes' paths).
    public var vary = false
    /// Patchy rain (`--patchy-rain`): each rain a storm cell over part of the district or of uneven strength over
    /// all of it, moving across it, with a runoff rising over 2–5 h drawn per point (``RainFootprint``). The rain's
    /// times and the rest of the run are those of the run without it.
    public var patchyRain = false

    public init(start: Date) {
        self.start = start
    }

    /// Every point simulated as an automatic station (the stress scenario).
    var allAutomatic: Bool { scenario == .stress }
    /// Re-delivered files, sentinel and truncated rows on purpose.
    var withDirt: Bool { scenario != .clean }

    /// Number of time steps.
    public var steps: Int { days * 24 * 60 / intervalMinutes }

    /// What is wrong with ``stationIntervalChoices``, nil when nothing: each must be a multiple of `intervalMinutes`
    /// that divides a day, each given once.
    public var stationIntervalProblem: String? {
        for minutes in stationIntervalChoices where minutes <= 0 || minutes % intervalMinutes != 0 || 1_440 % minutes != 0 {
            return "station interval \(minutes): expected minutes that divide a day and are a multiple of the interval (\(intervalMinutes))"
        }
        guard Set(stationIntervalChoices).count == stationIntervalChoices.count else {
            return "station intervals \(stationIntervalChoices.map(String.init).joined(separator: ",")): each interval once"
        }
        return nil
    }

    /// Each of `points`' reporting interval in minutes under ``stationIntervalChoices`` (every point at
    /// `intervalMinutes` when there are none), drawn from a stream of its own so that nothing else moves.
    func stationIntervals(_ points: [MonitoringPoint]) -> [Int] {
        guard !stationIntervalChoices.isEmpty else { return points.map { _ in intervalMinutes } }
        var random = RandomSource(seed: seed, stream: 16)
        return points.map { _ in random.pick(stationIntervalChoices) }
    }
}

/// Everything decided before the first value is computed: events, rain, trends, faults, point profiles.
struct SimulationPlan {
    var discharges: [Discharge] = []
    var rain: [RainEvent] = []
    var trends: [Trend] = []
    var faults: [SensorFault] = []
    var blackOdorousRivers: [String] = []
    var degradedPoints: [String] = []
    /// `--vary`: the run's factors and the flow clock its plumes travel on (nil: the fixed model).
    var variation: SimulationVariation?
    var flowClock: FlowClock?
    /// The first hour of the run (hour 0 of the flow clock).
    let origin: Date
    /// The points that write readings (every point in the stress scenario).
    let stations: Set<String>

    /// Draws the plan for `settings` from its seed (its own random stream, so plan and noise are independent).
    /// - Parameter variation: the factors of a `--vary` run (``SimulationVariation/draw(seed:network:)``); the
    ///   hydrology must carry its velocity factors.
    init(settings: SimulationSettings, network: Network, hydrology: Hydrology, variation: SimulationVariation? = nil) {
        var random = RandomSource(seed: settings.seed, stream: 1)
        let start = settings.start
        let hours = Double(settings.days * 24)
        func date(_ hour: Double) -> Date { start.addingTimeInterval(hour * 3600) }
        let autoPoints = network.points.filter { settings.allAutomatic || $0.kind == .automatic }
        origin = start
        stations = Set(autoPoints.map(\.id))
        self.variation = variation

        guard settings.scenario != .clean else { return }

        // Rain: more likely in the wet season (June–September in the Yangtze delta).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = settings.timeZone
        for day in 0..<settings.days {
            let month = calendar.component(.month, from: date(Double(day * 24)))
            let chance = (6...9).contains(month) ? 0.22 : (4...5).contains(month) || month == 10 ? 0.14 : 0.07
            guard random.uniform() < chance else { continue }
            let begin = Double(day * 24) + random.uniform(0...20)
            let length = random.uniform(2...10)
            rain.append(RainEvent(id: rain.count + 1, start: date(begin), end: date(min(hours, begin + length)),
                                  intensity: (random.uniform(0.2...1.0) * 100).rounded() / 100))
        }
        if let variation {
            flowClock = FlowClock(rain: rain.map { ($0.start.timeIntervalSince(start) / 3600, $0.end.timeIntervalSince(start) / 3600,
                                                    $0.intensity) },
                                  hours: hours, variation: variation)
        }

        // Black-odorous conditions on the slowest small river, where a scenario asks for them.
        if settings.scenario == .demo,
           let slow = network.rivers.filter({ $0.velocityMetresPerSecond <= 0.1 }).min(by: {
               ($0.velocityMetresPerSecond, $0.id) < ($1.velocityMetresPerSecond, $1.id) }) {
            blackOdorousRivers = [slow.id]
        }

        // A few points whose water is one class worse than their target.
        let candidates = network.points.filter { !blackOdorousRivers.contains($0.riverID) }
        for _ in 0..<min(3, candidates.count) {
            let point = random.pick(candidates)
            if !degradedPoints.contains(point.id) { degradedPoints.append(point.id) }
        }
        degradedPoints.sort()

        // Pollution events, spaced so each can be told apart.
        let perMonth = settings.eventsPerMonth ?? (settings.scenario == .stress ? 5 : 2.5)
        let count = max(settings.scenario == .demo ? 4 : 1, Int((Double(settings.days) / 30 * perMonth).rounded()))
        let spacing = max(12.0, (hours - 72) / Double(count))
        for index in 0..<count {
            let slotStart = 48 + Double(index) * spacing
            let begin = slotStart + random.uniform(0...(spacing * 0.5))
            guard begin < hours - 24 else { break }
            if let discharge = makeDischarge(index: index + 1, begin: begin, hours: hours, random: &random,
                                             network: network, hydrology: hydrology, date: date) {
                discharges.append(discharge)
            }
        }
        if variation != nil {
            var timing = RandomSource(seed: settings.seed, stream: 13)
            placeVariedEvents(hours: hours, random: &timing, network: network, hydrology: hydrology)
        }
        addNightDischarges(settings: settings, hours: hours, network: network, hydrology: hydrology)
        addSingleParameterDischarges(settings: settings, hours: hours, network: network, hydrology: hydrology)

        // Stormwater overflows at registered outfalls during heavy rain.
        let outfalls = network.sources.filter { $0.signature == .stormwater }.sorted { $0.id < $1.id }
        for storm in rain where storm.intensity >= 0.7 {
            for outfall in outfalls {
                let begin = storm.start.timeIntervalSince(start) / 3600 + 1
                let end = min(hours, storm.end.timeIntervalSince(start) / 3600 + 2)
                discharges.append(discharge(id: "OVF-\(storm.id)-\(outfall.id)", kind: .stormwaterOverflow,
                                            registered: outfall, riverID: outfall.riverID, km: outfall.kilometre,
                                            begin: date(begin), end: date(end), flow: 0.12 * storm.intensity,
                                            effluent: Self.effluent(.stormwaterOverflow, random: &random),
                                            rainID: storm.id, network: network, hydrology: hydrology))
            }
        }
        discharges.sort { ($0.start, $0.id) < ($1.start, $1.id) }

        // Trends: NH3-N improving after a sewage fix, TP worsening.
        let sortedAuto = autoPoints.sorted { $0.id < $1.id }
        if sortedAuto.count >= 2 {
            trends.append(Trend(pointID: sortedAuto[sortedAuto.count / 3].id, parameter: .ammoniaNitrogen,
                                percentPerYear: -25))
            trends.append(Trend(pointID: sortedAuto[2 * sortedAuto.count / 3].id, parameter: .totalPhosphorus,
                                percentPerYear: 20))
        }

        // Sensor faults on automatic stations, kinds in turn.
        let faultRate = settings.faultsPerMonth ?? (settings.scenario == .stress ? 4 : 2)
        let faultCount = max(InjectedFault.cycled.count, Int((Double(settings.days) / 30 * faultRate).rounded()))
        let analysers: [Parameter] = [.dissolvedOxygen, .ammoniaNitrogen, .pH, .conductivity, .turbidity, .permanganateIndex]
        for index in 0..<faultCount where !sortedAuto.isEmpty && hours > 96 {
            let kind = InjectedFault.cycled[index % InjectedFault.cycled.count]
            let point = random.pick(sortedAuto)
            let begin = (random.uniform(24...(hours - 72))).rounded()
            let parameter = random.pick(analysers)
            var length: Double
            var magnitude: Double
            var parameters = [parameter]
            switch kind {
            case .stuck: length = random.uniform(12...48).rounded(); magnitude = 0
            case .spike: length = 0; magnitude = random.uniform(4...8)
            case .drift: length = random.uniform(72...240).rounded(); magnitude = random.uniform(0.1...0.25)
            case .dropout:
                length = random.uniform(6...36).rounded(); magnitude = 0; parameters = []
            case .clockOffset:
                length = random.uniform(12...48).rounded(); magnitude = 1; parameters = []
            case .outOfRange:
                length = 0
                switch parameter {
                case .pH: magnitude = 15.2
                case .dissolvedOxygen: magnitude = 38
                default: magnitude = -0.5
                }
            case .step:
                preconditionFailure("a calibration step is not in the cycle")
            }
            faults.append(SensorFault(id: String(format: "F%03d", index + 1), kind: kind, pointID: point.id,
                                      parameters: parameters, start: date(begin), end: date(begin + length),
                                      magnitude: (magnitude * 1000).rounded() / 1000))
        }
        addCalibrationSteps(settings: settings, among: sortedAuto, hours: hours)
        if let variation {
            var pathFaults = RandomSource(seed: settings.seed, stream: 15)
            addFaultsOnPaths(hours: hours, stepHours: Double(settings.intervalMinutes) / 60, random: &pathFaults)
            let conditions = DischargeConditions(network: network, stations: stations, rain: rain, faults: faults,
                                                 velocityFactors: variation.velocityFactors)
            for index in discharges.indices { discharges[index].conditions = conditions.of(discharges[index], among: discharges) }
        }
    }

    /// Calibration steps (`--calibration-steps`, per 30 days): an analyser (NH3-N, conductivity, turbidity, CODMn
    /// or DO) at a station reads 15–40 % high or low for 2–10 days, from one maintenance visit to the next. On a random
    /// stream of its own, after the scenario's faults: without them the plan is what it was.
    private mutating func addCalibrationSteps(settings: SimulationSettings, among stations: [MonitoringPoint], hours: Double) {
        guard settings.calibrationStepsPerMonth > 0, !stations.isEmpty, hours > 96 else { return }
        var random = RandomSource(seed: settings.seed, stream: 16)
        let count = Int((Double(settings.days) / 30 * settings.calibrationStepsPerMonth).rounded())
        let analysers: [Parameter] = [.ammoniaNitrogen, .conductivity, .turbidity, .permanganateIndex, .dissolvedOxygen]
        for _ in 0..<count {
            let point = random.pick(stations)
            let parameter = random.pick(analysers)
            let length = random.uniform(48...240).rounded()
            let begin = random.uniform(24...max(24, hours - length - 1)).rounded()
            let share = random.uniform(0.15...0.4) * (random.uniform() < 0.5 ? -1 : 1)
            faults.append(SensorFault(id: String(format: "F%03d", faults.count + 1), kind: .step, pointID: point.id,
                                      parameters: [parameter], start: origin.addingTimeInterval(begin * 3_600),
                                      end: origin.addingTimeInterval((begin + length) * 3_600),
                                      magnitude: (share * 1000).rounded() / 1000))
        }
    }

    /// Night-time discharges (`--night-discharges`, episodes per 30 days): an outfall releasing industrial effluent
    /// for 2–4 h a night, beginning about the same hour between 22:00 and 02:00 local time, on most nights (each
    /// with odds 0.8) of 4–14 in a row — an enterprise discharging when no inspector comes (夜间偷排). Half at a
    /// registered industrial or mixed outfall, half at an unregistered one. Each night is a discharge of its own
    /// (`N<episode>-<night>`). On a random stream of its own: without them the plan is what it was.
    private mutating func addNightDischarges(settings: SimulationSettings, hours: Double, network: Network,
                                             hydrology: Hydrology) {
        guard settings.nightDischargesPerMonth > 0 else { return }
        var random = RandomSource(seed: settings.seed, stream: 18)
        let count = Int((Double(settings.days) / 30 * settings.nightDischargesPerMonth).rounded())
        let registered = network.sources.filter { Self.signatures(.industrialPulse).contains($0.signature) }
            .sorted { $0.id < $1.id }
        // Hours are counted from the run's first instant: local clock hour h of day d is d·24 + h − originHour.
        let offset = Double(settings.timeZone.secondsFromGMT(for: origin))
        let originHour = ((origin.timeIntervalSince1970 + offset) / 3_600).truncatingRemainder(dividingBy: 24)
        for index in 0..<count {
            let episode = index + 1
            let (source, riverID, km) = Self.outfall(among: registered, odds: 0.5, network: network, random: &random)
            let nights = Int(random.uniform(4...14).rounded())
            let firstDay = Int(random.uniform(2...max(2, Double(settings.days - nights - 3))))
            let clockHour = random.uniform(22...26).rounded()
            let flow = (random.uniform(0.02...0.06) * 1000).rounded() / 1000
            let effluent = Self.effluent(.industrialPulse, random: &random)
            for night in 0..<nights {
                let skipped = random.uniform() >= 0.8
                let begin = Double((firstDay + night) * 24) + clockHour + random.uniform(-1...1).rounded() - originHour
                let length = random.uniform(2...4).rounded()
                guard !skipped, begin > 24, begin + length < hours - 24 else { continue }
                let release = discharge(id: "N\(episode)-\(night + 1)", kind: .industrialPulse, registered: source,
                                      riverID: riverID, km: km, begin: origin.addingTimeInterval(begin * 3_600),
                                      end: origin.addingTimeInterval((begin + length) * 3_600), flow: flow,
                                      effluent: effluent, rainID: nil, network: network, hydrology: hydrology)
                if !release.impacts.isEmpty { discharges.append(release) }
            }
        }
    }

    /// Single-parameter discharges (`--single-parameter-discharges`, per 30 days): sand-washing water (turbidity) or
    /// brine (conductivity), let out at 0.01–0.04 m³/s without a break for 1–5 days — a discharge that moves one
    /// parameter at a station for days, as a recalibrated analyser does. Half at a registered industrial or mixed
    /// outfall, half at an unregistered one; `S<n>`. On a random stream of its own: without them the plan is what it
    /// was.
    private mutating func addSingleParameterDischarges(settings: SimulationSettings, hours: Double, network: Network,
                                                       hydrology: Hydrology) {
        guard settings.singleParameterDischargesPerMonth > 0, hours > 96 else { return }
        var random = RandomSource(seed: settings.seed, stream: 19)
        let count = Int((Double(settings.days) / 30 * settings.singleParameterDischargesPerMonth).rounded())
        for index in 0..<count {
            let kind: DischargeKind = random.uniform() < 0.5 ? .sandWashing : .brine
            let registered = network.sources.filter { Self.signatures(kind).contains($0.signature) }.sorted { $0.id < $1.id }
            let (source, riverID, km) = Self.outfall(among: registered, odds: 0.5, network: network, random: &random)
            let (length, flow) = Self.lengthAndFlow(kind, random: &random)
            let begin = random.uniform(24...max(24, hours - length - 24)).rounded()
            let release = discharge(id: "S\(index + 1)", kind: kind, registered: source, riverID: riverID, km: km,
                                    begin: origin.addingTimeInterval(begin * 3_600),
                                    end: origin.addingTimeInterval((begin + length) * 3_600),
                                    flow: (flow * 1000).rounded() / 1000,
                                    effluent: Self.effluent(kind, random: &random), rainID: nil, network: network,
                                    hydrology: hydrology)
            if !release.impacts.isEmpty { discharges.append(release) }
        }
    }

    private func makeDischarge(index: Int, begin: Double, hours: Double, random: inout RandomSource,
                               network: Network, hydrology: Hydrology, date: (Double) -> Date) -> Discharge? {
        let roll = random.uniform()
        let kind: DischargeKind = roll < 0.45 ? .industrialPulse : roll < 0.8 ? .sewageLeak : .agriculturalRunoff
        let wanted = Self.signatures(kind)
        let registered = network.sources.filter { wanted.contains($0.signature) }.sorted { $0.id < $1.id }
        // Varied runs: about half the events at unregistered outfalls, as districts find them (无名排口).
        let (source, riverID, km) = Self.outfall(among: registered, odds: variation == nil ? 0.6 : 0.5, network: network,
                                                 random: &random)
        let (length, flow) = Self.lengthAndFlow(kind, random: &random)
        let end = min(hours, begin.rounded() + length)
        let result = discharge(id: String(format: "E%03d", index), kind: kind, registered: source, riverID: riverID,
                               km: km, begin: date(begin.rounded()), end: date(end), flow: (flow * 1000).rounded() / 1000,
                               effluent: Self.effluent(kind, random: &random), rainID: nil, network: network,
                               hydrology: hydrology)
        return result.impacts.isEmpty ? nil : result
    }

    /// A release's length in whole hours and its flow in m³/s, drawn for `kind`.
    static func lengthAndFlow(_ kind: DischargeKind, random: inout RandomSource) -> (hours: Double, flow: Double) {
        switch kind {
        case .industrialPulse: (random.uniform(2...6).rounded(), random.uniform(0.03...0.08))
        case .sewageLeak: (random.uniform(72...240).rounded(), random.uniform(0.008...0.02))
        case .agriculturalRunoff, .stormwaterOverflow: (random.uniform(12...36).rounded(), random.uniform(0.05...0.15))
        case .sandWashing, .brine: (random.uniform(24...120).rounded(), random.uniform(0.01...0.04))
        }
    }

    /// Where an event is released: with the given odds at one of `registered` (drawn), else at a random km of a random
    /// river — an unregistered outfall, anywhere with a monitoring point downstream on the same river or below.
    private static func outfall(among registered: [RegisteredSource], odds: Double, network: Network,
                                random: inout RandomSource) -> (source: RegisteredSource?, riverID: String, km: Double) {
        if !registered.isEmpty, random.uniform() < odds {
            let chosen = random.pick(registered)
            return (chosen, chosen.riverID, chosen.kilometre)
        }
        let river = random.pick(network.rivers.sorted { $0.id < $1.id })
        return (nil, river.id, (random.uniform(0.05...0.95) * river.lengthKilometres * 100).rounded() / 100)
    }

    /// The registered sources' signatures a discharge of `kind` may come from.
    static func signatures(_ kind: DischargeKind) -> [SourceSignature] {
        switch kind {
        case .industrialPulse, .sandWashing, .brine: [.industrial, .mixed]
        case .sewageLeak: [.domestic, .mixed]
        case .agriculturalRunoff, .stormwaterOverflow: [.agricultural]
        }
    }

    /// Effluent concentrations per kind (canonical units); after Metcalf & Eddy medium-strength sewage and
    /// typical industrial and runoff profiles (`../shared/reference/standards.md`, signatures).
    static func effluent(_ kind: DischargeKind, random: inout RandomSource) -> [String: Double] {
        let scale = random.uniform(0.8...1.2)
        let table: [Parameter: Double] = switch kind {
        case .industrialPulse:
            [.conductivity: 4000, .permanganateIndex: 60, .chemicalOxygenDemand: 220, .ammoniaNitrogen: 3,
             .totalPhosphorus: 0.8, .totalNitrogen: 8, .turbidity: 80, .pH: random.uniform() < 0.7 ? 10.8 : 3.6,
             .dissolvedOxygen: 3, .biochemicalOxygenDemand: 40]
        case .sewageLeak:
            [.ammoniaNitrogen: 25, .totalPhosphorus: 3, .totalNitrogen: 35, .permanganateIndex: 35,
             .chemicalOxygenDemand: 220, .biochemicalOxygenDemand: 110, .conductivity: 1000, .turbidity: 60,
             .dissolvedOxygen: 0.3, .pH: 7.2]
        case .agriculturalRunoff:
            [.totalPhosphorus: 1.2, .totalNitrogen: 12, .ammoniaNitrogen: 2.5, .turbidity: 200,
             .permanganateIndex: 12, .chemicalOxygenDemand: 40, .biochemicalOxygenDemand: 8, .conductivity: 600,
             .dissolvedOxygen: 5, .pH: 7.3]
        case .stormwaterOverflow:
            [.turbidity: 300, .totalPhosphorus: 1.0, .permanganateIndex: 20, .chemicalOxygenDemand: 80,
             .biochemicalOxygenDemand: 25, .ammoniaNitrogen: 4, .totalNitrogen: 6, .conductivity: 300,
             .dissolvedOxygen: 4, .pH: 7.0]
        // One parameter each; the others are the river's own (``WaterQualityModel``: a missing parameter is unchanged).
        case .sandWashing: [.turbidity: 1500]
        case .brine: [.conductivity: 20000]
        }
        var out: [String: Double] = [:]
        for (parameter, value) in table {
            let scaled = parameter == .pH || parameter == .dissolvedOxygen ? value : value * scale
            out[parameter.code] = (scaled * 1000).rounded() / 1000
        }
        return out
    }

    /// Builds a discharge with its segment and its impacts on every point downstream.
    func discharge(id: String, kind: DischargeKind, registered: RegisteredSource?, riverID: String, km: Double,
                   begin: Date, end: Date, flow: Double, effluent: [String: Double], rainID: Int?,
                   network: Network, hydrology: Hydrology) -> Discharge {
        let onRiver = network.points(on: riverID)
        let above = onRiver.last { $0.kilometre <= km }
        let below = onRiver.first { $0.kilometre > km }
        let segment = Segment(riverID: riverID, upstreamPointID: above?.id, downstreamPointID: below?.id,
                              fromKilometre: above?.kilometre ?? 0,
                              toKilometre: below?.kilometre ?? network.river(riverID)?.lengthKilometres ?? km)
        var impacts: [Impact] = []
        for point in network.points.sorted(by: { $0.id < $1.id }) {
            guard let path = hydrology.path(fromRiver: riverID, kilometre: km, to: point) else { continue }
            // A point just at the outfall still needs the effluent to mix: at least 100 m.
            guard path.kilometres >= 0.1 else { continue }
            let dilution = flow / hydrology.flow(at: point)
            // Peak increments need the background levels: the model fills them in.
            let peak: [Parameter: Double] = [:]
            if let variation, let clock = flowClock {
                impacts.append(variedImpact(point: point, fromRiver: riverID, flowHours: path.hours, dilution: dilution,
                                            begin: begin, end: end, variation: variation, clock: clock, network: network))
                continue
            }
            // Travel time and dilution stay unrounded: the model runs on these very numbers.
            let travel = path.hours * 3_600
            impacts.append(Impact(pointID: point.id, travelHours: path.hours, arrival: begin.addingTimeInterval(travel),
                                  peakTime: begin.addingTimeInterval(travel + end.timeIntervalSince(begin) / 2),
                                  dilution: dilution, peakIncrement: peak))
        }
        // Downstream order: the way a field team walks and a trace-back reads.
        impacts.sort { ($0.travelHours, $0.pointID) < ($1.travelHours, $1.pointID) }
        return Discharge(id: id, kind: kind, registeredSourceID: registered?.id, riverID: riverID, kilometre: km,
                         segment: segment, start: begin, end: end, flowM3PerSecond: flow, effluent: effluent,
                         rainID: rainID, impacts: impacts)
    }
}
