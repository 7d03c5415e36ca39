import Foundation
import RiverModel
import Trace

/// Where each river of a network is drawn on the schematic: the outlet river across, tributaries branching off
/// at their confluences and running back upstream at an angle.
///
/// Along a tributary, distance is drawn to scale except near its mouth: a point within `mouthClearance` pixels
/// of the confluence would sit on the receiving river's line (and inside any bar drawn over it), so it is moved up
/// its own river, and the points above it keep `pointSpacing` pixels apart.
struct SchematicLayout {
    struct Placement {
        /// Where the river ends: its confluence, or the outlet river's downstream end.
        let mouth: (Double, Double)
        /// The unit direction of flow.
        let direction: (Double, Double)
        let lengthKilometres: Double
        /// (kilometres above the mouth, pixels above the mouth), increasing; drawn linearly in between.
        let warp: [(Double, Double)]

        /// The drawing position of kilometre `km` (from the river's upstream end).
        func position(_ km: Double) -> (Double, Double) {
            let above = lengthKilometres - km
            var pixels = above * (warp.last!.1 / max(warp.last!.0, 1e-9))
            for (a, b) in zip(warp, warp.dropFirst()) where above >= a.0 && above <= b.0 {
                let fraction = b.0 > a.0 ? (above - a.0) / (b.0 - a.0) : 1
                pixels = a.1 + fraction * (b.1 - a.1)
                break
            }
            return (mouth.0 - direction.0 * pixels, mouth.1 - direction.1 * pixels)
        }

        var source: (Double, Double) { position(0) }
    }

    static let mouthClearance = 26.0
    static let pointSpacing = 24.0

    let placements: [String: Placement]

    init(network: Network, origin: (Double, Double) = (70, 280), mainLength: Double = 760, branchReach: Double = 230) {
        var placements: [String: Placement] = [:]
        guard let main = network.riversInTreeOrder.first else {
            self.placements = [:]
            return
        }
        let scale = mainLength / max(1, main.lengthKilometres)
        // Tributaries (with theirs) must fit above or below the main river: about `branchReach` px at ~40°.
        func reach(_ river: River) -> Double {
            river.lengthKilometres + (network.tributaries(of: river.id).map(reach).max() ?? 0)
        }
        let longest = network.tributaries(of: main.id).map(reach).max() ?? 1
        let branchScale = min(scale, branchReach / (0.7 * max(longest, 0.1)))

        func warp(_ river: River, scale: Double, isOutlet: Bool) -> [(Double, Double)] {
            var anchors = [(0.0, 0.0)]
            if !isOutlet {
                var previous: Double?
                let above = network.points(on: river.id).map { river.lengthKilometres - $0.kilometre }.filter { $0 >= 0 }.sorted()
                for kilometres in above {
                    let least = previous.map { $0 + Self.pointSpacing } ?? Self.mouthClearance
                    let pixels = max(kilometres * scale, least)
                    if kilometres == anchors.last!.0 { anchors[anchors.count - 1].1 = pixels } else { anchors.append((kilometres, pixels)) }
                    previous = pixels
                }
            }
            let lastPixels = anchors.last!.1
            if river.lengthKilometres > anchors.last!.0 {
                anchors.append((river.lengthKilometres, max(river.lengthKilometres * scale, lastPixels + 6)))
            } else if anchors.count == 1 {
                anchors.append((max(river.lengthKilometres, 1e-6), max(river.lengthKilometres * scale, 1)))
            }
            return anchors
        }

        let mainWarp = warp(main, scale: scale, isOutlet: true)
        placements[main.id] = Placement(mouth: (origin.0 + mainWarp.last!.1, origin.1), direction: (1, 0),
                                        lengthKilometres: main.lengthKilometres, warp: mainWarp)
        var side = 1.0
        for river in network.riversInTreeOrder {
            guard let placement = placements[river.id] else { continue }
            for tributary in network.tributaries(of: river.id) {
                guard let km = tributary.confluenceKilometres else { continue }
                let joint = placement.position(km)
                // Tributaries come in from upstream: draw them back up at 35–55°, alternating sides.
                let direction: (Double, Double)
                if river.flowsInto == nil {
                    let angle = 0.75 * side
                    direction = (-cos(angle), sin(angle))
                } else {
                    // A tributary of a tributary: turn its parent's direction by about 60°.
                    let turn = 1.05 * side
                    direction = (placement.direction.0 * cos(turn) - placement.direction.1 * sin(turn),
                                 placement.direction.0 * sin(turn) + placement.direction.1 * cos(turn))
                }
                side = -side
                placements[tributary.id] = Placement(mouth: joint, direction: direction, lengthKilometres: tributary.lengthKilometres,
                                                     warp: warp(tributary, scale: branchScale, isOutlet: false))
            }
        }
        self.placements = placements
    }

    func position(_ riverID: String, _ km: Double) -> (Double, Double)? {
        placements[riverID]?.position(km)
    }
}

/// A schematic of the river network: the outlet river across, tributaries branching off at their confluences,
/// points coloured by class, labels placed clear of each other and of the lines.
struct NetworkSchematic {
    let title: String
    let network: Network
    let classes: [String: WaterClass]
    /// A trace-back drawn over the network: the suspect stretch, affected and clean points, the walked path.
    var trace: TraceResult?
    /// The legend's words for the trace overlay, in this order: suspect stretch, other possible stretches, path
    /// walked, affected, clean, no verdict (no data or already off its baseline). Only what is drawn is listed.
    var traceLegend: [String] = []
    /// The language of the names, class labels, tooltips and the class legend.
    var language: ReportLanguage = .zh

    static let suspectColour = "#d62728"
    static let alternativeColour = "#ff9896"
    static let walkedColour = "#7b3294"

    /// A trace role as the point's tooltip names it.
    func roleName(_ role: TraceEvidence.Role) -> String {
        switch role {
        case .event: language.t("事件点", "event point")
        case .affected: language.t("受影响", "affected")
        case .clean: language.t("未受影响", "clean")
        case .noData: language.t("无数据或此前已偏高", "no data or already off baseline")
        }
    }

    /// The ring's line: solid for the affected points, dashed for the clean ones, dotted for those without a verdict,
    /// so that the roles stay apart in a greyscale print, where red, green and grey look alike.
    static func ringDash(_ role: TraceEvidence.Role) -> String? {
        switch role {
        case .event, .affected: nil
        case .clean: "5 2.5"
        case .noData: "1.5 2"
        }
    }

    static func ringColour(_ role: TraceEvidence.Role) -> String {
        switch role {
        case .event, .affected: "#d62728"
        case .clean: "#2ca02c"
        case .noData: "#999999"
        }
    }

    /// One entry of the trace legend.
    enum LegendEntry: Equatable {
        case suspect, alternative, walked, affected, clean, noVerdict
    }

    /// The trace-legend entries for what the overlay draws, in legend order.
    func drawnTraceEntries(layout: SchematicLayout) -> [LegendEntry] {
        guard let trace else { return [] }
        var entries: [LegendEntry] = []
        func drawable(_ segment: SuspectSegment) -> Bool {
            layout.position(segment.riverID, segment.fromKilometre) != nil && layout.position(segment.riverID, segment.toKilometre) != nil
        }
        if let suspect = trace.suspectSegment, drawable(suspect) { entries.append(.suspect) }
        if trace.alternativeSegments.contains(where: drawable) { entries.append(.alternative) }
        if walkedPath(layout: layout).count > 1 { entries.append(.walked) }
        let drawnRoles = Set(trace.evidence.filter { network.point($0.pointID) != nil }.map(\.role))
        if drawnRoles.contains(.event) || drawnRoles.contains(.affected) { entries.append(.affected) }
        if drawnRoles.contains(.clean) { entries.append(.clean) }
        if drawnRoles.contains(.noData) { entries.append(.noVerdict) }
        return entries
    }

    private func walkedPath(layout: SchematicLayout) -> [(Double, Double)] {
        (trace?.walked ?? []).compactMap { network.point($0) }.compactMap { layout.position($0.riverID, $0.kilometre) }
    }

    func svg() -> String {
        var canvas = SVGCanvas(width: 900, height: 560)
        guard !network.riversInTreeOrder.isEmpty else { return canvas.render(title: title) }
        let layout = SchematicLayout(network: network)
        var labels = LabelPlacer(area: LabelBox(minX: 4, minY: 40, maxX: 896, maxY: 492))
        labels.avoid(LabelBox(minX: 815, minY: 284, maxX: 845, maxY: 304))    // the flow arrow

        for river in network.riversInTreeOrder {
            guard let placement = layout.placements[river.id] else { continue }
            let width = river.flowsInto == nil ? 7.0 : 4.0
            canvas.line(placement.source.0, placement.source.1, placement.mouth.0, placement.mouth.1, stroke: "#5aa0e6", width: width)
            labels.avoidSegment(placement.source, placement.mouth, width: width)
        }
        let entries = drawnTraceEntries(layout: layout)
        if let trace {
            for segment in [trace.suspectSegment].compactMap({ $0 }) + trace.alternativeSegments {
                let suspect = segment == trace.suspectSegment
                if let a = layout.position(segment.riverID, segment.fromKilometre), let b = layout.position(segment.riverID, segment.toKilometre) {
                    canvas.line(a.0, a.1, b.0, b.1, stroke: suspect ? Self.suspectColour : Self.alternativeColour, width: suspect ? 12 : 8)
                    labels.avoidSegment(a, b, width: suspect ? 12 : 8)
                }
            }
            let walked = walkedPath(layout: layout)
            canvas.polyline(walked, stroke: Self.walkedColour, width: 2.5)
            for (a, b) in zip(walked, walked.dropFirst()) { labels.avoidSegment(a, b, width: 2.5) }
        }
        let roles = Dictionary((trace?.evidence ?? []).map { ($0.pointID, $0.role) }, uniquingKeysWith: { first, _ in first })
        var marks: [(MonitoringPoint, (Double, Double))] = []
        for river in network.riversInTreeOrder {
            for point in network.points(on: river.id) {
                guard let at = layout.position(river.id, point.kilometre) else { continue }
                marks.append((point, at))
                labels.avoidDisc(at, radius: roles[point.id] == nil ? 7.5 : 11.5)
            }
        }
        for (point, at) in marks {
            let waterClass = classes[point.id]
            let className = waterClass.map(language.className) ?? language.t("未评价", "not assessed")
            canvas.circle(at.0, at.1, radius: 7, fill: ClassColour.fill(waterClass), stroke: waterClass == nil ? "#777" : "#333",
                          dash: ClassColour.outlineDash(waterClass), title: "\(point.id) \(language.name(of: point)): \(className)")
            if let role = roles[point.id] {
                canvas.circle(at.0, at.1, radius: 11, fill: "none", stroke: Self.ringColour(role), dash: Self.ringDash(role),
                              title: "\(point.id): \(roleName(role))")
            }
        }
        // River names first (beyond each tributary's upstream end, where no point sits), then the point ids.
        for river in network.riversInTreeOrder {
            guard let placement = layout.placements[river.id] else { continue }
            let riverName = language.name(of: river)
            let size = 12.0, width = estimatedTextWidth(riverName, size: size)
            let candidates: [(Double, Double)]
            if river.flowsInto == nil {
                // Above the main river's upstream end.
                candidates = [(placement.source.0 + width / 2, placement.source.1 - 20), (placement.source.0 + width / 2, placement.source.1 + 22)]
            } else {
                let tip = placement.source, back = (-placement.direction.0, -placement.direction.1)
                let reach = 8 + width / 2 * abs(back.0) + size / 2 * abs(back.1)
                candidates = [(tip.0 + back.0 * reach, tip.1 + back.1 * reach)]
                    + LabelPlacer.candidates(around: tip, clearance: 4, width: width, height: size * 1.1)
            }
            let label = labels.place(riverName, size: size, at: candidates)
            canvas.text(label.x, label.baseline, riverName, size: size, anchor: "middle", fill: "#1d4f91", weight: "bold")
        }
        for (point, at) in marks {
            let label = labels.place(point.id, size: 9, around: at, clearance: roles[point.id] == nil ? 7 : 11)
            canvas.text(label.x, label.baseline, point.id, size: 9, anchor: "middle", fill: "#333")
        }

        // Legend: the classes, and above them the trace overlay's marks that are drawn.
        var legendX = 70.0
        for waterClass in [WaterClass.i, .ii, .iii, .iv, .v, .worseThanV, nil] {
            let word = waterClass.map(language.className) ?? language.t("未评价", "not assessed")
            canvas.circle(legendX, 535, radius: 6, fill: ClassColour.fill(waterClass), stroke: waterClass == nil ? "#777" : "#333",
                          dash: ClassColour.outlineDash(waterClass))
            canvas.text(legendX + 10, 539, word, size: 11)
            legendX += max(80, 10 + estimatedTextWidth(word, size: 11) + 20)
        }
        var x = 70.0
        let y = 510.0
        let words: [LegendEntry: Int] = [.suspect: 0, .alternative: 1, .walked: 2, .affected: 3, .clean: 4, .noVerdict: 5]
        for entry in entries {
            guard let index = words[entry], index < traceLegend.count else { continue }
            switch entry {
            case .suspect: canvas.line(x, y, x + 24, y, stroke: Self.suspectColour, width: 8)
            case .alternative: canvas.line(x, y, x + 24, y, stroke: Self.alternativeColour, width: 6)
            case .walked: canvas.line(x, y, x + 24, y, stroke: Self.walkedColour, width: 2.5)
            case .affected: canvas.circle(x + 12, y, radius: 9, fill: "none", stroke: Self.ringColour(.affected), dash: Self.ringDash(.affected))
            case .clean: canvas.circle(x + 12, y, radius: 9, fill: "none", stroke: Self.ringColour(.clean), dash: Self.ringDash(.clean))
            case .noVerdict: canvas.circle(x + 12, y, radius: 9, fill: "none", stroke: Self.ringColour(.noData), dash: Self.ringDash(.noData))
            }
            canvas.text(x + 30, y + 4, traceLegend[index], size: 11)
            x += 30 + estimatedTextWidth(traceLegend[index], size: 11) + 26
        }
        canvas.text(70, 30, title, size: 15, weight: "bold")
        canvas.text(830, 300, "→", size: 20, anchor: "middle", fill: "#5aa0e6")
        return canvas.render(title: title)
    }
}
