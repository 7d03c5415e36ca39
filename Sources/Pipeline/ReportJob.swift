import Foundation
import Report
import RiverModel
import Standards
import Store
import Trace
import SystemPackage

/// Makes the periodic report from the store and writes it, each file moved into place only when complete.
public struct ReportJob {
    /// The analysis the report is made of (store, network, time zone).
    public let analysis: AnalysisJob

    public init(store: ReadingStore, network: Network, timeZone: TimeZone) {
        analysis = AnalysisJob(store: store, network: network, timeZone: timeZone)
    }

    /// Writes the report for `period` into `directory`; returns the paths written (report.md first).
    public func run(period: EvaluationPeriod, language: ReportLanguage, into directory: String,
                    now: Date = Date()) throws -> [String] {
        let (store, network, timeZone) = (analysis.store, analysis.network, analysis.timeZone)
        let document = try analysis.run(period: period)
        var previous: AnalysisDocument?
        if let before = PeriodParser.previous(period, timeZone: timeZone) {
            let candidate = try analysis.run(period: before)
            if candidate.points.contains(where: { $0.waterClass != nil }) { previous = candidate }
        }
        var series: [String: [Parameter: [(Date, Double)]]] = [:]
        for point in network.points where point.kind == .automatic {
            for parameter in ReportWriter.seriesParameters {
                let readings = try store.series(point: point.id, parameter: parameter, from: period.start, to: period.end)
                    .filter { !$0.isCensored && ($0.flag == nil || $0.flag == "N") }
                    .compactMap { reading in reading.value.map { (reading.time, $0) } }
                if !readings.isEmpty { series[point.id, default: [:]][parameter] = readings }
            }
        }
        // The trace-back charts: each source trace's lead parameter at the points it judged, a day either side.
        var traceSeries: [String: [Parameter: [(Date, Double)]]] = [:]
        for trace in document.traces where trace.verdict == .source {
            guard let code = trace.evidence.first?.parameter, let parameter = Parameter(rawValue: code) else { continue }
            for item in trace.evidence where traceSeries[item.pointID]?[parameter] == nil {
                traceSeries[item.pointID, default: [:]][parameter] = try store.series(
                    point: item.pointID, parameter: parameter, from: period.start.addingTimeInterval(-86_400),
                    to: period.end.addingTimeInterval(86_400))
                    .filter { !$0.isCensored && ($0.flag == nil || $0.flag == "N") }
                    .compactMap { reading in reading.value.map { (reading.time, $0) } }
            }
        }
        var input = ReportInput(document: document, previous: previous, network: network, series: series,
                                quarantine: try store.quarantineCounts(), timeZone: timeZone, generatedAt: now)
        input.traceSeries = traceSeries
        let files = ReportWriter(input: input, language: language).files()
        for folder in ["rivers", "traces"] {
            try FileManager.default.createDirectory(atPath: FilePath(directory).appending(folder).string,
                                                    withIntermediateDirectories: true)
        }
        // Write everything under temporary names first, then rename: a failure never leaves a half report in place.
        var staged: [(String, String)] = []
        for (relative, content) in files.sorted(by: { $0.key < $1.key }) {
            let path = FilePath(directory).pushing(FilePath(relative)).string
            let temporary = path + ".part"
            try Data(content.utf8).write(to: URL(fileURLWithPath: temporary))
            staged.append((temporary, path))
        }
        for (temporary, path) in staged {
            guard rename(temporary, path) == 0 else {
                throw PathError(path: path, message: "cannot move the report into place: \(String(cString: strerror(errno)))")
            }
        }
        // A re-run of the same period may join or drop incidents: an earlier run's trace-back files no longer
        // linked would read as current. Only our own kinds of file in our own folder go.
        let current = Set(files.keys)
        let traces = FilePath(directory).appending("traces")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: traces.string)) ?? []
        where (name.hasSuffix(".md") || name.hasSuffix(".svg")) && !current.contains("traces/" + name) {
            try? FileManager.default.removeItem(atPath: traces.appending(name).string)
        }
        let written = staged.map(\.1)
        return written.filter { $0.hasSuffix("report.md") } + written.filter { !$0.hasSuffix("report.md") }
    }
}
