import Foundation
@testable import Report
import RiverModel
import Testing
import Trace

/// CIE 1976 L* of an sRGB colour `#rrggbb` (IEC 61966-2-1 linearisation, Rec. 709 luminance weights, D65 white).
private func lightness(_ hex: String) -> Double {
    let digits = Array(hex.dropFirst())
    func channel(_ index: Int) -> Double {
        let value = Double(Int(String(digits[index * 2...index * 2 + 1]), radix: 16)!) / 255
        return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }
    let y = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    return y > 216.0 / 24_389 ? 116 * cbrt(y) - 16 : y * 24_389 / 27
}

@Suite("charts in greyscale print")
struct PrintableChartTests {
    @Test("the six class colours differ pairwise by at least 9 L*, and none is the white of 'not assessed'")
    func classLightness() {
        let classes = WaterClass.allCases
        let values = classes.map { lightness(ClassColour.fill($0)) }
        for (index, value) in values.enumerated() {
            #expect(value < 97, "\(classes[index]) is almost white")
            for other in values.indices where other > index {
                #expect(abs(value - values[other]) >= 9, "\(classes[index]) and \(classes[other]): \(value) vs \(values[other])")
            }
        }
        #expect(ClassColour.outlineDash(nil) != nil && classes.allSatisfy { ClassColour.outlineDash($0) == nil })
    }

    @Test("the trace rings of affected, clean and no-verdict points differ by their line, not only by colour")
    func ringLines() {
        let roles: [TraceEvidence.Role] = [.affected, .clean, .noData]
        #expect(Set(roles.map { NetworkSchematic.ringDash($0) ?? "solid" }).count == roles.count)
    }

    @Test("the aligned chart's stations differ by their dash pattern, not only by colour")
    func alignedDashes() {
        let patterns = AlignedSeriesChart.dashes.map { $0 ?? "solid" }
        #expect(Set(patterns).count == AlignedSeriesChart.dashes.count)
        #expect(AlignedSeriesChart.dashes.count == AlignedSeriesChart.colours.count)
        #expect(!patterns.contains("5 3"), "the pattern of the stations without a verdict")
    }
}
