import Foundation

/// An axis-aligned box on the canvas, in pixels (y grows downwards).
struct LabelBox: Equatable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    init(centre: (Double, Double), width: Double, height: Double) {
        self.init(minX: centre.0 - width / 2, minY: centre.1 - height / 2, maxX: centre.0 + width / 2, maxY: centre.1 + height / 2)
    }

    var centre: (Double, Double) { ((minX + maxX) / 2, (minY + maxY) / 2) }

    func intersects(_ other: LabelBox) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    func contains(_ other: LabelBox) -> Bool {
        other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
    }

    func overlapArea(_ other: LabelBox) -> Double {
        max(0, min(maxX, other.maxX) - max(minX, other.minX)) * max(0, min(maxY, other.maxY) - max(minY, other.minY))
    }

    func inflated(by margin: Double) -> LabelBox {
        LabelBox(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    /// Whether the segment from `a` to `b` passes through the box (Liang–Barsky clipping).
    func intersectsSegment(_ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        let dx = b.0 - a.0, dy = b.1 - a.1
        var low = 0.0, high = 1.0
        for (p, q) in [(-dx, a.0 - minX), (dx, maxX - a.0), (-dy, a.1 - minY), (dy, maxY - a.1)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { low = max(low, t) } else { high = min(high, t) }
                if low > high { return false }
            }
        }
        return true
    }

    /// Whether a disc reaches into the box.
    func intersectsDisc(_ centre: (Double, Double), radius: Double) -> Bool {
        let nearestX = min(max(centre.0, minX), maxX), nearestY = min(max(centre.1, minY), maxY)
        let dx = centre.0 - nearestX, dy = centre.1 - nearestY
        return dx * dx + dy * dy < radius * radius
    }
}

/// The width a line of text takes, estimated from its characters: CJK and full-width forms about one em,
/// Latin letters and digits a little over half an em (close enough for Noto Sans CJK / PingFang at chart sizes).
func estimatedTextWidth(_ text: String, size: Double) -> Double {
    var ems = 0.0
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            ems += 1
        case 0x2160...0x217F, 0x2190...0x21FF, 0x25A0...0x25FF:
            ems += 0.8    // Roman numerals, arrows, shapes: wider than a letter in CJK fonts
        case 0x20, 0x2E, 0x2C, 0x3A, 0x3B, 0x27, 0x7C, 0x28, 0x29, 0x2D:
            ems += 0.32
        default:
            ems += 0.6
        }
    }
    return ems * size
}

/// Where a label ended up: draw it with `text-anchor="middle"` at `x`, baseline `baseline`.
struct PlacedLabel {
    let box: LabelBox
    let fontSize: Double
    var x: Double { box.centre.0 }
    var baseline: Double { box.maxY - 0.2 * fontSize }
}

/// Greedy label placement: each label takes the first of its candidate positions whose box stays inside the
/// drawing area and clear of the labels already placed, the marks (points) and the lines (rivers); when none is
/// clear, the candidate with the least overlap.
struct LabelPlacer {
    let area: LabelBox
    private(set) var placed: [LabelBox] = []
    private var boxes: [LabelBox] = []
    private var discs: [((Double, Double), Double)] = []
    private var segments: [((Double, Double), (Double, Double), Double)] = []

    static let markMargin = 4.0

    init(area: LabelBox) {
        self.area = area
    }

    /// Something labels must keep off: a legend, a title, a label placed by hand.
    mutating func avoid(_ box: LabelBox) { boxes.append(box) }

    /// A point mark (with its ring) labels must keep off.
    mutating func avoidDisc(_ centre: (Double, Double), radius: Double) { discs.append((centre, radius)) }

    /// A line of `width` pixels labels must keep off.
    mutating func avoidSegment(_ a: (Double, Double), _ b: (Double, Double), width: Double) {
        segments.append((a, b, width / 2))
    }

    /// Box centres around a mark of radius `clearance`: below, above, right, left, the four diagonals, then the
    /// same again further out, step by step.
    static func candidates(around centre: (Double, Double), clearance: Double, width: Double, height: Double)
        -> [(Double, Double)] {
        var result: [(Double, Double)] = []
        for distance in [clearance + 2, clearance + 6, clearance + 11, clearance + 17] {
            let diagonal = distance * 0.75
            let dx = distance + width / 2, dy = distance + height / 2
            let ddx = diagonal + width / 2, ddy = diagonal + height / 2
            result += [(centre.0, centre.1 + dy), (centre.0, centre.1 - dy), (centre.0 + dx, centre.1), (centre.0 - dx, centre.1),
                       (centre.0 + ddx, centre.1 + ddy), (centre.0 - ddx, centre.1 + ddy),
                       (centre.0 + ddx, centre.1 - ddy), (centre.0 - ddx, centre.1 - ddy)]
        }
        return result
    }

    /// Places `text` around a mark at `centre`.
    /// Other marks are kept `markMargin` further off than the own one, so that a label reads as its own mark's.
    mutating func place(_ text: String, size: Double, around centre: (Double, Double), clearance: Double) -> PlacedLabel {
        let width = estimatedTextWidth(text, size: size), height = size * 1.1
        return place(text, size: size, at: Self.candidates(around: centre, clearance: clearance, width: width, height: height),
                     owner: centre)
    }

    /// Places `text` at the first free of the given box centres.
    mutating func place(_ text: String, size: Double, at centres: [(Double, Double)], owner: (Double, Double)? = nil) -> PlacedLabel {
        let width = estimatedTextWidth(text, size: size), height = size * 1.1
        var best: (box: LabelBox, penalty: Double)?
        for centre in centres {
            let box = LabelBox(centre: centre, width: width, height: height)
            let penalty = self.penalty(box, owner: owner)
            if penalty == 0 {
                best = (box, 0)
                break
            }
            if best == nil || penalty < best!.penalty { best = (box, penalty) }
        }
        let box = best?.box ?? LabelBox(centre: centres.first ?? (0, 0), width: width, height: height)
        placed.append(box)
        return PlacedLabel(box: box, fontSize: size)
    }

    /// Zero for a box clear of everything; otherwise grows with what it covers (another label worst).
    func penalty(_ box: LabelBox, owner: (Double, Double)? = nil) -> Double {
        // A little air between a label and what it avoids.
        let padded = box.inflated(by: 1)
        var penalty = 0.0
        if !area.contains(box) { penalty += 1_000 }
        for other in placed where other.intersects(padded) { penalty += 100 + other.overlapArea(padded) }
        for other in boxes where other.intersects(padded) { penalty += 100 + other.overlapArea(padded) }
        for (centre, radius) in discs {
            let own = owner.map { $0.0 == centre.0 && $0.1 == centre.1 } ?? false
            if padded.intersectsDisc(centre, radius: own ? radius : radius + Self.markMargin) { penalty += 50 }
        }
        for (a, b, halfWidth) in segments where padded.inflated(by: halfWidth).intersectsSegment(a, b) { penalty += 20 }
        return penalty
    }
}
