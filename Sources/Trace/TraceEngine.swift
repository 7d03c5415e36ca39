import Foundation
import RiverModel
import Statistics

/// A stretch of time in which a station's readings of one parameter (or all of them) are known to be wrong.
public struct FaultWindow: Sendable, Equatable {
    public var pointID: String
    /// Nil: every parameter of the station (a clock, a logger).
    public var parameter: Parameter?
    public var start: Date
    public var end: Date

    public init(pointID: String, parameter: Parameter?, start: Date, end: Date) {
        self.pointID = pointID
        self.parameter = parameter
        self.start = start
        self.end = end
    }
}

/// Traces anomaly events up the river network to the stretch their source is on (溯源).
///
/// From the event point, the walk looks at the stations immediately upstream — the next one up the same river
/// and the last one on every tributary joining in between — in the window the pollution would have passed them
/// (event time minus travel time, ± half the travel time for the uncertain velocity). An upstream station that
/// saw the event's signature is *affected* and the walk moves to it; when none is, the source lies between the
/// current station and the clean ones above it. Registered sources on that stretch are ranked by how well their
/// signature fits the event's parameter profile, against an unregistered outfall. Travel times are the configured
/// ones corrected by what the period's plumes showed (``LearnedTravelTimes``); the station below is checked for the
/// plume going on, and ``ConfidenceModel`` turns the trace's facts into the share of such verdicts that are right —
/// below ``uncertainBelow`` the verdict is `uncertain`.
public struct TraceEngine: Sendable {
    public let network: Network
    /// Per point id, per parameter: the station series against their baselines.
    public let baselines: [String: [Parameter: BaselineSeries]]
    /// Every event of the period (a district-wide pattern shows as events at many points at once).
    public let events: [AnomalyEvent]
    public let faults: [FaultWindow]
    /// The score an upstream reading must reach (in the event's direction) to count the point as affected.
    public var affectedScore = 3.0
    /// How far above a clean station the suspect stretch starts, km: an outfall just above a station can pass it
    /// unmixed along the far bank and be seen only at the next station down.
    public static let mixingMargin = 0.2
    /// The least correlation, at the best lag, between an upstream station's scores and the event point's over the
    /// onset for the upstream rise to count as the same plume.
    public static let plumeCorrelation = 0.3
    /// How far a station's window reaches either side of where a plume should have passed it: 2 h and half the
    /// travel time, since the rivers' velocities are typical ones, not measured.
    public static func slackHours(travelHours: Double) -> Double { 2 + 0.5 * travelHours }
    /// Events under way within this of an onset count as simultaneous with it.
    public let simultaneity: TimeInterval = 3 * 3_600
    /// The indices of `events` in order of their start, and the longest event's duration: the events under way in a
    /// window are found by binary search (``events(overlapping:_:)``), not by a pass over all of them per event.
    let eventsByStart: [Int]
    let longestEvent: TimeInterval

    /// Per point id, per parameter and direction: how much that station's rise in district-wide patterns is, as a
    /// multiple of the pattern's typical rise (the median over the patterns among `events`; see `rainResponse`).
    var stationResponse: [String: [ParameterMove: Double]] = [:]
    /// The district-wide pattern each of `events` came in, or nil (see `patternsOfEvents`).
    var patterns: [EventKey: PatternContext?] = [:]
    /// The travel times the period's plumes showed (``lagObservations()``), the configured ones as their prior.
    public private(set) var travelTimes = LearnedTravelTimes.configured
    /// Below this confidence a traced event is `uncertain` (``defaultUncertainBelow`` unless set).
    public var uncertainBelow = TraceEngine.defaultUncertainBelow
    /// Flows for the mass balance at confluences: from the rivers' lengths (``FlowIndex/fromRiverLengths(_:headwaterPerKilometreOfLength:)``).
    let flows: FlowIndex

    public init(network: Network, baselines: [String: [Parameter: BaselineSeries]], events: [AnomalyEvent],
                faults: [FaultWindow] = []) {
        self.network = network
        self.baselines = baselines
        self.events = events
        self.faults = faults
        flows = FlowIndex.fromRiverLengths(network)
        eventsByStart = events.indices.sorted { events[$0].start < events[$1].start }
        longestEvent = events.map { $0.end.timeIntervalSince($0.start) }.max() ?? 0
        patterns = patternsOfEvents()
        stationResponse = rainResponse()
        travelTimes = LearnedTravelTimes.learn(lagObservations(), network: network)
    }

    /// The trace-back of one event.
    public func trace(_ event: AnomalyEvent) -> TraceResult {
        var result = TraceResult(pointID: event.pointID, eventStart: event.start, peakTime: event.peakTime,
                                 verdict: .source, rose: event.rose, fell: event.fell, suspectSegment: nil,
                                 alternativeSegments: [], candidates: [], confidence: 0, evidence: [],
                                 walked: [event.pointID], note: nil)
        guard let point = network.point(event.pointID) else { return result }
        if let fault = faultCovering(event) {
            result.verdict = .sensorFault
            result.note = "fault at \(fault.pointID) (\(fault.parameter?.code ?? "*")) over the event"
            return result
        }
        // An event found with the nights around it (``AnomalyEvent/foldedScore``) is a pair of parameters rising the way
        // one kind of effluent moves them, night after night at one hour: under the single-night bar by construction,
        // so neither "no parameter moved the way effluent does" nor a one-parameter instrument fault describes it.
        let folded = event.foldedScore != nil
        if !folded, !event.parameters.contains(where: { abs($0.score) >= affectedScore && Self.pollutionLike($0) }) {
            result.verdict = .notPollution
            result.note = "no parameter moved the way effluent moves it ("
                + event.parameters.map(\.move.code).joined(separator: ", ") + ")"
            return result
        }
        if !folded, let instrument = instrumentLike(event) {
            result.verdict = .sensorFault
            result.suspectedFault = instrument.kind
            result.suspectedFaultParameter = instrument.parameter
            result.note = instrument.note
            return result
        }
        var event = event
        if pattern(of: event, at: point) == nil, let rain = patternBeginning(during: event, at: point) {
            // What the event was before the district-wide pattern began is what an outfall did; the pattern's peak
            // would lend it strength and a runoff signature.
            let hours = Int((rain.began.timeIntervalSince(event.start) / 3_600).rounded())
            guard let before = part(of: event, before: rain.began) else {
                result.verdict = .districtWide
                result.districtPattern = rain.pattern.pattern
                result.note = "began \(hours) h before a district-wide pattern (\(rain.pattern.pattern.summary)) and was no "
                    + "event before it"
                return result
            }
            event = before
            result.districtPattern = rain.pattern.pattern
            result.districtPattern?.handling = .partBefore
            result.districtPattern?.parameters = before.parameters.map(\.parameter)
            result.note = "a district-wide pattern began \(hours) h into the event (\(rain.pattern.pattern.summary)); traced "
                + "by its part before it"
        }
        if let pattern = pattern(of: event, at: point) {
            result.districtPattern = pattern.pattern
            // A plume can arrive during rain: trace it by what the district-wide pattern does not explain.
            // Only what runoff cannot do: rain raises turbidity, nutrients and organics and dilutes conductivity
            // everywhere, so during rain those say nothing of an outfall; a conductivity rise or a pH shift does.
            let distinctive = event.parameters.filter { parameter in
                guard abs(parameter.score) >= 5, Self.pollutionLike(parameter) else { return false }
                // Rain cannot explain a rise it does not cause, nor one several times what it causes here.
                let rise = abs(parameter.increment) / max(abs(parameter.baseline), 1e-9)
                // What this pattern does here: its typical rise, times what patterns usually do at this station —
                // known from three patterns of the period or more; else a wider margin.
                let response = stationResponse[point.id]?[parameter.move]
                let typical = (pattern.typicalRise[parameter.move] ?? 0) * (response ?? 1)
                let multiple = response == nil ? Self.distinctiveMultipleUncalibrated : Self.distinctiveMultiple
                return (!pattern.common.contains(parameter.move) && !Self.runoffExplains(parameter))
                    || rise > max(multiple * typical, typical + 1)
            }
            let polluting = event.parameters.filter { abs($0.score) >= 3 && Self.pollutionLike($0) }
            if !distinctive.isEmpty {
                event.parameters = distinctive
                // The plume is what travelled, not the rain: judge upstream from when it arrived.
                if let arrival = arrival(of: distinctive, at: point, from: event.start, to: event.end) {
                    event.start = max(event.start, arrival)
                }
                if event.start > result.eventStart { result.tracedFrom = event.start }
                result.districtPattern?.handling = .distinctive
                result.districtPattern?.parameters = distinctive.map(\.parameter)
                result.note = "during a district-wide pattern (\(pattern.pattern.summary)); traced by "
                    + distinctive.map(\.move.code).joined(separator: ", ")
            } else if event.end.timeIntervalSince(pattern.ended) > Self.persistence,
                      !anotherPatternBegins(after: pattern.ended, besides: point.id),
                      case let lasting = polluting.filter({ persists($0, at: point, after: pattern.ended) }), !lasting.isEmpty {
                let polluting = lasting
                // A leak that began in the rain outlasts it: trace from when the rest of the district was normal again.
                event.parameters = polluting
                event.start = pattern.ended.addingTimeInterval(2 * 3_600)
                if event.start > result.eventStart { result.tracedFrom = event.start }
                result.districtPattern?.handling = .continuation
                result.districtPattern?.parameters = polluting.map(\.parameter)
                result.note = "began during a district-wide pattern (\(pattern.pattern.summary)) and persisted after it; traced from "
                    + "its continuation"
            } else {
                result.verdict = .districtWide
                result.note = pattern.pattern.summary
                return result
            }
        }
        result.evidence.append(TraceEvidence(pointID: point.id, role: .event, parameter: event.parameters.first?.parameter,
                                             nominalLagHours: 0, lagHours: 0, windowStart: event.start,
                                             windowEnd: event.end, baseline: event.parameters.first?.baseline,
                                             observed: event.parameters.first?.peak, score: event.parameters.first?.score))
        var current = point
        var untaken: [MonitoringPoint] = []
        var stepRise: Double?
        while true {
            let upstream = immediateUpstream(of: current)
            let judged = upstream.map { judge($0, for: event, eventPoint: point, stepRise: stepRise) }
            result.evidence += judged
            let affected = judged.filter { $0.role == .affected }
            var next = affected.max(by: { abs($0.score ?? 0) < abs($1.score ?? 0) })
            if affected.count > 1, let balance = massBalance(affected, below: current) {
                next = affected.first { $0.pointID == balance.pointID }
                result.confluence = balance.check
            }
            guard let next, let nextPoint = network.point(next.pointID) else { break }
            // The branches not taken: the plume may have come down one of them instead.
            untaken += affected.filter { $0.pointID != next.pointID }.compactMap { network.point($0.pointID) }
            current = nextPoint
            result.walked.append(nextPoint.id)
            if let observed = next.observed, let baseline = next.baseline {
                stepRise = abs(observed - baseline) / max(abs(baseline), 1e-9)
            }
        }
        var (main, alternatives) = segments(below: current, evidence: result.evidence)
        if let mouth = tributaryMouth(on: main) { result.confluence = mouth }
        // A station above without readings in its window could hide the way the plume came: its stretch stays open.
        let blind = result.evidence.filter { $0.role == .noData }.compactMap { network.point($0.pointID) }
        for station in blind where !alternatives.contains(where: { $0.riverID == station.riverID && $0.toPointID == station.id }) {
            alternatives.append(SuspectSegment(riverID: station.riverID, fromPointID: nil, toPointID: station.id,
                                               fromKilometre: 0, toKilometre: station.kilometre))
        }
        for station in untaken {
            let stretch = segments(below: station, evidence: result.evidence).0
            if stretch != main && !alternatives.contains(stretch) { alternatives.append(stretch) }
        }
        // The stretches the walk passed, nearest first: if a step's signal was a coincidence, the source is there.
        var fallback: [SuspectSegment] = []
        for id in result.walked.dropLast().reversed() {
            guard let passed = network.point(id) else { continue }
            let stretch = segments(below: passed, evidence: result.evidence).0
            if stretch != main && !alternatives.contains(stretch) && !fallback.contains(stretch) { fallback.append(stretch) }
        }
        // Above a clean station: a plume diluted below the station's threshold may have passed it unnoticed.
        var beyond: [SuspectSegment] = []
        for station in result.evidence.filter({ $0.role == .clean }).compactMap({ network.point($0.pointID) }) {
            let stretch = segments(below: station, evidence: result.evidence).0
            if stretch != main && !alternatives.contains(stretch) && !fallback.contains(stretch) && !beyond.contains(stretch) {
                beyond.append(stretch)
            }
        }
        let changes = SignatureFit.changes(of: event)
        let measured = measured(at: point)
        result.candidates = rank(main: main, alternatives: alternatives, fallback: fallback, beyond: beyond, changes: changes,
                                 measured: measured)
        alternatives += fallback
        // Report the stretch of the best registered candidate when it fits; otherwise the main stretch.
        let best = result.candidates.first.flatMap { candidate in candidate.sourceID.flatMap { id in network.sources.first { $0.id == id } } }
        // The fallback stretch lists its sources but never becomes the suspect one by itself.
        let all = [main] + alternatives.filter { !fallback.contains($0) }
        result.suspectSegment = best.flatMap { source in all.first { $0.contains(riverID: source.riverID, kilometre: source.kilometre) } } ?? main
        result.alternativeSegments = (all + fallback).filter { $0 != result.suspectSegment }
        result.downstream = downstreamCheck(event, at: point)
        result.confidenceBasis = confidenceBasis(result, event: event, measured: measured)
        if let basis = result.confidenceBasis { result.confidence = ConfidenceModel.probability(basis) }
        if result.confidence < uncertainBelow {
            result.verdict = .uncertain
            result.settledBy = settlingSteps(result)
        }
        return result
    }

    // MARK: - The walk

    /// Stations with readings: the points that have baselines.
    func isStation(_ point: MonitoringPoint) -> Bool { !(baselines[point.id]?.isEmpty ?? true) }

    /// The parameters `point` measures (has baselines of): what a signature can be seen in there.
    func measured(at point: MonitoringPoint) -> Set<Parameter>? {
        baselines[point.id].map { Set($0.keys) }
    }

    /// The next station up the same river, and the last station of every tributary joining in between (a
    /// tributary without stations hands over to its own tributaries).
    func immediateUpstream(of point: MonitoringPoint) -> [MonitoringPoint] {
        let onRiver = network.points(on: point.riverID).filter { isStation($0) && $0.kilometre < point.kilometre }
        let above = onRiver.last
        var result = above.map { [$0] } ?? []
        for tributary in network.tributaries(of: point.riverID) {
            let joins = tributary.confluenceKilometres ?? 0
            guard joins <= point.kilometre, joins > (above?.kilometre ?? -.infinity) else { continue }
            result += lowestStations(in: tributary.id)
        }
        return result
    }

    func lowestStations(in riverID: String) -> [MonitoringPoint] {
        if let last = network.points(on: riverID).last(where: isStation) { return [last] }
        return network.tributaries(of: riverID).flatMap { lowestStations(in: $0.id) }
    }

    /// What an upstream station showed where the event should have passed it.
    /// - Parameter stepRise: the relative rise at the station the walk stands on (nil at the event point, whose own
    ///   rise over the onset is used): a plume grows less diluted at every step up.
    func judge(_ upstream: MonitoringPoint, for event: AnomalyEvent, eventPoint: MonitoringPoint,
               stepRise: Double? = nil) -> TraceEvidence {
        let configured = network.downstreamPath(from: upstream, to: eventPoint)?.hours ?? 0
        // Where the period's own plumes showed the rivers faster or slower than configured, their travel times.
        let nominal = travelTimes.hours(from: upstream, to: eventPoint, in: network) ?? configured
        let slack = Self.slackHours(travelHours: nominal) * 3_600
        let windowStart = event.start.addingTimeInterval(-nominal * 3_600 - slack)
        // The onset is what travelled: a long event (a leak, or a pulse run into rain) is judged by its first hours.
        let onsetEnd = min(event.end, event.start.addingTimeInterval(6 * 3_600))
        let windowEnd = onsetEnd.addingTimeInterval(-nominal * 3_600 + slack)
        var evidence = TraceEvidence(pointID: upstream.id, role: .noData, parameter: nil, nominalLagHours: configured,
                                     lagHours: nominal, windowStart: windowStart, windowEnd: windowEnd)
        if abs(nominal - configured) > 1e-9 { evidence.learnedLagHours = (nominal * 100).rounded() / 100 }
        let lead = event.parameters.filter { abs($0.score) >= 3 }.prefix(3)
        let measured = lead.compactMap { baselines[upstream.id]?[$0.parameter] }
        let interval = measured.first?.interval ?? 3_600
        // A plume of a few hours can pass a coarsely read station in one reading; and a station read less often than
        // the event point in one reading where the onset there spanned less than two of this station's intervals.
        // Both intervals of one parameter: an analyser may report at another rate than its station's others.
        let compared = lead.first { baselines[upstream.id]?[$0.parameter] != nil }
        let eventInterval = compared.flatMap { baselines[event.pointID]?[$0.parameter]?.interval } ?? interval
        let onsetSpan = onsetEnd.timeIntervalSince(event.start) + eventInterval
        let strongNeeded = AnomalyDetector.isCoarse(interval: interval)
            || interval > 1.5 * eventInterval && onsetSpan < 2 * interval ? 1 : 2
        var best: (parameter: Parameter, index: Int, score: Double, series: BaselineSeries)?
        var readingsInWindow = 0
        var agreeing = 0
        var busy = false
        for parameter in lead {
            guard let series = baselines[upstream.id]?[parameter.parameter] else { continue }
            let direction = parameter.direction.sign
            var index = series.firstIndex(atOrAfter: windowStart)
            var strongest: (index: Int, score: Double)?
            var strongReadings = 0
            while index < series.times.count, series.times[index] <= windowEnd {
                readingsInWindow += 1
                let score = direction * series.score(index)
                if score >= affectedScore - 0.5 { strongReadings += 1 }
                if score > strongest?.score ?? -.infinity { strongest = (index, score) }
                index += 1
            }
            guard let strongest else { continue }
            // Already off its baseline a day before the plume could have arrived: another cause (a leak of its own,
            // a long event upstream), not this plume passing.
            // A day of tolerance: a weak leak's onset is detected late at the event point.
            let before = windowStart.addingTimeInterval(-36 * 3_600)
            var early = series.firstIndex(atOrAfter: before)
            var earlier = 0
            var earlierHigh = 0
            while early < series.times.count, series.times[early] < windowStart.addingTimeInterval(-24 * 3_600) {
                earlier += 1
                if direction * series.score(early) >= affectedScore - 0.5 { earlierHigh += 1 }
                early += 1
            }
            let preexisting = earlier >= 4 && 2 * earlierHigh > earlier
            // Two readings (one where the station reads coarsely) in the event's direction, one of them clearly, at
            // least half the relative rise seen at the event point (upstream is nearer the source and less diluted),
            // and either a detected event there or a second parameter agreeing: one noisy analyser in a wide window
            // is not a plume.
            if preexisting && strongest.score >= affectedScore { busy = true }
            let affected = strongReadings >= strongNeeded && strongest.score >= affectedScore && !preexisting
                && relativeRise(series, at: strongest.index, direction: direction)
                    >= 0.5 * (stepRise ?? relativeRise(of: parameter, at: eventPoint, from: event.start, to: onsetEnd,
                                                      direction: direction))
            if affected {
                agreeing += 1
                if hasEvent(at: upstream.id, parameter: parameter, from: windowStart, to: windowEnd) || agreeing >= 2 {
                    evidence.role = .affected
                }
            }
            if affected || evidence.role != .affected && strongest.score > best?.score ?? -.infinity {
                if best == nil || affected || strongest.score > best!.score {
                    best = (parameter.parameter, strongest.index, strongest.score, series)
                }
            }
        }
        // Clean means looked at: half the window's expected readings (a fault or a gap leaves "no data").
        let expected = windowEnd.timeIntervalSince(windowStart) / interval * Double(max(1, measured.count))
        guard evidence.role == .affected || Double(readingsInWindow) >= 0.5 * expected else { return evidence }
        // Off its baseline since long before: it can neither confirm nor clear the stretch above it.
        if evidence.role != .affected { evidence.role = busy ? .noData : .clean }
        if let best {
            evidence.parameter = best.parameter
            evidence.baseline = best.series.expected[best.index]
            evidence.observed = best.series.values[best.index]
            evidence.score = best.series.score(best.index)
            if evidence.role == .affected, let own = baselines[event.pointID]?[best.parameter] {
                let lag = refinedLag(upstream: best.series, downstream: own, event: event, nominal: nominal)
                evidence.lagHours = lag.hours
                // A plume keeps its shape from station to station; a rise upstream that does not follow the event's
                // course at any plausible lag is something else passing.
                if let correlation = lag.correlation, correlation < Self.plumeCorrelation { evidence.role = .clean }
            }
        }
        return evidence
    }

    func relativeRise(_ series: BaselineSeries, at index: Int, direction: Double) -> Double {
        direction * (series.values[index] - series.expected[index]) / max(abs(series.expected[index]), 1e-9)
    }

    /// The largest relative rise of `parameter` at the event point over the event's onset.
    func relativeRise(of parameter: EventParameter, at point: MonitoringPoint, from: Date, to: Date, direction: Double) -> Double {
        guard let series = baselines[point.id]?[parameter.parameter] else { return 0 }
        var index = series.firstIndex(atOrAfter: from)
        var best = 0.0
        while index < series.times.count, series.times[index] <= to {
            best = max(best, relativeRise(series, at: index, direction: direction))
            index += 1
        }
        return best
    }

    /// When the plume among a district-wide pattern arrived: the first reading of a distinctive parameter at half
    /// its peak score or more (the pattern's own rise stays well below it, or the parameter would not be distinctive).
    func arrival(of parameters: [EventParameter], at point: MonitoringPoint, from: Date, to: Date) -> Date? {
        parameters.compactMap { parameter -> Date? in
            guard let series = baselines[point.id]?[parameter.parameter] else { return nil }
            let direction = parameter.direction.sign
            let threshold = max(affectedScore, 0.5 * abs(parameter.score))
            var index = series.firstIndex(atOrAfter: from)
            while index < series.times.count, series.times[index] <= to {
                if direction * series.score(index) >= threshold { return series.times[index] }
                index += 1
            }
            return nil
        }.min()
    }

    func hasEvent(at pointID: String, parameter: EventParameter, from: Date, to: Date) -> Bool {
        events(overlapping: from, to).contains { other in
            other.pointID == pointID && other.parameters.contains { $0.move == parameter.move }
        }
    }

    /// The lag (hours) that best lines up the two stations' scores over the event, searched from half to
    /// one and a half times the expected travel time (learned, or from the velocities in `rivers.csv`).
    /// - Returns: the lag used, and the best correlation (nil when fewer than six readings pair up).
    func refinedLag(upstream: BaselineSeries, downstream: BaselineSeries, event: AnomalyEvent,
                    nominal: Double) -> (hours: Double, correlation: Double?) {
        let low = max(0, Int((0.5 * nominal).rounded(.down)))
        let high = Int((1.5 * nominal + 2).rounded(.up))
        let best = bestLag(upstream: upstream, downstream: downstream, event: event, lags: low...max(low, high))
        guard let correlation = best.correlation else { return (nominal, nil) }
        return (correlation > 0.5 ? best.hours : nominal, correlation)
    }

    /// Of whole-hour `lags`, the one at which the upstream scores best correlate with the downstream ones over the
    /// event's onset (a day at most, so a long leak or the rain after it does not drown the plume's shape).
    /// - Returns: that lag and its correlation (nil, with the lowest lag, when fewer than six readings pair up).
    func bestLag(upstream: BaselineSeries, downstream: BaselineSeries, event: AnomalyEvent,
                 lags: ClosedRange<Int>) -> (hours: Double, correlation: Double?) {
        let from = downstream.firstIndex(atOrAfter: event.start.addingTimeInterval(-6 * 3_600))
        let to = downstream.firstIndex(atOrAfter: min(event.end, event.start.addingTimeInterval(24 * 3_600))
                                            .addingTimeInterval(6 * 3_600))
        guard to - from >= 6 else { return (Double(lags.lowerBound), nil) }
        var bestLag = Double(lags.lowerBound)
        var bestCorrelation = -Double.infinity
        for lag in lags {
            var pairs: [(Double, Double)] = []
            for index in from..<to {
                let shifted = downstream.times[index].addingTimeInterval(-Double(lag) * 3_600)
                let match = upstream.firstIndex(atOrAfter: shifted.addingTimeInterval(-900))
                guard match < upstream.times.count, abs(upstream.times[match].timeIntervalSince(shifted)) <= 900 else { continue }
                pairs.append((upstream.score(match), downstream.score(index)))
            }
            guard pairs.count >= 6 else { continue }
            let correlation = Self.correlation(pairs)
            if correlation > bestCorrelation + 1e-12 {
                bestCorrelation = correlation
                bestLag = Double(lag)
            }
        }
        return (bestLag, bestCorrelation > -.infinity ? bestCorrelation : nil)
    }

    static func correlation(_ pairs: [(Double, Double)]) -> Double {
        let n = Double(pairs.count)
        let meanX = pairs.map(\.0).reduce(0, +) / n
        let meanY = pairs.map(\.1).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
            syy += (y - meanY) * (y - meanY)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    // MARK: - Localisation

    /// The stretch above `point` up to the station above it (or the river's start), and every tributary joining
    /// that stretch below its last station (or whole, without one).
    func segments(below point: MonitoringPoint, evidence: [TraceEvidence]) -> (SuspectSegment, [SuspectSegment]) {
        let above = network.points(on: point.riverID).last { isStation($0) && $0.kilometre < point.kilometre }
        let main = SuspectSegment(riverID: point.riverID, fromPointID: above?.id, toPointID: point.id,
                                  fromKilometre: max(0, (above?.kilometre ?? 0) - Self.mixingMargin),
                                  toKilometre: point.kilometre)
        var alternatives: [SuspectSegment] = []
        func addTributary(_ river: River) {
            let last = network.points(on: river.id).last(where: isStation)
            alternatives.append(SuspectSegment(riverID: river.id, fromPointID: last?.id, toPointID: nil,
                                               fromKilometre: max(0, (last?.kilometre ?? 0) - Self.mixingMargin),
                                               toKilometre: river.lengthKilometres))
            if last == nil { network.tributaries(of: river.id).forEach(addTributary) }
        }
        for tributary in network.tributaries(of: point.riverID) {
            let joins = tributary.confluenceKilometres ?? 0
            if joins <= point.kilometre, joins > main.fromKilometre || above == nil { addTributary(tributary) }
        }
        return (main, alternatives)
    }

    /// The part of a candidate's score its place on the stretch earns whatever its signature: a profile seen far
    /// downstream, diluted and mixed with the river's own changes, can miss an outfall's signature.
    static let positionPrior = 0.25
    /// The share of the best-fitting profile's fit an unregistered source on the suspect stretch is credited with: a
    /// registered one there must fit the event better to rank above it, one on a joining stretch (weight 0.8) clearly
    /// better.
    static let unregisteredShare = 0.8

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    static func kilometres(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Registered sources on the stretches, by signature fit (a tributary stretch counts a little less: the
    /// walk found nothing pointing into it), and an unregistered source on the main stretch.
    func rank(main: SuspectSegment, alternatives: [SuspectSegment], fallback: [SuspectSegment] = [],
              beyond: [SuspectSegment] = [], changes: [Parameter: Double],
              measured: Set<Parameter>? = nil) -> [SourceCandidate] {
        var candidates: [SourceCandidate] = []
        for source in network.sources {
            func on(_ stretches: [SuspectSegment]) -> Bool {
                stretches.contains { $0.contains(riverID: source.riverID, kilometre: source.kilometre) }
            }
            let (weight, place, why): (Double, SourceCandidate.Place, String)
            if on([main]) {
                (weight, place, why) = (1, .suspectStretch, "on the suspect stretch of \(main.riverID)")
            } else if on(alternatives) {
                (weight, place, why) = (0.8, .alternativeStretch,
                                        "on a stretch joining the suspect one, or above a station without usable readings")
            } else if let step = fallback.firstIndex(where: { $0.contains(riverID: source.riverID, kilometre: source.kilometre) }) {
                // 0.6 for the stretch the last step left, less for each step further down.
                (weight, place, why) = (0.6 * pow(0.8, Double(step)), .passedStretch,
                                        "on a stretch the walk passed, should a step's signal be a coincidence")
            } else if on(beyond) {
                (weight, place, why) = (0.3, .aboveCleanStation,
                                        "above a station that looked clean, should the plume have passed it too diluted to see")
            } else {
                continue
            }
            let fit = SignatureFit.fit(source.signature, changes: changes, measured: measured)
            let score = weight * (Self.positionPrior + (1 - Self.positionPrior) * fit)
            candidates.append(SourceCandidate(sourceID: source.id, score: (score * 1000).rounded() / 1000,
                                              reasons: ["signature \(source.signature.rawValue) fits \(Int((fit * 100).rounded())) %", why],
                                              place: place, signatureFit: (fit * 1000).rounded() / 1000))
        }
        // An unregistered outfall (无名排口) anywhere on the suspect stretch may have any profile, but nothing places
        // it: it ranks first unless a registered source on the stretch fits the event nearly as well as the profile
        // that fits it best (``unregisteredShare`` of it). Relative, since a plume diluted downstream fits every
        // profile weakly, the true one still best.
        let profile = SignatureFit.bestProfile(changes: changes, measured: measured)
        let unregistered = Self.positionPrior + (1 - Self.positionPrior) * Self.unregisteredShare * profile.fit
        let best = candidates.max { $0.score < $1.score }
        let reason = best.flatMap { best in best.score >= unregistered ? "registered \(best.sourceID ?? "") fits the event better" : nil }
            ?? "no registered source here fits the event better"
                + (best.flatMap { best in best.signatureFit.map { " (best: \(best.sourceID ?? "") \(Self.percent($0)) by signature, "
                    + "against \(Self.percent(profile.fit)) for the \(profile.signature.rawValue) profile)" } } ?? "")
        candidates.append(SourceCandidate(sourceID: nil, score: (unregistered * 1000).rounded() / 1000,
                                          reasons: ["an unregistered outfall or illegal connection between km "
                                                    + "\(Self.kilometres(main.fromKilometre)) and km \(Self.kilometres(main.toKilometre)) of \(main.riverID)",
                                                    reason],
                                          place: .suspectStretch))
        return candidates.sorted { ($0.score, $1.sourceID ?? "~") > ($1.score, $0.sourceID ?? "~") }
    }
}
