import Foundation
import RiverModel
import Standards
import Trace

/// Class bands behind a chart: (lower, upper, class) in the parameter's unit, best class first.
func classBands(_ parameter: Parameter, top: Double, body: WaterBody = .river) -> [(Double, Double, WaterClass)] {
    if parameter == .pH {
        return [(6, 9, .i)]
    }
    guard let limits = GB3838.limits(parameter, body: body) else { return [] }
    var bands: [(Double, Double, WaterClass)] = []
    if parameter == .dissolvedOxygen {
        bands.append((limits[0], max(top, limits[0]), .i))
        for index in 1..<5 { bands.append((limits[index], limits[index - 1], WaterClass(rawValue: index + 1)!)) }
        bands.append((0, limits[4], .worseThanV))
    } else {
        var lower = 0.0
        for index in 0..<5 where limits[index] > lower {
            bands.append((lower, limits[index], WaterClass(rawValue: index + 1)!))
            lower = limits[index]
        }
        bands.append((limits[4], max(top, limits[4]), .worseThanV))
    }
    return bands
}

/// Draws the class bands of `parameter` between `low` and `high`, labelled on the right in `language`, and value
/// gridlines.
func drawClassBands(_ canvas: inout SVGCanvas, parameter: Parameter, body: WaterBody = .river, low: Double, high: Double,
                    left: Double, right: Double, language: ReportLanguage, y: (Double) -> Double) {
    for (lower, upper, waterClass) in classBands(parameter, top: high, body: body) {
        let a = max(low, lower), b = min(high, upper)
        guard b > a else { continue }
        canvas.rect(x: left, y: y(b), width: right - left, height: y(a) - y(b), fill: ClassColour.fill(waterClass), opacity: 0.16)
        // A band too thin for its label stays unlabelled rather than overprinting the next one.
        if y(a) - y(b) >= 13 {
            canvas.text(right - 4, y(b) + 12, language.className(waterClass), size: 10, anchor: "end", fill: "#555")
        }
    }
    let ticks = niceTicks(low, high)
    for (tick, label) in zip(ticks, formatTicks(ticks)) {
        canvas.line(left, y(tick), right, y(tick), stroke: "#ddd", width: 0.5)
        canvas.text(left - 6, y(tick) + 4, label, size: 10, anchor: "end")
    }
}

/// A time series with the class limits as coloured bands.
struct TimeSeriesChart {
    let title: String
    let parameter: Parameter
    let series: ChartSeries
    let period: EvaluationPeriod
    let timeZone: TimeZone
    /// The language of the class labels.
    var language: ReportLanguage = .zh

    /// The plot area's edges in the SVG's units (pixels at its size).
    static let plot = (left: 62.0, right: 740.0, top: 34.0, bottom: 220.0)
    /// The plot's width in pixel columns, which ``ChartSeries`` reduces a long series to.
    static let plotColumns = Int(plot.right - plot.left)

    func svg() -> String {
        var canvas = SVGCanvas(width: 760, height: 260)
        let (left, right, top, bottom) = Self.plot
        let values = series.runs.joined().map(\.1)
        let limits = GB3838.limits(parameter) ?? []
        let dataHigh = values.max() ?? 1
        var high = max(dataHigh, parameter == .pH ? 9.5 : (limits.first { $0 >= dataHigh } ?? dataHigh)) * 1.08
        if parameter == .dissolvedOxygen { high = max(high, 8) }
        let low = parameter == .pH ? min(5.5, values.min() ?? 6) : min(0, values.min() ?? 0)
        let start = period.start.timeIntervalSince1970, end = period.end.timeIntervalSince1970
        func x(_ date: Date) -> Double { left + (date.timeIntervalSince1970 - start) / max(1, end - start) * (right - left) }
        func y(_ value: Double) -> Double { bottom - (value - low) / max(1e-12, high - low) * (bottom - top) }

        drawClassBands(&canvas, parameter: parameter, low: low, high: high, left: left, right: right, language: language, y: y)
        // Day ticks at local midnights, at most about eight labels.
        let days = Int((end - start) / 86_400)
        let every = max(1, days / 8)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        for day in stride(from: 0, through: days, by: every) {
            let date = period.start.addingTimeInterval(Double(day) * 86_400)
            canvas.line(x(date), bottom, x(date), bottom + 4, stroke: "#555")
            let parts = calendar.dateComponents([.month, .day], from: date)
            canvas.text(x(date), bottom + 16, "\(parts.month!)/\(parts.day!)", size: 10, anchor: "middle")
        }
        canvas.line(left, bottom, right, bottom, stroke: "#555")
        canvas.line(left, top, left, bottom, stroke: "#555")
        for run in series.runs {
            canvas.polyline(run.map { (x($0.0), y($0.1)) }, stroke: "#1f3b73")
        }
        if series.readingCount <= 40 {
            for (date, value) in series.runs.joined() { canvas.circle(x(date), y(value), radius: 3, fill: "#1f3b73", stroke: "#fff") }
        }
        canvas.text(left, 20, title, size: 13, weight: "bold")
        canvas.text(left - 50, top - 8, parameter.canonicalUnit.rawValue, size: 10)
        return canvas.render(title: title)
    }
}

/// A river's longitudinal profile: the period mean at each point against km, with class bands, tributary
/// confluences and registered sources marked.
struct LongitudinalProfileChart {
    let title: String
    let parameter: Parameter
    let river: River
    /// (point, km, mean)
    let points: [(MonitoringPoint, Double?)]
    let tributaries: [River]
    let sources: [RegisteredSource]
    /// The key for the source triangles ("registered source"); without it the triangles go unexplained.
    var sourceLegend: String?
    /// The language of the class labels and of the tributaries' and points' names.
    var language: ReportLanguage = .zh

    static let sourceColour = "#8a2be2"

    func svg() -> String {
        var canvas = SVGCanvas(width: 760, height: 280)
        let (left, right, top, bottom) = (62.0, 740.0, 34.0, 210.0)
        let values = points.compactMap(\.1)
        let limits = GB3838.limits(parameter, body: river.waterBody) ?? []
        let dataHigh = values.max() ?? 1
        var high = max(dataHigh, parameter == .pH ? 9.5 : (limits.first { $0 >= dataHigh } ?? dataHigh)) * 1.1
        if parameter == .dissolvedOxygen { high = max(high, 8) }
        let low = parameter == .pH ? 5.5 : 0
        // The river ends short of the right edge: the class labels stand there, and a mouth station would cover them.
        let riverEnd = right - 44
        func x(_ km: Double) -> Double { left + km / max(0.1, river.lengthKilometres) * (riverEnd - left) }
        func y(_ value: Double) -> Double { bottom - (value - low) / max(1e-12, high - low) * (bottom - top) }
        drawClassBands(&canvas, parameter: parameter, body: river.waterBody, low: low, high: high, left: left, right: right,
                       language: language, y: y)
        let kilometreTicks = niceTicks(0, river.lengthKilometres, count: 6)
        for (tick, label) in zip(kilometreTicks, formatTicks(kilometreTicks)) {
            canvas.line(x(tick), bottom, x(tick), bottom + 4, stroke: "#555")
            canvas.text(x(tick), bottom + 16, label + " km", size: 10, anchor: "middle")
        }
        for tributary in tributaries {
            guard let km = tributary.confluenceKilometres else { continue }
            canvas.line(x(km), top, x(km), bottom, stroke: "#3a7fd5", width: 1, dash: "4 3")
            canvas.text(x(km) + 3, top + 10, "← " + language.name(of: tributary), size: 10, fill: "#3a7fd5")
        }
        for source in sources {
            canvas.text(x(source.kilometre), bottom - 2, "▲", size: 10, anchor: "middle", fill: Self.sourceColour)
        }
        // The triangles' key, right of the title where no data is drawn.
        if !sources.isEmpty, let sourceLegend {
            canvas.text(right - estimatedTextWidth(sourceLegend, size: 10) - 4, 20, "▲", size: 10, anchor: "end", fill: Self.sourceColour)
            canvas.text(right, 20, sourceLegend, size: 10, anchor: "end", fill: "#555")
        }
        canvas.line(left, bottom, right, bottom, stroke: "#555")
        canvas.line(left, top, left, bottom, stroke: "#555")
        let plotted = points.compactMap { point, mean in mean.map { (x(point.kilometre), y($0)) } }
        canvas.polyline(plotted, stroke: "#1f3b73", width: 2)
        for (point, mean) in points {
            let px = x(point.kilometre)
            if let mean {
                canvas.circle(px, y(mean), radius: 4.5,
                              fill: ClassColour.fill(GB3838.classify(parameter, mean, body: river.waterBody)),
                              title: "\(point.id) \(language.name(of: point)): \(formatTick(mean))")
            }
            canvas.text(px, bottom + 32, point.id, size: 10, anchor: "end", rotate: -35)
        }
        canvas.text(left, 20, title, size: 13, weight: "bold")
        canvas.text(left - 50, top - 8, parameter.canonicalUnit.rawValue, size: 10)
        return canvas.render(title: title)
    }
}
