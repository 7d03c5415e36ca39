// How soon after onset a true pollution event is alerted when `rivertrace run` is called every hour
// (scripts/score-latency.sh; docs/performance.md, "Alert latency with hourly runs").
//
//   AlertLatency NETWORK_DIR RUN_DIR [RUN_DIR …]      each RUN_DIR holds store.sqlite and dumps/truth.json
//
// For every injected discharge that is not a rain overflow, with its onset at the first station it reaches at least
// 15 days (the baseline margin) after the simulated span's start and 48 h before its end, the hourly runs are
// replayed: at each whole hour t from the start of the earliest impact window (below) on, `AnalysisJob(asOf: t)`
// analyses the month containing t — what `run` analyses when the readings up to hour t have arrived — and the first
// t is recorded at which
//   detection: an anomaly event (any trace verdict) at a station the discharge reached starts inside its impact
//              window there — its trace's `traced_from` where it has one (a plume that arrived during rain);
//   alert:     such an event whose trace has the verdict `source` (what raises a `pollution_event` alert).
// Impact window at a station: [start + travel − 4σ − 2 h, end + travel + 4σ + 2 h], σ = 0.3 h + 0.25 h·√travel
// (scripts/score_traces.py). The onset is the discharge's start plus the travel time to the first station it reaches:
// when the middle of the plume's front arrives there (the simulator spreads the front by σ, so a strong plume shows
// earlier and a latency can be negative). Latency = t − onset. The runs stop at the alert or 48 h after the onset.
//
// Diagnostics printed beside the figures, to say what the latency is made of: when the first detected event's
// excursion began (relative to the onset: the signal crossing 3 noise widths), how many hourly readings it held when
// first detected and which detector rule made it an event (two readings is the persistence rule's minimum), the
// trace verdict at that moment, how the alerting trace dealt with rain (a plume traced by what rain does not explain,
// or a leak traced once it outlasted the rain) and whether its suspect stretch holds the discharge, the analysis in
// hindsight (every reading, no cut), and alerts lost because the event began in the month before t's.
import Foundation
import Ingest
import Pipeline
import Report
import RiverModel
import Standards
import Statistics
import Store
import Trace

// MARK: - truth.json (docs/simulator.md)

struct Truth: Decodable {
    var scenario: String
    var seed: Int
    var start: Date
    var end: Date
    var discharges: [Discharge]
    var cleanSeries: [CleanSeries]
}

struct Discharge: Decodable {
    var id: String
    var kind: String
    var sourceId: String?
    var riverId: String
    var km: Double
    var start: Date
    var end: Date
    var impacts: [Impact]
}

struct Impact: Decodable {
    var pointId: String
    var travelHours: Double
    var peakIncrement: [String: Double]
}

struct CleanSeries: Decodable {
    var pointId: String
    var parameter: String
    var mean: Double
}

// MARK: - What one event's replay found

struct EventOutcome {
    var seed: Int
    var id: String
    var kind: String
    var firstStation: String
    var onset: Date
    /// The largest noise-free peak increment at the first station, in station noise widths (score_events.py).
    var signalToNoise: Double
    var detectionHours: Double?
    /// The first detected event: its start relative to the onset, and its readings up to that run.
    var excursionStartHours: Double?
    var readingsAtDetection: Int?
    /// The start of the event hindsight finds at the same station in the window, relative to the onset.
    var hindsightStartHours: Double?
    var detectionPoint: String?
    /// Which rule of `AnomalyDetector` the first detected event passes: peak ≥ 5, corroborated, or sustained.
    var detectionRule: String?
    /// The trace verdict of the detected event at that run (`source`, `district_wide`, `sensor_fault`).
    var verdictAtDetection: String?
    var alertHours: Double?
    var alertPoint: String?
    /// How the alerting trace dealt with a district-wide pattern (rain) it came in: `distinctive`, `continuation`, or
    /// `none` when there was none.
    var alertHandling: String?
    /// Whether the alert's suspect stretch holds the true discharge (what the field team is sent to).
    var alertStretchRight: Bool?
    /// Hindsight: `analyze` of the months after all data are in finds an event / a source trace in the windows.
    var detectedInHindsight = false
    var sourceInHindsight = false
    /// A source trace was found by 48 h only in the month before t's, which `run` does not analyse again.
    var lostAtMonthBoundaryHours: Double?
}

// MARK: - Replay

let zone = TimeZone.chinaStandard
let horizon: TimeInterval = 48 * 3_600
let slack: TimeInterval = 2 * 3_600

func monthPeriod(containing date: Date) -> EvaluationPeriod {
    PeriodParser.parse(localTime(date, in: zone, format: "yyyy-MM"), timeZone: zone)!
}

struct Window {
    var pointID: String
    var start: Date
    var end: Date
    func contains(_ date: Date) -> Bool { start <= date && date <= end }
}

/// What the alert and detection rules read of one analysis.
struct Findings {
    var events: [AnomalyEvent]
    var traces: [TraceResult]

    init(_ document: AnalysisDocument) {
        events = document.events
        traces = document.traces
    }

    func detection(_ windows: [Window]) -> AnomalyEvent? {
        events.first { event in windows.contains { $0.pointID == event.pointID && $0.contains(start(of: event)) } }
    }

    /// When the event began as its trace sees it: `traced_from` for a plume that arrived during rain.
    func start(of event: AnomalyEvent) -> Date { trace(of: event)?.tracedFrom ?? event.start }

    func alert(_ windows: [Window]) -> TraceResult? {
        traces.first { trace in
            trace.verdict == .source
                && windows.contains { $0.pointID == trace.pointID && $0.contains(trace.tracedFrom ?? trace.eventStart) }
        }
    }

    func trace(of event: AnomalyEvent) -> TraceResult? {
        traces.first { $0.pointID == event.pointID && $0.eventStart == event.start }
    }
}

func rule(of event: AnomalyEvent) -> String {
    let detector = AnomalyDetector()
    if event.parameters.contains(where: { abs($0.score) >= detector.peakScore }) { return "peak" }
    if event.parameters.filter({ abs($0.score) >= detector.corroboratedScore }).count >= detector.corroboratingParameters {
        return "corroborated"
    }
    return "sustained"
}

func hours(_ interval: TimeInterval) -> Double { interval / 3_600 }

func replay(runDirectory: String, network: Network) throws -> [EventOutcome] {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    let truth = try decoder.decode(Truth.self, from: Data(contentsOf: URL(fileURLWithPath: runDirectory + "/dumps/truth.json")))
    let store = try ReadingStore(path: runDirectory + "/store.sqlite", access: .existing)
    let stations = Set(truth.cleanSeries.map(\.pointId))
    let level = Dictionary(truth.cleanSeries.map { ("\($0.pointId)/\($0.parameter)", $0.mean) }, uniquingKeysWith: { a, _ in a })

    // Hindsight: every month of the span analysed with all its readings, as `analyze` after the fact.
    var hindsight: [Findings] = []
    var month = monthPeriod(containing: truth.start)
    while month.start < truth.end {
        hindsight.append(Findings(try AnalysisJob(store: store, network: network, timeZone: zone).run(period: month)))
        month = monthPeriod(containing: month.end)
    }

    var cache: [String: Findings] = [:]
    func findings(month: EvaluationPeriod, asOf: Date) throws -> Findings {
        let key = "\(month.label)@\(asOf.timeIntervalSince1970)"
        if let known = cache[key] { return known }
        let found = Findings(try AnalysisJob(store: store, network: network, timeZone: zone, asOf: asOf).run(period: month))
        cache[key] = found
        return found
    }

    var outcomes: [EventOutcome] = []
    let candidates = truth.discharges.filter { $0.kind != "stormwater_overflow" }
    for discharge in candidates {
        let reached = discharge.impacts.filter { stations.contains($0.pointId) }
        guard let first = reached.first else { continue }
        let onset = discharge.start.addingTimeInterval(first.travelHours * 3_600)
        guard onset >= truth.start.addingTimeInterval(15 * 86_400), onset.addingTimeInterval(horizon) <= truth.end else { continue }
        let windows = reached.map { impact in
            let sigma = 0.3 + 0.25 * impact.travelHours.squareRoot()
            return Window(pointID: impact.pointId,
                          start: discharge.start.addingTimeInterval((impact.travelHours - 4 * sigma) * 3_600 - slack),
                          end: discharge.end.addingTimeInterval((impact.travelHours + 4 * sigma) * 3_600 + slack))
        }
        let signal = first.peakIncrement.compactMap { parameter, increment -> Double? in
            guard ["cond", "turb", "codmn", "nh3n", "tp", "tn"].contains(parameter),
                  let mean = level["\(first.pointId)/\(parameter)"], mean > 0 else { return nil }
            return abs(increment) / (0.707 * (parameter == "turb" ? 0.08 : 0.04) * mean)
        }.max() ?? 0
        let earliest = windows.map(\.start).min()!
        let firstRun = Date(timeIntervalSince1970: (earliest.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
        var outcome = EventOutcome(seed: truth.seed, id: discharge.id, kind: discharge.kind, firstStation: first.pointId,
                                   onset: onset, signalToNoise: signal)
        outcome.detectedInHindsight = hindsight.contains { $0.detection(windows) != nil }
        outcome.sourceInHindsight = hindsight.contains { $0.alert(windows) != nil }
        let onsetMonth = monthPeriod(containing: onset)
        var run = firstRun
        while run <= onset.addingTimeInterval(horizon) {
            let month = monthPeriod(containing: run)
            let found = try findings(month: month, asOf: run)
            if outcome.detectionHours == nil, let event = found.detection(windows) {
                outcome.detectionHours = hours(run.timeIntervalSince(onset))
                outcome.detectionPoint = event.pointID
                outcome.detectionRule = rule(of: event)
                let start = found.start(of: event)
                outcome.excursionStartHours = hours(start.timeIntervalSince(onset))
                outcome.readingsAtDetection = Int((run.timeIntervalSince(start) / 3_600).rounded(.down)) + 1
                let same = windows.filter { $0.pointID == event.pointID }
                outcome.hindsightStartHours = hindsight.compactMap { found in found.detection(same).map(found.start) }.min()
                    .map { hours($0.timeIntervalSince(onset)) }
                outcome.verdictAtDetection = found.trace(of: event)?.verdict.rawValue ?? "none"
            }
            if let trace = found.alert(windows) {
                outcome.alertHours = hours(run.timeIntervalSince(onset))
                outcome.alertPoint = trace.pointID
                outcome.alertHandling = trace.districtPattern?.handling.rawValue ?? "none"
                outcome.alertStretchRight = trace.suspectSegment?.contains(riverID: discharge.riverId, kilometre: discharge.km) ?? false
                break
            }
            // `run` analyses only the month of the new readings: an event that began in the month before is not in it.
            if outcome.lostAtMonthBoundaryHours == nil, month.start > onsetMonth.start,
               try findings(month: onsetMonth, asOf: run).alert(windows) != nil {
                outcome.lostAtMonthBoundaryHours = hours(run.timeIntervalSince(onset))
            }
            run.addTimeInterval(3_600)
        }
        outcomes.append(outcome)
        FileHandle.standardError.write(Data(("  seed \(truth.seed) \(discharge.id) \(discharge.kind): "
            + (outcome.alertHours.map { String(format: "alert after %.1f h", $0) } ?? "no alert in 48 h")
            + ", \(cache.count) analyses so far\n").utf8))
        emit(line(outcome))
    }
    return outcomes
}

// MARK: - Figures

/// Writes a line to stdout at once (unbuffered, so a long replay shows its events as they come through `tee`).
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func format(_ value: Double?, _ digits: Int = 1) -> String {
    value.map { String(format: "%.\(digits)f", $0) } ?? "—"
}

func line(_ outcome: EventOutcome) -> String {
    [String(outcome.seed), outcome.id, outcome.kind, outcome.firstStation, localTime(outcome.onset, in: zone),
     format(outcome.signalToNoise), format(outcome.detectionHours), format(outcome.excursionStartHours),
     outcome.readingsAtDetection.map(String.init) ?? "—", format(outcome.hindsightStartHours),
     outcome.detectionRule ?? "—", outcome.verdictAtDetection ?? "—", format(outcome.alertHours),
     outcome.alertPoint ?? "—", outcome.alertHandling ?? "—", outcome.alertStretchRight.map { $0 ? "yes" : "no" } ?? "—",
     outcome.detectedInHindsight ? "yes" : "no", outcome.sourceInHindsight ? "yes" : "no",
     format(outcome.lostAtMonthBoundaryHours)].joined(separator: "\t")
}

/// The nearest-rank `p`-quantile (the smallest value with at least p of the values at or below it).
func quantile(_ values: [Double], _ p: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    return sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
}

/// Wilson score interval, 95 %.
func wilson(_ successes: Int, _ total: Int) -> (Double, Double)? {
    guard total > 0 else { return nil }
    let z = 1.96, n = Double(total), p = Double(successes) / n
    let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
    return (max(0, centre - half), min(1, centre + half))
}

/// The nearest-rank quantile of latencies where nil is a miss (later than any run): "> 48 h" when it falls on one.
func overall(_ latencies: [Double?], _ p: Double) -> String {
    guard !latencies.isEmpty else { return "—" }
    let sorted = latencies.map { $0 ?? .greatestFiniteMagnitude }.sorted()
    let value = sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    return value == .greatestFiniteMagnitude ? "> 48 h" : format(value) + " h"
}

func summary(_ label: String, _ outcomes: [EventOutcome]) {
    let total = outcomes.count
    let alerted = outcomes.compactMap(\.alertHours)
    let detected = outcomes.compactMap(\.detectionHours)
    let interval = wilson(alerted.count, total)
    let share = total > 0 ? 100 * Double(alerted.count) / Double(total) : nil
    emit("\(label): \(total) events; alerted within 48 h \(alerted.count) (\(format(share)) %, 95 % CI "
          + "\(format(interval.map { 100 * $0.0 }))–\(format(interval.map { 100 * $0.1 })) %); "
          + "alert latency median \(format(quantile(alerted, 0.5))) h, p90 \(format(quantile(alerted, 0.9))) h; "
          + "first detection (any verdict) \(detected.count), median \(format(quantile(detected, 0.5))) h, "
          + "p90 \(format(quantile(detected, 0.9))) h; over all events, a miss counted as > 48 h: alert median "
          + "\(overall(outcomes.map(\.alertHours), 0.5)), p90 \(overall(outcomes.map(\.alertHours), 0.9))")
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: AlertLatency NETWORK_DIR RUN_DIR [RUN_DIR …]\n".utf8))
    exit(2)
}
let network = try NetworkLoader.load(directory: arguments[1])
emit(["seed", "event", "kind", "first_station", "onset_local", "snr_first", "detected_h", "excursion_start_h",
      "readings_at_detection", "hindsight_start_h", "rule", "verdict_at_detection", "alert_h", "alert_at",
      "alert_rain_handling", "alert_stretch_right", "hindsight_event", "hindsight_source", "lost_at_month_boundary_h"]
    .joined(separator: "\t"))
var all: [EventOutcome] = []
for directory in arguments.dropFirst(2) {
    FileHandle.standardError.write(Data("\(directory)\n".utf8))
    all += try replay(runDirectory: directory, network: network)
}

emit("")
summary("all", all)
for seed in Set(all.map(\.seed)).sorted() {
    let runs = all.filter { $0.seed == seed }
    emit("  seed \(seed): \(runs.count) events, alerted within 48 h \(runs.filter { $0.alertHours != nil }.count), "
         + "alert latency median \(format(quantile(runs.compactMap(\.alertHours), 0.5))) h")
}
for kind in Set(all.map(\.kind)).sorted() { summary(kind, all.filter { $0.kind == kind }) }
let detectable = all.filter { $0.signalToNoise >= 3 }
summary("detectable at the first station (snr ≥ 3)", detectable)
// What stands between the detection and the alert.
let both = all.filter { $0.alertHours != nil && $0.detectionHours != nil }
let waits = both.map { $0.alertHours! - $0.detectionHours! }
emit("alerted: wait from first detection to source verdict median \(format(quantile(waits, 0.5))) h, "
      + "p90 \(format(quantile(waits, 0.9))) h; verdict at the first detection of alerted events: "
      + Dictionary(grouping: both, by: { $0.verdictAtDetection ?? "—" }).map { "\($0.key) \($0.value.count)" }.sorted()
        .joined(separator: ", "))
let detectedOnes = all.filter { $0.detectionHours != nil }
emit("first detections: excursion start vs onset median \(format(quantile(detectedOnes.compactMap(\.excursionStartHours), 0.5))) h, "
     + "p90 \(format(quantile(detectedOnes.compactMap(\.excursionStartHours), 0.9))) h; readings in the event when first detected: "
     + Dictionary(grouping: detectedOnes, by: { min($0.readingsAtDetection!, 13) }).sorted { $0.key < $1.key }
        .map { "\($0.key == 13 ? "13+" : String($0.key)) \($0.value.count)" }.joined(separator: ", "))
let compared = detectedOnes.filter { $0.hindsightStartHours != nil }
emit("first detections: started later than in hindsight (same station) by median "
     + "\(format(quantile(compared.map { $0.excursionStartHours! - $0.hindsightStartHours! }, 0.5))) h, p90 "
     + "\(format(quantile(compared.map { $0.excursionStartHours! - $0.hindsightStartHours! }, 0.9))) h "
     + "(\(compared.count) with a hindsight event there)")
emit("first detections by detector rule: "
      + Dictionary(grouping: all.filter { $0.detectionRule != nil }, by: { $0.detectionRule! })
        .map { rule, group in
            "\(rule) \(group.count) (median \(format(quantile(group.compactMap(\.detectionHours), 0.5))) h)"
        }.sorted().joined(separator: ", "))
emit("alerts by rain handling of the trace: "
     + Dictionary(grouping: all.filter { $0.alertHandling != nil }, by: { $0.alertHandling! })
        .map { handling, group in
            "\(handling) \(group.count) (median \(format(quantile(group.compactMap(\.alertHours), 0.5))) h, "
                + "max \(format(group.compactMap(\.alertHours).max())) h)"
        }.sorted().joined(separator: ", "))
let alertedOnes = all.filter { $0.alertStretchRight != nil }
let rightOnes = alertedOnes.filter { $0.alertStretchRight! }
emit("alerts whose suspect stretch holds the discharge: \(rightOnes.count) of \(alertedOnes.count); their latency median "
     + "\(format(quantile(rightOnes.compactMap(\.alertHours), 0.5))) h, p90 \(format(quantile(rightOnes.compactMap(\.alertHours), 0.9))) h")
emit("not alerted within 48 h: \(all.count - all.filter { $0.alertHours != nil }.count); of them source in hindsight "
      + "\(all.filter { $0.alertHours == nil && $0.sourceInHindsight }.count), detected in 48 h "
      + "\(all.filter { $0.alertHours == nil && $0.detectionHours != nil }.count), found only in the month before the run's "
      + "\(all.filter { $0.alertHours == nil && $0.lostAtMonthBoundaryHours != nil }.count)")
emit("hindsight (analyze after the fact): event \(all.filter(\.detectedInHindsight).count), "
      + "source trace \(all.filter(\.sourceInHindsight).count) of \(all.count)")
