import Foundation
import RiverModel
import Statistics

/// The events that are no single outfall's: over a sensor fault, or part of a district-wide pattern such as rain —
/// and, within such a pattern, what can still be traced.
extension TraceEngine {
    /// A known fault at the event point, on the event's lead parameter or the whole station, over the event.
    func faultCovering(_ event: AnomalyEvent) -> FaultWindow? {
        guard let lead = event.parameters.first?.parameter else { return nil }
        return faults.first {
            $0.pointID == event.pointID && ($0.parameter == lead || $0.parameter == nil)
                && $0.start <= event.end && event.start <= $0.end
        }
    }

    /// An event lasting this much longer than the district-wide pattern it began in is traced by its continuation.
    static let persistence: TimeInterval = 24 * 3_600

    /// Events under way at several stations around this onset, without the lag a travelling plume would show:
    /// rain or a district-wide pattern. A station up or down the same flow path counts when its onset differs
    /// from this one by less than half the travel time between them (less 1 h); one on another branch always.
    /// A district-wide pattern as one event saw it: the pattern, the parameter-directions most of its events share,
    /// when it ended (the median end), and its typical relative rise per parameter-direction.
    typealias PatternContext = (pattern: DistrictPattern, common: Set<ParameterMove>, ended: Date, typicalRise: [ParameterMove: Double])

    /// Identifies an event among `events`.
    struct EventKey: Hashable {
        let pointID: String
        let start: Date
        init(_ event: AnomalyEvent) { (pointID, start) = (event.pointID, event.start) }
    }

    /// The pattern each of `events` came in (nil where none), worked out once: the rain response and the traces
    /// both need it.
    func patternsOfEvents() -> [EventKey: PatternContext?] {
        var patterns: [EventKey: PatternContext?] = [:]
        for event in events {
            guard let point = network.point(event.pointID) else { continue }
            patterns[EventKey(event)] = .some(districtWide(event, at: point))
        }
        return patterns
    }

    /// The pattern `event` came in, from `patterns` when it is one of `events`.
    func pattern(of event: AnomalyEvent, at point: MonitoringPoint) -> PatternContext? {
        if let known = patterns[EventKey(event)] { return known }
        return districtWide(event, at: point)
    }

    /// The events under way at some time in [from, to] (start ≤ to, end ≥ from), in the order of `events`: every
    /// look for other events near a time goes through it.
    func events(overlapping from: Date, _ to: Date) -> [AnomalyEvent] {
        // Starts from `from` less the longest event on: no event starting before that can reach `from`.
        let earliest = from.addingTimeInterval(-longestEvent)
        var low = 0, high = eventsByStart.count
        while low < high {
            let middle = (low + high) / 2
            if events[eventsByStart[middle]].start >= earliest { high = middle } else { low = middle + 1 }
        }
        var found: [Int] = []
        for index in eventsByStart[low...] {
            guard events[index].start <= to else { break }
            if events[index].end >= from { found.append(index) }
        }
        return found.sorted().map { events[$0] }
    }

    func districtWide(_ event: AnomalyEvent, at point: MonitoringPoint) -> PatternContext? {
        let stations = Set(baselines.keys)
        let together = events(overlapping: event.start.addingTimeInterval(-simultaneity),
                              event.start.addingTimeInterval(simultaneity)).filter { $0.pointID != event.pointID }
        let withoutLag = Set(together.compactMap { other -> String? in
            guard let otherPoint = network.point(other.pointID) else { return nil }
            let hoursAfterOther = event.start.timeIntervalSince(other.start) / 3_600
            if let path = network.downstreamPath(from: otherPoint, to: point) {
                return hoursAfterOther < 0.5 * path.hours - 1 ? other.pointID : nil
            }
            if let path = network.downstreamPath(from: point, to: otherPoint) {
                return -hoursAfterOther < 0.5 * path.hours - 1 ? other.pointID : nil
            }
            return other.pointID
        })
        let share = Double(Set(together.map(\.pointID)).count + 1) / Double(max(1, stations.count))
        guard withoutLag.count >= 2 else { return nil }
        // What most of the simultaneous events show: the district-wide pattern itself.
        var counts: [ParameterMove: Int] = [:]
        for other in together where withoutLag.contains(other.pointID) {
            for key in Set(other.parameters.map(\.move)) { counts[key, default: 0] += 1 }
        }
        let common = Set(counts.filter { 2 * $0.value >= withoutLag.count }.keys)
        // A storm cell wets part of the district: fewer stations, but several at once and all muddied, this one too, as
        // runoff does (an outfall's plume under light rain elsewhere is not muddied by it).
        let local = share < Self.widespreadShare
        if local {
            let muddied = Self.muddiedStations(together.filter { withoutLag.contains($0.pointID) })
            guard withoutLag.count >= Self.localPatternStations, 2 * muddied.count >= withoutLag.count,
                  event.isMuddied else { return nil }
        }
        let ends = together.filter { withoutLag.contains($0.pointID) }.map(\.end).sorted()
        // How much the pattern itself raises each parameter, relative to the baseline: the median over the stations.
        var rises: [ParameterMove: [Double]] = [:]
        for other in together where withoutLag.contains(other.pointID) {
            for parameter in other.parameters {
                rises[parameter.move, default: []].append(abs(parameter.increment) / max(abs(parameter.baseline), 1e-9))
            }
        }
        let typical = rises.mapValues { SensSlope.median($0) }
        let pattern = DistrictPattern(stationsWithEvents: Set(together.map(\.pointID)).count + 1, stations: stations.count,
                                      withoutLag: withoutLag.count, withinHours: Int(simultaneity / 3_600),
                                      handling: .notTraced, parameters: [], local: local ? true : nil)
        return (pattern, common, ends[ends.count / 2], typical)
    }

    /// The share of the stations with events at once from which a pattern is district-wide whatever it shows.
    static let widespreadShare = 0.3
    /// Below ``widespreadShare``, a pattern is a storm cell's (local rain) when at least this many other stations
    /// have events at once without a plume's lag, turbidity rose at most of them (``runoffMark``) and at this station
    /// too: a plume reaches one flow path, in its travel order, and muddies the water no more than its outfall does.
    /// Three, not two: two stations at once can be one plume and a coincidence.
    static let localPatternStations = 3
    /// What runoff does first and everywhere it reaches: turbidity up.
    static let runoffMark = ParameterMove(parameter: .turbidity, direction: .rose)

    /// The stations among `events` where turbidity rose (``AnomalyEvent/isMuddied``), counted once each: a station with
    /// two such events is one station muddied, not two.
    static func muddiedStations(_ events: some Sequence<AnomalyEvent>) -> Set<String> {
        Set(events.filter(\.isMuddied).map(\.pointID))
    }

    /// How many times what a pattern does at this station a rise must be to stand out of it as a plume: 3 where
    /// the station's own response is known (`rainResponse`), 5 times the district's typical rise where it is not.
    static let distinctiveMultiple = 3.0
    static let distinctiveMultipleUncalibrated = 5.0

    /// How each station answers district-wide patterns: per point and parameter-direction, the median over the
    /// patterns among `events` (at least three) of the station's relative rise divided by the pattern's typical one.
    /// A station below a combined-sewer outfall doubles its ammonia in every rain; one on a clean headwater barely
    /// moves. Plumes are rare among patterns, so the median is the station's own rain response.
    func rainResponse() -> [String: [ParameterMove: Double]] {
        var ratios: [String: [ParameterMove: [Double]]] = [:]
        for event in events {
            guard let point = network.point(event.pointID), let pattern = pattern(of: event, at: point) else { continue }
            for parameter in event.parameters {
                guard let typical = pattern.typicalRise[parameter.move], typical > 0 else { continue }
                let rise = abs(parameter.increment) / max(abs(parameter.baseline), 1e-9)
                ratios[point.id, default: [:]][parameter.move, default: []].append(rise / typical)
            }
        }
        return ratios.mapValues { byKey in byKey.filter { $0.value.count >= 3 }.mapValues { SensSlope.median($0) } }
    }

    /// Whether events begin at 30 % or more of the other stations within the day after a pattern ended: the next
    /// rain, which would pass for a leak persisting.
    func anotherPatternBegins(after ended: Date, besides pointID: String) -> Bool {
        let from = ended.addingTimeInterval(2 * 3_600), to = ended.addingTimeInterval(Self.persistence + 6 * 3_600)
        let starting = Set(events(overlapping: from, to).filter { $0.pointID != pointID && $0.start > from }.map(\.pointID))
        return Double(starting.count) >= Self.widespreadShare * Double(max(1, baselines.count - 1))
    }

    /// Whether the parameter moved the way effluent moves it (``Parameter/pollutionEffect``).
    static func pollutionLike(_ parameter: EventParameter) -> Bool {
        parameter.parameter.isPollutionLike(parameter.direction)
    }

    /// What rain runoff does to a river by itself (turbidity, nutrients and organics up, conductivity and
    /// transparency down): no sign of one outfall while it rains.
    static func runoffExplains(_ parameter: EventParameter) -> Bool {
        switch parameter.parameter {
        case .turbidity, .totalPhosphorus, .totalNitrogen, .ammoniaNitrogen, .permanganateIndex, .chemicalOxygenDemand,
             .biochemicalOxygenDemand: parameter.direction == .rose
        case .conductivity, .transparency: parameter.direction == .fell
        default: false
        }
    }

    /// Whether a parameter is still well off its baseline (18 of the readings at 3 or more in its direction) in
    /// the day after a district-wide pattern ended: the tail of the pattern fades within hours, a leak does not.
    func persists(_ parameter: EventParameter, at point: MonitoringPoint, after ended: Date) -> Bool {
        guard let series = baselines[point.id]?[parameter.parameter] else { return false }
        let direction = parameter.direction.sign
        var index = series.firstIndex(atOrAfter: ended.addingTimeInterval(6 * 3_600))
        var strong = 0
        var all = 0
        while index < series.times.count, series.times[index] <= ended.addingTimeInterval(30 * 3_600) {
            if direction * series.score(index) >= 3 { strong += 1 }
            all += 1
            index += 1
        }
        return all >= 6 && 4 * strong >= 3 * all
    }
}

/// The readings of an event that no detected fault covers but that an instrument, not the water, made.
extension TraceEngine {
    /// Most readings a spike has: a plume passes a station over hours, dispersion spreading it further.
    static let spikeReadings = 2
    /// Least length of a drift, and least time its one parameter takes from leaving its baseline to 80 % of its
    /// peak: an outfall's plume arrives within hours (a leak as a step), a drifting electrode creeps for days.
    static let driftHours = 48.0
    static let driftRampHours = 24.0
    /// Least length of a calibration step, and the most any other parameter of the station may move meanwhile (its
    /// median score over the event, in noise widths): a leak that lifts one parameter for a day lifts the others it
    /// carries too, and a day's median of the stations' autocorrelated noise stays within 2 in all but a few cases.
    static let stepHours = 24.0
    static let stepOthersScore = 2.0
    /// Least level of a calibration step, in noise widths: 15 % on a station's 3 % noise; a plume diluted on its way
    /// down can hold one parameter level at 3–4 for days (the simulated year's sewage leaks at the main river's lower
    /// stations).
    static let stepLevel = 5.0

    /// A spike, a drift or a calibration step in one parameter, with no other parameter of the station moving with
    /// it: what an analyser does, not effluent, which moves several parameters together (``SignatureFit``). Nil when
    /// the event is not so.
    func instrumentLike(_ event: AnomalyEvent) -> (kind: FaultKind, parameter: Parameter, note: String)? {
        if let step = calibrationStep(event) { return step }
        let moving = event.parameters.filter { abs($0.score) >= affectedScore }
        guard moving.count == 1, let only = moving.first,
              let series = baselines[event.pointID]?[only.parameter] else { return nil }
        let direction = only.direction.sign
        var high: [Int] = []
        var index = series.firstIndex(atOrAfter: event.start)
        while index < series.times.count, series.times[index] <= event.end {
            if direction * series.score(index) >= affectedScore { high.append(index) }
            index += 1
        }
        guard let first = high.first else { return nil }
        if high.count <= Self.spikeReadings {
            // Read every few hours, two readings span a short pulse too: the note says so rather than claim the sensor.
            let interval = series.interval
            let why = AnomalyDetector.isCoarse(interval: interval)
                ? "readings \(Int((interval / 3_600).rounded())) h apart, so a short pulse of one parameter would look the same"
                : "a plume lasts hours and moves several"
            return (.spike, only.parameter, "spike: \(high.count) reading\(high.count == 1 ? "" : "s") of \(only.move.code) "
                        + "and no other parameter moved; " + why)
        }
        let hours = event.end.timeIntervalSince(event.start) / 3_600
        let peak = high.map { direction * series.score($0) }.max() ?? 0
        if hours >= Self.driftHours, let near = high.first(where: { direction * series.score($0) >= 0.8 * peak }) {
            let ramp = series.times[near].timeIntervalSince(series.times[first]) / 3_600
            // Water travels, an analyser stays (as for a step): a rise the station below or above shows too is water.
            if ramp >= Self.driftRampHours, let point = network.point(event.pointID),
               sameShiftNearby(only.move, of: event, at: point) == nil {
                return (.drift, only.parameter, "drift: \(only.move.code) alone crept for \(Int(ramp.rounded())) h to 80 % of its peak "
                            + "and no other parameter moved, nor did the stations next to it; a plume arrives within hours, "
                            + "moves several and travels")
            }
        }
        return nil
    }

    /// A calibration step: one parameter shifted at once and level for ``stepHours`` or more
    /// (``levelShift(_:)`` from its first reading at ``affectedScore``), every other one the station
    /// reads still (``othersStill(_:besides:from:to:)``). Judged by levels, not peaks: over days another parameter's
    /// noise peaks above the score of 3 by chance, and a peak is not a level.
    func calibrationStep(_ event: AnomalyEvent) -> (kind: FaultKind, parameter: Parameter, note: String)? {
        let hours = event.end.timeIntervalSince(event.start) / 3_600
        guard hours >= Self.stepHours, let only = singleShift(event, from: event.start, to: event.end) else { return nil }
        // One station's analyser, not a district-wide pattern: rain lifts one parameter most at a station for a day. A
        // pattern over or beginning in the event rules the step out only when most of its events move the shifted
        // parameter the same way (rain does not raise conductivity, nor lower turbidity: steps fall in rainy weeks
        // too), and then, for a pattern that begins during the event, unless the event's part before it is a step of
        // that parameter on its own. Not the part after a pattern: runoff keeps turbidity up for days after rain, level
        // and alone, at several stations at once. Looked at last: the pattern searches cost more than the checks
        // above, and most events fail those.
        guard let point = network.point(event.pointID) else { return nil }
        let move = only.parameter.move
        if let over = pattern(of: event, at: point), over.common.contains(move) { return nil }
        if let beginning = patternBeginning(during: event, at: point), beginning.pattern.common.contains(move) {
            let before = beginning.began.addingTimeInterval(-3_600)
            guard before.timeIntervalSince(event.start) >= Self.stepHours * 3_600,
                  singleShift(event, from: event.start, to: before)?.parameter.move == move else { return nil }
        }
        // Water travels, an analyser stays: a shift the station below saw after the travel time, or one above before
        // it, is a discharge of that parameter alone (sand-washing water, brine), not a calibration.
        if sameShiftNearby(only.parameter.move, of: event, at: point) != nil { return nil }
        return (.calibrationStep, only.parameter.parameter, "calibration step: \(only.parameter.move.code) alone shifted "
                    + "\(String(format: "%.1f", only.level)) noise widths at once and held there for \(Int(hours.rounded())) h "
                    + "while no other parameter of the station moved even \(Int(Self.stepOthersScore)) in its median; a leak "
                    + "that long lifts the others it carries too, and the stations next to it showed no such shift")
    }

    /// The station next below `point` with an event moving `move` that begins in ``arrivalWindow(after:travelHours:)``
    /// of `event`'s onset, else one of the stations next above with such an event beginning as long before the onset;
    /// nil when neither saw one.
    func sameShiftNearby(_ move: ParameterMove, of event: AnomalyEvent, at point: MonitoringPoint) -> MonitoringPoint? {
        func moved(at station: MonitoringPoint, from: Date, to: Date) -> Bool {
            events(overlapping: from, to).contains { other in
                other.pointID == station.id && other.start >= from && other.start <= to
                    && other.parameters.contains { $0.move == move && abs($0.score) >= affectedScore }
            }
        }
        if let below = stationBelow(point), let hours = travelTimes.hours(from: point, to: below, in: network) {
            let window = Self.arrivalWindow(after: event.start, travelHours: hours)
            if moved(at: below, from: window.from, to: window.to) { return below }
        }
        return immediateUpstream(of: point).first { above in
            guard let hours = travelTimes.hours(from: above, to: point, in: network) else { return false }
            // The same window, looking back: the onsets above from which this one is an arrival.
            let window = Self.arrivalWindow(after: event.start, travelHours: hours)
            let back = (from: event.start.addingTimeInterval(-window.to.timeIntervalSince(event.start)),
                        to: event.start.addingTimeInterval(-window.from.timeIntervalSince(event.start)))
            return moved(at: above, from: back.from, to: back.to)
        }
    }

    /// The one parameter of `event` whose readings from `start` to `end` shifted level by ``stepLevel`` or more
    /// (``levelShift(_:)`` from its first reading at ``affectedScore``) while every other one the station reads stayed
    /// still; nil when none or several did.
    func singleShift(_ event: AnomalyEvent, from start: Date, to end: Date) -> (parameter: EventParameter, level: Double)? {
        var shifted: [(parameter: EventParameter, level: Double)] = []
        for parameter in event.parameters where abs(parameter.score) >= affectedScore {
            guard let series = baselines[event.pointID]?[parameter.parameter] else { continue }
            let scores = Self.scores(series, from: start, to: end, direction: parameter.direction.sign)
            // From its first reading at the score of 3.
            guard let first = scores.firstIndex(where: { $0 >= affectedScore }),
                  let level = levelShift(Array(scores[first...])) else { continue }
            shifted.append((parameter, level))
        }
        guard shifted.count == 1, let only = shifted.first, only.level >= Self.stepLevel,
              othersStill(event, besides: only.parameter.parameter, from: start, to: end) else { return nil }
        return only
    }

    /// The scores of `series`' readings from `start` to `end`, signed so that `direction` is positive.
    static func scores(_ series: BaselineSeries, from start: Date, to end: Date, direction: Double = 1) -> [Double] {
        var scores: [Double] = []
        var index = series.firstIndex(atOrAfter: start)
        while index < series.times.count, series.times[index] <= end {
            scores.append(direction * series.score(index))
            index += 1
        }
        return scores
    }

    /// The median of `scores` (an event's, in its direction, from its first high reading) when it is at least
    /// ``affectedScore`` and the first three readings' median already reaches 70 % of it: a shift on at once and
    /// level, not a rise and decay; nil otherwise.
    func levelShift(_ scores: [Double]) -> Double? {
        guard scores.count >= 6 else { return nil }
        let level = SensSlope.median(scores)
        guard level >= affectedScore, SensSlope.median(Array(scores.prefix(3))) >= 0.7 * level else { return nil }
        return level
    }

    /// Whether every other parameter the station reads stayed within ``stepOthersScore`` noise widths (its median
    /// score from `start` to `end`), with at least one such parameter read.
    func othersStill(_ event: AnomalyEvent, besides moving: Parameter, from start: Date, to end: Date) -> Bool {
        var others = 0
        for (parameter, series) in baselines[event.pointID] ?? [:] where parameter != moving {
            let scores = Self.scores(series, from: start, to: end)
            guard scores.count >= 6 else { continue }
            guard abs(SensSlope.median(scores)) < Self.stepOthersScore else { return false }
            others += 1
        }
        return others > 0
    }
}

/// A district-wide pattern that begins while an event is under way: rain arriving on a leak, or on a small excursion
/// that the rain's peak would otherwise lend its strength and its runoff signature.
extension TraceEngine {
    /// The first district-wide pattern beginning more than an hour into `event` (at the onset of another station's
    /// event), and when it began; nil when none does.
    func patternBeginning(during event: AnomalyEvent, at point: MonitoringPoint) -> (began: Date, pattern: PatternContext)? {
        let onsets = Set(events(overlapping: event.start.addingTimeInterval(3_600), event.end).filter { other in
            other.pointID != event.pointID && other.start > event.start.addingTimeInterval(3_600) && other.start < event.end
        }.map(\.start)).sorted()
        for onset in onsets {
            let probe = AnomalyEvent(pointID: event.pointID, start: onset, end: event.end, peakTime: onset,
                                     parameters: event.parameters)
            if let pattern = districtWide(probe, at: point) { return (onset, pattern) }
        }
        return nil
    }

    /// The part of `event` before `date`: each parameter's peak among its readings from the onset to an hour before
    /// `date`, kept when it reaches the score an excursion enters at; nil when what is left would not make an event
    /// (``AnomalyDetector``: one parameter at ``AnomalyDetector/peakScore`` or two at
    /// ``AnomalyDetector/corroboratedScore``).
    func part(of event: AnomalyEvent, before date: Date, detector: AnomalyDetector = AnomalyDetector()) -> AnomalyEvent? {
        let end = date.addingTimeInterval(-3_600)
        guard end > event.start else { return nil }
        var parameters: [EventParameter] = []
        for parameter in event.parameters {
            guard let series = baselines[event.pointID]?[parameter.parameter] else { continue }
            let direction = parameter.direction.sign
            var peak: Int?
            var index = series.firstIndex(atOrAfter: event.start)
            while index < series.times.count, series.times[index] <= end {
                if direction * series.score(index) > peak.map({ direction * series.score($0) }) ?? -.infinity { peak = index }
                index += 1
            }
            guard let peak, direction * series.score(peak) >= detector.enterScore else { continue }
            parameters.append(EventParameter(parameter: parameter.parameter, direction: parameter.direction,
                                             peak: series.values[peak], baseline: series.expected[peak],
                                             increment: series.values[peak] - series.expected[peak],
                                             score: series.score(peak), peakTime: series.times[peak]))
        }
        parameters.sort { (abs($0.score), $1.parameter.code) > (abs($1.score), $0.parameter.code) }
        let strong = parameters.contains { abs($0.score) >= detector.peakScore }
        let corroborated = parameters.filter { abs($0.score) >= detector.corroboratedScore }.count >= detector.corroboratingParameters
        guard let first = parameters.first, strong || corroborated else { return nil }
        return AnomalyEvent(pointID: event.pointID, start: event.start, end: end, peakTime: first.peakTime,
                            parameters: parameters)
    }
}

extension AnomalyEvent {
    /// Turbidity rose in the event (``TraceEngine/runoffMark``), as runoff makes it do.
    var isMuddied: Bool { parameters.contains { $0.move == TraceEngine.runoffMark } }
}
