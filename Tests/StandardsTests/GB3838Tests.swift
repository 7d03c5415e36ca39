import Foundation
import RiverModel
import Standards
import Testing

/// Limits from GB 3838-2002 Table 1 as printed in ../shared/reference/standards.md.
@Suite("GB 3838-2002 classes")
struct GB3838Tests {
    @Test("a value on a limit belongs to the better class (≤)", arguments: [
        (Parameter.ammoniaNitrogen, 0.15, WaterClass.i), (.ammoniaNitrogen, 0.151, .ii), (.ammoniaNitrogen, 0.5, .ii),
        (.ammoniaNitrogen, 1.0, .iii), (.ammoniaNitrogen, 1.5, .iv), (.ammoniaNitrogen, 2.0, .v), (.ammoniaNitrogen, 2.001, .worseThanV),
        (.permanganateIndex, 2, .i), (.permanganateIndex, 6, .iii), (.permanganateIndex, 6.01, .iv), (.permanganateIndex, 15.01, .worseThanV),
        (.totalPhosphorus, 0.2, .iii), (.totalPhosphorus, 0.21, .iv), (.totalPhosphorus, 0.4, .v), (.totalPhosphorus, 0.41, .worseThanV),
        (.chemicalOxygenDemand, 15, .i), (.chemicalOxygenDemand, 15.1, .iii), (.chemicalOxygenDemand, 40.1, .worseThanV),
        (.biochemicalOxygenDemand, 3, .i), (.biochemicalOxygenDemand, 4, .iii), (.biochemicalOxygenDemand, 10, .v),
    ])
    func lessOrEqual(parameter: Parameter, value: Double, expected: WaterClass) {
        #expect(GB3838.classify(parameter, value) == expected)
    }

    @Test("dissolved oxygen is ≥: on the limit is the better class", arguments: [
        (7.5, WaterClass.i), (7.49, .ii), (6.0, .ii), (5.99, .iii), (5.0, .iii), (3.0, .iv), (2.99, .v), (2.0, .v), (1.99, .worseThanV),
    ])
    func dissolvedOxygen(value: Double, expected: WaterClass) {
        #expect(GB3838.classify(.dissolvedOxygen, value) == expected)
    }

    @Test("pH 6–9 inclusive is within every class; outside is worse than V", arguments: [
        (6.0, WaterClass.i), (9.0, .i), (7.2, .i), (5.99, .worseThanV), (9.01, .worseThanV),
    ])
    func pH(value: Double, expected: WaterClass) {
        #expect(GB3838.classify(.pH, value) == expected)
    }

    @Test("lakes have their own TP limits")
    func lakePhosphorus() {
        #expect(GB3838.classify(.totalPhosphorus, 0.05, body: .lake) == .iii)
        #expect(GB3838.classify(.totalPhosphorus, 0.05, body: .river) == .ii)
    }

    @Test("unclassed parameters have no class")
    func unclassed() {
        #expect(GB3838.classify(.conductivity, 500) == nil)
        #expect(GB3838.classify(.temperature, 20) == nil)
    }

    @Test("exceedance multiple (C − S) / S against Class III, none for DO and pH (hand-worked)")
    func exceedanceMultiple() throws {
        // NH3-N 2.5 against 1.0 → 1.5; CODMn 7.2 against 6 → 0.2; TP 0.2 is on the limit → none.
        #expect(abs(try #require(GB3838.exceedanceMultiple(.ammoniaNitrogen, 2.5)) - 1.5) < 1e-12)
        #expect(abs(try #require(GB3838.exceedanceMultiple(.permanganateIndex, 7.2)) - 0.2) < 1e-12)
        #expect(GB3838.exceedanceMultiple(.totalPhosphorus, 0.2) == nil)
        #expect(GB3838.exceedanceMultiple(.dissolvedOxygen, 1) == nil)
        #expect(GB3838.exceedanceMultiple(.pH, 10) == nil)
        // Against a Class IV target: NH3-N 2.5 vs 1.5 → 0.6667.
        #expect(abs(try #require(GB3838.exceedanceMultiple(.ammoniaNitrogen, 2.5, against: .iv)) - 2.0 / 3.0) < 1e-12)
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
        let point = MonitoringPoint(id: "P", name: "P", riverID: "R", kilometre: 1, latitude: nil, longitude: nil,
                                    ownTargetClass: nil, kind: .manual)
        let network = Network(rivers: [River(id: "R", name: "R", flowsInto: nil, confluenceKilometres: nil, lengthKilometres: 5,
                                             velocityMetresPerSecond: 0.3, targetClass: .iv)], points: [point], sources: [])
        let start = Date(timeIntervalSince1970: 1_790_784_000)
        let period = EvaluationPeriod(label: "2026-10", start: start, end: start.addingTimeInterval(31 * 86_400))
        let result = Evaluator(network: network, period: period).evaluate(point: point, series: [
            .pH: [Observation(time: start.addingTimeInterval(3600), value: 7.0),
                  Observation(time: start.addingTimeInterval(7200), value: 15.2)],
        ])
        let ph = try #require(result.parameters.first)
        #expect(ph.mean == 7.0 && ph.used == 1 && ph.readings == 2)
        #expect(result.waterClass == .i)
    }
}
