import Foundation
import RiverModel
@testable import Standards
import TestSupport
import Testing

/// Issue 15.1: period values without binary error, rounded by GB/T 8170 (四舍六入五成双) at the decimals of
/// 《地表水环境质量监测数据统计技术规定（试行）》. Expected values are worked by hand or with Python's `fractions`.
@Suite("数值修约: exact period means and rounding")
struct MethodRoundingTests {
    @Test("GB/T 8170 half to even: below half down, above half up, exactly half to the even digit", arguments: [
        (0.124, 2, 0.12), (0.126, 2, 0.13), (0.125, 2, 0.12), (0.135, 2, 0.14), (0.1251, 2, 0.13),
        (2.5, 0, 2.0), (3.5, 0, 4.0), (-0.125, 2, -0.12), (-0.135, 2, -0.14), (7.45, 1, 7.4), (7.55, 1, 7.6),
        (0.0625, 3, 0.062), (0.0635, 3, 0.064), (1e-13, 3, 0.0),
    ])
    func halfToEven(value: Double, decimals: Int, expected: Double) {
        #expect(MethodRounding.round(value, decimals: decimals) == expected)
    }

    @Test("thirty readings of TP 0.1 are 0.1, Class II (their binary sum gives 0.10000000000000005, Class III)")
    func thirtyTenths() throws {
        let values = Array(repeating: 0.1, count: 30)
        #expect(values.reduce(0, +) / 30 != 0.1, "the naive mean carries binary error")
        let mean = try #require(MethodRounding.periodMean(values, for: .totalPhosphorus))
        #expect(mean == 0.1)
        #expect(GB3838.classify(.totalPhosphorus, mean) == .ii)
    }

    @Test("DO 4.6, 5.1, 4.6, 5.4, 5.1, 5.2 average 5.0 exactly, Class III (binary: 4.999999999999999)")
    func oxygenFive() throws {
        let values = [4.6, 5.1, 4.6, 5.4, 5.1, 5.2]
        #expect(values.reduce(0, +) / 6 < 5)
        let mean = try #require(MethodRounding.periodMean(values, for: .dissolvedOxygen))
        #expect(mean == 5.0)
        #expect(GB3838.classify(.dissolvedOxygen, mean) == .iii)
    }

    @Test("a mean exactly on a midpoint rounds to even: TP mean 0.1005 is 0.100, Class II (binary 0.10050000000000002 → 0.101, III)")
    func midpointMean() throws {
        // Python: sum(Fraction(str(v)) for v in values) / 6 == Fraction(201, 2000); sum(values) / 6 == 0.10050000000000002.
        let values = [0.104, 0.098, 0.099, 0.0995, 0.102, 0.1005]
        let mean = try #require(MethodRounding.periodMean(values, for: .totalPhosphorus))
        #expect(mean == 0.1)
        #expect(GB3838.classify(.totalPhosphorus, mean) == .ii)
        // 0.109, 0.103, 0.097, 0.101: exactly 0.1025 → 0.102 (binary 0.10250000000000001 would give 0.103).
        #expect(MethodRounding.periodMean([0.109, 0.103, 0.097, 0.101], for: .totalPhosphorus) == 0.102)
    }

    @Test("one mean per parameter exactly on each class limit is that class", arguments: Parameter.allCases)
    func meansOnLimits(parameter: Parameter) throws {
        guard let limits = GB3838.limits(parameter, body: .lake) else { return }
        for (index, limit) in limits.enumerated() {
            // Three readings around the limit whose exact mean is the limit: limit − d, limit, limit + d.
            let step = pow(10, -Double(MethodRounding.decimals(parameter) ?? 2))
            let values = [limit - step, limit, limit + step]
            let mean = try #require(MethodRounding.periodMean(values, for: parameter))
            #expect(mean == limit, "\(parameter) \(values)")
            let found = try #require(GB3838.classify(parameter, mean, body: .lake))
            // DO and the other items: a value on a limit belongs to that class (the better one when limits repeat).
            #expect(found.rawValue <= index + 1, "\(parameter) at \(limit)")
            #expect(found == WaterClass(rawValue: limits.firstIndex(of: limit)! + 1), "\(parameter) at \(limit)")
        }
    }

    @Test("censored readings enter at half their limit: 0.1 and <0.05 average 0.0625, kept as 0.062 (five, even 2)")
    func censoredHalf() {
        #expect(MethodRounding.periodMean([0.1, 0.05 / 2], for: .totalPhosphorus) == 0.062)
    }

    @Test("pH is averaged as hydrogen-ion concentration: 6 and 8 give 6.3 (−log10((10⁻⁶ + 10⁻⁸) / 2)), evaluated as 6")
    func pHMean() throws {
        // −log10((1e-6 + 1e-8) / 2) = 6.2967… → 6 at whole units.
        #expect(MethodRounding.periodMean([6, 8], for: .pH) == 6)
        // Readings all 8.5: the mean is 8.5 exactly, a midpoint → 8 (even); 9.5 → 10: worse than V.
        #expect(MethodRounding.periodMean([8.5, 8.5, 8.5], for: .pH) == 8)
        let high = try #require(MethodRounding.periodMean([9.5, 9.5], for: .pH))
        #expect(high == 10)
        #expect(GB3838.classify(.pH, high) == .worseThanV)
    }

    @Test("readings after unit conversion (185 µg/L as 0.185 mg/L, with binary tails) are taken as their short decimals")
    func convertedValues() {
        let converted = [185 * 0.001, 215 * 0.001]  // 0.185, 0.215 with binary tails
        #expect(MethodRounding.periodMean(converted, for: .totalPhosphorus) == 0.2)
    }

    @Test("the exact decimal of a double: its shortest form, at most 12 places")
    func exactDecimal() throws {
        #expect(try #require(ExactDecimal(0.1)).scaled == 100_000_000_000)
        #expect(try #require(ExactDecimal(-2.5)).scaled == -2_500_000_000_000)
        #expect(try #require(ExactDecimal(0.1 + 0.2)).scaled == 300_000_000_000)  // 0.30000000000000004: 12 places
        #expect(ExactDecimal(.infinity) == nil)
    }
}

/// Issue 15.5: lakes and reservoirs evaluated by their own limits, with the trophic state index.
@Suite("lakes and reservoirs")
struct LakeTests {
    func network(_ body: WaterBody) -> Network {
        Network(rivers: [River("L", name: "某湖", lengthKilometres: 2, velocityMetresPerSecond: 0.05, targetClass: .iii,
                               waterBody: body)],
                points: [MonitoringPoint("L-1", name: "湖心", riverID: "L", kilometre: 1)], sources: [])
    }

    func sample(_ value: Double) -> [Observation] { [Observation(time: october2026.start.addingTimeInterval(86_400), value: value)] }

    @Test("TP 0.05 is Class III in a lake or reservoir and Class II in a river; TN is classed, apart, in the lake only",
          arguments: [WaterBody.lake, .reservoir, .river])
    func ownLimits(body: WaterBody) throws {
        let result = Evaluator(network: network(body), period: october2026).evaluate(
            point: network(body).point("L-1")!,
            series: [.totalPhosphorus: sample(0.05), .totalNitrogen: sample(1.8), .dissolvedOxygen: sample(8)])
        let tp = try #require(result.parameters.first { $0.parameter == .totalPhosphorus })
        let tn = try #require(result.parameters.first { $0.parameter == .totalNitrogen })
        #expect(result.waterBody == body)
        if body == .river {
            #expect(tp.waterClass == .ii && tn.waterClass == nil)
            #expect(result.waterClass == .ii)
        } else {
            #expect(tp.waterClass == .iii)
            #expect(tn.waterClass == .v, "TN 1.8 against the lake limits (V: ≤ 2.0)")
            #expect(result.waterClass == .iii, "TN is evaluated apart: it does not make the section Class V")
        }
    }

    @Test("the trophic state index of the method's five parameters (hand-worked, 48.0 mesotrophic)")
    func trophicState() throws {
        // Python (math.log): TLI chl-a 50.0061, TP 45.7093, TN 54.53, SD 51.18, CODMn 37.9793; weights r² 1, 0.7056,
        // 0.6724, 0.6889, 0.6889 → Σ W·TLI = 48.0181 → 48.0, 30 ≤ TLI ≤ 50: 中营养.
        let state = try #require(TrophicState(periodValues: [.chlorophyllA: 0.010, .totalPhosphorus: 0.05,
                                                             .totalNitrogen: 1.0, .transparency: 100,
                                                             .permanganateIndex: 4.0]))
        #expect(state.index == 48.0)
        #expect(state.grade == .mesotrophic)
        #expect(state.parameters == [.chlorophyllA, .totalPhosphorus, .totalNitrogen, .transparency, .permanganateIndex])
        // Only chl-a and TP: the weights renormalised over the two → 48.2285 → 48.2.
        #expect(TrophicState(periodValues: [.chlorophyllA: 0.010, .totalPhosphorus: 0.05])?.index == 48.2)
        // A eutrophic lake: chl-a 60 mg/m³, TP 0.2, TN 2.5, SD 30 cm, CODMn 8 → 67.8749 → 67.9, 中度富营养.
        let green = try #require(TrophicState(periodValues: [.chlorophyllA: 0.060, .totalPhosphorus: 0.2,
                                                             .totalNitrogen: 2.5, .transparency: 30,
                                                             .permanganateIndex: 8]))
        #expect(green.index == 67.9 && green.grade == .moderatelyEutrophic)
        #expect(TrophicState(periodValues: [.totalPhosphorus: 0.05]) == nil, "no chlorophyll a, no index")
    }

    @Test("trophic grades at their boundaries", arguments: [
        (29.9, TrophicGrade.oligotrophic), (30.0, .mesotrophic), (50.0, .mesotrophic), (50.1, .lightlyEutrophic),
        (60.0, .lightlyEutrophic), (60.1, .moderatelyEutrophic), (70.0, .moderatelyEutrophic), (70.1, .heavilyEutrophic),
    ])
    func grades(index: Double, expected: TrophicGrade) {
        #expect(TrophicGrade(index: index) == expected)
    }

    @Test("a lake point gets its trophic state in the evaluation")
    func pointTrophicState() throws {
        let result = Evaluator(network: network(.lake), period: october2026).evaluate(
            point: network(.lake).point("L-1")!,
            series: [.chlorophyllA: sample(0.010), .totalPhosphorus: sample(0.05)])
        #expect(result.trophicState?.index == 48.2)
    }
}
