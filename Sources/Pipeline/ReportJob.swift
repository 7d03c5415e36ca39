import Foundation
import Report
import RiverModel
import Standards
import Store
import Trace
import SystemPackage

/// Makes the periodic report from the store and writes it, each file moved into place only when complete.
public struct ReportJob: Sendable {
    /// The analysis the report is made of (store, network, time zone).
    public let analysis: AnalysisJob
    /// The browser that prints `--format pdf` (nil: none found; ``HeadlessChromium/find(environment:)``).
    public var browser: HeadlessChromium? = HeadlessChromium.find()

    /// - Parameter uncertainBelow: the confidence below which a traced event is `uncertain` (settings `uncertain_below`).
    public init(store: ReadingStore, network: Network, timeZone: TimeZone,
                uncertainBelow: Double = TraceEngine.defaultUncertainBelow) {
        analysis = AnalysisJob(store: store, network: network, timeZone: timeZone, uncertainBelow: uncertainBelow)
    }

    /// Writes the report for `period` into `directory`; returns the paths written (report.md first).
    public func run(period: EvaluationPeriod, language: ReportLanguage, into directory: String,
                    now: Date = Date()) throws -> [String] {
        try write(prepare(period: period, now: now), language: language, into: directory)
    }

    /// Everything a report of `period` shows: the analysis, the period before (环比) and the same period a year
    /// earlier (同比), the series for the charts.
    /// A period that has not ended at `now` is marked provisional.
    public func prepare(period: EvaluationPeriod, now: Date = Date()) throws -> ReportInput {
        let (store, network, timeZone) = (analysis.store, analysis.network, analysis.timeZone)
        // The comparisons and the charts' series are read on another thread while the analysis runs here.
        let compared = Background { try self.comparisons(with: period) }
        let analysed = Result { try analysis.run(period: period) }
        compared.wait()
        let document = try analysed.get()
        let (previous, yearEarlier, series) = try compared.value()
        var input = ReportInput(document: document, previous: previous, network: network, series: series,
                                quarantine: try store.quarantineCounts(), timeZone: timeZone, generatedAt: now)
        input.traceSeries = try traceSeries(document.traces, period: period)
        input.yearEarlier = yearEarlier
        input.provisional = period.end > now
        return input
    }

    /// The trace-back charts' series: each source trace's lead parameter at the points it judged, read only in the hours
    /// its aligned chart shows (``ReportWriter/alignedChartHours`` around the lag-shifted onset, an hour more either
    /// side here), within the period and a day either side. A station with readings in that range but none in
    /// its windows keeps one reading outside them, so that its chart still lists it, as when the whole range was read.
    /// Reading the whole range per point made a ten-year report hold ten years of every traced station.
    func traceSeries(_ traces: [TraceResult], period: EvaluationPeriod) throws -> [String: [Parameter: [(Date, Double)]]] {
        let (rangeStart, rangeEnd) = (period.start.addingTimeInterval(-86_400), period.end.addingTimeInterval(86_400))
        var windows: [String: [Parameter: [(Date, Date)]]] = [:]
        for trace in traces where trace.verdict == .source {
            guard let parameter = trace.evidence.first?.parameter else { continue }
            for item in trace.evidence {
                let onset = trace.eventStart.addingTimeInterval(-item.lagHours * 3_600)
                let from = max(rangeStart, onset.addingTimeInterval(-(ReportWriter.alignedChartHours.before + 1) * 3_600))
                let to = min(rangeEnd, onset.addingTimeInterval((ReportWriter.alignedChartHours.after + 1) * 3_600))
                windows[item.pointID, default: [:]][parameter, default: []].append((from, max(from, to)))
            }
        }
        var series: [String: [Parameter: [(Date, Double)]]] = [:]
        for (pointID, byParameter) in windows {
            for (parameter, pointWindows) in byParameter {
                var readings: [(Date, Double)] = []
                // Merged, in time order: each reading once.
                var merged: [(Date, Date)] = []
                for window in pointWindows.sorted(by: { $0.0 < $1.0 }) {
                    if let last = merged.last, window.0 <= last.1 { merged[merged.count - 1].1 = max(last.1, window.1) } else { merged.append(window) }
                }
                for (from, to) in merged where to > from {
                    readings += try analysis.store.series(point: pointID, parameter: parameter, from: from, to: to)
                        .compactMap { reading in reading.waterValue(of: parameter).map { (reading.time, $0) } }
                }
                if readings.isEmpty, let outside = try analysis.store.series(point: pointID, parameter: parameter, from: rangeStart, to: rangeEnd)
                    .lazy.compactMap({ reading in reading.waterValue(of: parameter).map { (reading.time, $0) } }).first {
                    readings = [outside]
                }
                if !readings.isEmpty { series[pointID, default: [:]][parameter] = readings }
            }
        }
        return series
    }

    /// The period before and the same period a year earlier (nil: no class to compare with), and the charts' series.
    typealias Comparisons = (previous: AnalysisDocument?, yearEarlier: AnalysisDocument?,
                             series: [String: [Parameter: ChartSeries]])

    private func comparisons(with period: EvaluationPeriod) throws -> Comparisons {
        let (store, network, timeZone) = (analysis.store, analysis.network, analysis.timeZone)
        // A period the store holds no class for is no comparison: the report says "no data", never a made-up change.
        let assessed = { (candidate: AnalysisDocument) in candidate.points.contains { $0.waterClass != nil } ? candidate : nil }
        let before = PeriodParser.previous(period, timeZone: timeZone)
        // Both comparisons read classes only (points, rivers, district): the earlier periods are evaluated, not
        // analysed — no events, traces or long-term trends, whose history grows with the store.
        let previous = try before.flatMap { assessed(try analysis.evaluate(period: $0)) }
        let yearBefore = PeriodParser.yearBefore(period, timeZone: timeZone)
        // A year's period before is that same year, evaluated once.
        let yearEarlier = yearBefore == before ? previous : try yearBefore.flatMap { assessed(try analysis.evaluate(period: $0)) }
        // Each series is reduced to what its chart draws as soon as it is read: a long period's readings are never
        // all held at once.
        var series: [String: [Parameter: ChartSeries]] = [:]
        for point in network.points where point.kind == .automatic {
            for parameter in ReportWriter.seriesParameters {
                let readings = try store.series(point: point.id, parameter: parameter, from: period.start, to: period.end)
                    .compactMap { reading in reading.waterValue(of: parameter).map { (reading.time, $0) } }
                if !readings.isEmpty { series[point.id, default: [:]][parameter] = ChartSeries(readings, period: period) }
            }
        }
        return (previous, yearEarlier, series)
    }

    /// Writes the report of `input` in `language` into `directory` as `formats` (Markdown and SVG always; HTML with
    /// `.html` or `.pdf`; the PDF through headless Chromium); returns the paths written (report.md first).
    /// - Throws: ``PathError`` when a file cannot be written; ``BrowserError`` when a PDF was asked for and Chromium is
    ///   missing or fails (the Markdown and HTML are written by then).
    public func write(_ input: ReportInput, language: ReportLanguage, into directory: String,
                      formats: Set<ReportFormat> = [.markdown]) throws -> [String] {
        var files = ReportWriter(input: input, language: language).files()
        if formats.contains(.html) || formats.contains(.pdf) {
            files[HTMLReport.fileName] = HTMLReport(files: files, language: language).document()
        }
        let written = try Self.write(files, into: directory)
        // A re-run of the same period may join or drop incidents: an earlier run's trace-back files no longer
        // linked would read as current, and so would an earlier HTML or PDF. Only our own kinds of file in our own
        // folder go.
        let current = Set(files.keys)
        let traces = FilePath(directory).appending("traces")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: traces.string)) ?? []
        where [".md", ".svg", ".geojson"].contains(where: name.hasSuffix) && !current.contains("traces/" + name) {
            try? FileManager.default.removeItem(atPath: traces.appending(name).string)
        }
        let html = FilePath(directory).appending(HTMLReport.fileName).string
        let pdf = FilePath(directory).appending(Self.pdfName).string
        if !current.contains(HTMLReport.fileName) { unlink(html) }
        if !formats.contains(.pdf) { unlink(pdf) }
        var paths = written.filter { $0.hasSuffix("report.md") } + written.filter { !$0.hasSuffix("report.md") }
        if formats.contains(.pdf) {
            // The old PDF would no longer match the pages just written.
            unlink(pdf)
            guard let browser else {
                throw BrowserError(message: HeadlessChromium.missingMessage + "; the Markdown and \(html) were written")
            }
            try browser.printPDF(html: html, to: pdf)
            paths.append(pdf)
        }
        return paths
    }

    /// The PDF's file name in the report folder.
    public static let pdfName = "report.pdf"

    /// Writes `files` (path relative to `directory` → content): every file under a temporary name (`.part`) first,
    /// then all moved into place, so a failure never leaves half a report; on a failure no `.part` file stays.
    /// Returns the paths written.
    /// - Throws: ``PathError`` naming the file or folder and the system's reason ("No space left on device").
    static func write(_ files: [String: String], into directory: String) throws -> [String] {
        let root = FilePath(directory)
        var targets: [(path: FilePath, content: String)] = []
        for (relative, content) in files.sorted(by: { $0.key < $1.key }) {
            // ReportWriter names files through ReportFileName; a path leaving the folder would be a bug, so refuse it.
            guard let path = root.lexicallyResolving(FilePath(relative)), path.lastComponent?.string.hasPrefix(".") == false else {
                throw PathError(path: relative, message: "a report file must lie inside \(directory): not written")
            }
            targets.append((path, content))
        }
        for folder in Set([root.appending("rivers"), root.appending("traces")] + targets.map { $0.path.removingLastComponent() }) {
            try createFolder(folder.string)
        }
        var staged: [FilePath] = []
        do {
            for (path, content) in targets {
                let temporary = FilePath(path.string + ".part")
                staged.append(temporary)
                do {
                    let file = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .truncate],
                                                       permissions: [.ownerReadWrite, .groupRead, .otherRead])
                    _ = try file.closeAfter { try file.writeAll(content.utf8) }
                } catch let error as Errno {
                    throw PathError(path: path.string, message: "cannot write the report file: \(error)")
                }
            }
            for (temporary, target) in zip(staged, targets) {
                guard rename(temporary.string, target.path.string) == 0 else {
                    throw PathError(path: target.path.string, message: "cannot move the report file into place: \(Errno(rawValue: errno))")
                }
            }
        } catch {
            for temporary in staged { unlink(temporary.string) }
            throw error
        }
        return targets.map(\.path.string)
    }
}
