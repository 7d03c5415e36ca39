import Foundation
import RiverModel
import Standards
import TestSupport
import Testing

/// Monthly manual samples on the given days of October 2026 (midday Beijing time).
func samples(_ values: [Double?], censored: [Double?] = []) -> [Observation] {
    var out: [Observation] = []
    for (index, value) in values.enumerated() {
        out.append(Observation(time: october2026.start.addingTimeInterval(Double(index) * 86_400 + 14_400), value: value))
    }
    for (index, limit) in censored.enumerated() {
        out.append(Observation(time: october2026.start.addingTimeInterval(Double(20 + index) * 86_400), value: limit,
                               isCensored: true, detectionLimit: limit))
    }
    return out
}

@Suite("point evaluation")
struct PointEvaluationTests {
    let network = Network(rivers: [River("R", targetClass: .iv)], points: [MonitoringPoint("P", riverID: "R", kilometre: 1)],
                          sources: [])

    @Test("the period mean decides the class; the worst parameter decides the point (hand-worked)")
    func singleFactor() throws {
        let evaluator = Evaluator(network: network, period: october2026)
        // NH3-N mean (1.2 + 1.6) / 2 = 1.4 → IV; DO mean 6.5 → II; CODMn 5 → III. Point: IV, target IV met.
        let result = evaluator.evaluate(point: network.point("P")!, series: [
            .ammoniaNitrogen: samples([1.2, 1.6]), .dissolvedOxygen: samples([6.5]), .permanganateIndex: samples([5]),
        ])
        #expect(result.waterClass == .iv)
        #expect(result.meetsTarget == true)
        #expect(result.grade == .lightlyPolluted)
        let nh3n = try #require(result.parameters.first { $0.parameter == .ammoniaNitrogen })
        #expect(abs(try #require(nh3n.mean) - 1.4) < 1e-12)
        #expect(abs(try #require(nh3n.exceedanceMultiple) - 0.4) < 1e-12)
        #expect(result.mainPollutants == [MainPollutant(parameter: .ammoniaNitrogen, exceedanceMultiple: nh3n.exceedanceMultiple)])
    }

    @Test("main pollutants: worse class first, then the larger exceedance multiple; at most three")
    func mainPollutants() {
        let evaluator = Evaluator(network: network, period: october2026)
        // TP 0.5 → 劣V (1.5×); NH3-N 1.8 → V (0.8×); CODMn 12 → V (1.0×); BOD5 5 → IV (0.25×).
        let result = evaluator.evaluate(point: network.point("P")!, series: [
            .totalPhosphorus: samples([0.5]), .ammoniaNitrogen: samples([1.8]), .permanganateIndex: samples([12]),
            .biochemicalOxygenDemand: samples([5]),
        ])
        #expect(result.waterClass == .worseThanV)
        #expect(result.meetsTarget == false)
        #expect(result.mainPollutants.map(\.parameter) == [.totalPhosphorus, .permanganateIndex, .ammoniaNitrogen])
    }

    @Test("a censored value counts at half its detection limit; a limit above the target is flagged")
    func censored() throws {
        let evaluator = Evaluator(network: network, period: october2026)
        // TP: 0.1 and <0.05 → (0.1 + 0.025) / 2 = 0.0625 → 0.062 at three decimals (five, even 2) → II.
        // NH3-N <2 (limit above Class IV's 1.5): flagged.
        let result = evaluator.evaluate(point: network.point("P")!, series: [
            .totalPhosphorus: samples([0.1], censored: [0.05]), .ammoniaNitrogen: samples([], censored: [2]),
        ])
        let tp = try #require(result.parameters.first { $0.parameter == .totalPhosphorus })
        #expect(tp.mean == 0.062)
        #expect(tp.censored == 1)
        #expect(tp.waterClass == .ii)
        #expect(try #require(result.parameters.first { $0.parameter == .ammoniaNitrogen }).detectionLimitAboveTarget)
    }

    @Test("readings flagged M, D, C … are kept but not averaged")
    func flags() throws {
        let evaluator = Evaluator(network: network, period: october2026)
        var series = samples([1.0, 9.9])
        series[1].flag = "D"
        let result = evaluator.evaluate(point: network.point("P")!, series: [.ammoniaNitrogen: series])
        let nh3n = try #require(result.parameters.first)
        #expect(nh3n.readings == 2 && nh3n.used == 1 && nh3n.mean == 1.0)
    }

    @Test("an hourly station with 70 % of its readings is insufficient, not evaluated; 75 % is enough")
    func completeness() throws {
        let station = Network(rivers: [River("R", targetClass: .iv)],
                              points: [MonitoringPoint("S", riverID: "R", kilometre: 1, kind: .automatic)], sources: [])
        let evaluator = Evaluator(network: station, period: october2026)
        let hours = Int(october2026.end.timeIntervalSince(october2026.start) / 3600)  // 744
        func hourly(_ share: Double) -> [Observation] {
            (0..<Int((Double(hours) * share).rounded())).map {
                Observation(time: october2026.start.addingTimeInterval(Double($0) * 3600), value: 0.8)
            }
        }
        let thin = evaluator.evaluate(point: station.point("S")!, series: [.ammoniaNitrogen: hourly(0.70)])
        #expect(thin.waterClass == nil)
        #expect(thin.insufficient == [.ammoniaNitrogen])
        #expect(abs(thin.completeness - 0.70) < 0.002)
        let enough = evaluator.evaluate(point: station.point("S")!, series: [.ammoniaNitrogen: hourly(0.75)])
        #expect(enough.waterClass == .iii)
    }
}

@Suite("river evaluation")
struct GroupEvaluationTests {
    func pointResult(_ id: String, _ waterClass: WaterClass, nh3n: Double) -> PointResult {
        PointResult(pointID: id, riverID: "R", targetClass: .iv, waterClass: waterClass,
                    grade: QualityGrade(sectionClass: waterClass), meetsTarget: waterClass <= .iv, mainPollutants: [],
                    completeness: 1, insufficient: [],
                    parameters: [ParameterResult(parameter: .ammoniaNitrogen, readings: 1, used: 1, censored: 0, expected: 1,
                                                 completeness: 1, sufficient: true, mean: nh3n,
                                                 waterClass: GB3838.classify(.ammoniaNitrogen, nh3n),
                                                 exceedanceMultiple: nil, targetExceedanceMultiple: nil,
                                                 detectionLimitAboveTarget: false)])
    }

    @Test("5 sections use the proportion method: 3 of 5 in I–III (60 %), 2 of 5 劣V (40 %) is 重度污染")
    func proportion() {
        let evaluator = Evaluator(network: .empty, period: october2026)
        let points = [pointResult("1", .ii, nh3n: 0.3), pointResult("2", .iii, nh3n: 0.8), pointResult("3", .iii, nh3n: 0.9),
                      pointResult("4", .worseThanV, nh3n: 3), pointResult("5", .worseThanV, nh3n: 2.5)]
        let result = evaluator.evaluateGroup(id: "R", points: points)
        #expect(result.method == .proportion)
        #expect(result.grade == .heavilyPolluted)
        #expect(abs(result.shareGood - 0.6) < 1e-12 && abs(result.shareWorseThanV - 0.4) < 1e-12)
        #expect(result.mainPollutants == [.ammoniaNitrogen])
    }

    @Test("five sections or more: a river's main pollutants by share of sections worse than III, ties by the mean exceedance multiple")
    func riverMainPollutantsTieBreak() {
        // Five sections: all exceed III in DO (no multiple), NH3-N (multiples 0.5, 0.7, 0.6, 0.6, 0.6: mean 0.6) and TP
        // (2.7, 2.5, 2.6, 2.6, 2.6: mean 2.6); one in CODMn (3.0). Shares 100 / 100 / 100 / 20 %: TP, NH3-N, DO (DO has
        // no multiple: last of the ties).
        func parameter(_ code: Parameter, _ multiple: Double?) -> ParameterResult {
            ParameterResult(parameter: code, readings: 1, used: 1, censored: 0, expected: 1, completeness: 1, sufficient: true,
                            mean: 1, waterClass: .v, exceedanceMultiple: multiple, targetExceedanceMultiple: nil,
                            detectionLimitAboveTarget: false)
        }
        func section(_ id: String, nh3n: Double, tp: Double, codmn: Double?) -> PointResult {
            PointResult(pointID: id, riverID: "R", targetClass: .iv, waterClass: .v, grade: QualityGrade(sectionClass: .v),
                        meetsTarget: false, mainPollutants: [], completeness: 1, insufficient: [],
                        parameters: [parameter(.dissolvedOxygen, nil), parameter(.ammoniaNitrogen, nh3n), parameter(.totalPhosphorus, tp)]
                            + (codmn.map { [parameter(.permanganateIndex, $0)] } ?? []))
        }
        let result = Evaluator(network: .empty, period: october2026).evaluateGroup(
            id: "R", points: [section("1", nh3n: 0.5, tp: 2.7, codmn: 3.0), section("2", nh3n: 0.7, tp: 2.5, codmn: nil),
                              section("3", nh3n: 0.6, tp: 2.6, codmn: nil), section("4", nh3n: 0.6, tp: 2.6, codmn: nil),
                              section("5", nh3n: 0.6, tp: 2.6, codmn: nil)])
        #expect(result.method == .proportion)
        #expect(result.mainPollutants == [.totalPhosphorus, .ammoniaNitrogen, .dissolvedOxygen])
    }

    @Test("fewer than 5 sections: the averaged section's main pollutants by the section method (worst class, then multiple)")
    func meanMethodMainPollutants() {
        func section(_ id: String, _ values: [(Parameter, Double)]) -> PointResult {
            let parameters = values.map { parameter, value in
                ParameterResult(parameter: parameter, readings: 1, used: 1, censored: 0, expected: 1, completeness: 1,
                                sufficient: true, mean: value, waterClass: GB3838.classify(parameter, value),
                                exceedanceMultiple: GB3838.exceedanceMultiple(parameter, value), targetExceedanceMultiple: nil,
                                detectionLimitAboveTarget: false)
            }
            let worst = parameters.compactMap(\.waterClass).max()!
            return PointResult(pointID: id, riverID: "R", targetClass: .iv, waterClass: worst,
                               grade: QualityGrade(sectionClass: worst), meetsTarget: worst <= .iv, mainPollutants: [],
                               completeness: 1, insufficient: [], parameters: parameters)
        }
        // Averages of three sections: NH3-N (1.5 + 1.9 + 2.0) / 3 = 1.8 → V, multiple 0.80; TP (0.3 + 0.4 + 0.35) / 3 =
        // 0.35 → V, 0.75; CODMn (7 + 8 + 9) / 3 = 8 → IV, 0.33; DO (6 + 6 + 6) / 3 = 6 → II.
        // Worst class first (V), ties by the multiple: NH3-N, TP; then CODMn (IV).
        let result = Evaluator(network: .empty, period: october2026).evaluateGroup(id: "R", points: [
            section("1", [(.ammoniaNitrogen, 1.5), (.totalPhosphorus, 0.3), (.permanganateIndex, 7), (.dissolvedOxygen, 6)]),
            section("2", [(.ammoniaNitrogen, 1.9), (.totalPhosphorus, 0.4), (.permanganateIndex, 8), (.dissolvedOxygen, 6)]),
            section("3", [(.ammoniaNitrogen, 2.0), (.totalPhosphorus, 0.35), (.permanganateIndex, 9), (.dissolvedOxygen, 6)]),
        ])
        #expect(result.method == .mean)
        #expect(result.waterClass == .v)
        #expect(result.grade == .moderatelyPolluted)
        #expect(result.mainPollutants == [.ammoniaNitrogen, .totalPhosphorus, .permanganateIndex])
    }

    @Test("grades by section counts, each branch of the method's table (hand-worked)", arguments: [
        (10, 9, 0, QualityGrade.excellent),  // 90 % I–III
        (10, 8, 0, .good), (20, 15, 5, .good),  // 80 %; 75 % (the 劣V share plays no part above 75 %)
        (10, 7, 1, .lightlyPolluted),  // 70 %, 劣V 10 %
        (10, 6, 2, .moderatelyPolluted), (10, 6, 3, .moderatelyPolluted),  // 劣V 20 %, 30 %
        (10, 5, 4, .heavilyPolluted),  // 50 % I–III < 60 %, 劣V 40 %
        (5, 3, 2, .heavilyPolluted),  // 60 % and 40 %: the text's rows leave it ungraded; the 劣V row decides (methods.md)
    ])
    func gradeBranches(sections: Int, good: Int, worseThanV: Int, expected: QualityGrade) {
        let classes = Array(repeating: WaterClass.ii, count: good) + Array(repeating: .worseThanV, count: worseThanV)
            + Array(repeating: .iv, count: sections - good - worseThanV)
        let points = classes.enumerated().map { pointResult("\($0.offset)", $0.element, nh3n: 0.3) }
        let result = Evaluator(network: .empty, period: october2026).evaluateGroup(id: "R", points: points)
        #expect(result.method == .proportion)
        #expect(result.grade == expected)
    }

    @Test("fewer than 5 sections: parameters averaged over the sections, then classed (hand-worked)")
    func mean() {
        let evaluator = Evaluator(network: .empty, period: october2026)
        // NH3-N (0.3 + 0.8 + 2.5) / 3 = 1.2 → IV → 轻度污染, though one section is 劣V.
        let result = evaluator.evaluateGroup(id: "R", points: [pointResult("1", .ii, nh3n: 0.3),
                                                               pointResult("2", .iii, nh3n: 0.8),
                                                               pointResult("3", .worseThanV, nh3n: 2.5)])
        #expect(result.method == .mean)
        #expect(result.waterClass == .iv)
        #expect(result.grade == .lightlyPolluted)
    }
}

@Suite("exceedance episodes")
struct ExceedanceTests {
    @Test("runs above the target limit, with start, end, peak; a gap or a compliant reading ends a run")
    func runs() {
        let start = october2026.start
        func at(_ hour: Double, _ value: Double) -> Observation {
            Observation(time: start.addingTimeInterval(hour * 3600), value: value)
        }
        // Class IV NH3-N limit 1.5: hours 1–3 exceed (peak 2.4), 4 complies, 5 exceeds, 9 exceeds after a 4 h gap.
        let series = [at(0, 1.0), at(1, 1.6), at(2, 2.4), at(3, 1.9), at(4, 1.2), at(5, 1.7), at(9, 1.8)]
        let episodes = ExceedanceFinder.episodes(pointID: "P", parameter: .ammoniaNitrogen, observations: series, target: .iv)
        #expect(episodes.count == 3)
        #expect(episodes[0].readings == 3 && episodes[0].peak == 2.4 && episodes[0].hours == 2)
        #expect(episodes[1].readings == 1 && episodes[2].readings == 1)
        #expect(episodes.allSatisfy { $0.limit == 1.5 })
    }

    @Test("dissolved oxygen exceeds downwards; its peak is the lowest value")
    func oxygen() {
        let series = [2.9, 2.5, 3.2].enumerated().map {
            Observation(time: october2026.start.addingTimeInterval(Double($0.offset) * 3600), value: $0.element)
        }
        let episodes = ExceedanceFinder.episodes(pointID: "P", parameter: .dissolvedOxygen, observations: series, target: .iv)
        #expect(episodes.count == 1 && episodes[0].peak == 2.5 && episodes[0].limit == 3)
    }
}
