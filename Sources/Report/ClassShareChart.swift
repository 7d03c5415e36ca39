import Foundation
import RiverModel
import Standards

/// The four bands the national method reports class shares in: I–III (good), IV, V and worse than V (劣V).
enum ClassShareBand: Int, CaseIterable {
    case good, iv, v, worseThanV

    /// The class whose colour the band takes.
    var colourClass: WaterClass {
        switch self {
        case .good: .iii
        case .iv: .iv
        case .v: .v
        case .worseThanV: .worseThanV
        }
    }

    func label(_ language: ReportLanguage) -> String {
        switch self {
        case .good: language.t("Ⅰ–Ⅲ类", "Class I–III")
        case .iv: language.t("Ⅳ类", "Class IV")
        case .v: language.t("Ⅴ类", "Class V")
        case .worseThanV: language.t("劣Ⅴ类", "worse than V")
        }
    }

    /// The fill: the class colour, hatched for the bands worse than III so that a greyscale print still tells
    /// IV, V and 劣V apart without the colours.
    func fill(_ canvas: inout SVGCanvas) -> String {
        let colour = ClassColour.fill(colourClass)
        switch self {
        case .good: return colour
        case .iv: return canvas.hatch("band-iv", background: colour, angle: 45, spacing: 7)
        case .v: return canvas.hatch("band-v", background: colour, angle: -45, spacing: 5)
        case .worseThanV: return canvas.hatch("band-worse-than-v", background: colour, angle: 45, spacing: 5, cross: true)
        }
    }
}

/// One stacked bar per river and one for the district: the shares of the evaluated points in I–III, IV, V and 劣V,
/// each share printed as a whole percentage (largest remainders, so the printed shares of a bar add up to 100 %).
struct ClassShareChart {
    struct Bar {
        let label: String
        /// Evaluated points per band, in ``ClassShareBand`` order.
        let counts: [Int]
        /// The district's bar, drawn last and bold.
        var isTotal = false

        var total: Int { counts.reduce(0, +) }

        /// Whole percentages per band summing to exactly 100 (Hamilton's largest-remainder method); empty without points.
        var percentages: [Int] {
            guard total > 0 else { return [] }
            let exact = counts.map { Double($0) * 100 / Double(total) }
            var whole = exact.map { Int($0.rounded(.down)) }
            let order = exact.indices.sorted { (exact[$0] - Double(whole[$0]), -$0) > (exact[$1] - Double(whole[$1]), -$1) }
            for index in order.prefix(100 - whole.reduce(0, +)) { whole[index] += 1 }
            return whole
        }
    }

    let title: String
    let bars: [Bar]
    let language: ReportLanguage

    static let barLeft = 200.0
    static let barWidth = 470.0

    func svg() -> String {
        let rowHeight = 26.0, top = 66.0
        var canvas = SVGCanvas(width: 760, height: top + Double(bars.count) * rowHeight + 36)
        canvas.text(20, 24, title, size: 14, weight: "bold")
        // The key, in bar order.
        var x = Self.barLeft
        for band in ClassShareBand.allCases {
            let fill = band.fill(&canvas)
            canvas.rect(x: x, y: 36, width: 14, height: 12, fill: fill, stroke: "#333")
            let word = band.label(language)
            canvas.text(x + 18, 46, word, size: 11)
            x += 18 + estimatedTextWidth(word, size: 11) + 18
        }
        for (row, bar) in bars.enumerated() {
            let y = top + Double(row) * rowHeight
            if bar.isTotal { canvas.line(20, y - 4, 740, y - 4, stroke: "#888", width: 0.8) }
            canvas.text(Self.barLeft - 8, y + 14, bar.label, size: 11, anchor: "end", weight: bar.isTotal ? "bold" : "normal")
            guard bar.total > 0 else {
                canvas.text(Self.barLeft, y + 14, language.t("无已评价点位", "no point assessed"), size: 11, fill: "#666")
                continue
            }
            var left = Self.barLeft
            for (band, (count, percentage)) in zip(ClassShareBand.allCases, zip(bar.counts, bar.percentages)) where count > 0 {
                let width = Double(count) / Double(bar.total) * Self.barWidth
                let fill = band.fill(&canvas)
                canvas.rect(x: left, y: y, width: width, height: 18, fill: fill, stroke: "#333")
                // The share on the bar where it fits; on a hatched band the text sits on a plain patch.
                let text = "\(percentage)%"
                let textWidth = estimatedTextWidth(text, size: 10)
                if width >= textWidth + 6 {
                    if band != .good {
                        canvas.rect(x: left + width / 2 - textWidth / 2 - 2, y: y + 3, width: textWidth + 4, height: 12, fill: "#ffffff", opacity: 0.85)
                    }
                    canvas.text(left + width / 2, y + 13, text, size: 10, anchor: "middle",
                                fill: band == .good ? ClassColour.text(on: .iii) : "#222222")
                }
                left += width
            }
            canvas.text(Self.barLeft + Self.barWidth + 8, y + 14,
                        language.t("\(bar.total) 个点位", "\(bar.total) point\(bar.total == 1 ? "" : "s")"), size: 10, fill: "#444")
        }
        return canvas.render(title: title)
    }
}

extension ReportWriter {
    /// The class-share bars of the period: one per river in tree order (its evaluated points), then the district.
    func classShareBars() -> [ClassShareChart.Bar] {
        // The report's own count of the classes (ClassTally), in the bands' order.
        func counts(_ points: [PointResult]) -> [Int] {
            let tally = ClassTally(points)
            return ClassShareBand.allCases.map { band in
                switch band {
                case .good: tally.good
                case .iv: tally.iv
                case .v: tally.v
                case .worseThanV: tally.worseThanV
                }
            }
        }
        var bars = input.network.riversInTreeOrder.map { river in
            ClassShareChart.Bar(label: displayName(river), counts: counts(input.document.points.filter { $0.riverID == river.id }))
        }
        bars.append(ClassShareChart.Bar(label: t("全区", "District"), counts: counts(input.document.points), isTotal: true))
        return bars
    }

    func classShareChart() -> String {
        ClassShareChart(title: t("各河流点位水质类别比例", "Class shares of the assessed points by river") + " \(input.document.period.label)",
                        bars: classShareBars(), language: language).svg()
    }
}
