import Foundation
import RiverModel

/// A small SVG builder: the charts are written by the project, no plotting library. Every string it is given
/// (text, titles, attribute values) goes through ``escapeXML(_:)``: callers pass names as they are.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var body: [String] = []
    private var definitions: [String: String] = [:]

    /// The fonts every text asks for: the CJK families of Linux (Noto / Source Han, WenQuanYi), Windows and macOS,
    /// then the generic family, so that a machine without one of them still draws the characters it has. Set on each
    /// `<text>`, not only on the root: an SVG inlined in an HTML page would otherwise take the page's font.
    static let fontStack = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',"
        + "'PingFang SC','Heiti SC','Noto Sans','DejaVu Sans',Arial,sans-serif"

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1,
                       stroke: String? = nil) {
        body.append("<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(0, width)))\" height=\"\(f(max(0, height)))\" "
                    + "fill=\"\(escapeXML(fill))\" fill-opacity=\"\(f(opacity))\"\(stroke.map { " stroke=\"\(escapeXML($0))\"" } ?? "")/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        body.append("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(escapeXML(stroke))\" "
                    + "stroke-width=\"\(f(width))\"\(dash.map { " stroke-dasharray=\"\(escapeXML($0))\"" } ?? "")/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
        guard points.count > 1 else { return }
        let coordinates = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(escapeXML(stroke))\" stroke-width=\"\(f(width))\" "
                    + "stroke-linejoin=\"round\"\(dash.map { " stroke-dasharray=\"\(escapeXML($0))\"" } ?? "")/>")
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, fill: String, stroke: String = "#333",
                         dash: String? = nil, title: String? = nil) {
        let tooltip = title.map { "<title>\(escapeXML($0))</title>" } ?? ""
        body.append("<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"\(escapeXML(fill))\" "
                    + "stroke=\"\(escapeXML(stroke))\"\(dash.map { " stroke-dasharray=\"\(escapeXML($0))\"" } ?? "")>\(tooltip)</circle>")
    }

    mutating func text(_ x: Double, _ y: Double, _ content: String, size: Double = 11, anchor: String = "start",
                       fill: String = "#222", weight: String = "normal", rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(f($0)) \(f(x)) \(f(y)))\"" } ?? ""
        body.append("<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(escapeXML(anchor))\" "
                    + "fill=\"\(escapeXML(fill))\" font-weight=\"\(escapeXML(weight))\" font-family=\"\(Self.fontStack)\"\(transform)>"
                    + "\(escapeXML(content))</text>")
    }

    /// A hatch pattern over `background` (for fills that must read in greyscale print too), defined once per
    /// document; returns the fill that uses it (`url(#id)`). `id` is a fixed ASCII name chosen by the chart.
    mutating func hatch(_ id: String, background: String, angle: Double, spacing: Double = 6, cross: Bool = false) -> String {
        if definitions[id] == nil {
            let lines = "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"\(f(spacing))\" stroke=\"#000\" stroke-opacity=\"0.45\" stroke-width=\"1.2\"/>"
                + (cross ? "<line x1=\"0\" y1=\"0\" x2=\"\(f(spacing))\" y2=\"0\" stroke=\"#000\" stroke-opacity=\"0.45\" stroke-width=\"1.2\"/>" : "")
            definitions[id] = "<pattern id=\"\(escapeXML(id))\" width=\"\(f(spacing))\" height=\"\(f(spacing))\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(\(f(angle)))\"><rect width=\"\(f(spacing))\" height=\"\(f(spacing))\" fill=\"\(escapeXML(background))\"/>"
                + lines + "</pattern>"
        }
        return "url(#\(id))"
    }

    /// The finished document (UTF-8, CJK-capable font stack).
    func render(title: String) -> String {
        let defs = definitions.isEmpty ? "" : "<defs>" + definitions.sorted { $0.key < $1.key }.map(\.value).joined() + "</defs>\n"
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" \
        font-family="\(Self.fontStack)">
        <title>\(escapeXML(title))</title>
        \(defs)<rect width="100%" height="100%" fill="#ffffff"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    private func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Class colours of the Chinese water-quality maps (I–II blue, III green, IV yellow, V orange, 劣V red), each at
/// its own lightness (CIE L* about 94, 72, 48, 84, 60, 36: at least 9 apart) so that a greyscale print still tells
/// them apart; no class is white, which is left for "not assessed" (drawn hollow, with a dotted outline).
enum ClassColour {
    static func fill(_ waterClass: WaterClass?) -> String {
        switch waterClass {
        case .i: "#dcf0fc"
        case .ii: "#7eb5ed"
        case .iii: "#2b8233"
        case .iv: "#f5cf0f"
        case .v: "#e2710e"
        case .worseThanV: "#a81818"
        case nil: "#ffffff"
        }
    }

    /// The outline of a point mark: dotted for a point without a class, so that it never reads as Class I in print.
    static func outlineDash(_ waterClass: WaterClass?) -> String? { waterClass == nil ? "2 1.5" : nil }

    /// The text colour that reads on a class fill: white on the dark ones (III, 劣V), dark on the others.
    static func text(on waterClass: WaterClass?) -> String {
        waterClass == .iii || waterClass == .worseThanV ? "#ffffff" : "#222222"
    }
}

/// "Nice" axis ticks (1, 2, 5 × 10^k) covering [low, high].
func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard high > low else { return [low] }
    let raw = (high - low) / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var ticks: [Double] = []
    var tick = (low / step).rounded(.down) * step
    while tick <= high + step * 1e-9 {
        if tick >= low - step * 1e-9 { ticks.append(tick) }
        tick += step
    }
    return ticks
}

/// Tick labels for one axis, all with the decimals the step between ticks needs ("0.0 0.5 1.0", never "0.50" next to "1").
func formatTicks(_ ticks: [Double]) -> [String] {
    guard ticks.count > 1 else { return ticks.map(formatTick) }
    let step = zip(ticks, ticks.dropFirst()).map { abs($1 - $0) }.min() ?? 1
    let decimals = step > 0 ? max(0, min(6, Int(ceil(-log10(step) - 1e-6)))) : 0
    return ticks.map { tick in
        let text = String(format: "%.\(decimals)f", tick)
        // "-0.0" is zero.
        return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
    }
}

func formatTick(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e6 { return String(Int(value)) }
    return String(format: abs(value) < 0.1 ? "%.3f" : abs(value) < 1 ? "%.2f" : "%.1f", value)
}

/// A measured value with about three significant digits, trailing zeros dropped (2.61, 0.185, 12.5, 1.5).
/// A time as people in `zone` read it (`2026-09-18 16:00` by default): reports, terminal output, file names.
public func localTime(_ date: Date, in zone: TimeZone, format: String = "yyyy-MM-dd HH:mm") -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = zone
    formatter.dateFormat = format
    return formatter.string(from: date)
}

/// A measured value as reports print it: a few significant digits, no trailing zeros.
public func formatValue(_ value: Double) -> String {
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
    var text = String(format: "%.\(decimals)f", value)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text
}
