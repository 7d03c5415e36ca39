import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Report
import RiverModel
import Standards
import Statistics
import TestSupport
import Testing
import Trace

/// A main river M (10 km) with a tributary T (3 km) joining at km 5; T-01 sits 50 m above T's mouth.
private let network = Network(
    rivers: [River("M", name: "主河", targetClass: .iv),
             River("T", name: "支河", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 3, velocityMetresPerSecond: 0.2,
                   targetClass: .iv)],
    points: [MonitoringPoint("M-01", riverID: "M", kilometre: 2, kind: .automatic),
             MonitoringPoint("M-02", riverID: "M", kilometre: 7, kind: .automatic),
             MonitoringPoint("T-02", riverID: "T", kilometre: 1, kind: .automatic),
             MonitoringPoint("T-01", riverID: "T", kilometre: 2.95, kind: .automatic)],
    sources: [RegisteredSource(id: "S1", name: "某排口", kind: "outfall", riverID: "M", kilometre: 4, signature: .industrial)])

private func trace(evidence: [(String, String)], walked: [String] = ["M-02"], alternatives: String = "[]") throws -> TraceResult {
    let items = evidence.map { id, role in
        """
        {"point_id": "\(id)", "role": "\(role)", "parameter": "cond", "nominal_lag_hours": 1, "lag_hours": 1,
         "window_start": "2026-10-05T02:00:00Z", "window_end": "2026-10-05T06:00:00Z"}
        """
    }.joined(separator: ",")
    let json = """
    {"point_id": "M-02", "event_start": "2026-10-05T02:00:00Z", "peak_time": "2026-10-05T04:00:00Z", "verdict": "source",
     "rose": ["cond"], "fell": [],
     "suspect_segment": {"river_id": "M", "from_point_id": "M-01", "to_point_id": "M-02", "from_km": 2, "to_km": 7},
     "alternative_segments": \(alternatives), "candidates": [], "confidence": 0.5,
     "evidence": [\(items)], "walked": \(walked)}
    """
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(TraceResult.self, from: Data(json.utf8))
}

private let legendWords = ["疑似河段", "其他可能河段", "溯源路径", "受影响", "未受影响", "无数据或此前已偏高"]

private func distance(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
    ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot()
}

@Suite("charts")
struct ChartTests {
    @Test("labels of two points at the same spot get boxes that do not overlap")
    func sameSpotLabelsApart() {
        var placer = LabelPlacer(area: LabelBox(minX: 0, minY: 0, maxX: 400, maxY: 300))
        placer.avoidDisc((200, 150), radius: 7.5)
        placer.avoidDisc((200, 150), radius: 7.5)
        let first = placer.place("AB-01", size: 9, around: (200, 150), clearance: 7)
        let second = placer.place("AB-02", size: 9, around: (200, 150), clearance: 7)
        #expect(!first.box.intersects(second.box))
        #expect(!first.box.intersectsDisc((200, 150), radius: 7) && !second.box.intersectsDisc((200, 150), radius: 7))
    }

    @Test("a label keeps off a line through its first choice (below the point)")
    func labelAvoidsLine() {
        var placer = LabelPlacer(area: LabelBox(minX: 0, minY: 0, maxX: 400, maxY: 300))
        placer.avoidSegment((200, 150), (200, 300), width: 4)
        let label = placer.place("AB-01", size: 9, around: (200, 150), clearance: 7)
        #expect(!label.box.inflated(by: 2).intersectsSegment((200, 150), (200, 300)))
        #expect(distance(label.box.centre, (200, 150)) < 30, "still next to its point")
    }

    @Test("a CJK character is estimated about twice as wide as a Latin letter")
    func textWidths() {
        #expect(estimatedTextWidth("龙栖河", size: 10) == 30)
        #expect(abs(estimatedTextWidth("LDH", size: 10) - 18) < 1e-9)
    }

    @Test("a tributary point 50 m above the mouth is drawn on its tributary's line, clear of the receiving river")
    func tributaryMouthPointOnItsLine() throws {
        let layout = SchematicLayout(network: network)
        let tributary = try #require(layout.placements["T"])
        let at = tributary.position(2.95)
        let mainY = try #require(layout.position("M", 0)).1
        // Clear of a 12 px suspect bar on the main river and of the point's own 11 px ring.
        #expect(abs(at.1 - mainY) > 6 + 11)
        // On the tributary's line: collinear with its mouth and direction.
        let offset = (at.0 - tributary.mouth.0, at.1 - tributary.mouth.1)
        #expect(abs(offset.0 * tributary.direction.1 - offset.1 * tributary.direction.0) < 1e-6)
        #expect(distance(at, tributary.position(1)) >= SchematicLayout.pointSpacing - 1e-9)
    }

    @Test("the network schematic gives no two point labels the same place")
    func schematicLabelsApart() throws {
        let svg = NetworkSchematic(title: "t", network: network, classes: [:]).svg()
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        let pattern = /<text x="([0-9.]+)" y="([0-9.]+)" font-size="9"[^>]*>([A-Z]-[0-9]+)<\/text>/
        let boxes = svg.matches(of: pattern).map { match in
            LabelBox(centre: (Double(match.1)!, Double(match.2)! - 3.5), width: estimatedTextWidth(String(match.3), size: 9), height: 9)
        }
        #expect(boxes.count == 4)
        for (index, box) in boxes.enumerated() {
            for other in boxes[(index + 1)...] { #expect(!box.intersects(other)) }
        }
    }

    @Test("the trace legend lists the grey ring only when a no-data point is drawn")
    func greyRingInLegendOnlyWhenDrawn() throws {
        var schematic = NetworkSchematic(title: "t", network: network, classes: [:])
        schematic.traceLegend = legendWords
        schematic.trace = try trace(evidence: [("M-02", "event"), ("M-01", "clean")])
        #expect(!schematic.svg().contains(legendWords[5]))
        schematic.trace = try trace(evidence: [("M-02", "event"), ("M-01", "no_data")])
        let svg = schematic.svg()
        #expect(svg.contains(legendWords[5]) && svg.contains("stroke=\"#999999\""))
        #expect(!svg.contains(legendWords[4]), "no clean point drawn, no clean ring in the legend")
    }

    @Test("the trace legend leaves out the walked path and other stretches when none are drawn")
    func legendListsWhatIsDrawn() throws {
        let layout = SchematicLayout(network: network)
        var schematic = NetworkSchematic(title: "t", network: network, classes: [:])
        schematic.trace = try trace(evidence: [("M-02", "event"), ("M-01", "clean")])
        #expect(schematic.drawnTraceEntries(layout: layout) == [.suspect, .affected, .clean])
        schematic.trace = try trace(evidence: [("M-02", "event")], walked: ["M-02", "M-01"], alternatives: """
            [{"river_id": "T", "from_km": 1, "to_km": 3}]
            """)
        #expect(schematic.drawnTraceEntries(layout: layout) == [.suspect, .alternative, .walked, .affected])
    }

    @Test("tick labels of one axis share one number of decimals", arguments: [
        ([0.0, 0.5, 1, 1.5], ["0.0", "0.5", "1.0", "1.5"]),
        ([0.0, 2, 4, 6, 8, 10, 12], ["0", "2", "4", "6", "8", "10", "12"]),
        ([0.0, 0.05, 0.1, 0.15], ["0.00", "0.05", "0.10", "0.15"]),
        ([0.9, 1.0, 1.1, 1.2], ["0.9", "1.0", "1.1", "1.2"]),
    ])
    func tickDecimals(ticks: [Double], labels: [String]) {
        #expect(formatTicks(ticks) == labels)
    }

    @Test("a longitudinal profile with sources explains the triangles")
    func profileSourceLegend() {
        let river = network.river("M")!
        var chart = LongitudinalProfileChart(title: "t", parameter: .ammoniaNitrogen, river: river,
                                             points: [(network.point("M-01")!, 0.6), (network.point("M-02")!, 1.2)],
                                             tributaries: [network.river("T")!], sources: network.sources)
        chart.sourceLegend = "登记污染源"
        let svg = chart.svg()
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains(">登记污染源</text>"))
        chart = LongitudinalProfileChart(title: "t", parameter: .ammoniaNitrogen, river: river,
                                         points: [(network.point("M-01")!, 0.6)], tributaries: [], sources: [],
                                         sourceLegend: "登记污染源")
        #expect(!chart.svg().contains("登记污染源"), "no triangles, no key")
    }

    @Test("a station at a river's mouth stays left of the class labels at the profile's right edge")
    func profileMouthClearsClassLabels() throws {
        let mouth = MonitoringPoint("M-10", riverID: "M", kilometre: 10, kind: .automatic)
        let chart = LongitudinalProfileChart(title: "t", parameter: .ammoniaNitrogen, river: network.river("M")!,
                                             points: [(network.point("M-01")!, 0.6), (mouth, 1.2)], tributaries: [], sources: [])
        let centres = chart.svg().matches(of: /<circle cx="([0-9.]+)"/).compactMap { Double($0.output.1) }
        let cx = try #require(centres.max())
        // Labels are right-aligned 4 px inside the plot's right edge (740); "劣Ⅴ类" at 10 px is about 30 px wide.
        #expect(cx + 4.5 < 740 - 4 - 30)
    }

    @Test("the aligned chart draws a station without a verdict grey and dashed")
    func alignedWithoutVerdict() {
        let chart = AlignedSeriesChart(title: "t", parameter: .conductivity, lines: [
            .init(label: "A (event)", points: [(-2, 600), (0, 760), (2, 600)]),
            .init(label: "B +1.0 h", points: [(-2, 610), (0, 800), (2, 610)], withoutVerdict: true),
        ], before: 24, after: 36)
        let svg = chart.svg()
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("stroke=\"\(AlignedSeriesChart.withoutVerdictColour)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-dasharray"))
    }

    @Test("the trace report's aligned chart includes a station without a verdict that has a series")
    func alignedIncludesNoDataStation() throws {
        var document = emptyOctoberDocument()
        let result = try trace(evidence: [("M-02", "event"), ("M-01", "no_data")])
        document.traces = [result]
        let onset = result.eventStart
        var input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                                timeZone: TimeZone.chinaStandard, generatedAt: october2026.end)
        input.traceSeries = ["M-01": [.conductivity: (0..<30).map { (onset.addingTimeInterval(Double($0 - 15) * 3600), 700.0) }],
                             "M-02": [.conductivity: (0..<30).map { (onset.addingTimeInterval(Double($0 - 10) * 3600), $0 == 12 ? 760 : 600) }]]
        let files = ReportWriter(input: input, language: .zh).files()
        let aligned = try #require(files.first { $0.key.hasSuffix("-aligned.svg") }?.value)
        #expect(aligned.contains(">M-01 +1.0 h</text>"))
        #expect(aligned.contains("stroke-dasharray"))
    }
}
