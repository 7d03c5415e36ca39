// Scores the downstream arrival forecast (Trace/DownstreamForecast.swift) against a simulation's truth.json.
//
//   ForecastBenchmark score STORE NETWORK_DIR TRUTH_JSON OUT_JSON   one simulated run → its records (and its figures)
//   ForecastBenchmark pool OUT_JSON...                              the figures of several runs pooled
//
// scripts/score-forecast.sh simulates, ingests and runs both over the seeds. What is scored (docs/performance.md,
// "Downstream arrival forecast"; the method in docs/methods.md):
//
// 1. The analysis of the whole simulated span (`AnalysisJob`, as `analyze`) gives the anomaly events and their traces.
// 2. Each event is forecast as the hourly `run` would first see it: at its detection time (the reading at which the
//    detector's rule — two readings 3 noise widths off, and a peak of 5, or two parameters, or 12 readings — is first
//    met, replayed on the stored readings with the event's baseline and noise width) and with its peak so far.
// 3. Arrivals: every pollution discharge of truth.json (not the rain-driven stormwater overflows) and every automatic
//    station its plume reached detectably (a noise-free rise of at least 3 station noise widths, as
//    scripts/score_events.py); the forecast is the one from the first station to detect the discharge (its event
//    overlapping the plume's window there). Scored: issued before the true arrival (truth `arrival`), lead time, the
//    error of the expected arrival, whether the window held it, the peak error, the verification's verdict.
// 4. Forecasts: every noticeable forecast to an automatic station whose window closes inside the span; "never arrived"
//    when no detectable plume of truth.json is at that station during its window.
// Each under two policies: forecasts from every event, or only from events whose trace verdict is `source`.
import Foundation
import Ingest
import Pipeline
import RiverModel
import Simulator
import Standards
import Statistics
import Store
import Trace

/// One downstream arrival of a true discharge.
struct ArrivalRecord: Codable {
    var policy: String
    var discharge: String
    var kind: String
    var point: String
    var assessed: Bool
    var snr: Double
    /// in_advance, late (issued after the arrival), not_downstream (the station is not below the first detection),
    /// not_detected (no station detected the discharge).
    var status: String
    var leadHours: Double?
    /// forecast expected − true arrival.
    var arrivalErrorHours: Double?
    var inWindow: Bool?
    var peakParameter: String?
    /// (forecast − true) / true, forecast at issue and once the event point's peak has passed.
    var peakErrorAtIssue: Double?
    var peakErrorUpdated: Double?
    /// The updated forecast's error with flows by river length alone (no headwater: `PersistentPollution`'s proxy).
    var peakErrorLengthOnly: Double?
    var classMatch: Bool?
    var verification: String?
    /// The verdict from the station's anomaly events alone (no readings).
    var verificationByEvents: String?
    var detectionDelayHours: Double?
    var travelHoursFromDetector: Double?
}

/// One noticeable forecast to an automatic station.
struct ForecastRecord: Codable {
    var policy: String
    var eventPoint: String
    var point: String
    var fromTrueDischarge: Bool
    var arrived: Bool
    var verification: String
    var verificationByEvents: String
}

struct RunRecords: Codable {
    var label: String
    var events: Int
    var detectionFallbacks: Int
    var arrivals: [ArrivalRecord]
    var forecasts: [ForecastRecord]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    fail("usage: ForecastBenchmark score STORE NETWORK_DIR TRUTH_JSON OUT_JSON | ForecastBenchmark pool OUT_JSON...")
}

switch arguments[1] {
case "score":
    guard arguments.count == 6 else { fail("usage: ForecastBenchmark score STORE NETWORK_DIR TRUTH_JSON OUT_JSON") }
    let records = try score(store: arguments[2], networkDirectory: arguments[3], truthPath: arguments[4])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(records).write(to: URL(fileURLWithPath: arguments[5]))
    printFigures([records])
case "pool":
    let decoder = JSONDecoder()
    let runs = try arguments.dropFirst(2).map { try decoder.decode(RunRecords.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
    printFigures(runs)
default:
    fail("unknown mode \(arguments[1]): score or pool")
}

// MARK: - Scoring one run

/// A station series as plain arrays (seconds since 1970), for binary search.
struct Series {
    var times: [Double] = []
    var values: [Double] = []

    func index(atOrAfter time: Double) -> Int {
        var low = 0, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func range(_ from: Double, _ to: Double) -> Range<Int> { index(atOrAfter: from)..<max(index(atOrAfter: from), index(atOrAfter: to)) }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func score(store storePath: String, networkDirectory: String, truthPath: String) throws -> RunRecords {
    let store = try ReadingStore(path: storePath)
    let network = try NetworkLoader.load(directory: networkDirectory)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    let truth = try decoder.decode(GroundTruth.self, from: Data(contentsOf: URL(fileURLWithPath: truthPath)))
    let period = EvaluationPeriod(label: "simulated", start: truth.start, end: truth.end)
    let document = try AnalysisJob(store: store, network: network, timeZone: .chinaStandard).run(period: period)
    let events = document.events
    var verdicts: [String: TraceResult] = [:]
    for trace in document.traces { verdicts["\(trace.pointID)@\(trace.eventStart.timeIntervalSince1970)"] = trace }
    func trace(of event: AnomalyEvent) -> TraceResult? { verdicts["\(event.pointID)@\(event.start.timeIntervalSince1970)"] }

    // Every station series once, in memory.
    var series: [String: [Parameter: Series]] = [:]
    var interval: [String: Double] = [:]
    for point in network.points {
        for parameter in Parameter.allCases where parameter != .temperature {
            let stored = try store.series(point: point.id, parameter: parameter, from: truth.start.addingTimeInterval(-8 * 86_400),
                                          to: truth.end)
            var s = Series()
            for observation in stored {
                guard let value = observation.waterValue(of: parameter) else { continue }
                s.times.append(observation.time.timeIntervalSince1970)
                s.values.append(value)
            }
            guard s.times.count >= 48 else { continue }
            series[point.id, default: [:]][parameter] = s
            if interval[point.id] == nil {
                interval[point.id] = median(zip(s.times.dropFirst(), s.times).map { $0 - $1 })
            }
        }
    }
    let automatic = Set(network.points.filter { truth.scenario == "stress" || $0.kind == .automatic }.map(\.id))
    let eventsAt = Dictionary(grouping: events, by: \.pointID)
    let detector = AnomalyDetector()

    // The detector's rule replayed reading by reading: when the event was first an event, and what it showed then.
    var fallbacks = 0
    func detection(of event: AnomalyEvent) -> (time: Date, partial: AnomalyEvent) {
        let start = event.start.timeIntervalSince1970, end = event.end.timeIntervalSince1970
        struct Track { var run = 0; var best = 0.0; var done: [(readings: Int, best: Double)] = [] }
        var tracks: [Parameter: Track] = [:]
        var steps: [(time: Double, parameter: Parameter, score: Double)] = []
        for change in event.parameters {
            guard let s = series[event.pointID]?[change.parameter], change.score != 0, change.increment != 0 else { continue }
            let noise = abs(change.increment / change.score)
            for index in s.range(start, end + 1) {
                steps.append((s.times[index], change.parameter, change.direction.sign * (s.values[index] - change.baseline) / noise))
            }
        }
        steps.sort { ($0.time, $0.parameter.code) < ($1.time, $1.parameter.code) }
        var found: Double?
        for step in steps {
            var track = tracks[step.parameter] ?? Track()
            if track.run == 0 ? step.score >= detector.enterScore : step.score >= detector.stayScore {
                track.run += 1
                track.best = max(track.best, step.score)
            } else if track.run > 0 {
                if track.run >= 2 { track.done.append((track.run, track.best)) }
                track.run = 0
                track.best = 0
            }
            tracks[step.parameter] = track
            let excursions = tracks.values.flatMap { track in track.done + (track.run >= 2 ? [(track.run, track.best)] : []) }
            let strong = excursions.contains { $0.best >= detector.peakScore || $0.readings >= detector.sustainedReadings }
            let corroborated = tracks.values.filter { track in
                track.done.contains { $0.best >= detector.corroboratedScore } || (track.run >= 2 && track.best >= detector.corroboratedScore)
            }.count >= detector.corroboratingParameters
            if strong || corroborated { found = step.time; break }
        }
        if found == nil { fallbacks += 1 }
        let time = found ?? end
        var parameters: [EventParameter] = []
        for change in event.parameters {
            guard let s = series[event.pointID]?[change.parameter], change.score != 0 else { continue }
            let noise = abs(change.increment / change.score)
            var best: (value: Double, time: Double)?
            for index in s.range(start, time + 1) {
                let excess = change.direction.sign * (s.values[index] - change.baseline)
                if excess > (best?.value ?? 0) { best = (excess, s.times[index]) }
            }
            guard let best, best.value / noise >= detector.stayScore else { continue }
            let increment = change.direction.sign * best.value
            parameters.append(EventParameter(parameter: change.parameter, direction: change.direction,
                                             peak: change.baseline + increment, baseline: change.baseline, increment: increment,
                                             score: increment / noise, peakTime: Date(timeIntervalSince1970: best.time)))
        }
        parameters.sort { abs($0.score) > abs($1.score) }
        guard let first = parameters.first else { return (Date(timeIntervalSince1970: time), event) }
        return (Date(timeIntervalSince1970: time),
                AnomalyEvent(pointID: event.pointID, start: event.start, end: Date(timeIntervalSince1970: time),
                             peakTime: first.peakTime, parameters: parameters))
    }

    // Each station's level and noise over the week before a moment: what `run` would take from its baselines.
    func levels(at time: Date, points: [String], parameters: [Parameter]) -> [String: [Parameter: StationLevel]] {
        var result: [String: [Parameter: StationLevel]] = [:]
        let to = time.timeIntervalSince1970
        for point in points {
            for parameter in parameters {
                guard let s = series[point]?[parameter] else { continue }
                let values = Array(s.values[s.range(to - 7 * 86_400, to)])
                guard values.count >= 24,
                      let level = StationLevel.recent(values, minimumNoise: parameter.smallestMeaningfulChange) else { continue }
                result[point, default: [:]][parameter] = level
            }
        }
        return result
    }

    let forecaster = DownstreamForecaster(network: network)
    let lengthOnly = DownstreamForecaster(network: network,
                                          flows: FlowIndex.fromRiverLengths(network, headwaterPerKilometreOfLength: 0))
    struct Issued {
        var event: AnomalyEvent
        var time: Date
        var delay: Double
        var atIssue: DownstreamForecast
        var updated: DownstreamForecast
        var lengthOnly: DownstreamForecast
        var levels: [String: [Parameter: StationLevel]]
    }
    var issued: [Int: Issued] = [:]
    for (index, event) in events.enumerated() {
        let (time, partial) = detection(of: event)
        // A plume that arrived during rain is traced from its arrival: the forecast can start from there only once seen.
        let traced = trace(of: event)
        let onset = traced?.tracedFrom
        // An event in rain is traced by what the rain does not explain: only that travels as the plume.
        let plume = traced?.districtPattern.flatMap { $0.handling == .notTraced ? nil : $0.parameters }
        let issueTime = max(time, onset.map { $0.addingTimeInterval(interval[event.pointID] ?? 3_600) } ?? time)
        let below = network.points.filter { network.downstreamPath(from: network.point(event.pointID)!, to: $0) != nil }.map(\.id)
        let given = levels(at: issueTime, points: below, parameters: event.parameters.map(\.parameter))
        issued[index] = Issued(event: event, time: issueTime, delay: time.timeIntervalSince(event.start) / 3_600,
                               atIssue: forecaster.forecast(partial, issued: issueTime, onset: onset, levels: given,
                                                            plumeParameters: plume),
                               updated: forecaster.forecast(event, issued: issueTime, onset: onset, levels: given,
                                                            plumeParameters: plume),
                               lengthOnly: lengthOnly.forecast(event, issued: issueTime, onset: onset, levels: given,
                                                               plumeParameters: plume),
                               levels: given)
    }

    /// The verdict on a forecast point from the station's events and readings (`byEvents`: events alone).
    func verify(_ point: PointForecast, levels: [String: [Parameter: StationLevel]], byEvents: Bool = false) -> ArrivalCheck {
        var readings: [Parameter: [Observation]] = [:]
        if !byEvents {
            for change in point.parameters {
                guard let s = series[point.pointID]?[change.parameter] else { continue }
                readings[change.parameter] = s.range(point.earliest.timeIntervalSince1970 - 3 * 3_600, point.latest.timeIntervalSince1970 + 1)
                    .map { Observation(time: Date(timeIntervalSince1970: s.times[$0]), value: s.values[$0]) }
            }
        }
        return point.check(events: eventsAt[point.pointID] ?? [], readings: readings, levels: byEvents ? [:] : levels[point.pointID] ?? [:],
                           readUntil: truth.end)
    }

    // Truth: each impact's detectability and window (scripts/score_events.py).
    let stationParameters: [Parameter] = [.conductivity, .turbidity, .permanganateIndex, .ammoniaNitrogen, .totalPhosphorus, .totalNitrogen]
    var cleanMean: [String: Double] = [:]
    for s in truth.cleanSeries { cleanMean["\(s.pointID) \(s.parameter.code)"] = s.mean }
    func snr(_ impact: Impact) -> Double {
        stationParameters.compactMap { parameter -> Double? in
            guard let mean = cleanMean["\(impact.pointID) \(parameter.code)"], mean > 0,
                  let increment = impact.peakIncrement[parameter] else { return nil }
            return abs(increment) / (0.707 * (parameter == .turbidity ? 0.08 : 0.04) * mean)
        }.max() ?? 0
    }
    func window(_ discharge: Discharge, _ impact: Impact, sigmas: Double) -> (Date, Date) {
        let sigma = 0.3 + 0.25 * impact.travelHours.squareRoot()
        return (discharge.start.addingTimeInterval((impact.travelHours - sigmas * sigma) * 3_600),
                discharge.end.addingTimeInterval((impact.travelHours + sigmas * sigma) * 3_600))
    }
    let slack: TimeInterval = 2 * 3_600

    var arrivals: [ArrivalRecord] = []
    var forecasts: [ForecastRecord] = []
    let policies: [(name: String, admits: (AnomalyEvent) -> Bool)] = [
        ("all", { _ in true }),
        ("source", { trace(of: $0)?.verdict == .source }),
    ]
    var fromDischarge = Set<Int>()
    for policy in policies {
        for discharge in truth.discharges where discharge.kind != .stormwaterOverflow {
            let reached = discharge.impacts.filter { automatic.contains($0.pointID) && snr($0) >= 3 }
            // The first detection: the earliest issued of the admitted events in the plume's window at a station it reached.
            var first: (index: Int, issued: Issued)?
            for impact in discharge.impacts where automatic.contains(impact.pointID) {
                let (from, to) = window(discharge, impact, sigmas: 4)
                for (index, candidate) in issued where candidate.event.pointID == impact.pointID && policy.admits(candidate.event)
                    && candidate.event.start <= to.addingTimeInterval(slack) && from <= candidate.event.end.addingTimeInterval(slack) {
                    fromDischarge.insert(index)
                    if first == nil || candidate.time < first!.issued.time
                        || (candidate.time == first!.issued.time && candidate.event.pointID < first!.issued.event.pointID) {
                        first = (index, candidate)
                    }
                }
            }
            for impact in reached where impact.pointID != first?.issued.event.pointID {
                guard let arrival = impact.arrival else { fail("truth.json has no impact arrival times: simulate again") }
                var record = ArrivalRecord(policy: policy.name, discharge: discharge.id, kind: discharge.kind.rawValue,
                                           point: impact.pointID,
                                           assessed: network.point(impact.pointID)?.isAssessedSection ?? false,
                                           snr: snr(impact), status: "not_detected")
                guard let first else { arrivals.append(record); continue }
                guard let atIssue = first.issued.atIssue.points.first(where: { $0.pointID == impact.pointID }),
                      let updated = first.issued.updated.points.first(where: { $0.pointID == impact.pointID }) else {
                    record.status = "not_downstream"
                    arrivals.append(record)
                    continue
                }
                let issueTime = first.issued.time
                record.status = issueTime < arrival ? "in_advance" : "late"
                record.leadHours = arrival.timeIntervalSince(issueTime) / 3_600
                record.arrivalErrorHours = atIssue.expected.timeIntervalSince(arrival) / 3_600
                record.inWindow = atIssue.earliest <= arrival && arrival <= atIssue.latest
                record.detectionDelayHours = first.issued.delay
                record.travelHoursFromDetector = atIssue.travelHours
                // The peak of the strongest forecast parameter the truth gives a rise for.
                if let parameter = atIssue.parameters.first(where: { (impact.peakIncrement[$0.parameter] ?? 0) != 0 })?.parameter,
                   let rise = impact.peakIncrement[parameter] {
                    record.peakParameter = parameter.code
                    record.peakErrorAtIssue = atIssue.parameters.first { $0.parameter == parameter }.map { ($0.increment - rise) / rise }
                    record.peakErrorUpdated = updated.parameters.first { $0.parameter == parameter }.map { ($0.increment - rise) / rise }
                    record.peakErrorLengthOnly = first.issued.lengthOnly.points.first { $0.pointID == impact.pointID }?
                        .parameters.first { $0.parameter == parameter }.map { ($0.increment - rise) / rise }
                }
                // The class of the peak: the worst over the forecast parameters GB 3838 limits, forecast against true rise.
                var forecastClass: WaterClass?, trueClass: WaterClass?
                for change in atIssue.parameters {
                    guard let background = change.background, let peak = change.peak,
                          let rise = impact.peakIncrement[change.parameter],
                          let forecast = GB3838.classify(change.parameter, peak),
                          let actual = GB3838.classify(change.parameter, background + rise) else { continue }
                    forecastClass = max(forecastClass ?? forecast, forecast)
                    trueClass = max(trueClass ?? actual, actual)
                }
                if let forecastClass, let trueClass { record.classMatch = forecastClass == trueClass }
                record.verification = verify(atIssue, levels: first.issued.levels).state.rawValue
                record.verificationByEvents = verify(atIssue, levels: first.issued.levels, byEvents: true).state.rawValue
                arrivals.append(record)
            }
        }
        // Forecasts: noticeable ones to stations, whose window closed inside the span.
        for (index, item) in issued.sorted(by: { $0.key < $1.key }) where policy.admits(item.event) {
            for point in item.atIssue.points where automatic.contains(point.pointID) && point.isNoticeable && point.latest < truth.end {
                let arrived = truth.discharges.contains { discharge in
                    discharge.impacts.contains { impact in
                        guard impact.pointID == point.pointID, snr(impact) >= 3 else { return false }
                        let (from, to) = window(discharge, impact, sigmas: 2)
                        return from <= point.latest && point.earliest <= to
                    }
                }
                forecasts.append(ForecastRecord(policy: policy.name, eventPoint: item.event.pointID, point: point.pointID,
                                                fromTrueDischarge: fromDischarge.contains(index), arrived: arrived,
                                                verification: verify(point, levels: item.levels).state.rawValue,
                                                verificationByEvents: verify(point, levels: item.levels, byEvents: true).state.rawValue))
            }
        }
    }
    return RunRecords(label: "\(truth.scenario) seed \(truth.seed)", events: events.count, detectionFallbacks: fallbacks,
                      arrivals: arrivals, forecasts: forecasts)
}

// MARK: - Figures

func quantile(_ values: [Double], _ q: Double) -> Double? {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return nil }
    // Linear between order statistics (type 7, as numpy's default).
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
    return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
}

/// Wilson score interval for k successes of n, 95 %.
func wilson(_ k: Int, _ n: Int) -> (Double, Double) {
    guard n > 0 else { return (0, 1) }
    let z = 1.959_963_984_540_054, p = Double(k) / Double(n), nn = Double(n)
    let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
    let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
    return (max(0, centre - half), min(1, centre + half))
}

func share(_ k: Int, _ n: Int) -> String {
    guard n > 0 else { return "—" }
    let (low, high) = wilson(k, n)
    return String(format: "%.1f %% (%d/%d; 95 %% CI %.1f–%.1f %%)", 100 * Double(k) / Double(n), k, n, 100 * low, 100 * high)
}

func hours(_ value: Double?) -> String { value.map { String(format: "%.2f h", $0) } ?? "—" }
func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", 100 * $0) } ?? "—" }

func printFigures(_ runs: [RunRecords]) {
    print("runs: " + runs.map(\.label).joined(separator: ", "))
    print("events: \(runs.map(\.events).reduce(0, +)); detection replay fell back to the event's end for "
          + "\(runs.map(\.detectionFallbacks).reduce(0, +))")
    for policy in ["all", "source"] {
        let arrivals = runs.flatMap(\.arrivals).filter { $0.policy == policy }
        let forecastRecords = runs.flatMap(\.forecasts).filter { $0.policy == policy }
        print("\n## forecasts from \(policy == "all" ? "every event" : "events traced to a source")")
        let discharges = runs.map { run in Set(run.arrivals.filter { $0.policy == policy }.map(\.discharge)).count }.reduce(0, +)
        print("downstream arrivals (discharge × station reached ≥ 3 noise widths, first detector left out): \(arrivals.count) "
              + "of \(discharges) discharges")
        let advance = arrivals.filter { $0.status == "in_advance" }
        let forecast = arrivals.filter { $0.leadHours != nil }
        print("  forecast before the arrival: " + share(advance.count, arrivals.count))
        for status in ["late", "not_downstream", "not_detected"] {
            print("  \(status): \(arrivals.filter { $0.status == status }.count)")
        }
        let assessed = arrivals.filter(\.assessed)
        print("  assessed sections forecast before the arrival: " + share(assessed.filter { $0.status == "in_advance" }.count, assessed.count))
        print("  median lead time (forecast in advance): " + hours(quantile(advance.compactMap(\.leadHours), 0.5))
              + "; 10th / 90th percentile " + hours(quantile(advance.compactMap(\.leadHours), 0.1)) + " / "
              + hours(quantile(advance.compactMap(\.leadHours), 0.9)))
        let errors = forecast.compactMap(\.arrivalErrorHours)
        print("  |expected − true arrival| (every forecast arrival): median " + hours(quantile(errors.map(abs), 0.5))
              + ", 90th percentile " + hours(quantile(errors.map(abs), 0.9)) + "; signed median " + hours(quantile(errors, 0.5)))
        print("  true arrival inside the window: " + share(forecast.filter { $0.inWindow == true }.count, forecast.count))
        let atIssue = forecast.compactMap(\.peakErrorAtIssue)
        let updated = forecast.compactMap(\.peakErrorUpdated)
        print("  peak, relative error at issue: median |e| " + percent(quantile(atIssue.map(abs), 0.5)) + ", 90th "
              + percent(quantile(atIssue.map(abs), 0.9)) + ", signed median " + percent(quantile(atIssue, 0.5)) + " (n = \(atIssue.count))")
        print("  peak, relative error once the event point's peak passed: median |e| " + percent(quantile(updated.map(abs), 0.5))
              + ", 90th " + percent(quantile(updated.map(abs), 0.9)) + ", signed median " + percent(quantile(updated, 0.5)))
        let lengthOnly = forecast.compactMap(\.peakErrorLengthOnly)
        print("  peak, updated, flows by river length alone (no headwater): median |e| " + percent(quantile(lengthOnly.map(abs), 0.5))
              + ", 90th " + percent(quantile(lengthOnly.map(abs), 0.9)) + ", signed median " + percent(quantile(lengthOnly, 0.5)))
        for kind in DischargeKind.allCases where kind != .stormwaterOverflow {
            let ofKind = forecast.filter { $0.kind == kind.rawValue }
            guard !ofKind.isEmpty else { continue }
            print("    \(kind.rawValue): n \(ofKind.count), median lead " + hours(quantile(ofKind.filter { $0.status == "in_advance" }.compactMap(\.leadHours), 0.5))
                  + ", median |arrival error| " + hours(quantile(ofKind.compactMap(\.arrivalErrorHours).map(abs), 0.5))
                  + ", peak signed median at issue / updated " + percent(quantile(ofKind.compactMap(\.peakErrorAtIssue), 0.5))
                  + " / " + percent(quantile(ofKind.compactMap(\.peakErrorUpdated), 0.5)))
        }
        let classed = forecast.compactMap(\.classMatch)
        print("  class of the peak (worst GB 3838 parameter) as forecast: " + share(classed.filter { $0 }.count, classed.count))
        print("  detection delay of the first detector (onset → detection): median "
              + hours(quantile(forecast.compactMap(\.detectionDelayHours), 0.5)))
        let checked = forecast.compactMap(\.verification)
        print("  verification of these arrivals (events and readings): verified \(checked.filter { $0 == "verified" }.count), missed "
              + "\(checked.filter { $0 == "missed" }.count), pending \(checked.filter { $0 == "pending" }.count); by events alone: verified "
              + "\(forecast.filter { $0.verificationByEvents == "verified" }.count)")
        let noticeable = forecastRecords
        print("noticeable forecasts to stations (window closed in the span): \(noticeable.count)")
        print("  never arrived (no plume of truth.json there in the window) — false alarms: "
              + share(noticeable.filter { !$0.arrived }.count, noticeable.count))
        let fromTrue = noticeable.filter(\.fromTrueDischarge)
        print("  of those from events of a true discharge: " + share(fromTrue.filter { !$0.arrived }.count, fromTrue.count))
        print("  verification said missed: " + share(noticeable.filter { $0.verification == "missed" }.count, noticeable.count)
              + "; verified: \(noticeable.filter { $0.verification == "verified" }.count)")
        for (name, verdict) in [("events and readings", \ForecastRecord.verification), ("events alone", \ForecastRecord.verificationByEvents)] {
            let arrivedMissed = noticeable.filter { $0.arrived && $0[keyPath: verdict] == "missed" }.count
            let notArrivedVerified = noticeable.filter { !$0.arrived && $0[keyPath: verdict] == "verified" }.count
            let arrived = noticeable.filter(\.arrived).count, notArrived = noticeable.count - arrived
            print("  verification (\(name)) against truth: of \(arrived) that arrived, verified "
                  + share(arrived - arrivedMissed, arrived) + "; of \(notArrived) that never arrived, verified "
                  + share(notArrivedVerified, notArrived))
        }
    }
}
