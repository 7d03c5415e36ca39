@testable import Statistics
import Testing

@Suite("the median of six by a sorting network")
struct MedianOfSixTests {
    @Test("the network sorts every 0/1 input (0-1 principle: then it sorts every input)")
    func sortsEveryBinaryInput() {
        for bits in 0..<64 {
            var values = InlineArray<6, Double>(repeating: 0)
            for i in 0..<6 { values[i] = Double((bits >> i) & 1) }
            _ = SensorFaultDetector.medianOfSix(&values)
            let ones = bits.nonzeroBitCount
            for i in 0..<6 { #expect(values[i] == (i >= 6 - ones ? 1 : 0), "input \(bits), position \(i)") }
        }
    }

    @Test("by hand: 5, 1, 4, 1, 9, 2 → sorted 1, 1, 2, 4, 5, 9 → (2 + 4) / 2 = 3")
    func handWorked() {
        var values: InlineArray<6, Double> = [5, 1, 4, 1, 9, 2]
        #expect(SensorFaultDetector.medianOfSix(&values) == 3)
    }
}
