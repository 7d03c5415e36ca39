import Foundation
import RiverModel

/// The stations of a trace-back on one time axis: each upstream series shifted by the lag the trace used, so a
/// plume that passed them all lines up at hour 0 (the event's onset at the event point).
struct AlignedSeriesChart {
    struct Line {
        let label: String
        /// Hours from the event's onset (after the lag shift) and the value.
        let points: [(Double, Double)]
        /// A station the trace could not judge (no data in its window, or already off its baseline): drawn grey
        /// and dashed, since its series is often the most telling.
        var withoutVerdict = false
    }

    static let withoutVerdictColour = "#888888"

    let title: String
    let parameter: Parameter
    let lines: [Line]
    /// Hours before and after the onset to show.
    let before: Double
    let after: Double

    static let colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    /// A dash pattern per colour, so that the stations stay apart in a greyscale print (the first, the event point,
    /// is solid and thicker). None is the "5 3" of the stations without a verdict.
    static let dashes: [String?] = [nil, "9 3", "2 3", "9 3 2 3", "14 4", "2 6", "6 2 2 2"]

    func svg() -> String {
        var canvas = SVGCanvas(width: 760, height: 300)
        let (left, right, top, bottom) = (62.0, 600.0, 34.0, 250.0)
        let shown = lines.map { line in line.points.filter { $0.0 >= -before && $0.0 <= after } }
        let values = shown.flatMap { $0.map(\.1) }
        guard let low = values.min(), let high = values.max() else { return canvas.render(title: title) }
        let pad = max((high - low) * 0.08, 1e-9)
        func x(_ hours: Double) -> Double { left + (hours + before) / (before + after) * (right - left) }
        func y(_ value: Double) -> Double { bottom - (value - (low - pad)) / (high - low + 2 * pad) * (bottom - top) }
        canvas.line(left, bottom, right, bottom, stroke: "#555")
        canvas.line(left, top, left, bottom, stroke: "#555")
        let ticks = niceTicks(low - pad, high + pad)
        for (tick, label) in zip(ticks, formatTicks(ticks)) {
            canvas.line(left - 4, y(tick), left, y(tick), stroke: "#555")
            canvas.text(left - 6, y(tick) + 3, label, size: 10, anchor: "end")
        }
        for hour in stride(from: -before, through: after, by: 6) {
            canvas.line(x(hour), bottom, x(hour), bottom + 4, stroke: "#555")
            canvas.text(x(hour), bottom + 16, hour == 0 ? "0" : String(format: "%+.0f h", hour), size: 10, anchor: "middle")
        }
        canvas.line(x(0), top, x(0), bottom, stroke: "#999", dash: "4 3")
        var colourIndex = 0
        for (index, points) in shown.enumerated() {
            let line = lines[index]
            let colour: String
            let dash: String?
            if line.withoutVerdict {
                colour = Self.withoutVerdictColour
                dash = "5 3"
            } else {
                colour = Self.colours[colourIndex % Self.colours.count]
                dash = Self.dashes[colourIndex % Self.dashes.count]
                colourIndex += 1
            }
            canvas.polyline(points.map { (x($0.0), y($0.1)) }, stroke: colour, width: index == 0 ? 2.5 : 1.5, dash: dash)
            canvas.line(615, 50 + Double(index) * 18, 635, 50 + Double(index) * 18, stroke: colour, width: 2.5, dash: dash)
            canvas.text(640, 54 + Double(index) * 18, line.label, size: 10)
        }
        canvas.text(left, 20, title, size: 13, weight: "bold")
        canvas.text(left - 50, top - 8, parameter.canonicalUnit.rawValue, size: 10)
        return canvas.render(title: title)
    }
}
