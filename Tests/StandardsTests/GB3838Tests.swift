import Foundation
import RiverModel
import Standards
import TestSupport
import Testing

/// Limits from GB 3838-2002 Table 1 as printed in ../shared/reference/standards.md.
@Suite("GB 3838-2002 classes")
struct GB3838Tests {
    // Each value is first rounded as the evaluation rounds it (GB/T 8170 half to even; NH3-N 2, CODMn, COD, BOD5 and DO 1,
    // TP 3 decimals), then compared with the limit: worked by hand in the comments.
    @Test("a value on a limit belongs to the better class (≤), after rounding", arguments: [
        (Parameter.ammoniaNitrogen, 0.15, WaterClass.i), (.ammoniaNitrogen, 0.154, .i),  // 0.154 → 0.15
        (.ammoniaNitrogen, 0.155, .ii),  // 0.155 → 0.16 (five, odd digit before: up)
        (.ammoniaNitrogen, 0.16, .ii), (.ammoniaNitrogen, 0.5, .ii), (.ammoniaNitrogen, 1.0, .iii), (.ammoniaNitrogen, 1.5, .iv),
        (.ammoniaNitrogen, 2.0, .v), (.ammoniaNitrogen, 2.005, .v),  // 2.005 → 2.00 (five, even digit before: stays)
        (.ammoniaNitrogen, 2.0051, .worseThanV),  // 2.0051 → 2.01 (more than five)
        (.permanganateIndex, 2, .i), (.permanganateIndex, 6, .iii), (.permanganateIndex, 6.04, .iii),  // 6.04 → 6.0
        (.permanganateIndex, 6.05, .iii),  // 6.05 → 6.0 (five, 0 even)
        (.permanganateIndex, 6.06, .iv), (.permanganateIndex, 15.05, .v), (.permanganateIndex, 15.15, .worseThanV),  // → 15.2
        (.totalPhosphorus, 0.2, .iii), (.totalPhosphorus, 0.2005, .iii), (.totalPhosphorus, 0.2015, .iv),  // → 0.200, 0.202
        (.totalPhosphorus, 0.4, .v), (.totalPhosphorus, 0.401, .worseThanV),
        (.chemicalOxygenDemand, 15, .i), (.chemicalOxygenDemand, 15.04, .i), (.chemicalOxygenDemand, 15.1, .iii),
        (.chemicalOxygenDemand, 40.1, .worseThanV),
        (.biochemicalOxygenDemand, 3, .i), (.biochemicalOxygenDemand, 4, .iii), (.biochemicalOxygenDemand, 10, .v),
        (.biochemicalOxygenDemand, 10.05, .v), (.biochemicalOxygenDemand, 10.15, .worseThanV),
    ])
    func lessOrEqual(parameter: Parameter, value: Double, expected: WaterClass) {
        #expect(GB3838.classify(parameter, value) == expected)
    }

    @Test("dissolved oxygen is ≥: on the limit (to 0.1 mg/L) is the better class", arguments: [
        (7.5, WaterClass.i), (7.46, .i), (7.45, .ii), (7.44, .ii),  // 7.46 → 7.5; 7.45 → 7.4 (five, even 4); 7.44 → 7.4
        (6.0, .ii), (5.95, .ii),  // 5.95 → 6.0 (five, odd 9: up)
        (5.94, .iii), (5.0, .iii), (3.0, .iv), (2.96, .iv), (2.94, .v), (2.0, .v), (1.96, .v), (1.94, .worseThanV),
    ])
    func dissolvedOxygen(value: Double, expected: WaterClass) {
        #expect(GB3838.classify(.dissolvedOxygen, value) == expected)
    }

    @Test("pH is evaluated to whole units against 6–9 inclusive", arguments: [
        (6.0, WaterClass.i), (9.0, .i), (7.2, .i), (5.6, .i), (5.5, .i),  // 5.5 → 6 (five, odd 5: up)
        (5.4, .worseThanV), (4.5, .worseThanV),  // 4.5 → 4 (five, even 4)
        (9.49, .i), (9.5, .worseThanV),  // 9.5 → 10 (five, odd 9: up)
        (8.5, .i),  // → 8
    ])
    func pH(value: Double, expected: WaterClass) {
        #expect(GB3838.classify(.pH, value) == expected)
    }

    @Test("total nitrogen is classed for lakes and reservoirs only")
    func totalNitrogen() {
        #expect(GB3838.classify(.totalNitrogen, 0.8, body: .lake) == .iii)
        #expect(GB3838.classify(.totalNitrogen, 0.8, body: .reservoir) == .iii)
        #expect(GB3838.classify(.totalNitrogen, 0.8, body: .river) == nil)
    }

    @Test("lakes have their own TP limits")
    func lakePhosphorus() {
        #expect(GB3838.classify(.totalPhosphorus, 0.05, body: .lake) == .iii)
        #expect(GB3838.classify(.totalPhosphorus, 0.05, body: .reservoir) == .iii)
        #expect(GB3838.classify(.totalPhosphorus, 0.025, body: .lake) == .ii)
        #expect(GB3838.classify(.totalPhosphorus, 0.0255, body: .lake) == .iii)  // → 0.026
        #expect(GB3838.classify(.totalPhosphorus, 0.05, body: .river) == .ii)
    }

    @Test("unclassed parameters have no class")
    func unclassed() {
        #expect(GB3838.classify(.conductivity, 500) == nil)
        #expect(GB3838.classify(.temperature, 20) == nil)
    }

    @Test("exceedance multiple (C − S) / S against Class III from the rounded C, to two decimals; none for DO and pH (hand-worked)")
    func exceedanceMultiple() throws {
        // NH3-N 2.5 against 1.0 → 1.5; CODMn 7.2 against 6 → 0.2; TP 0.2 is on the limit → none.
        #expect(GB3838.exceedanceMultiple(.ammoniaNitrogen, 2.5) == 1.5)
        #expect(GB3838.exceedanceMultiple(.permanganateIndex, 7.2) == 0.2)
        #expect(GB3838.exceedanceMultiple(.totalPhosphorus, 0.2) == nil)
        #expect(GB3838.exceedanceMultiple(.totalPhosphorus, 0.2004) == nil, "0.2004 is 0.200: on the limit")
        #expect(GB3838.exceedanceMultiple(.dissolvedOxygen, 1) == nil)
        #expect(GB3838.exceedanceMultiple(.pH, 10) == nil)
        // Against a Class IV target: NH3-N 2.5 vs 1.5 → 0.666… → 0.67.
        #expect(GB3838.exceedanceMultiple(.ammoniaNitrogen, 2.5, against: .iv) == 0.67)
        // NH3-N 1.0125 → 1.01 (the part dropped, 25, is under half): (1.01 − 1.0) / 1.0 = 0.01.
        #expect(GB3838.exceedanceMultiple(.ammoniaNitrogen, 1.0125) == 0.01)
        // TP 0.2625 against 0.2: (0.262 − 0.2) / 0.2 = 0.31 (0.2625 → 0.262: five, even 2).
        #expect(GB3838.exceedanceMultiple(.totalPhosphorus, 0.2625) == 0.31)
        // CODMn 6.3 against 6: 0.05 exactly; CODMn 6.9: 0.15 exactly.
        #expect(GB3838.exceedanceMultiple(.permanganateIndex, 6.3) == 0.05)
        #expect(GB3838.exceedanceMultiple(.permanganateIndex, 6.9) == 0.15)
        // COD 20.5 against 20: 0.025 → 0.02 (five, even 2).
        #expect(GB3838.exceedanceMultiple(.chemicalOxygenDemand, 20.5) == 0.02)
        // COD 20.7 against 20: 0.035 → 0.04 (five, odd 3: up).
        #expect(GB3838.exceedanceMultiple(.chemicalOxygenDemand, 20.7) == 0.04)
    }
}

@Suite("river and district grades")
struct GradeTests {
    @Test("grades at their percentage boundaries", arguments: [
        (0.9, 0.0, QualityGrade.excellent), (0.8999, 0.0, .good), (0.75, 0.25, .good), (0.7499, 0.0, .lightlyPolluted),
        (0.7, 0.1999, .lightlyPolluted), (0.7, 0.2, .moderatelyPolluted), (0.5, 0.3999, .moderatelyPolluted),
        (0.5, 0.4, .heavilyPolluted), (0.7, 0.4, .heavilyPolluted),
    ])
    func boundaries(shareGood: Double, shareWorse: Double, expected: QualityGrade) {
        #expect(QualityGrade(shareGood: shareGood, shareWorseThanV: shareWorse) == expected)
    }

    @Test("a section's description from its class")
    func sectionDescriptions() {
        #expect(QualityGrade(sectionClass: .ii) == .excellent)
        #expect(QualityGrade(sectionClass: .iii) == .good)
        #expect(QualityGrade(sectionClass: .iv) == .lightlyPolluted)
        #expect(QualityGrade(sectionClass: .v) == .moderatelyPolluted)
        #expect(QualityGrade(sectionClass: .worseThanV) == .heavilyPolluted)
    }
}

/// Levels and rules of 城市黑臭水体整治工作指南 (2015) as printed in ../shared/reference/standards.md.
@Suite("black-odorous grading")
struct BlackOdorousTests {
    @Test("reading levels at the table's edges", arguments: [
        (Parameter.transparency, 26.0, BlackOdorousGrade.none), (.transparency, 25, .light), (.transparency, 10, .light),
        (.transparency, 9.9, .severe), (.dissolvedOxygen, 2.1, .none), (.dissolvedOxygen, 2.0, .light),
        (.dissolvedOxygen, 0.19, .severe), (.redoxPotential, 51, .none), (.redoxPotential, 50, .light),
        (.redoxPotential, -201, .severe), (.ammoniaNitrogen, 7.9, .none), (.ammoniaNitrogen, 8, .light),
        (.ammoniaNitrogen, 15, .light), (.ammoniaNitrogen, 15.1, .severe),
    ])
    func levels(parameter: Parameter, value: Double, expected: BlackOdorousGrade) {
        #expect(BlackOdorousGrader.level(parameter, value) == expected)
    }

    func observations(_ values: [Double]) -> [Observation] {
        values.enumerated().map { Observation(time: Date(timeIntervalSince1970: Double($0.offset) * 3600), value: $0.element) }
    }

    @Test("重度 when one item has 60 % of its readings at 重度, or two items 30 %")
    func severe() throws {
        // DO: 3 of 5 below 0.2 (60 %) → 重度.
        let one = try #require(BlackOdorousGrader.grade(pointID: "P", series: [.dissolvedOxygen: observations([0.1, 0.1, 0.1, 3, 3])]))
        #expect(one.grade == .severe)
        // DO 2 of 5 (40 %) and transparency 2 of 5 (40 %) at 重度 → 重度; either alone would not be.
        let two = try #require(BlackOdorousGrader.grade(pointID: "P", series: [
            .dissolvedOxygen: observations([0.1, 0.1, 3, 3, 3]), .transparency: observations([5, 5, 60, 60, 60]),
        ]))
        #expect(two.grade == .severe)
        let alone = try #require(BlackOdorousGrader.grade(pointID: "P", series: [.dissolvedOxygen: observations([0.1, 0.1, 3, 3, 3])]))
        #expect(alone.grade != .severe)
    }

    @Test("轻度 by the same shares at 轻度 or worse; clean water is not black-odorous; nothing measured gives no grade")
    func light() throws {
        let mild = try #require(BlackOdorousGrader.grade(pointID: "P", series: [.ammoniaNitrogen: observations([9, 10, 11, 1, 1])]))
        #expect(mild.grade == .light)
        let clean = try #require(BlackOdorousGrader.grade(pointID: "P", series: [.dissolvedOxygen: observations([6, 7, 8])]))
        #expect(clean.grade == BlackOdorousGrade.none)
        #expect(BlackOdorousGrader.grade(pointID: "P", series: [.totalPhosphorus: observations([0.2])]) == nil)
        // The guide samples at least three times: two readings grade nothing.
        #expect(BlackOdorousGrader.grade(pointID: "P", series: [.dissolvedOxygen: observations([0.1, 0.1])]) == nil)
    }
}

@Suite("physically impossible readings")
struct PhysicalBoundsTests {
    @Test("impossible values are named, possible ones are not", arguments: [
        (Parameter.pH, 15.2, true), (.pH, -0.1, true), (.pH, 14, false), (.ammoniaNitrogen, -0.5, true),
        (.ammoniaNitrogen, 0, false), (.dissolvedOxygen, 38, true), (.dissolvedOxygen, 12, false),
        (.temperature, 76.85, true), (.conductivity, -1, true), (.redoxPotential, -250, false),
    ])
    func bounds(parameter: Parameter, value: Double, impossible: Bool) {
        #expect((PhysicalBounds.violation(parameter, value) != nil) == impossible)
    }

    @Test("an impossible reading is left out of the period mean")
    func excludedFromMean() throws {
        let point = MonitoringPoint("P", riverID: "R", kilometre: 1)
        let network = Network(rivers: [River("R", lengthKilometres: 5, targetClass: .iv)], points: [point], sources: [])
        let start = october2026.start
        let result = Evaluator(network: network, period: october2026).evaluate(point: point, series: [
            .pH: [Observation(time: start.addingTimeInterval(3600), value: 7.0),
                  Observation(time: start.addingTimeInterval(7200), value: 15.2)],
        ])
        let ph = try #require(result.parameters.first)
        #expect(ph.mean == 7.0 && ph.used == 1 && ph.readings == 2)
        #expect(result.waterClass == .i)
    }
}
