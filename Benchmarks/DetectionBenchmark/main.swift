// Times anomaly detection and trace-back on a store: the targets are a year of hourly data for the
// 33-point district in under 5 s (anomaly detection) and under 2 s (tracing every event).
//
//   DetectionBenchmark STORE NETWORK_DIR FROM TO [RUNS]     (dates YYYY-MM-DD, local time; scripts/bench-detection.sh)
//
// Stages, each timed separately, medians of RUNS:
//   read      the stations' series out of SQLite (what the pure stages consume)
//   baselines robust baselines for every station series (pure)
//   events    excursions and events (pure)
//   traces    tracing every event (pure)
import Foundation
import Ingest
import Pipeline
import RiverModel
import Standards
import Statistics
import Store
import Trace

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: DetectionBenchmark STORE NETWORK_DIR FROM TO [RUNS]\n".utf8))
    exit(2)
}
let zone = TimeZone.chinaStandard
let store = try ReadingStore(path: arguments[1])
let network = try NetworkLoader.load(directory: arguments[2])
guard let period = PeriodParser.range(from: arguments[3], to: arguments[4], timeZone: zone) else {
    FileHandle.standardError.write(Data("cannot read the dates\n".utf8))
    exit(2)
}
let runs = arguments.count > 5 ? Int(arguments[5]) ?? 3 : 3
let job = AnalysisJob(store: store, network: network, timeZone: zone)

func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var timings: [String: [Double]] = [:]
var readings = 0, eventCount = 0, sourceTraces = 0
for _ in 0..<runs {
    // Read the series as the analysis does.
    var raw: [(point: String, parameter: Parameter, times: [Date], values: [Double])] = []
    timings["read", default: []].append(try seconds {
        raw = []
        for point in network.points {
            for parameter in Parameter.allCases where parameter != .temperature {
                let stored = try store.series(point: point.id, parameter: parameter, from: period.start, to: period.end)
                let usable = stored.compactMap { reading in reading.waterValue(of: parameter).map { (reading.time, $0) } }
                guard usable.count >= 48 else { continue }
                raw.append((point.id, parameter, usable.map(\.0), usable.map(\.1)))
            }
        }
    })
    readings = raw.reduce(0) { $0 + $1.values.count }
    var baselines: [String: [Parameter: BaselineSeries]] = [:]
    timings["baselines", default: []].append(seconds {
        baselines = [:]
        for series in raw {
            baselines[series.point, default: [:]][series.parameter] = RobustBaseline.fit(
                times: series.times, values: series.values, secondsFromGMT: 8 * 3_600,
                minimumScale: series.parameter.smallestMeaningfulChange,
                pollution: AnalysisJob.pollutionDirection(series.parameter))
        }
    })
    var events: [AnomalyEvent] = []
    timings["events", default: []].append(seconds {
        events = baselines.keys.sorted().flatMap { point in
            AnomalyEvent.events(pointID: point, baselines: baselines[point]!, interval: 3_600)
        }
    })
    eventCount = events.count
    var traces: [TraceResult] = []
    timings["traces", default: []].append(seconds {
        let engine = TraceEngine(network: network, baselines: baselines, events: events)
        traces = events.map(engine.trace)
    })
    sourceTraces = traces.filter { $0.verdict == .source }.count
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print("store \(arguments[1]), \(arguments[3])…\(arguments[4]): \(readings) readings in station series, "
      + "\(eventCount) events, \(sourceTraces) traced to a source; medians of \(runs) runs")
for stage in ["read", "baselines", "events", "traces"] {
    print("  " + stage.padding(toLength: 10, withPad: " ", startingAt: 0)
          + String(format: " %7.3f s   (runs: ", median(timings[stage]!))
          + timings[stage]!.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")")
}
print(String(format: "  anomaly detection (baselines + events): %.3f s; tracing: %.3f s",
             median(timings["baselines"]!) + median(timings["events"]!), median(timings["traces"]!)))
